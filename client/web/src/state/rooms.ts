/**
 * My rooms as the room list shows them: each room's entry with my role, read position and unread
 * counts, and the rules that move those counts — a message arriving live, a read event from
 * another device, this page reading the room. Pure: each rule takes an entry and returns the
 * fields that change (or null), and the store writes them onto the entry it keeps.
 */
import type { Message, MyRoom, ReadPosition, Role, Room, RoomReadState } from '../../../../shared/schemas.ts';
import { badgeOf, type NotificationMode } from './people.ts';
import { newestKnown, type Timeline } from './timeline.ts';

/** Mirrors shared/schemas.ts UNREAD_COUNT_LIMIT (types only are imported into the bundle). */
export const UNREAD_LIMIT = 1000;

export interface RoomEntry {
  room: Room;
  role: Role;
  unread: number;
  unreadMentions: number;
  lastReadSeq: number;
  /** 消息免打扰 (people.ts): absent means 'all'. */
  notifications?: NotificationMode;
}

/** The fields of an entry a rule changes; written onto the entry in place, so every holder of it sees them. */
export type EntryChange = Partial<RoomEntry>;

/** A room of `GET /v1/me` (its read state may be missing from an older server: nothing unread, read to the end). */
export function entryOf(mine: MyRoom & Partial<RoomReadState>): RoomEntry {
  const { role, joinedAt: _joined, unread, unreadMentions, lastReadSeq, ...plain } = mine;
  return { room: plain as Room, role, unread: unread ?? 0, unreadMentions: unreadMentions ?? 0, lastReadSeq: lastReadSeq ?? mine.lastSeq, notifications: mine.notifications };
}

/** A room I just created or joined: nothing in it is unread for me. */
export function joinedEntry(room: Room, role: Role): RoomEntry {
  return { room, role, unread: 0, unreadMentions: 0, lastReadSeq: room.lastSeq };
}

/**
 * A room I am in that this page did not list (a DM opened here or by the other person). Read from
 * seq 0: its first message may be stored already, and sync brings it (and counts it) once.
 */
export function adoptedEntry(room: Room): RoomEntry {
  return { room, role: 'member', unread: 0, unreadMentions: 0, lastReadSeq: 0, notifications: 'all' };
}

export interface Arrival {
  change: EntryChange;
  /** The reader is looking at the newest messages: the room is to be marked read rather than counted. */
  markRead: boolean;
}

/**
 * A message this page received live: it moves the room's newest seq and, unless it is mine or I
 * am reading the room, its unread counts. One the counts already hold (the room's entry was read
 * from the server after the message was stored) is not counted again: null.
 */
export function arrival(entry: RoomEntry, message: Message, myId: string | null, reading: boolean): Arrival | null {
  if (message.seq <= entry.room.lastSeq) return null;
  const change: EntryChange = { room: { ...entry.room, lastSeq: message.seq } };
  const fromMe = message.sender?.id === myId;
  if (fromMe || message.kind !== 'text') return { change, markRead: false };
  if (reading) return { change, markRead: true };
  change.unread = Math.min(UNREAD_LIMIT, entry.unread + 1);
  // Under 消息免打扰 'none' only @me alerts, not @all.
  const alerts = (message.mentionsAll && entry.notifications !== 'none') || (myId !== null && message.mentions.includes(myId));
  if (alerts) change.unreadMentions = Math.min(UNREAD_LIMIT, entry.unreadMentions + 1);
  return { change, markRead: false };
}

/** A read position from the server (`read` event): two devices reading at once may cross, and the highest position wins. */
export function readPositionChange(entry: RoomEntry, position: ReadPosition): EntryChange | null {
  if (position.seq < entry.lastReadSeq) return null;
  return { lastReadSeq: position.seq, unread: position.unread, unreadMentions: position.unreadMentions };
}

/** This page read the room up to `newest`: null when there is nothing to mark (empty, or already read). */
export function readUpTo(entry: RoomEntry, newest: number): EntryChange | null {
  if (newest === 0 || (entry.lastReadSeq >= newest && entry.unread === 0)) return null;
  return { lastReadSeq: newest, unread: 0, unreadMentions: 0 };
}

/** My role after re-reading my rooms: 'gone' when I am no longer in the room. */
export function membershipOf(rooms: readonly MyRoom[], roomId: string): Role | 'gone' {
  return rooms.find((r) => r.id === roomId)?.role ?? 'gone';
}

/** A room re-read from the server; lastSeq stays the newest this page has counted (anything newer still arrives live and is counted then). */
export function refreshedRoom(entry: RoomEntry, room: Room): EntryChange {
  return { room: { ...room, lastSeq: entry.room.lastSeq } };
}

/** When a room last saw activity as this page knows it: its newest known message (also while an older stretch is open, history-window.ts), else its creation. */
export function lastActive(entry: RoomEntry, tl: Timeline | undefined): string {
  return (tl && newestKnown(tl)?.createdAt) ?? entry.room.createdAt;
}

/** The room list's order (rooms and 私信 alike): newest activity first. */
export function byActivity(entries: Iterable<RoomEntry>, timelines: ReadonlyMap<string, Timeline>): RoomEntry[] {
  const when = new Map([...entries].map((e) => [e, lastActive(e, timelines.get(e.room.id))]));
  return [...when.keys()].sort((a, b) => when.get(b)!.localeCompare(when.get(a)!));
}

/** The number in the page's title: what the badges show, where a room under do-not-disturb adds only its @me. */
export function titleCount(entries: Iterable<RoomEntry>): number {
  let count = 0;
  for (const entry of entries) {
    const badge = badgeOf(entry);
    count += badge.count + ((entry.notifications ?? 'all') === 'all' ? 0 : badge.mentions);
  }
  return count;
}

export function isStaffRole(role: Role | undefined): boolean {
  return role === 'owner' || role === 'admin';
}
