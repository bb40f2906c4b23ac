/**
 * My join requests waiting for the staff (client/web/src/state/join-requests.ts), kept per user
 * in the page's storage, and the notices of rooms taken from me (notices.ts).
 */
import { describe, expect, it } from 'vitest';
import { JoinRequests, parseRequested, requestedKey } from '../../client/web/src/state/join-requests.ts';
import { addNotice, clearRoom, dismissNotice, removalReason } from '../../client/web/src/state/notices.ts';
import { ME, memoryStorage, OTHER } from './state-fixtures.ts';

describe('join requests', () => {
  it('survive a reload for the same user, and are not another user’s on the same browser', () => {
    const storage = memoryStorage();
    const before = new JoinRequests(storage);
    before.open(ME);
    expect(before.set('room-a', true)).toBe(true);
    expect(before.set('room-b', true)).toBe(true);
    const after = new JoinRequests(storage);
    after.open(ME);
    expect([after.has('room-a'), after.has('room-b')]).toEqual([true, true]);
    const someoneElse = new JoinRequests(storage);
    someoneElse.open(OTHER);
    expect(someoneElse.has('room-a')).toBe(false);
  });

  it('a decided request is forgotten, here and in storage; forgetting one never asked changes nothing', () => {
    const storage = memoryStorage();
    const requests = new JoinRequests(storage);
    requests.open(ME);
    requests.set('room-a', true);
    expect(requests.set('room-a', false)).toBe(true);
    expect(requests.has('room-a')).toBe(false);
    expect(JSON.parse(storage.items.get(requestedKey(ME))!)).toEqual([]);
    expect(requests.set('room-z', false)).toBe(false);
  });

  it('storage that is missing, refuses, or holds junk leaves what the page saw itself', () => {
    expect(parseRequested('{not json')).toEqual([]);
    expect(parseRequested('{"a":1}')).toEqual([]);
    expect(parseRequested('["room-a", 7, null, "room-b"]')).toEqual(['room-a', 'room-b']);
    expect(parseRequested(null)).toEqual([]);

    const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); }, removeItem: () => {} };
    for (const storage of [null, refusing]) {
      const requests = new JoinRequests(storage);
      requests.open(ME);
      expect(requests.set('room-a', true)).toBe(true);
      expect(requests.has('room-a')).toBe(true);
    }
  });
});

describe('notices of rooms taken from me', () => {
  it('one per room, the newest last; dismissed by id; cleared when I am back in the room', () => {
    let notices = addNotice([], { id: 1, kind: 'kicked', roomId: 'a', roomName: 'A' });
    notices = addNotice(notices, { id: 2, kind: 'banned', roomId: 'b', roomName: 'B' });
    notices = addNotice(notices, { id: 3, kind: 'banned', roomId: 'a', roomName: 'A' });
    expect(notices.map((n) => [n.id, n.roomId, n.kind])).toEqual([
      [2, 'b', 'banned'],
      [3, 'a', 'banned'],
    ]);
    expect(dismissNotice(notices, 2).map((n) => n.id)).toEqual([3]);
    expect(clearRoom(notices, 'a').map((n) => n.id)).toEqual([2]);
  });

  it('a reason this page does not know reads as the plainest', () => {
    expect([removalReason('banned'), removalReason('dissolved'), removalReason('kicked'), removalReason('archived'), removalReason(undefined)]).toEqual(['banned', 'dissolved', 'kicked', 'kicked', 'kicked']);
  });
});
