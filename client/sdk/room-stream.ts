/**
 * One room's position in two ordered streams: messages (by seq) and the change feed (by
 * position). Both are gap-free on the server, so "I have 1..n" is a complete statement; this
 * class turns whatever arrives — live events, sync pages, in any order, possibly twice — into
 * each item delivered exactly once, in order, and says when something is missing.
 *
 * Pure bookkeeping: no sockets, no timers, so it is tested on its own.
 */
import type { Message, RoomChange } from '../../shared/schemas.ts';

export interface Cursor {
  /** Highest message seq delivered (0: nothing yet). */
  seq: number;
  /** Highest change-feed position applied; null while unknown (then changes are not synced). */
  change: number | null;
}

export class RoomStream {
  private cursor: Cursor;
  // Early arrivals, waiting for the items before them. Keys are always > the cursor.
  private readonly earlyMessages = new Map<number, Message>();
  private readonly earlyChanges = new Map<number, RoomChange>();

  constructor(
    readonly roomId: string,
    cursor: Cursor,
  ) {
    this.cursor = { ...cursor };
  }

  get position(): Cursor {
    return { ...this.cursor };
  }

  /** Something after the cursor arrived but something before it did not: sync to fill the hole. */
  get hasGap(): boolean {
    return this.earlyMessages.size > 0 || this.earlyChanges.size > 0;
  }

  /** Takes a message; returns the messages now deliverable, in seq order (often none or one). */
  acceptMessage(message: Message): Message[] {
    if (message.seq <= this.cursor.seq || this.earlyMessages.has(message.seq)) return [];
    this.earlyMessages.set(message.seq, message);
    const ready: Message[] = [];
    for (let next = this.earlyMessages.get(this.cursor.seq + 1); next; next = this.earlyMessages.get(this.cursor.seq + 1)) {
      this.earlyMessages.delete(next.seq);
      this.cursor.seq = next.seq;
      ready.push(next);
    }
    return ready;
  }

  /**
   * The server has answered everything up to `seq` (a sync page ending there): a seq it left out
   * below that is not coming — a message from someone the user blocked is absent from their
   * history. Delivers what was held back up to `seq`, in order, and what is contiguous after it.
   */
  settleThrough(seq: number): Message[] {
    if (seq <= this.cursor.seq) return [];
    const ready = [...this.earlyMessages.values()].filter((m) => m.seq <= seq).sort((a, b) => a.seq - b.seq);
    for (const message of ready) this.earlyMessages.delete(message.seq);
    this.cursor.seq = seq;
    for (let next = this.earlyMessages.get(this.cursor.seq + 1); next; next = this.earlyMessages.get(this.cursor.seq + 1)) {
      this.earlyMessages.delete(next.seq);
      this.cursor.seq = next.seq;
      ready.push(next);
    }
    return ready;
  }

  /** Takes a change-feed entry; returns the entries now applicable, in position order. */
  acceptChange(change: RoomChange): RoomChange[] {
    if (this.cursor.change === null) {
      // No baseline yet: the first change seen becomes it (earlier ones are already in the state
      // the app loaded, because history is read after this room started being tracked).
      this.cursor.change = change.position - 1;
    }
    if (change.position <= this.cursor.change || this.earlyChanges.has(change.position)) return [];
    this.earlyChanges.set(change.position, change);
    const ready: RoomChange[] = [];
    for (let next = this.earlyChanges.get(this.cursor.change + 1); next; next = this.earlyChanges.get(this.cursor.change! + 1)) {
      this.earlyChanges.delete(next.position);
      this.cursor.change = next.position;
      ready.push(next);
    }
    return ready;
  }

  /** Moves the change cursor forward without entries (the server says nothing lies between). */
  advanceChange(position: number): void {
    if (this.cursor.change === null || position > this.cursor.change) this.cursor.change = position;
    for (const key of this.earlyChanges.keys()) if (key <= position) this.earlyChanges.delete(key);
  }

  /**
   * Starts over from a new cursor (a sync `reset`): anything held back at or below it is dropped,
   * what is above it is kept and delivered when contiguous. Returns what became deliverable.
   */
  reset(cursor: Cursor): { messages: Message[]; changes: RoomChange[] } {
    this.cursor = { ...cursor };
    const messages = [...this.earlyMessages.values()];
    const changes = [...this.earlyChanges.values()];
    this.earlyMessages.clear();
    this.earlyChanges.clear();
    return {
      messages: messages.sort((a, b) => a.seq - b.seq).flatMap((m) => this.acceptMessage(m)),
      changes: cursor.change === null ? [] : changes.sort((a, b) => a.position - b.position).flatMap((c) => this.acceptChange(c)),
    };
  }
}
