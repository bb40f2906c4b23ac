/**
 * What each live socket event means for the page (client/web/src/state/live-events.ts): the one
 * table from an event to the steps the store carries out, and what a stored system message asks
 * to be read again.
 */
import { describe, expect, it } from 'vitest';
import type { ClientEvents } from '../../client/sdk/index.ts';
import type { Message } from '../../shared/schemas.ts';
import { followUpsOf, stepsOf } from '../../client/web/src/state/live-events.ts';
import { EVENT_LOOK_DELAY_MS, JOINED_LOOK_DELAY_MS } from '../../client/web/src/state/staff-queues.ts';
import { ME, message, OTHER, room, ROOM } from './state-fixtures.ts';

const ev = (...event: unknown[]) => event as ClientEvents['event'];
const staffLook = { do: 'count-staff-queue', roomId: ROOM, delayMs: EVENT_LOOK_DELAY_MS };

describe('live events', () => {
  it('my own typing is not shown back to me; someone else’s is, under their name', () => {
    expect(stepsOf(ev('typing', { roomId: ROOM, user: { id: ME, displayName: 'Me' } }), ME)).toEqual([]);
    expect(stepsOf(ev('typing', { roomId: ROOM, user: { id: OTHER, displayName: 'Bo' } }), ME)).toEqual([{ do: 'typing', roomId: ROOM, userId: OTHER, name: 'Bo' }]);
  });

  it('a removal keeps its reason, and one a newer server adds reads as the plainest', () => {
    expect(stepsOf(ev('room:removed', { roomId: ROOM, reason: 'banned' }), ME)).toEqual([{ do: 'remove-room', roomId: ROOM, reason: 'banned' }]);
    expect(stepsOf(ev('room:removed', { roomId: ROOM, reason: 'dissolved' }), ME)).toEqual([{ do: 'remove-room', roomId: ROOM, reason: 'dissolved' }]);
    expect(stepsOf(ev('room:removed', { roomId: ROOM, reason: 'archived' }), ME)).toEqual([{ do: 'remove-room', roomId: ROOM, reason: 'kicked' }]);
  });

  it('what the staff must decide is counted again a little later, so a burst is one look', () => {
    expect(stepsOf(ev('join:requested', { roomId: ROOM, request: {} }), ME)).toEqual([staffLook]);
    expect(stepsOf(ev('review:new', { roomId: ROOM, kind: 'report', seq: 3 }), ME)).toEqual([staffLook]);
    expect(stepsOf(ev('review:new', { roomId: ROOM, kind: 'signupEntry', signupId: 's1', userId: OTHER }), ME)).toEqual([staffLook, { do: 'signup-held-changed', signupId: 's1' }]);
  });

  it('a held message approved joins the timeline; rejected, my pending copy says so; other decisions only recount', () => {
    const approved = message(12);
    expect(stepsOf(ev('review:decided', { roomId: ROOM, kind: 'held', heldId: 'h', clientMsgId: 'c1', status: 'approved', message: approved }), ME)).toEqual([staffLook, { do: 'merge', roomId: ROOM, message: approved }]);
    expect(stepsOf(ev('review:decided', { roomId: ROOM, kind: 'held', heldId: 'h', clientMsgId: 'c1', status: 'rejected' }), ME)).toEqual([staffLook, { do: 'rejected-in-review', roomId: ROOM, clientMsgId: 'c1' }]);
    // Approved, but the event to the staff carried no message (it arrives as `message` anyway).
    expect(stepsOf(ev('review:decided', { roomId: ROOM, kind: 'held', heldId: 'h', clientMsgId: 'c1', status: 'approved' }), ME)).toEqual([staffLook]);
    expect(stepsOf(ev('review:decided', { roomId: ROOM, kind: 'report', seq: 3, status: 'removed' }), ME)).toEqual([staffLook]);
  });

  it('a 接龙 line decided: the card is looked at again, and when the line is mine I am told', () => {
    const line = (userId: string) => ev('review:decided', { roomId: ROOM, kind: 'signupEntry', signupId: 's1', userId, status: 'approved' });
    expect(stepsOf(line(ME), ME)).toEqual([staffLook, { do: 'my-line-decided', signupId: 's1' }, { do: 'signup-held-changed', signupId: 's1' }]);
    expect(stepsOf(line(OTHER), ME)).toEqual([staffLook, { do: 'signup-held-changed', signupId: 's1' }]);
  });

  it('my join request decided: no longer waiting, and approved it adds the room', () => {
    expect(stepsOf(ev('join:decided', { roomId: ROOM, requestId: 'r', status: 'approved' }), ME)).toEqual([{ do: 'request-decided', roomId: ROOM, approved: true }]);
    expect(stepsOf(ev('join:decided', { roomId: ROOM, requestId: 'r', status: 'rejected' }), ME)).toEqual([{ do: 'request-decided', roomId: ROOM, approved: false }]);
  });

  it('passes the rest to their owners, and an event this page does not use changes nothing', () => {
    const dm = room({ kind: 'dm' });
    expect(stepsOf(ev('dm:opened', { room: dm, peerIds: [ME, OTHER] }), ME)).toEqual([{ do: 'dm-opened', room: dm, peerIds: [ME, OTHER] }]);
    expect(stepsOf(ev('member:notifications', { roomId: ROOM, mode: 'none' }), ME)).toEqual([{ do: 'notifications', roomId: ROOM, mode: 'none' }]);
    expect(stepsOf(ev('presence', { roomId: ROOM, userId: OTHER, online: false }), ME)).toEqual([{ do: 'presence', roomId: ROOM, userId: OTHER, online: false }]);
    expect(stepsOf(ev('member:muted', { roomId: ROOM, until: null, reason: '' }), ME)).toEqual([]);
  });

  it('a meetup: a reminder pops up; a decision on a proposal moves the staff list, and tells me when the proposal is mine', () => {
    const reminder = { roomId: ROOM, eventId: 'e1', title: 'Night walk', startsAt: '2026-12-05T10:00:00.000Z', before: '1h', place: { name: 'Bund' } };
    expect(stepsOf(ev('event:reminder', reminder), ME)).toEqual([{ do: 'meetup-reminder', reminder }]);
    expect(stepsOf(ev('review:new', { roomId: ROOM, kind: 'eventProposal', eventId: 'e1', title: 'Night walk', userId: OTHER }), ME)).toEqual([staffLook, { do: 'proposals-moved', roomId: ROOM }]);
    const decided = (userId: string) => ({ roomId: ROOM, kind: 'eventProposal', eventId: 'e1', title: 'Night walk', userId, status: 'rejected', reason: 'too late' });
    expect(stepsOf(ev('review:decided', decided(ME)), ME)).toEqual([staffLook, { do: 'proposals-moved', roomId: ROOM }, { do: 'my-proposal-decided', decided: decided(ME) }]);
    expect(stepsOf(ev('review:decided', decided(OTHER)), ME)).toEqual([staffLook, { do: 'proposals-moved', roomId: ROOM }]);
  });
});

describe('what a stored message asks to be read again', () => {
  const system = (event: string) => message(5, { kind: 'system', sender: null, data: { event } as Message['data'] });

  it('membership events: my role and the member list; comings and goings: also the room (its member count)', () => {
    expect(followUpsOf(system('member.joined'))).toEqual({ membership: true, room: true, staffQueueDelayMs: JOINED_LOOK_DELAY_MS });
    expect(followUpsOf(system('member.muted'))).toEqual({ membership: true, room: false, staffQueueDelayMs: null });
    expect(followUpsOf(system('member.banned'))).toEqual({ membership: true, room: true, staffQueueDelayMs: null });
    expect(followUpsOf(system('role.changed'))).toEqual({ membership: true, room: false, staffQueueDelayMs: null });
    expect(followUpsOf(system('owner.transferred'))).toEqual({ membership: true, room: false, staffQueueDelayMs: null });
    expect(followUpsOf(system('room.updated'))).toEqual({ membership: false, room: true, staffQueueDelayMs: null });
  });

  it('a text message asks for nothing, even one whose data looks like an event', () => {
    expect(followUpsOf(message(5, { data: { event: 'member.joined' } as Message['data'] }))).toEqual({ membership: false, room: false, staffQueueDelayMs: null });
  });
});
