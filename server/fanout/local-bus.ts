import type { FanoutBus, RoomEvent } from './bus.ts';

/** One gateway process: events go straight from publisher to subscriber, no copy, no I/O. */
export class LocalBus implements FanoutBus {
  private handler: (event: RoomEvent) => void = () => {};
  private readonly rooms = new Set<string>();

  publish(event: RoomEvent): void {
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
