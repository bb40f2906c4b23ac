import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { UNOBSERVED_BUS, type BusMetrics, type FanoutBus, type RoomEvent } from './bus.ts';

/**
 * Several gateway processes: one Redis channel per room, and a gateway subscribes only to the
 * rooms its connected sockets are in, so a message reaches only the gateways that need it.
 * The event is serialized once on publish and parsed once per receiving gateway.
 */
export class RedisBus implements FanoutBus {
  private handler: (event: RoomEvent) => void = () => {};

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
    private readonly metrics: BusMetrics = UNOBSERVED_BUS,
  ) {
    this.sub.on('messageBuffer', (_channel: Buffer, data: Buffer) => {
      let event: RoomEvent;
      try {
        event = JSON.parse(data.toString('utf8')) as RoomEvent;
      } catch (error) {
        this.log.error({ err: error }, 'dropping an unreadable fan-out event');
        return;
      }
      this.handler(event);
    });
  }

  private channel(roomId: string): string {
    return `${this.prefix}:room:${roomId}`;
  }

  publish(event: RoomEvent): void {
    this.metrics.published();
    this.pub.publish(this.channel(event.roomId), JSON.stringify(event)).catch((error: unknown) => {
      this.metrics.publishFailed();
      // The message is stored; members will get it from sync. Losing a live copy is logged, not fatal.
      this.log.error({ err: error, roomId: event.roomId }, 'fan-out publish failed');
    });
  }

  async subscribe(roomId: string): Promise<void> {
    await this.sub.subscribe(this.channel(roomId));
  }

  async unsubscribe(roomId: string): Promise<void> {
    await this.sub.unsubscribe(this.channel(roomId));
  }

  onEvent(handler: (event: RoomEvent) => void): void {
    this.handler = handler;
  }

  async close(): Promise<void> {
    // The clients belong to the caller, which quits them.
  }
}
