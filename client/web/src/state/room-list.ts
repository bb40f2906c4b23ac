/**
 * The list of my rooms this page keeps: filled from `GET /v1/me`, kept current by what arrives
 * live (counts by rooms.ts's rules), re-read when a room or my role in it may have changed, and
 * the notices of rooms taken from me. It owns the entries; the timelines stay the store's.
 */
import type { QuanziClient } from '../../../sdk/index.ts';
import type { Message, ReadPosition, Role, Room } from '../../../../shared/schemas.ts';
import { addNotice, clearRoom, dismissNotice, type Notice, type RemovalReason } from './notices.ts';
import { adoptedEntry, arrival, entryOf, joinedEntry, membershipOf, readPositionChange, refreshedRoom, type RoomEntry } from './rooms.ts';
import type { Timeline } from './timeline.ts';

export interface RoomListPorts {
  client: Pick<QuanziClient, 'me' | 'getRoom' | 'cursorOf' | 'track' | 'untrack'>;
  myId(): string | null;
  timeline(roomId: string): Timeline;
  isReading(roomId: string): boolean;
  markReadSoon(): void;
  /** The room is gone from the list: what the store keeps of it goes too. */
  forgotten(roomId: string): void;
  /** Runs a request whose endpoint may be missing or refused; tells the page afterwards. */
  optional(work: () => Promise<void>): Promise<void>;
  changed(): void;
}

export class RoomList {
  readonly entries = new Map<string, RoomEntry>();
  /** Rooms taken from me while this page was open, newest last; dismissed by the user. */
  notices: Notice[] = [];
  private noticeId = 0;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly ports: RoomListPorts) {}

  load(rooms: Parameters<typeof entryOf>[0][]): void {
    for (const room of rooms) this.entries.set(room.id, entryOf(room));
  }

  /** A message this page received live (or had before the room was listed): counted by rooms.ts's rule. */
  arrived(entry: RoomEntry, message: Message): void {
    const counted = arrival(entry, message, this.ports.myId(), this.ports.isReading(message.roomId));
    if (counted) Object.assign(entry, counted.change);
    if (counted?.markRead) this.ports.markReadSoon();
  }

  readPosition(position: ReadPosition): void {
    const entry = this.entries.get(position.roomId);
    const change = entry && readPositionChange(entry, position);
    if (change) Object.assign(entry, change);
  }

  /** Created or joined here: listed with nothing unread, and a notice of having lost it no longer applies. */
  joined(room: Room, role: Role): void {
    this.notices = clearRoom(this.notices, room.id);
    this.entries.set(room.id, joinedEntry(room, role));
  }

  /** A room I am now in that this page did not list (a DM opened here or by the other person). */
  adopt(room: Room): void {
    if (this.entries.has(room.id)) return;
    this.entries.set(room.id, adoptedEntry(room));
    this.follow(room.id, { seq: 0, change: room.lastChange });
    this.ports.changed();
  }

  left(roomId: string): void {
    this.entries.delete(roomId);
    this.ports.forgotten(roomId);
  }

  /** Taken from me (kicked, banned, dissolved): forgotten, and a notice says why. */
  removed(roomId: string, reason: RemovalReason): void {
    const entry = this.entries.get(roomId);
    this.left(roomId);
    this.ports.client.untrack(roomId);
    if (entry) this.notices = addNotice(this.notices, { id: ++this.noticeId, kind: reason, roomId, roomName: entry.room.name });
  }

  dismissNotice(id: number): void {
    this.notices = dismissNotice(this.notices, id);
    this.ports.changed();
  }

  /** Re-reads my rooms (with read state) and adds those this page did not know about; calls at once share one read. */
  refreshAll(): Promise<void> {
    return (this.refreshing ??= this.ports
      .optional(async () => {
        const me = await this.ports.client.me();
        for (const room of me.rooms) {
          if (this.entries.has(room.id)) continue;
          const entry = entryOf(room);
          this.entries.set(room.id, entry);
          // Messages that arrived while the room was being read and are newer than that read.
          for (const message of this.ports.timeline(room.id).messages) this.arrived(entry, message);
          this.follow(room.id, { seq: room.lastSeq, change: room.lastChange });
        }
      })
      .finally(() => (this.refreshing = null)));
  }

  async refreshRoom(roomId: string): Promise<void> {
    await this.ports.optional(async () => {
      const room = await this.ports.client.getRoom(roomId);
      const entry = this.entries.get(roomId);
      if (entry) Object.assign(entry, refreshedRoom(entry, room));
    });
  }

  /** My role may have changed (promoted, muted, removed): re-read my rooms. */
  async refreshRole(roomId: string): Promise<void> {
    await this.ports.optional(async () => {
      const role = membershipOf((await this.ports.client.me()).rooms, roomId);
      const entry = this.entries.get(roomId);
      if (role === 'gone') this.entries.delete(roomId);
      else if (entry) entry.role = role;
    });
  }

  /** Follows the room on the socket from `cursor`, unless this page follows it already. */
  private follow(roomId: string, cursor: { seq: number; change: number }): void {
    if (!this.ports.client.cursorOf(roomId)) this.ports.client.track(roomId, cursor);
  }
}
