/**
 * Delivers each room's sequenced events to this gateway's sockets in seq order.
 *
 * Gateways commit concurrently, so message 6 can reach the bus before message 5. Each watched
 * room keeps the next seq it expects; an early event waits in a small buffer until the gap is
 * filled, and if the missing event never comes (its publisher died after committing) the gap
 * is read back from the database after `gapWaitMs`. Nothing stored is skipped, nothing is
 * delivered twice by this gateway.
 */
import type { Logger } from 'pino';
import type { Message } from '../../shared/schemas.ts';
import type { FanoutBus, RoomEvent } from './bus.ts';

export interface OrderedDeliveryOptions {
  bus: FanoutBus;
  /** Highest seq stored in the room right now. */
  loadLastSeq(roomId: string): Promise<number | null>;
  /** Stored messages with fromSeq ≤ seq ≤ toSeq, ascending. */
  loadRange(roomId: string, fromSeq: number, toSeq: number): Promise<Message[]>;
  /** Hand one event to this gateway's sockets in the room. */
  emit(event: RoomEvent): void;
  gapWaitMs: number;
  log: Logger;
  metrics?: DeliveryMetrics;
}

/** What delivery reports to the operator's metrics (server/metrics.ts). */
export interface DeliveryMetrics {
  /** One event went to this gateway's sockets in its room. */
  delivered(): void;
  /** A gap was read back from the database: `filled` messages found, `missing` ones skipped. */
  gapFilled(filled: number, missing: number): void;
}

const UNOBSERVED: DeliveryMetrics = { delivered() {}, gapFilled() {} };

interface RoomCursor {
  ready: boolean;
  nextSeq: number;
  early: Map<number, RoomEvent>;
  gapTimer: NodeJS.Timeout | null;
  /**
   * Seqs at or below the counter read at watch time may still be in flight from their publisher.
   * Those arriving shortly after are delivered once (late, but not lost).
   */
  lateCeiling: number;
  lateUntil: number;
  lateDelivered: Set<number>;
}

/** How long after a room is watched an in-flight event from before the watch is still delivered. */
const LATE_WINDOW_MS = 5_000;

export class OrderedDelivery {
  private readonly rooms = new Map<string, RoomCursor>();
  private readonly metrics: DeliveryMetrics;

  constructor(private readonly options: OrderedDeliveryOptions) {
    this.metrics = options.metrics ?? UNOBSERVED;
    options.bus.onEvent((event) => this.receive(event));
  }

  /** Start delivering the room on this gateway. Events arriving before the cursor is known are held. */
  async watch(roomId: string): Promise<void> {
    const existing = this.rooms.get(roomId);
    if (existing) return;
    const cursor: RoomCursor = {
      ready: false,
      nextSeq: 0,
      early: new Map(),
      gapTimer: null,
      lateCeiling: 0,
      lateUntil: 0,
      lateDelivered: new Set(),
    };
    this.rooms.set(roomId, cursor);
    try {
      // Subscribe first, then read the counter: every seq above it is then sure to arrive on the bus.
      await this.options.bus.subscribe(roomId);
      const lastSeq = (await this.options.loadLastSeq(roomId)) ?? 0;
      if (this.rooms.get(roomId) !== cursor) return; // unwatched meanwhile
      cursor.nextSeq = lastSeq + 1;
      cursor.lateCeiling = lastSeq;
      cursor.lateUntil = Date.now() + LATE_WINDOW_MS;
      cursor.ready = true;
      // Held events at or below the counter were committed before we looked; deliver them in order.
      const late = [...cursor.early.values()].filter((e) => e.seq! < cursor.nextSeq).sort((a, b) => a.seq! - b.seq!);
      for (const event of late) {
        cursor.early.delete(event.seq!);
        this.deliverLate(cursor, event);
      }
      this.drain(roomId, cursor);
    } catch (error) {
      this.rooms.delete(roomId);
      throw error;
    }
  }

  async unwatch(roomId: string): Promise<void> {
    const cursor = this.rooms.get(roomId);
    if (!cursor) return;
    if (cursor.gapTimer) clearTimeout(cursor.gapTimer);
    this.rooms.delete(roomId);
    await this.options.bus.unsubscribe(roomId);
  }

  isWatching(roomId: string): boolean {
    return this.rooms.has(roomId);
  }

  close(): void {
    for (const cursor of this.rooms.values()) if (cursor.gapTimer) clearTimeout(cursor.gapTimer);
    this.rooms.clear();
  }

  private receive(event: RoomEvent): void {
    const cursor = this.rooms.get(event.roomId);
    if (!cursor) return;
    if (event.seq === undefined) {
      this.emit(event);
      return;
    }
    if (!cursor.ready) {
      cursor.early.set(event.seq, event);
      return;
    }
    if (event.seq < cursor.nextSeq) {
      // Already delivered (or filled from the database) unless it predates the watch.
      this.deliverLate(cursor, event);
      return;
    }
    if (event.seq === cursor.nextSeq) {
      this.emit(event);
      cursor.nextSeq += 1;
      this.drain(event.roomId, cursor);
      return;
    }
    cursor.early.set(event.seq, event);
    this.armGapTimer(event.roomId, cursor);
  }

  private emit(event: RoomEvent): void {
    this.options.emit(event);
    this.metrics.delivered();
  }

  private deliverLate(cursor: RoomCursor, event: RoomEvent): void {
    const seq = event.seq!;
    if (seq > cursor.lateCeiling || Date.now() > cursor.lateUntil || cursor.lateDelivered.has(seq)) return;
    cursor.lateDelivered.add(seq);
    this.emit(event);
  }

  private drain(roomId: string, cursor: RoomCursor): void {
    for (let event = cursor.early.get(cursor.nextSeq); event; event = cursor.early.get(cursor.nextSeq)) {
      cursor.early.delete(cursor.nextSeq);
      this.emit(event);
      cursor.nextSeq += 1;
    }
    if (cursor.early.size === 0 && cursor.gapTimer) {
      clearTimeout(cursor.gapTimer);
      cursor.gapTimer = null;
    } else if (cursor.early.size > 0) {
      this.armGapTimer(roomId, cursor);
    }
  }

  private armGapTimer(roomId: string, cursor: RoomCursor): void {
    if (cursor.gapTimer) return;
    cursor.gapTimer = setTimeout(() => {
      cursor.gapTimer = null;
      void this.fillGap(roomId, cursor);
    }, this.options.gapWaitMs);
    cursor.gapTimer.unref();
  }

  private async fillGap(roomId: string, cursor: RoomCursor): Promise<void> {
    if (this.rooms.get(roomId) !== cursor || cursor.early.size === 0) return;
    const firstEarly = Math.min(...cursor.early.keys());
    const from = cursor.nextSeq;
    const to = firstEarly - 1;
    if (to < from) {
      this.drain(roomId, cursor);
      return;
    }
    try {
      const missing = await this.options.loadRange(roomId, from, to);
      if (this.rooms.get(roomId) !== cursor) return;
      let filled = 0;
      for (const message of missing) {
        if (message.seq < cursor.nextSeq) continue;
        this.emit({ roomId, name: 'message', payload: message, seq: message.seq });
        cursor.nextSeq = message.seq + 1;
        filled += 1;
      }
      let skipped = 0;
      if (cursor.nextSeq <= to) {
        this.options.log.warn({ roomId, from: cursor.nextSeq, to }, 'seq gap not found in the database; skipping it');
        skipped = to + 1 - cursor.nextSeq;
        cursor.nextSeq = to + 1;
      }
      this.metrics.gapFilled(filled, skipped);
    } catch (error) {
      this.options.log.error({ err: error, roomId }, 'could not fill a delivery gap; retrying');
    }
    this.drain(roomId, cursor);
  }
}
