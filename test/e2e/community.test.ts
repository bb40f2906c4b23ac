/**
 * Community life across two gateway processes on one PostgreSQL and Redis: 200 members appending
 * to a 接龙 at once through both gateways, votes and RSVPs racing for the last places, and what a
 * member on the other gateway sees. Always the real servers.
 */
import { describe, expect, it } from 'vitest';
import { call, connect, joinRoom, signUp, uniqueName, waitFor, type TestUser } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';
import { castRoom } from '../helpers/rooms.ts';

/** Signs up and joins `count` members, a few at a time, alternating gateways. */
async function crowd(urls: [string, string], roomId: string, count: number): Promise<TestUser[]> {
  const people: TestUser[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, async (_, j) => {
        const url = urls[(i + j) % 2]!;
        const user = await signUp(url);
        await joinRoom(url, user, roomId);
        return user;
      }),
    );
    people.push(...batch);
  }
  return people;
}

describe('community life across two gateways', () => {
  const gateways = twoGatewaysPerSuite();

  it('200 members append to one 接龙 at once through two gateways: no line lost or doubled, the capacity holds', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner } = await castRoom(a);
    expect((await call(a, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { memberLimit: 500 } })).status).toBe(200);
    const people = await crowd([a, b], room.id, 200);
    const open = (await call(a, 'POST', `/v1/rooms/${room.id}/signups`, { token: owner.token, body: { title: 'Picnic' } })).body.signup;
    const capped = (await call(b, 'POST', `/v1/rooms/${room.id}/signups`, { token: owner.token, body: { title: 'Bus', capacity: 150 } })).body.signup;
    const watcher = await connect(b, owner.token);
    const lastOf = new Map<string, any>();
    watcher.socket.on('room:change', (c: any) => {
      if (c.kind === 'signup') lastOf.set(c.payload.signup.id, c);
    });
    try {
      const appendAll = (signupId: string) =>
        Promise.all(people.map((p, i) => call(i % 2 ? b : a, 'POST', `/v1/signups/${signupId}/entries`, { token: p.token, body: { text: `line ${i}` } })));

      const [openReplies, cappedReplies] = await Promise.all([appendAll(open.id), appendAll(capped.id)]);
      expect(openReplies.every((r) => r.status === 200)).toBe(true);
      const list = (await call(b, 'GET', `/v1/signups/${open.id}`, { token: owner.token })).body.signup;
      expect(list.entries.map((e: any) => e.position)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(new Set(list.entries.map((e: any) => e.user.id))).toEqual(new Set(people.map((p) => p.id)));
      expect(new Set(openReplies.map((r) => r.body.entry.position)).size).toBe(200);

      expect(cappedReplies.filter((r) => r.status === 200)).toHaveLength(150);
      expect(cappedReplies.filter((r) => r.status !== 200).every((r) => r.body.error.code === 'SIGNUP_FULL')).toBe(true);
      const bus = (await call(a, 'GET', `/v1/signups/${capped.id}`, { token: owner.token })).body.signup;
      expect(bus.entries.map((e: any) => e.position)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
      expect(new Set(bus.entries.map((e: any) => e.user.id)).size).toBe(150);

      // The watcher on the other gateway ends with the whole list, like the one read back.
      await waitFor(() => lastOf.get(open.id)?.payload.signup.entries.length === 200, 20_000, 'the last change of the open list');
      await waitFor(() => lastOf.get(capped.id)?.payload.signup.entries.length === 150, 20_000, 'the last change of the bus list');
    } finally {
      watcher.close();
    }
  }, 180_000);

  it('rules: accepting on one gateway, and a change on it, reach the speaking check on the other', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner, members } = await castRoom(a, { members: 1 });
    const onB = await connect(b, members[0]!.token);
    const send = () => onB.send({ roomId: room.id, text: uniqueName('t'), clientMsgId: uniqueName() });
    try {
      expect((await send()).ok).toBe(true);
      expect((await call(a, 'PUT', `/v1/rooms/${room.id}/rules`, { token: owner.token, body: { text: 'Be kind.', requireAcceptance: true } })).status).toBe(200);
      expect((await send()).error).toMatchObject({ code: 'RULES_NOT_ACCEPTED', details: { version: 1 } });
      expect((await call(a, 'POST', `/v1/rooms/${room.id}/rules/accept`, { token: members[0]!.token })).status).toBe(200);
      expect((await send()).ok).toBe(true);
      expect((await call(a, 'PUT', `/v1/rooms/${room.id}/rules`, { token: owner.token, body: { text: 'Be kind. No ads.', requireAcceptance: true } })).status).toBe(200);
      expect((await send()).error).toMatchObject({ code: 'RULES_NOT_ACCEPTED', details: { version: 2 } });
    } finally {
      onB.close();
    }
  }, 60_000);

  it('votes racing through two gateways: every vote counted once, the last change carries the final tally', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner } = await castRoom(a);
    const people = await crowd([a, b], room.id, 60);
    const poll = (await call(a, 'POST', `/v1/rooms/${room.id}/polls`, { token: owner.token, body: { question: 'Day?', options: ['Sat', 'Sun'], anonymous: true } })).body.poll;
    const watcher = await connect(a, owner.token);
    let last: any = null;
    watcher.socket.on('room:change', (c: any) => {
      if (c.kind === 'poll' && (!last || c.position > last.position)) last = c;
    });
    try {
      const replies = await Promise.all(people.map((p, i) => call(i % 2 ? b : a, 'POST', `/v1/polls/${poll.id}/votes`, { token: p.token, body: { optionIds: [i % 3 === 0 ? '2' : '1'] } })));
      expect(replies.every((r) => r.status === 200)).toBe(true);
      // Everyone changes their mind at once.
      const changed = await Promise.all(people.map((p, i) => call(i % 2 ? a : b, 'POST', `/v1/polls/${poll.id}/votes`, { token: p.token, body: { optionIds: ['2'] } })));
      expect(changed.every((r) => r.status === 200)).toBe(true);
      const final = (await call(b, 'GET', `/v1/polls/${poll.id}`, { token: owner.token })).body.poll;
      expect([final.voters, final.options.map((o: any) => o.votes)]).toEqual([60, [0, 60]]);
      await waitFor(() => last?.payload.poll.options[1].votes === 60 && last.payload.poll.voters === 60, 20_000, 'the final tally on the feed');
    } finally {
      watcher.close();
    }
  }, 120_000);

  it('a meetup cap holds when 40 RSVP at once through two gateways; the waitlist is promoted first come first served', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner } = await castRoom(a);
    expect((await call(a, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { probationSeconds: 0 } })).status).toBe(200);
    const people = await crowd([a, b], room.id, 40);
    const startsAt = new Date(Date.now() + 48 * 3600_000).toISOString();
    const event = (await call(a, 'POST', `/v1/rooms/${room.id}/events`, { token: owner.token, body: { title: 'Climbing', startsAt, capacity: 10, place: { name: 'the gym', detail: 'Gate 3' } } })).body.event;
    const replies = await Promise.all(people.map((p, i) => call(i % 2 ? b : a, 'POST', `/v1/events/${event.id}/rsvp`, { token: p.token, body: { going: true, checklistSeen: true } })));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const confirmed = replies.filter((r) => r.body.rsvp.status === 'confirmed');
    expect(confirmed).toHaveLength(10);
    expect(replies.filter((r) => r.body.rsvp.status === 'waitlisted').map((r) => r.body.rsvp.waitlistPosition).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const before = (await call(b, 'GET', `/v1/events/${event.id}`, { token: owner.token })).body;
    expect([before.event.going, before.event.waiting]).toEqual([10, 30]);
    const firstFive = before.attendees.filter((x: any) => x.status === 'waitlisted').slice(0, 5).map((x: any) => x.user.id);

    // Five confirmed drop out at once, on both gateways; the first five waiting move up, in order.
    const leaving = people.filter((p) => before.attendees.some((x: any) => x.user.id === p.id && x.status === 'confirmed')).slice(0, 5);
    const told = await Promise.all(firstFive.map(async (id: string, i: number) => {
      const live = await connect(i % 2 ? a : b, people.find((p) => p.id === id)!.token);
      const notices: any[] = [];
      live.socket.on('event:rsvp', (n: any) => notices.push(n));
      return { live, notices };
    }));
    try {
      const dropped = await Promise.all(leaving.map((p, i) => call(i % 2 ? a : b, 'POST', `/v1/events/${event.id}/rsvp`, { token: p.token, body: { going: false } })));
      expect(dropped.every((r) => r.status === 200 && r.body.rsvp.status === 'declined')).toBe(true);
      const after = (await call(a, 'GET', `/v1/events/${event.id}`, { token: owner.token })).body;
      expect([after.event.going, after.event.waiting]).toEqual([10, 25]);
      const nowConfirmed = new Set(after.attendees.filter((x: any) => x.status === 'confirmed').map((x: any) => x.user.id));
      for (const id of firstFive) expect(nowConfirmed.has(id)).toBe(true);
      for (const { notices } of told) await waitFor(() => notices.some((n: any) => n.reason === 'promoted' && n.place.detail === 'Gate 3'), 10_000, 'a promotion notice');
    } finally {
      for (const { live } of told) live.close();
    }
  }, 120_000);
});
