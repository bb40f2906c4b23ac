/**
 * Reading the open room: whether the reader is at its newest messages (so what arrives counts as
 * read), where they had read up to when they opened it (the "new messages" divider and the jumps
 * to the first unread and the first @me start from that), and telling the server, at most about
 * once a second, how far the room is read.
 */
import type { ReadPosition } from '../../../../shared/schemas.ts';
import { readUpTo, type RoomEntry } from './rooms.ts';

/** Reads in a burst (scrolling, messages arriving while looking) are told as one. */
export const READ_REPORT_DELAY_MS = 800;

/**
 * Where I had read up to when I opened a room, kept while it stays open (reading the room moves
 * the read position on at once, so it cannot be read back from the room's entry).
 */
export interface ReadMark {
  readUpTo: number;
  unread: number;
  mentions: number;
}

export interface ReadingPorts {
  /** The room on screen, null when the view is not a room. */
  openRoom(): string | null;
  /** The page is visible (a hidden tab reads nothing). */
  visible(): boolean;
  entry(roomId: string): RoomEntry | undefined;
  newestSeq(roomId: string): number;
  /** Tells the server; resolves to the counts it now has (other devices' reads included). */
  report(roomId: string, seq: number): Promise<ReadPosition>;
  changed(): void;
}

export class Reading {
  /** The user is looking at the newest messages of the open room (so they count as read). */
  atBottom = true;
  /** Per room, where I had read up to when I last opened it. */
  readonly marks = new Map<string, ReadMark>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly ports: ReadingPorts) {}

  isReading(roomId: string): boolean {
    return this.ports.openRoom() === roomId && this.atBottom && this.ports.visible();
  }

  /** The room was opened: its divider starts where I had read up to. */
  opened(roomId: string, entry: RoomEntry): void {
    this.marks.set(roomId, { readUpTo: entry.lastReadSeq, unread: entry.unread, mentions: entry.unreadMentions });
  }

  setAtBottom(atBottom: boolean): void {
    if (atBottom === this.atBottom) return;
    this.atBottom = atBottom;
    if (atBottom) this.markReadSoon();
  }

  /** Marks the open room read up to its newest message, at most about once a second. */
  markReadSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const roomId = this.ports.openRoom();
      if (roomId === null || !this.isReading(roomId)) return;
      const entry = this.ports.entry(roomId);
      const newest = this.ports.newestSeq(roomId);
      const change = entry && readUpTo(entry, newest);
      if (!entry || !change) return;
      Object.assign(entry, change);
      this.ports.changed();
      this.ports.report(roomId, newest).then(
        (position) => Object.assign(entry, { unread: position.unread, unreadMentions: position.unreadMentions }),
        () => {},
      );
    }, READ_REPORT_DELAY_MS);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
