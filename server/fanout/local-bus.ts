import { UNOBSERVED_BUS, type BusMetrics, type FanoutBus, type RoomEvent } from './bus.ts';

/** One gateway process: events go straight from publisher to subscriber, no copy, no I/O. */
export class LocalBus implements FanoutBus {
  private handler: (event: RoomEvent) => void = () => {};
  private readonly rooms = new Set<string>();

  constructor(private readonly metrics: BusMetrics = UNOBSERVED_BUS) {}

  publish(event: RoomEvent): void {
    this.metrics.published();
    if (this.rooms.has(event.roomId)) this.handler(event);
  }

  async subscribe(roomId: string): Promise<void> {
    this.rooms.add(roomId);
  }

  async unsubscribe(roomId: string): Promise<void> {
    this.rooms.delete(roomId);
  }

  onEvent(handler: (event: RoomEvent) => void): void {
    this.handler = handler;
  }

  async close(): Promise<void> {
    this.rooms.clear();
  }
}
