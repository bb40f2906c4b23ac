/**
 * Meetups members propose and staff approve, through HTTP and Socket.IO: off by default (403 as
 * before), a room setting owner and admins turn on; a proposal has no card, no RSVPs, no place in
 * the upcoming list and no reminders, and only staff and the proposer see it; staff hear of it
 * (`review:new`), approve it (the card appears as the proposer's, reminders scheduled) or reject
 * it with a reason, and the proposer is told either way (`review:decided`). Bad input is coded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, sleep, waitFor, type LiveClient, type TestUser } from '../helpers/clients.ts';
import { castRoom, type Cast } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { MEETUP_REMINDER_TICK_MS: '100' } });
});
afterAll(() => server?.close());

const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
const propose = (user: TestUser, roomId: string, body: Record<string, unknown> = {}) =>
  call(server.url, 'POST', `/v1/rooms/${roomId}/events`, { token: user.token, body: { title: 'Dumpling night 包饺子', startsAt: inHours(48), place: { name: 'a community kitchen', detail: 'Unit 5, 12 Anfu Rd' }, ...body } });
const list = async (user: TestUser, roomId: string, query = '') => (await call(server.url, 'GET', `/v1/rooms/${roomId}/events${query}`, { token: user.token })).body;
const decide = (user: TestUser, eventId: string, verb: 'approve' | 'reject', body?: unknown) =>
  call(server.url, 'POST', `/v1/events/${eventId}/${verb}`, { token: user.token, ...(body === undefined ? {} : { body }) });

async function proposingRoom(members: number): Promise<Cast> {
  const cast = await castRoom(server.url, { admins: 1, members });
  expect((await call(server.url, 'PUT', `/v1/rooms/${cast.room.id}/safety`, { token: cast.owner.token, body: { probationSeconds: 0 } })).status).toBe(200);
  return cast;
}

function heard(live: LiveClient, name: string): any[] {
  const seen: any[] = [];
  live.socket.on(name, (payload: any) => seen.push(payload));
  return seen;
}

describe('members propose meetups, staff approve', () => {
  it('off by default; the owner turns it on; the proposal is the staff’s and the proposer’s alone until approved, then a card as the proposer’s', async () => {
    const { room, owner, admins, members } = await proposingRoom(2);
    const [mei, lin] = members as [TestUser, TestUser];
    expect(room.membersProposeEvents).toBe(false);
    const refused = await propose(mei, room.id);
    expect([refused.status, refused.body.error.code, refused.body.error.details.action]).toEqual([403, 'FORBIDDEN', 'event.create']);
    // Only staff change the setting.
    expect((await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: mei.token, body: { membersProposeEvents: true } })).body.error.code).toBe('FORBIDDEN');
    const turnedOn = await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: admins[0]!.token, body: { membersProposeEvents: true } });
    expect(turnedOn.body.room.membersProposeEvents).toBe(true);

    const adminLive = await connect(server.url, admins[0]!.token);
    const meiLive = await connect(server.url, mei.token);
    const linLive = await connect(server.url, lin.token);
    const staffNews = heard(adminLive, 'review:new');
    const staffDecided = heard(adminLive, 'review:decided');
    const meiDecided = heard(meiLive, 'review:decided');
    const linDecided = heard(linLive, 'review:decided');
    const linChanges = heard(linLive, 'room:change');
    try {
      const proposed = await propose(mei, room.id, { capacity: 6 });
      expect(proposed.status).toBe(201);
      const event = proposed.body.event;
      expect(event).toMatchObject({ status: 'proposed', createdBy: { id: mei.id }, going: 0 });
      await waitFor(() => staffNews.length > 0, 5000, 'the staff notice');
      expect(staffNews[0]).toEqual({ roomId: room.id, kind: 'eventProposal', eventId: event.id, title: 'Dumpling night 包饺子', userId: mei.id });

      // Not the room's yet: no card, not listed, not readable, not RSVP-able.
      await sleep(300);
      expect(linLive.received.some((m) => m.id === event.messageId)).toBe(false);
      expect((await list(lin, room.id, '?upcoming=true')).events).toEqual([]);
      expect((await list(lin, room.id, '?status=proposed')).events).toEqual([]);
      expect((await call(server.url, 'GET', `/v1/events/${event.id}`, { token: lin.token })).body.error.code).toBe('EVENT_NOT_FOUND');
      expect((await call(server.url, 'POST', `/v1/events/${event.id}/rsvp`, { token: lin.token, body: { going: true, checklistSeen: true } })).body.error.code).toBe('EVENT_NOT_FOUND');
      const ownRsvp = await call(server.url, 'POST', `/v1/events/${event.id}/rsvp`, { token: mei.token, body: { going: true, checklistSeen: true } });
      expect([ownRsvp.status, ownRsvp.body.error.code]).toEqual([409, 'EVENT_NOT_APPROVED']);
      expect((await call(server.url, 'POST', `/v1/events/${event.id}/cancel`, { token: owner.token })).body.error.code).toBe('EVENT_NOT_APPROVED');
      // The proposer and the staff see it waiting; the staff see the exact place to judge it.
      expect((await list(mei, room.id, '?status=proposed')).events.map((e: any) => [e.id, e.status])).toEqual([[event.id, 'proposed']]);
      expect((await list(owner, room.id, '?status=proposed&upcoming=true')).events.map((e: any) => [e.id, e.place.detail])).toEqual([[event.id, 'Unit 5, 12 Anfu Rd']]);
      expect((await call(server.url, 'GET', `/v1/events/${event.id}`, { token: admins[0]!.token })).body.event.place.detail).toBe('Unit 5, 12 Anfu Rd');
      // A member decides nothing, not even their own proposal.
      expect((await decide(mei, event.id, 'approve')).body.error).toMatchObject({ code: 'FORBIDDEN', details: { action: 'event.review' } });

      const approved = await decide(owner, event.id, 'approve');
      expect(approved.status).toBe(200);
      expect(approved.body.event).toMatchObject({ id: event.id, status: 'scheduled', createdBy: { id: mei.id } });
      await waitFor(() => linLive.received.some((m) => m.id === event.messageId), 5000, 'the card');
      const cardMessage = linLive.received.find((m) => m.id === event.messageId)!;
      expect(cardMessage).toMatchObject({ kind: 'event', sender: { id: mei.id }, data: { event: 'event', meetup: { id: event.id, status: 'scheduled' } } });
      expect(JSON.stringify(cardMessage)).not.toContain('Unit 5');
      await waitFor(() => meiDecided.length > 0 && staffDecided.length > 0, 5000, 'the decision notices');
      expect(meiDecided[0]).toEqual({ roomId: room.id, kind: 'eventProposal', eventId: event.id, title: 'Dumpling night 包饺子', userId: mei.id, status: 'approved' });
      expect(linDecided).toEqual([]);
      expect(linChanges.filter((c) => c.kind === 'event')).toEqual([]);

      // Now it is a meetup like any.
      expect((await list(lin, room.id, '?upcoming=true')).events.map((e: any) => e.id)).toEqual([event.id]);
      expect((await list(owner, room.id, '?status=proposed')).events).toEqual([]);
      expect((await call(server.url, 'POST', `/v1/events/${event.id}/rsvp`, { token: lin.token, body: { going: true, checklistSeen: true } })).body.rsvp.status).toBe('confirmed');
      const again = await decide(admins[0]!, event.id, 'reject');
      expect([again.status, again.body.error.code, again.body.error.details.status]).toEqual([409, 'EVENT_NOT_PROPOSED', 'scheduled']);
      const audit = (await call(server.url, 'GET', `/v1/rooms/${room.id}/audit`, { token: owner.token })).body.entries.map((e: any) => e.action);
      expect(audit).toEqual(expect.arrayContaining(['event.propose', 'event.approve']));
    } finally {
      adminLive.close();
      meiLive.close();
      linLive.close();
    }
  });

  it('rejected with a reason: the proposer is told why, the room never hears of it; a text the safety rules refuse is refused at proposal time', async () => {
    const { room, owner, members } = await proposingRoom(2);
    const [mei, lin] = members as [TestUser, TestUser];
    await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { membersProposeEvents: true } });
    const meiLive = await connect(server.url, mei.token);
    const linLive = await connect(server.url, lin.token);
    const meiDecided = heard(meiLive, 'review:decided');
    try {
      const event = (await propose(mei, room.id)).body.event;
      const rejected = await decide(owner, event.id, 'reject', { reason: 'We already have one that weekend' });
      expect(rejected.body.event).toMatchObject({ status: 'rejected', rejectReason: 'We already have one that weekend' });
      await waitFor(() => meiDecided.length > 0, 5000, 'the rejection notice');
      expect(meiDecided[0]).toMatchObject({ kind: 'eventProposal', eventId: event.id, status: 'rejected', reason: 'We already have one that weekend' });
      expect((await decide(owner, event.id, 'approve')).body.error.code).toBe('EVENT_NOT_PROPOSED');
      expect((await list(mei, room.id, '?status=proposed')).events).toEqual([]);
      expect((await call(server.url, 'GET', `/v1/events/${event.id}`, { token: mei.token })).body.event).toMatchObject({ status: 'rejected', rejectReason: 'We already have one that weekend' });
      await sleep(300);
      expect(linLive.received.some((m) => m.id === event.messageId)).toBe(false);
      const audit = (await call(server.url, 'GET', `/v1/rooms/${room.id}/audit`, { token: owner.token })).body.entries.find((e: any) => e.action === 'event.reject');
      expect(audit).toMatchObject({ targetUserId: mei.id, reason: 'We already have one that weekend' });

      // An empty body rejects without a reason.
      const second = (await propose(mei, room.id)).body.event;
      expect((await decide(owner, second.id, 'reject')).body.event).toMatchObject({ status: 'rejected', rejectReason: null });

      // Every text passes the safety rules when it is proposed.
      const scam = await propose(mei, room.id, { description: '加V xiutu888 日入三百' });
      expect(scam.body.error).toMatchObject({ code: 'BLOCKED_BY_SAFETY', details: { field: 'body.description' } });
      expect((await list(owner, room.id, '?status=proposed')).events).toEqual([]);
    } finally {
      meiLive.close();
      linLive.close();
    }
  });

  it('an approved proposal gets its reminders like any meetup; a proposal gets none', async () => {
    const { room, owner, members } = await proposingRoom(1);
    const mei = members[0]!;
    await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { membersProposeEvents: true } });
    const meiLive = await connect(server.url, mei.token);
    const reminders = heard(meiLive, 'event:reminder');
    try {
      // Due 1.5 s after it is proposed: while it waits, nothing is sent.
      const event = (await propose(mei, room.id, { startsAt: new Date(Date.now() + 3600_000 + 1500).toISOString() })).body.event;
      await sleep(2000);
      expect(meiLive.received.some((m) => m.data?.event === 'event.reminder')).toBe(false);
      // Approved after its 1 h mark: that reminder has passed and is not sent late.
      expect((await decide(owner, event.id, 'approve')).status).toBe(200);
      const soon = (await propose(mei, room.id, { startsAt: new Date(Date.now() + 3600_000 + 2500).toISOString() })).body.event;
      expect((await decide(owner, soon.id, 'approve')).status).toBe(200);
      expect((await call(server.url, 'POST', `/v1/events/${soon.id}/rsvp`, { token: mei.token, body: { going: true, checklistSeen: true } })).body.rsvp.status).toBe('confirmed');
      await waitFor(() => reminders.length > 0, 10_000, 'the reminder of the approved meetup');
      expect(reminders.map((r) => [r.eventId, r.before])).toEqual([[soon.id, '1h']]);
      await sleep(500);
      const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
      expect(history.body.messages.filter((m: any) => m.data?.event === 'event.reminder').map((m: any) => m.data.eventId)).toEqual([soon.id]);
    } finally {
      meiLive.close();
    }
  });

  it('bad input: coded errors, nothing changed', async () => {
    const { room, owner, admins, members } = await proposingRoom(1);
    const mei = members[0]!;
    await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { membersProposeEvents: true } });
    expect((await propose(mei, room.id, { startsAt: inHours(-1) })).body.error.code).toBe('TIME_IN_PAST');
    expect((await propose(mei, room.id, { capacity: 99_999 })).body.error.code).toBe('CAPACITY_TOO_LARGE');
    expect((await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { membersProposeEvents: 'yes' } })).body.error.code).toBe('VALIDATION_FAILED');
    // A muted member proposes nothing, as they say nothing.
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/members/${mei.id}/mute`, { token: owner.token, body: {} })).status).toBe(200);
    expect((await propose(mei, room.id)).body.error.code).toBe('MUTED');
    await call(server.url, 'DELETE', `/v1/rooms/${room.id}/members/${mei.id}/mute`, { token: owner.token });
    const event = (await propose(mei, room.id)).body.event;
    expect((await decide(owner, '00000000-0000-4000-8000-000000000000', 'approve')).body.error.code).toBe('EVENT_NOT_FOUND');
    expect((await decide(owner, event.id, 'reject', { reason: 'x'.repeat(501) })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await decide(owner, event.id, 'reject', { why: 'no' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/events?status=cancelled`, { token: owner.token })).body.error.code).toBe('VALIDATION_FAILED');
    // Two staff deciding at once: one decision, the other told it is taken (the meetup's row lock).
    const raced = (await propose(mei, room.id)).body.event;
    const answers = await Promise.all([decide(owner, raced.id, 'approve'), decide(admins[0]!, raced.id, 'reject', { reason: 'no' })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error.code).toBe('EVENT_NOT_PROPOSED');
    const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
    expect(history.body.messages.filter((m: any) => m.id === raced.messageId)).toHaveLength(answers[0]!.status === 200 ? 1 : 0);
    // Its proposer gone, a proposal is not posted in their name; it may still be turned down.
    const leaver = (await castRoom(server.url)).owner;
    await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: leaver.token });
    const orphan = (await propose(leaver, room.id)).body.event;
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/leave`, { token: leaver.token })).status).toBe(204);
    expect((await decide(owner, orphan.id, 'approve')).body.error).toMatchObject({ code: 'TARGET_NOT_MEMBER', details: { userId: leaver.id } });
    expect((await decide(owner, orphan.id, 'reject')).body.event.status).toBe('rejected');
    // Staff meetups are never proposals, whatever the setting.
    expect((await propose(admins[0]!, room.id)).body.event.status).toBe('scheduled');
    // The setting turned off: members are refused again; what waits stays for staff to decide.
    await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { membersProposeEvents: false } });
    expect((await propose(mei, room.id)).body.error.code).toBe('FORBIDDEN');
    expect((await list(owner, room.id, '?status=proposed')).events.map((e: any) => [e.id, e.status])).toEqual([[event.id, 'proposed']]);
  });
});
