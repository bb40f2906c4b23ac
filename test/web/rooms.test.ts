/**
 * My rooms' entries (client/web/src/state/rooms.ts): what a live message, a read event and
 * reading the room do to the unread counts, and the order and title count the room list shows.
 */
import { describe, expect, it } from 'vitest';
import { arrival, byActivity, entryOf, membershipOf, readPositionChange, readUpTo, refreshedRoom, titleCount, UNREAD_LIMIT } from '../../client/web/src/state/rooms.ts';
import { createTimeline, mergeMessages } from '../../client/web/src/state/timeline.ts';
import type { MyRoom } from '../../shared/schemas.ts';
import { entry, ME, message, room, ROOM } from './state-fixtures.ts';

describe('a message arriving live', () => {
  it('counts once: one the entry already holds (read from the server after it was stored) is not counted again', () => {
    const e = entry({ unread: 2 }, { lastSeq: 10 });
    expect(arrival(e, message(10), ME, false)).toBeNull();
    expect(arrival(e, message(9), ME, false)).toBeNull();
    const counted = arrival(e, message(11), ME, false)!;
    expect(counted.change).toMatchObject({ unread: 3, room: { lastSeq: 11 } });
    expect(counted.change.unreadMentions).toBeUndefined();
    expect(counted.markRead).toBe(false);
  });

  it('moves the newest seq but counts nothing for my own messages and for system messages', () => {
    const e = entry();
    for (const m of [message(11, { sender: { id: ME, displayName: 'Me', kind: 'user' } }), message(11, { kind: 'system' })]) {
      const counted = arrival(e, m, ME, false)!;
      expect(counted.change).toEqual({ room: { ...e.room, lastSeq: 11 } });
      expect(counted.markRead).toBe(false);
    }
  });

  it('while I am reading the room it asks for a read rather than a count', () => {
    const counted = arrival(entry({ unread: 0 }), message(11), ME, true)!;
    expect(counted.markRead).toBe(true);
    expect(counted.change.unread).toBeUndefined();
  });

  it('@me always alerts; @all alerts unless the room is set to "none"; the counts stop at the limit', () => {
    expect(arrival(entry(), message(11, { mentions: [ME] }), ME, false)!.change.unreadMentions).toBe(1);
    expect(arrival(entry(), message(11, { mentionsAll: true }), ME, false)!.change.unreadMentions).toBe(1);
    expect(arrival(entry({ notifications: 'mentions' }), message(11, { mentionsAll: true }), ME, false)!.change.unreadMentions).toBe(1);
    const quiet = arrival(entry({ notifications: 'none' }), message(11, { mentionsAll: true }), ME, false)!;
    expect(quiet.change).toMatchObject({ unread: 1 });
    expect(quiet.change.unreadMentions).toBeUndefined();
    expect(arrival(entry({ notifications: 'none' }), message(11, { mentions: [ME] }), ME, false)!.change.unreadMentions).toBe(1);
    const full = arrival(entry({ unread: UNREAD_LIMIT, unreadMentions: UNREAD_LIMIT }), message(11, { mentions: [ME] }), ME, false)!;
    expect(full.change).toMatchObject({ unread: UNREAD_LIMIT, unreadMentions: UNREAD_LIMIT });
  });
});

describe('read positions', () => {
  it('from another device: the highest wins when two cross, an equal one brings the server’s counts', () => {
    const e = entry({ lastReadSeq: 8, unread: 2 });
    expect(readPositionChange(e, { roomId: ROOM, seq: 7, unread: 3, unreadMentions: 0, badge: 0 })).toBeNull();
    expect(readPositionChange(e, { roomId: ROOM, seq: 8, unread: 1, unreadMentions: 0, badge: 0 })).toEqual({ lastReadSeq: 8, unread: 1, unreadMentions: 0 });
    expect(readPositionChange(e, { roomId: ROOM, seq: 10, unread: 0, unreadMentions: 0, badge: 0 })).toEqual({ lastReadSeq: 10, unread: 0, unreadMentions: 0 });
  });

  it('reading here: nothing to mark in an empty room or one read to the end, else read up to the newest with nothing left', () => {
    expect(readUpTo(entry({ lastReadSeq: 0 }), 0)).toBeNull();
    expect(readUpTo(entry({ lastReadSeq: 10, unread: 0 }), 10)).toBeNull();
    // Read to the end but still counted unread (the counts came from elsewhere): cleared.
    expect(readUpTo(entry({ lastReadSeq: 10, unread: 2 }), 10)).toEqual({ lastReadSeq: 10, unread: 0, unreadMentions: 0 });
    expect(readUpTo(entry({ lastReadSeq: 4, unread: 6, unreadMentions: 1 }), 10)).toEqual({ lastReadSeq: 10, unread: 0, unreadMentions: 0 });
  });
});

describe('entries from the server', () => {
  it('a room of GET /v1/me keeps its read state; one from an older server without it reads as read to the end', () => {
    const mine = { ...room({ lastSeq: 12 }), role: 'admin', joinedAt: '2026-12-01T10:00:00.000Z', notifications: 'mentions' } as MyRoom;
    expect(entryOf({ ...mine, lastReadSeq: 9, unread: 3, unreadMentions: 1 })).toMatchObject({ role: 'admin', lastReadSeq: 9, unread: 3, unreadMentions: 1, notifications: 'mentions', room: { id: ROOM, lastSeq: 12 } });
    expect(entryOf(mine)).toMatchObject({ lastReadSeq: 12, unread: 0, unreadMentions: 0 });
  });

  it('a room re-read keeps the newest seq this page counted (newer ones still arrive live); my role, or gone', () => {
    const e = entry({}, { lastSeq: 15, name: 'Old' });
    expect(refreshedRoom(e, room({ lastSeq: 12, name: 'New', memberCount: 3 })).room).toMatchObject({ name: 'New', memberCount: 3, lastSeq: 15 });
    const mine = { ...room(), role: 'admin', joinedAt: '2026-12-01T10:00:00.000Z', notifications: 'all' } as MyRoom;
    expect(membershipOf([mine], ROOM)).toBe('admin');
    expect(membershipOf([], ROOM)).toBe('gone');
  });
});

describe('the room list', () => {
  it('orders by the newest known message, else by creation, newest first', () => {
    const quiet = entry({}, { id: 'a', createdAt: '2026-12-02T00:00:00.000Z' });
    const busy = entry({}, { id: 'b', createdAt: '2026-11-01T00:00:00.000Z' });
    const fresh = entry({}, { id: 'c', createdAt: '2026-12-03T12:00:00.000Z' });
    const tl = createTimeline('b');
    mergeMessages(tl, [message(1, { roomId: 'b', createdAt: '2026-12-04T09:00:00.000Z' })], ME);
    expect(byActivity([quiet, busy, fresh], new Map([['b', tl]])).map((e) => e.room.id)).toEqual(['b', 'c', 'a']);
    // Its messages unloaded (an empty timeline): by creation.
    expect(byActivity([quiet, busy, fresh], new Map([['b', createTimeline('b')]])).map((e) => e.room.id)).toEqual(['c', 'a', 'b']);
  });

  it('the title counts what the badges show: a room under do-not-disturb adds only what alerts', () => {
    expect(titleCount([entry({ unread: 3, unreadMentions: 1 }), entry({ unread: 5, unreadMentions: 2, notifications: 'none' }), entry({ unread: 4, notifications: 'mentions' })])).toBe(3 + 2 + 0);
    expect(titleCount([])).toBe(0);
  });
});
