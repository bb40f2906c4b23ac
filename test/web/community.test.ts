/**
 * The web client's community state (client/web/src/state/community.ts) through the store, as the
 * page uses it, against a real gateway: cards kept current by the change feed, live and after a
 * reconnect's sync; a waitlist promotion reaching my view with the exact place, which no card
 * ever holds; the rules asking again after a change. Then the create forms' checks, alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuanziClient } from '../../client/sdk/index.ts';
import { validateChallenge, validateMeetup, validatePoll, validateSignup, serverFieldErrors, type MeetupFields } from '../../client/web/src/state/community-forms.ts';
import type { KeyValueStorage } from '../../client/web/src/state/outbox.ts';
import { STANDARD_CHECKLIST, splitChecklist } from '../../client/web/src/state/community.ts';
import { ChatStore } from '../../client/web/src/state/store.ts';
import { STANDARD_CHECKLIST as SERVER_CHECKLIST } from '../../server/domain/events.ts';
import type { Message } from '../../shared/schemas.ts';
import { png, upload } from '../helpers/attachments.ts';
import { call, createRoom, joinRoom, signUp, waitFor, type TestUser } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let owner: TestUser;
let mei: TestUser;
let lin: TestUser;
const stores: ChatStore[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [owner, mei, lin] = await Promise.all([signUp(server.url), signUp(server.url), signUp(server.url)]);
});
afterAll(async () => {
  for (const store of stores) store.stop();
  // What the stores had asked for just before (a staff page re-reading its queue on a notice)
  // finishes first: a request still open when the gateway closes can keep it from closing.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await server?.close();
});

function memoryStorage(): KeyValueStorage {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

async function openStore(user: TestUser, roomId: string): Promise<ChatStore> {
  const store = new ChatStore(new QuanziClient({ baseUrl: server.url, token: user.token, socketOptions: { reconnectionDelay: 100, reconnectionDelayMax: 300 } }), memoryStorage());
  stores.push(store);
  await store.start();
  await store.client.waitUntilConnected(5_000);
  store.show({ kind: 'room', roomId });
  await waitFor(() => store.timeline(roomId).loaded, 5_000, 'the room loaded');
  return store;
}

async function freshRoom() {
  const room = await createRoom(server.url, owner);
  expect((await call(server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { probationSeconds: 0 } })).status).toBe(200);
  await joinRoom(server.url, mei, room.id);
  await joinRoom(server.url, lin, room.id);
  return room;
}

const cardMessage = (store: ChatStore, roomId: string, messageId: string): Message | undefined => store.timeline(roomId).messages.find((m) => m.id === messageId);

describe('community state through the store', () => {
  it('a 接龙 card follows the feed live, and after a reconnect catches up on what it missed', async () => {
    const room = await freshRoom();
    const signup = (await call(server.url, 'POST', `/v1/rooms/${room.id}/signups`, { token: owner.token, body: { title: 'Picnic' } })).body.signup;
    const store = await openStore(mei, room.id);
    await waitFor(() => !!cardMessage(store, room.id, signup.messageId), 5_000, 'the card');
    const entries = () => {
      const card = store.community.cardOf(cardMessage(store, room.id, signup.messageId)!);
      return card?.event === 'signup' ? card.signup.entries.map((e) => [e.position, e.user.id]) : null;
    };
    await store.community.addEntry(signup.id, 'me');
    expect(entries()).toEqual([[1, mei.id]]);
    await call(server.url, 'POST', `/v1/signups/${signup.id}/entries`, { token: lin.token, body: {} });
    await waitFor(() => entries()?.length === 2, 5_000, 'the live line');

    // Offline while Mei's line goes and one comes: the sync on reconnecting replays both changes.
    store.client.disconnect();
    await call(server.url, 'DELETE', `/v1/signups/${signup.id}/entries/mine`, { token: mei.token });
    await call(server.url, 'POST', `/v1/signups/${signup.id}/entries`, { token: owner.token, body: { text: 'two of us' } });
    expect(entries()).toEqual([[1, mei.id], [2, lin.id]]);
    store.client.connect();
    await waitFor(() => JSON.stringify(entries()) === JSON.stringify([[1, lin.id], [2, owner.id]]), 10_000, 'the caught-up list');
  });

  it('a promotion from the waitlist reaches my view at once with the exact place, which no card holds', async () => {
    const room = await freshRoom();
    const startsAt = new Date(Date.now() + 48 * 3600_000).toISOString();
    const event = (await call(server.url, 'POST', `/v1/rooms/${room.id}/events`, { token: owner.token, body: { title: 'Climb', startsAt, capacity: 1, place: { name: 'the gym', detail: 'Gate 3' } } })).body.event;
    const first = await openStore(mei, room.id);
    const second = await openStore(lin, room.id);
    await first.community.rsvp(event.id, true, true);
    await second.community.rsvp(event.id, true, true);
    expect(second.community.meetups.get(event.id)?.rsvp).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(second.community.meetups.get(event.id)?.event.place.detail ?? null).toBeNull();
    expect(first.community.meetups.get(event.id)?.event.place.detail).toBe('Gate 3');

    await first.community.rsvp(event.id, false);
    await waitFor(() => second.community.meetups.get(event.id)?.rsvp?.status === 'confirmed', 5_000, 'the promotion');
    expect(second.community.meetups.get(event.id)?.event.place.detail).toBe('Gate 3');
    for (const store of [first, second]) {
      const message = cardMessage(store, room.id, event.messageId)!;
      const card = store.community.cardOf(message);
      expect(card?.event === 'event' && card.meetup.going).toBe(1);
      expect(JSON.stringify(card)).not.toContain('Gate 3');
    }
  });

  it('the rules: a change asks a member again (not the staff), and accepting sends what was refused', async () => {
    const room = await freshRoom();
    const member = await openStore(mei, room.id);
    const staff = await openStore(owner, room.id);
    expect((await call(server.url, 'PUT', `/v1/rooms/${room.id}/rules`, { token: owner.token, body: { text: 'Be kind.', requireAcceptance: true } })).status).toBe(200);
    await waitFor(() => member.community.rules.get(room.id)?.mustAccept === true, 5_000, 'asked to accept');
    await waitFor(() => staff.community.rules.get(room.id)?.rules?.version === 1, 5_000, 'the staff see the rules');
    expect(staff.community.rules.get(room.id)?.mustAccept).toBe(false);

    member.send(room.id, 'hello', null);
    await waitFor(() => member.community.rulesPrompt === room.id, 5_000, 'the rules shown on the refusal');
    expect(member.outbox.of(room.id)[0]).toMatchObject({ status: 'failed', error: { code: 'RULES_NOT_ACCEPTED' } });
    await member.community.acceptRules(room.id);
    await waitFor(() => member.outbox.of(room.id).length === 0 && member.timeline(room.id).messages.some((m) => m.text === 'hello'), 5_000, 'sent after accepting');
    expect(member.community.rules.get(room.id)).toMatchObject({ acceptedVersion: 1, mustAccept: false });
  });
});

describe('photo check-ins on the card', () => {
  it('the period’s photo check-ins: read on opening, mine at once, another’s live and after a reconnect, gone with a recall', async () => {
    const room = await freshRoom();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const endsOn = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
    const challenge = (await call(server.url, 'POST', `/v1/rooms/${room.id}/challenges`, { token: owner.token, body: { title: 'Sketch', cadence: 'daily', startsOn: today, endsOn, timezone: 'Asia/Shanghai' } })).body.challenge;
    const ownerPhoto = await upload(server.url, owner, room.id, png(`owner-${room.id}`), 'o.png');
    expect((await call(server.url, 'POST', `/v1/challenges/${challenge.id}/checkins`, { token: owner.token, body: { attachments: [ownerPhoto.id] } })).status).toBe(200);

    const store = await openStore(mei, room.id);
    store.community.ensureChallenge(challenge.id);
    const who = () => (store.community.photoCheckins.get(challenge.id)?.checkins ?? []).map((c) => c.user.id);
    await waitFor(() => who().length === 1, 5_000, 'the list read on opening');
    expect(who()).toEqual([owner.id]);

    const mine = await upload(server.url, mei, room.id, png(`mei-${room.id}`), 'm.png');
    await store.community.checkIn(challenge.id, 'mine', [mine.id]);
    expect(who()).toEqual([mei.id, owner.id]);

    // Offline while Lin checks in with a photo: the sync on reconnecting brings it.
    store.client.disconnect();
    const linPhoto = await upload(server.url, lin, room.id, png(`lin-${room.id}`), 'l.png');
    const lins = (await call(server.url, 'POST', `/v1/challenges/${challenge.id}/checkins`, { token: lin.token, body: { attachments: [linPhoto.id] } })).body.checkin;
    store.client.connect();
    await waitFor(() => who().length === 3, 10_000, 'the check-in missed while away');
    expect(who()).toEqual([lin.id, mei.id, owner.id]);

    // Lin takes her message back: her photo leaves the card.
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/messages/${lins.message.seq}/recall`, { token: lin.token })).status).toBe(200);
    await waitFor(() => who().length === 2, 5_000, 'the recall');
    expect(who()).toEqual([mei.id, owner.id]);
  });
});

describe('a held 接龙 line', () => {
  it('a newcomer’s line with a link waits for review, shown as mine, can be taken back, and the staff list and approve it', async () => {
    const room = await createRoom(server.url, owner);
    const newcomer = await signUp(server.url);
    await joinRoom(server.url, newcomer, room.id);
    const signup = (await call(server.url, 'POST', `/v1/rooms/${room.id}/signups`, { token: owner.token, body: { title: 'Bus' } })).body.signup;
    const store = await openStore(newcomer, room.id);
    const staff = await openStore(owner, room.id);
    staff.community.ensureHeld(signup.id);
    await waitFor(() => staff.community.heldFor.get(signup.id)?.length === 0, 5_000, 'the empty review list');
    expect(await store.community.addEntry(signup.id, 'me, see https://example.com/club')).toBe('held');
    expect(store.community.heldLines.get(signup.id)).toBe('me, see https://example.com/club');
    // The staff's card hears of it (review:new) and lists it.
    await waitFor(() => staff.community.heldFor.get(signup.id)?.length === 1, 5_000, 'the held line for the staff');
    await store.community.removeEntry(signup.id);
    expect(store.community.heldLines.has(signup.id)).toBe(false);
    expect((await call(server.url, 'GET', `/v1/signups/${signup.id}`, { token: owner.token })).body.signup.entries).toEqual([]);

    // Held again, and approved by the staff: listed, and no longer waiting on the writer's page.
    expect(await store.community.addEntry(signup.id, 'see https://example.com/club')).toBe('held');
    await waitFor(() => staff.community.heldFor.get(signup.id)?.length === 1, 5_000, 'held again');
    await staff.community.decideHeld(signup.id, newcomer.id, 'approve');
    expect(staff.community.heldFor.get(signup.id)).toEqual([]);
    await waitFor(() => !store.community.heldLines.has(signup.id), 5_000, 'the writer told');
    const card = store.community.cardOf(store.timeline(room.id).messages.find((m) => m.id === signup.messageId)!);
    await waitFor(() => {
      const now = store.community.cardOf(store.timeline(room.id).messages.find((m) => m.id === signup.messageId)!);
      return now?.event === 'signup' && now.signup.entries.length === 1;
    }, 5_000, 'the approved line listed');
    expect(card?.event).toBe('signup');
  });
});

describe('the meeting-safety checklist', () => {
  it('the client knows the server’s standard lines (to say them in the reader’s language), and the owner’s own lines apart', async () => {
    expect([...STANDARD_CHECKLIST]).toEqual(SERVER_CHECKLIST);
    const room = await freshRoom();
    const store = await openStore(owner, room.id);
    expect(await store.community.ownChecklist(room.id)).toEqual([]);
    expect(await store.community.saveChecklist(room.id, ['Bring water.', 'Pair up on the trail.'])).toEqual(['Bring water.', 'Pair up on the trail.']);
    const seen = (await call(server.url, 'GET', `/v1/rooms/${room.id}/events/checklist`, { token: mei.token })).body.checklist;
    expect(splitChecklist(seen)).toEqual({ standard: [0, 1, 2, 3], own: ['Bring water.', 'Pair up on the trail.'] });
  });
});

describe('the create forms’ checks', () => {
  const now = Date.parse('2026-12-04T10:00:00Z');
  const meetup = (over: Partial<MeetupFields>): MeetupFields => ({
    title: 'Hike',
    description: '',
    startsAt: '2026-12-06T09:00',
    endsAt: '',
    'place.name': 'the park',
    'place.area': '',
    'place.detail': '',
    capacity: '',
    rsvpClosesAt: '',
    ...over,
  });

  it('a meetup: in the future, ending after it starts, RSVPs closing before it, places a whole number', () => {
    expect(validateMeetup(meetup({}), now).body).toMatchObject({ title: 'Hike', place: { name: 'the park' } });
    expect(Object.keys(validateMeetup(meetup({ startsAt: '2020-01-01T09:00' }), now).errors)).toEqual(['startsAt']);
    expect(Object.keys(validateMeetup(meetup({ endsAt: '2026-12-06T08:00' }), now).errors)).toEqual(['endsAt']);
    expect(Object.keys(validateMeetup(meetup({ rsvpClosesAt: '2026-12-07T08:00' }), now).errors)).toEqual(['rsvpClosesAt']);
    expect(Object.keys(validateMeetup(meetup({ capacity: '0' }), now).errors)).toEqual(['capacity']);
    expect(Object.keys(validateMeetup(meetup({ title: ' ', 'place.name': '' }), now).errors).sort()).toEqual(['place.name', 'title']);
    expect(validateMeetup(meetup({ 'place.detail': ' Gate 3 ', capacity: '12' }), now).body).toMatchObject({ place: { detail: 'Gate 3' }, capacity: 12 });
  });

  it('a poll: 2 to 20 options, none repeated (trimmed, any case), the repeat pointed at', () => {
    const poll = (options: string[]) => validatePoll({ question: 'Day?', options, multiple: false, anonymous: false, closesAt: '' }, now);
    expect(poll(['Sat', 'Sun']).body).toEqual({ question: 'Day?', options: ['Sat', 'Sun'] });
    expect(Object.keys(poll(['Sat', '']).errors)).toEqual(['options']);
    expect(Object.keys(poll(['Sat', ' sat ', 'Sun']).errors)).toEqual(['options.1']);
    expect(Object.keys(poll(Array.from({ length: 21 }, (_, i) => `o${i}`)).errors)).toEqual(['options']);
  });

  it('a list and a challenge; the server’s error goes next to the field it names', () => {
    expect(validateSignup({ title: 'Bus', template: '', capacity: '10001', closesAt: '' }, now).errors).toHaveProperty('capacity');
    expect(validateSignup({ title: 'Bus', template: 'name', capacity: '40', closesAt: '' }, now).body).toEqual({ title: 'Bus', template: 'name', capacity: 40 });
    expect(validateChallenge({ title: 'Run', cadence: 'daily', startsOn: '2030-01-10', endsOn: '2030-01-01', timezone: 'Asia/Shanghai' }).errors).toHaveProperty('endsOn');
    expect(validateChallenge({ title: 'Run', cadence: 'weekly', startsOn: '2030-01-01', endsOn: '2030-02-01', timezone: 'Asia/Shanghai' }).body).toMatchObject({ cadence: 'weekly' });
    expect(serverFieldErrors({ code: 'EVENT_ENDS_BEFORE_START', message: 'x', details: { field: 'body.endsAt' } }, ['endsAt'])).toHaveProperty('endsAt');
    expect(serverFieldErrors({ code: 'CAPACITY_TOO_LARGE', message: 'x', details: { memberLimit: 500 } }, ['capacity'], { CAPACITY_TOO_LARGE: 'capacity' })).toHaveProperty('capacity');
    expect(serverFieldErrors({ code: 'RULES_NOT_ACCEPTED', message: 'x' }, ['title'])).toHaveProperty('general');
  });
});
