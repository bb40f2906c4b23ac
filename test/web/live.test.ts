/**
 * The socket's stream into the page's parts (client/web/src/state/live.ts), with a client that
 * only emits and parts that only record: each event reaches the part that owns what it changes.
 */
import { describe, expect, it } from 'vitest';
import { followLive, TYPING_SHOWN_MS, type LiveParts } from '../../client/web/src/state/live.ts';
import { createTimeline, type Timeline } from '../../client/web/src/state/timeline.ts';
import type { Message } from '../../shared/schemas.ts';
import { entry, ME, message, OTHER, ROOM } from './state-fixtures.ts';

function stream(known = true) {
  const handlers = new Map<string, (...args: unknown[]) => void>();
  const client = { on: (name: string, handler: (...args: unknown[]) => void) => (handlers.set(name, handler), () => handlers.delete(name)) };
  const calls: string[] = [];
  const timelines = new Map<string, Timeline>();
  const record =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push(`${name} ${args.map((a) => (typeof a === 'object' ? JSON.stringify(a)?.slice(0, 40) : String(a))).join(' ')}`.trim());
  const entries = new Map(known ? [[ROOM, entry()]] : []);
  const parts = {
    myId: () => ME,
    timeline: (roomId: string) => timelines.get(roomId) ?? timelines.set(roomId, createTimeline(roomId)).get(roomId)!,
    merge: (roomId: string, messages: Message[]) => calls.push(`merge ${roomId} ${messages.map((m) => m.seq).join(',')}`),
    refreshMembership: record('membership'),
    setRequested: record('requested'),
    changed: () => calls.push('changed'),
    list: { entries, refreshAll: async () => void calls.push('rooms'), arrived: (_e: unknown, m: Message) => calls.push(`arrived ${m.seq}`), refreshRoom: async (id: string) => void calls.push(`room ${id}`), readPosition: record('read'), removed: record('removed') },
    staff: { refresh: record('staff') },
    details: { loadPins: async () => void calls.push('pins'), applyRecall: record('recall') },
    outbox: { rejectedInReview: record('rejected') },
    search: { update: record('search-update'), forget: record('search-forget') },
    community: { onMessage: () => {}, applyChange: () => {}, forgetRoom: record('forget-community'), heldChanged: record('held'), lineDecided: record('line'), onRsvpNotice: record('rsvp') },
    dms: { onRequest: record('dm-request'), onOpened: record('dm-opened') },
    people: { applyNotifications: record('notifications') },
  } as unknown as LiveParts;
  const offs = followLive(client as never, parts);
  const emit = (name: string, ...args: unknown[]) => handlers.get(name)!(...args);
  return { emit, calls, timelines, offs, handlers };
}

describe('the live stream', () => {
  it('a message in a listed room is merged, counted, its typing notice cleared, and its follow-ups asked for', () => {
    const { emit, calls, timelines } = stream();
    emit('event', 'typing', { roomId: ROOM, user: { id: OTHER, displayName: 'Bo' } });
    expect(timelines.get(ROOM)!.typing.get(OTHER)?.name).toBe('Bo');
    expect(timelines.get(ROOM)!.typing.get(OTHER)!.until).toBeGreaterThan(Date.now() + TYPING_SHOWN_MS - 1_000);
    calls.length = 0;
    emit('message', message(11, { kind: 'system', sender: { id: OTHER, displayName: 'Bo', kind: 'user' }, data: { event: 'member.joined' } as Message['data'] }));
    expect(calls).toEqual([`merge ${ROOM} 11`, 'arrived 11', `membership ${ROOM}`, `room ${ROOM}`, `staff ${ROOM} 300`, 'changed']);
    expect(timelines.get(ROOM)!.typing.has(OTHER)).toBe(false);
  });

  it('a message in a room this page does not list makes it read my rooms again', () => {
    const { emit, calls } = stream(false);
    emit('message', message(3));
    expect(calls).toEqual([`merge ${ROOM} 3`, 'rooms', 'changed']);
  });

  it('a sync reset replaces the timeline and drops the cards’ state, then merges the new page', () => {
    const { emit, calls, timelines } = stream();
    emit('reset', { roomId: ROOM, messages: [message(40), message(41)], hasMore: true });
    expect(calls).toEqual([`forget-community ${ROOM}`, `merge ${ROOM} 40,41`]);
    expect(timelines.get(ROOM)!.messages.map((m) => m.seq)).toEqual([40, 41]);
  });

  it('an edit updates search results, a recall drops from them; a pin change reloads the pins', () => {
    const { emit, calls } = stream();
    const at = '2026-12-03T10:00:00.000Z';
    emit('change', { roomId: ROOM, position: 1, kind: 'edit', payload: { message: message(5, { text: 'fixed' }) }, createdAt: at });
    emit('change', { roomId: ROOM, position: 2, kind: 'recall', payload: { seq: 5, recalledAt: at, recalledBy: OTHER }, createdAt: at });
    expect(calls.filter((c) => c.startsWith('search'))).toEqual([expect.stringMatching(/^search-update /), `search-forget ${ROOM} 5`]);
  });

  it('live events go to their owners and change the page once; an unused one changes nothing', () => {
    const { emit, calls } = stream();
    emit('event', 'join:decided', { roomId: ROOM, requestId: 'r', status: 'approved' });
    expect(calls).toEqual([`requested ${ROOM} false`, 'rooms', 'changed']);
    calls.length = 0;
    emit('event', 'review:decided', { roomId: ROOM, kind: 'held', heldId: 'h', clientMsgId: 'c1', status: 'rejected' });
    expect(calls).toEqual([`staff ${ROOM} 150`, `rejected ${ROOM} c1`, 'changed']);
    calls.length = 0;
    emit('event', 'member:muted', { roomId: ROOM, until: null, reason: '' });
    emit('event', 'typing', { roomId: ROOM, user: { id: ME, displayName: 'Me' } });
    expect(calls).toEqual([]);
  });

  it('unsubscribes everything it subscribed', () => {
    const { offs, handlers } = stream();
    expect([...handlers.keys()].sort()).toEqual(['change', 'event', 'message', 'removed', 'reset']);
    for (const off of offs) off();
    expect(handlers.size).toBe(0);
  });
});
