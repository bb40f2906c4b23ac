/**
 * Meetups through HTTP and Socket.IO: the card without the exact place, RSVPs against the cap,
 * the waitlist promoted automatically with the promoted member told at once, place.detail only
 * for confirmed attendees and staff (never in history, sync or the feed), the safety checklist
 * seen once, no RSVP on probation, cancelling, "home safe", a reminder, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, signUp, sleep, waitFor, type LiveClient, type TestUser } from '../helpers/clients.ts';
import { castRoom, type Cast } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { MEETUP_REMINDER_TICK_MS: '100' } });
});
afterAll(() => server?.close());

const DETAIL = 'Room 302, 18 Yuyuan Rd — ring twice';
const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
const create = (token: string, roomId: string, body: Record<string, unknown>) =>
  call(server.url, 'POST', `/v1/rooms/${roomId}/events`, { token, body: { title: 'Board games 桌游', startsAt: inHours(48), place: { name: "a café near Jing'an Temple", area: 'Jing’an', detail: DETAIL }, ...body } });
const rsvp = (user: TestUser, eventId: string, going: boolean, checklistSeen?: boolean) =>
  call(server.url, 'POST', `/v1/events/${eventId}/rsvp`, { token: user.token, body: checklistSeen === undefined ? { going } : { going, checklistSeen } });
const view = async (user: TestUser, eventId: string) => (await call(server.url, 'GET', `/v1/events/${eventId}`, { token: user.token })).body;

async function settledRoom(members: number): Promise<Cast> {
  const cast = await castRoom(server.url, { admins: 1, members });
  expect((await call(server.url, 'PUT', `/v1/rooms/${cast.room.id}/safety`, { token: cast.owner.token, body: { probationSeconds: 0 } })).status).toBe(200);
  return cast;
}

function notices(live: LiveClient, name: string): any[] {
  const seen: any[] = [];
  live.socket.on(name, (payload: any) => seen.push(payload));
  return seen;
}

describe('meetups', () => {
  it('a one-place meetup: confirmed, waitlisted, promoted live when the first cancels; the address only for the confirmed', async () => {
    const { room, owner, admins, members } = await settledRoom(3);
    const [mei, lin, kai] = members as [TestUser, TestUser, TestUser];
    const linLive = await connect(server.url, lin.token);
    const kaiLive = await connect(server.url, kai.token);
    const linNotices = notices(linLive, 'event:rsvp');
    const kaiChanges = notices(kaiLive, 'room:change');
    try {
      const created = await create(owner.token, room.id, { capacity: 1, description: 'Bring your favourite game' });
      expect(created.status).toBe(201);
      const event = created.body.event;
      expect(event).toMatchObject({ title: 'Board games 桌游', capacity: 1, going: 0, waiting: 0, place: { name: "a café near Jing'an Temple", area: 'Jing’an' } });
      expect(event.place.detail).toBeUndefined();
      await waitFor(() => kaiLive.received.some((m) => m.id === event.messageId), 5000, 'the card');
      expect(kaiLive.received.find((m) => m.id === event.messageId)).toMatchObject({ kind: 'event', data: { event: 'event', meetup: { id: event.id } } });

      // The checklist first, once.
      const ask = await rsvp(mei, event.id, true);
      expect([ask.status, ask.body.error.code]).toEqual([409, 'SAFETY_CHECKLIST_REQUIRED']);
      expect(ask.body.error.details.checklist).toContain('Meet in a public place.');
      const mine = await rsvp(mei, event.id, true, true);
      expect(mine.body.rsvp).toEqual({ status: 'confirmed' });
      expect(mine.body.event.place.detail).toBe(DETAIL);
      expect((await view(mei, event.id)).checklistSeen).toBe(true);

      const waiting = await rsvp(lin, event.id, true, true);
      expect(waiting.body.rsvp).toEqual({ status: 'waitlisted', waitlistPosition: 1 });
      expect(waiting.body.event.place.detail).toBeUndefined();
      expect((await rsvp(kai, event.id, true, true)).body.rsvp).toEqual({ status: 'waitlisted', waitlistPosition: 2 });
      const seenByLin = await view(lin, event.id);
      expect(seenByLin.event.place.detail).toBeUndefined();
      expect(seenByLin.rsvp).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
      expect(seenByLin.attendees.map((a: any) => [a.user.id, a.status, a.waitlistPosition ?? null])).toEqual([
        [mei.id, 'confirmed', null],
        [lin.id, 'waitlisted', 1],
        [kai.id, 'waitlisted', 2],
      ]);
      expect((await view(admins[0]!, event.id)).event.place.detail).toBe(DETAIL);

      // Mei cannot come: Lin is promoted and told at once, with the address.
      expect((await rsvp(mei, event.id, false)).body.rsvp).toEqual({ status: 'declined' });
      await waitFor(() => linNotices.length > 0, 5000, 'the promotion notice');
      expect(linNotices[0]).toMatchObject({ roomId: room.id, eventId: event.id, status: 'confirmed', reason: 'promoted', place: { detail: DETAIL } });
      const promoted = await view(lin, event.id);
      expect([promoted.rsvp.status, promoted.event.place.detail, promoted.event.going, promoted.event.waiting]).toEqual(['confirmed', DETAIL, 1, 1]);
      expect((await view(mei, event.id)).event.place.detail).toBeUndefined();
      expect((await view(kai, event.id)).rsvp).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

      // The exact place is nowhere else: not in history, the feed, sync or the audit log.
      await waitFor(() => kaiChanges.filter((c) => c.kind === 'event').length >= 4, 5000, 'the RSVP changes');
      const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
      const sync = await kaiLive.emitAck('sync', { cursors: { [room.id]: { seq: 0, change: 0 } } });
      const audit = await call(server.url, 'GET', `/v1/rooms/${room.id}/audit`, { token: owner.token });
      for (const text of [history.body, kaiChanges, sync, audit.body, kaiLive.received].map((x) => JSON.stringify(x))) expect(text).not.toContain('Room 302');
      expect(history.body.messages.find((m: any) => m.id === event.messageId).data.meetup).toMatchObject({ going: 1, waiting: 1 });

      expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/events?upcoming=true`, { token: kai.token })).body.events.map((e: any) => e.id)).toEqual([event.id]);
      expect((await call(server.url, 'POST', `/v1/events/${event.id}/cancel`, { token: kai.token })).body.error.code).toBe('FORBIDDEN');
      const cancelled = await call(server.url, 'POST', `/v1/events/${event.id}/cancel`, { token: admins[0]!.token });
      expect(cancelled.body.event.cancelledAt).toEqual(expect.any(String));
      await waitFor(() => linNotices.some((n) => n.reason === 'cancelled'), 5000, 'the cancellation notice');
      expect((await rsvp(kai, event.id, true, true)).body.error.code).toBe('EVENT_CANCELLED');
      expect((await call(server.url, 'POST', `/v1/events/${event.id}/cancel`, { token: owner.token })).body.error.code).toBe('EVENT_CANCELLED');
      expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/events?upcoming=true`, { token: kai.token })).body.events).toEqual([]);
      expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/events`, { token: kai.token })).body.events).toHaveLength(1);
    } finally {
      linLive.close();
      kaiLive.close();
    }
  });

  it('reminder 1 h before, once: the room without the address, the confirmed attendee with it; then "home safe"', async () => {
    const { room, owner, members } = await settledRoom(2);
    const [mei, lin] = members as [TestUser, TestUser];
    const meiLive = await connect(server.url, mei.token);
    const reminders = notices(meiLive, 'event:reminder');
    try {
      // Starts in an hour and two seconds: its 1 h reminder is due in two seconds; no 24 h one.
      const startsAt = new Date(Date.now() + 3600_000 + 2000).toISOString();
      const event = (await create(owner.token, room.id, { startsAt })).body.event;
      expect((await rsvp(mei, event.id, true, true)).body.rsvp.status).toBe('confirmed');
      await waitFor(() => meiLive.received.some((m) => m.data?.event === 'event.reminder'), 10_000, 'the reminder');
      await waitFor(() => reminders.length > 0, 5000, 'the attendee notice');
      expect(reminders[0]).toMatchObject({ eventId: event.id, before: '1h', place: { detail: DETAIL } });
      const posted = meiLive.received.filter((m) => m.data?.event === 'event.reminder');
      expect(posted[0]).toMatchObject({ kind: 'system', data: { eventId: event.id, before: '1h', title: 'Board games 桌游' } });
      expect(JSON.stringify(posted)).not.toContain('Room 302');
      await sleep(600);
      const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
      expect(history.body.messages.filter((m: any) => m.data?.event === 'event.reminder')).toHaveLength(1);
      expect(reminders).toHaveLength(1);

      // Home safe: after the start, confirmed attendees only.
      expect((await call(server.url, 'POST', `/v1/events/${event.id}/home-safe`, { token: mei.token })).body.error.code).toBe('EVENT_NOT_STARTED');
      const soon = (await create(owner.token, room.id, { startsAt: new Date(Date.now() + 1500).toISOString() })).body.event;
      expect((await rsvp(mei, soon.id, true)).body.rsvp.status).toBe('confirmed');
      await sleep(1600);
      expect((await call(server.url, 'POST', `/v1/events/${soon.id}/home-safe`, { token: lin.token })).body.error.code).toBe('NOT_CONFIRMED');
      expect((await call(server.url, 'POST', `/v1/events/${soon.id}/home-safe`, { token: mei.token })).body.homeSafeAt).toEqual(expect.any(String));
      expect((await view(owner, soon.id)).attendees[0]).toMatchObject({ user: { id: mei.id }, homeSafeAt: expect.any(String) });
      expect((await view(lin, soon.id)).attendees[0].homeSafeAt).toBeUndefined();
      expect((await rsvp(lin, soon.id, true, true)).body.error.code).toBe('RSVP_CLOSED');
    } finally {
      meiLive.close();
    }
  });

  it('newcomers on probation cannot RSVP; the owner adds checklist lines', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const event = (await create(owner.token, room.id, {})).body.event;
    const refused = await rsvp(members[0]!, event.id, true, true);
    expect([refused.status, refused.body.error.code, refused.body.error.details.until]).toEqual([403, 'ON_PROBATION', expect.any(String)]);
    expect((await view(owner, event.id)).attendees).toEqual([]);
    const lines = await call(server.url, 'PUT', `/v1/rooms/${room.id}/events/checklist`, { token: owner.token, body: { lines: ['Bring a friend on your first meetup.'] } });
    expect(lines.body.checklist.at(-1)).toBe('Bring a friend on your first meetup.');
    expect((await call(server.url, 'PUT', `/v1/rooms/${room.id}/events/checklist`, { token: members[0]!.token, body: { lines: ['x'] } })).body.error.code).toBe('FORBIDDEN');
    expect((await view(members[0]!, event.id)).checklist).toContain('Bring a friend on your first meetup.');
  });

  it('bad input: coded errors, nothing changed', async () => {
    const { room, owner, members } = await settledRoom(1);
    const outsider = await signUp(server.url);
    expect((await create(owner.token, room.id, { startsAt: inHours(-1) })).body.error.code).toBe('TIME_IN_PAST');
    expect((await create(owner.token, room.id, { endsAt: inHours(47) })).body.error.code).toBe('EVENT_ENDS_BEFORE_START');
    expect((await create(owner.token, room.id, { capacity: 0 })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await create(owner.token, room.id, { capacity: 99_999 })).body.error).toMatchObject({ code: 'CAPACITY_TOO_LARGE', details: { memberLimit: room.memberLimit } });
    expect((await create(owner.token, room.id, { rsvpClosesAt: inHours(49) })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await create(owner.token, room.id, { place: { name: '' } })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await create(members[0]!.token, room.id, {})).body.error.code).toBe('FORBIDDEN');
    expect((await create(outsider.token, room.id, {})).body.error.code).toBe('NOT_A_MEMBER');
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/events`, { token: owner.token })).body.events).toEqual([]);
    const event = (await create(owner.token, room.id, { capacity: 1 })).body.event;
    expect((await rsvp(outsider, event.id, true, true)).body.error.code).toBe('NOT_A_MEMBER');
    expect((await call(server.url, 'GET', `/v1/events/${event.id}`, { token: outsider.token })).body.error.code).toBe('NOT_A_MEMBER');
    expect((await call(server.url, 'POST', '/v1/events/00000000-0000-4000-8000-000000000000/rsvp', { token: owner.token, body: { going: true } })).body.error.code).toBe('EVENT_NOT_FOUND');
    expect((await call(server.url, 'POST', `/v1/events/${event.id}/rsvp`, { token: owner.token, body: { going: 'yes' } })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/events?upcoming=soon`, { token: owner.token })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await view(owner, event.id)).event).toMatchObject({ going: 0, waiting: 0 });
  });
});
