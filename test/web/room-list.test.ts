/**
 * The list of my rooms (client/web/src/state/room-list.ts): rooms learned late are counted from
 * what this page already holds, followed on the socket once, and a room taken from me leaves a
 * notice until I am back.
 */
import { describe, expect, it } from 'vitest';
import { RoomList } from '../../client/web/src/state/room-list.ts';
import { createTimeline, mergeMessages, type Timeline } from '../../client/web/src/state/timeline.ts';
import type { MyRoomWithReadState, Room } from '../../shared/schemas.ts';
import { ME, message, room, ROOM } from './state-fixtures.ts';

const mine = (r: Room, fields: Partial<MyRoomWithReadState> = {}): MyRoomWithReadState =>
  ({ ...r, role: 'member', joinedAt: r.createdAt, notifications: 'all', lastReadSeq: r.lastSeq, unread: 0, unreadMentions: 0, badge: 0, ...fields }) as MyRoomWithReadState;

function list(server: { rooms: MyRoomWithReadState[] }) {
  const timelines = new Map<string, Timeline>();
  const followed = new Map<string, { seq: number; change?: number | null }>();
  const log: string[] = [];
  let meReads = 0;
  const rooms = new RoomList({
    client: {
      me: async () => (meReads++, { user: { id: ME }, rooms: server.rooms }),
      getRoom: async (roomId: string) => server.rooms.find((r) => r.id === roomId)!,
      cursorOf: (roomId: string) => followed.get(roomId) ?? null,
      track: (roomId: string, cursor: { seq: number; change?: number | null }) => void followed.set(roomId, cursor),
      untrack: (roomId: string) => void (followed.delete(roomId), log.push(`untrack ${roomId}`)),
    } as never,
    myId: () => ME,
    timeline: (roomId) => timelines.get(roomId) ?? timelines.set(roomId, createTimeline(roomId)).get(roomId)!,
    isReading: () => false,
    markReadSoon: () => void log.push('read'),
    forgotten: (roomId) => void log.push(`forgotten ${roomId}`),
    optional: async (work) => work(),
    changed: () => {},
  });
  return { rooms, timelines, followed, log, meReads: () => meReads };
}

describe('my room list', () => {
  it('a room learned late (joined elsewhere) counts the messages this page already had past its read, once, and is followed', async () => {
    const server = { rooms: [mine(room({ lastSeq: 3 }), { lastReadSeq: 2, unread: 1 })] };
    const { rooms, timelines, followed, meReads } = list(server);
    const tl = createTimeline(ROOM);
    mergeMessages(tl, [message(3), message(4), message(5)], ME);
    timelines.set(ROOM, tl);
    await Promise.all([rooms.refreshAll(), rooms.refreshAll()]);
    expect(meReads()).toBe(1);
    // seq 3 was counted by the server already; 4 and 5 arrived after that read.
    expect(rooms.entries.get(ROOM)).toMatchObject({ unread: 3, room: { lastSeq: 5 } });
    expect(followed.get(ROOM)).toEqual({ seq: 3, change: 0 });
    // Known now: a second refresh adds nothing and counts nothing again.
    await rooms.refreshAll();
    expect(rooms.entries.get(ROOM)?.unread).toBe(3);
  });

  it('a DM room adopted is read from seq 0 (its first message may be stored already), once', () => {
    const { rooms, followed } = list({ rooms: [] });
    const dm = room({ id: 'dm-1', kind: 'dm', lastSeq: 1, lastChange: 2 });
    rooms.adopt(dm);
    rooms.adopt({ ...dm, name: 'again' });
    expect(followed.get('dm-1')).toEqual({ seq: 0, change: 2 });
    expect(rooms.entries.get('dm-1')).toMatchObject({ role: 'member', lastReadSeq: 0, notifications: 'all', room: { kind: 'dm' } });
  });

  it('a room taken from me is forgotten and unfollowed with a notice; joining again clears it', () => {
    const { rooms, log } = list({ rooms: [] });
    rooms.load([mine(room({ name: 'Darkroom' }))]);
    rooms.removed(ROOM, 'banned');
    expect(rooms.entries.has(ROOM)).toBe(false);
    expect(log).toEqual([`forgotten ${ROOM}`, `untrack ${ROOM}`]);
    expect(rooms.notices).toMatchObject([{ kind: 'banned', roomId: ROOM, roomName: 'Darkroom' }]);
    // A removal from a room this page did not list leaves no notice.
    rooms.removed('unknown', 'kicked');
    expect(rooms.notices).toHaveLength(1);
    rooms.joined(room(), 'member');
    expect(rooms.notices).toEqual([]);
    expect(rooms.entries.get(ROOM)).toMatchObject({ unread: 0, lastReadSeq: 10 });
  });

  it('my role re-read: promoted, or gone from the list; a room re-read keeps the newest seq counted here', async () => {
    const server = { rooms: [mine(room({ lastSeq: 10, memberCount: 2 }))] };
    const { rooms } = list(server);
    rooms.load(server.rooms);
    rooms.arrived(rooms.entries.get(ROOM)!, message(11));
    server.rooms = [mine(room({ lastSeq: 10, memberCount: 3 }), { role: 'admin' })];
    await rooms.refreshRole(ROOM);
    await rooms.refreshRoom(ROOM);
    expect(rooms.entries.get(ROOM)).toMatchObject({ role: 'admin', unread: 1, room: { memberCount: 3, lastSeq: 11 } });
    server.rooms = [];
    await rooms.refreshRole(ROOM);
    expect(rooms.entries.has(ROOM)).toBe(false);
  });

  it('a read from another device moves the entry only forward', () => {
    const { rooms } = list({ rooms: [] });
    rooms.load([mine(room(), { lastReadSeq: 8, unread: 2 })]);
    rooms.readPosition({ roomId: ROOM, seq: 6, unread: 4, unreadMentions: 0, badge: 0 });
    expect(rooms.entries.get(ROOM)).toMatchObject({ lastReadSeq: 8, unread: 2 });
    rooms.readPosition({ roomId: ROOM, seq: 10, unread: 0, unreadMentions: 0, badge: 0 });
    expect(rooms.entries.get(ROOM)).toMatchObject({ lastReadSeq: 10, unread: 0 });
  });
});
