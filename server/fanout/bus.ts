/**
 * The fan-out bus: carries room events from the gateway that produced them to every gateway
 * with members of that room online. In-process when there is one gateway, Redis pub/sub when
 * there are several; nothing outside fanout/ knows which.
 */
import type { ServerEvent, ServerEventName } from '../../shared/events.ts';

/**
 * A socket event (`name`, delivered to clients as is, and its `payload`, as shared/events.ts
 * types them) bound for one room's sockets.
 */
export type RoomEvent<E extends ServerEventName = ServerEventName> = ServerEvent<E> & {
  roomId: string;
  /** Present on sequenced events (messages): delivery keeps seq order per room. */
  seq?: number;
};

/** What a bus reports to the operator's metrics (server/metrics.ts). */
export interface BusMetrics {
  published(): void;
  /** The event is stored but its live copy was lost (Redis did not take it). */
  publishFailed(): void;
}

/** For buses built without metrics (unit tests, the benchmarks). */
export const UNOBSERVED_BUS: BusMetrics = { published() {}, publishFailed() {} };

export interface FanoutBus {
  /** Fire-and-forget: the event is already durable when it is published. */
  publish(event: RoomEvent): void;
  /** Start receiving a room's events; resolves once no later publish can be missed. */
  subscribe(roomId: string): Promise<void>;
  unsubscribe(roomId: string): Promise<void>;
  onEvent(handler: (event: RoomEvent) => void): void;
  close(): Promise<void>;
}
