/**
 * Check-in challenges (打卡): periods are the challenge's own calendar days or ISO weeks (DST and
 * month ends included), one check-in per member per period whatever the concurrency, the card and
 * the change feed, the leaderboard, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate, periodOf, streakOf } from '../../server/domain/challenge-periods.ts';
import { call, connect, signUp, waitFor } from '../helpers/clients.ts';
import { castRoom } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const ZONE = 'Asia/Shanghai';
const today = () => localDate(new Date(), ZONE);

describe('challenge calendar', () => {
  it('a day is a local calendar day across DST changes; a week starts on Monday; streaks run across month and year ends', () => {
    // New York springs forward on 2026-03-08 (a 23-hour day) and falls back on 2026-11-01 (25 hours).
    const ny = 'America/New_York';
    expect(periodOf(new Date('2026-03-08T04:59:00Z'), ny, 'daily')).toBe('2026-03-07');
    expect(periodOf(new Date('2026-03-08T05:00:00Z'), ny, 'daily')).toBe('2026-03-08');
    expect(periodOf(new Date('2026-03-09T03:59:00Z'), ny, 'daily')).toBe('2026-03-08');
    expect(periodOf(new Date('2026-03-09T04:00:00Z'), ny, 'daily')).toBe('2026-03-09');
    expect(periodOf(new Date('2026-11-02T04:59:00Z'), ny, 'daily')).toBe('2026-11-01');
    expect(periodOf(new Date('2026-11-02T05:00:00Z'), ny, 'daily')).toBe('2026-11-02');
    expect(streakOf(['2026-03-07', '2026-03-08', '2026-03-09'], '2026-03-09', 'daily')).toBe(3);
    expect(streakOf(['2026-10-31', '2026-11-01', '2026-11-02'], '2026-11-02', 'daily')).toBe(3);
    // Month and year ends; a leap day.
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(streakOf(['2026-12-30', '2026-12-31', '2027-01-01'], '2027-01-01', 'daily')).toBe(3);
    expect(streakOf(['2026-02-27', '2026-03-01'], '2026-03-01', 'daily')).toBe(1);
    // Not yet checked in today: yesterday's streak still stands; a gap ends it.
    expect(streakOf(['2026-05-30', '2026-05-31'], '2026-06-01', 'daily')).toBe(2);
    expect(streakOf(['2026-05-29', '2026-05-30'], '2026-06-01', 'daily')).toBe(0);
    // Weekly: the Monday of the local ISO week, across a year end; Shanghai's Monday starts at 16:00 UTC Sunday.
    expect(periodOf(new Date('2027-01-01T12:00:00Z'), ZONE, 'weekly')).toBe('2026-12-28');
    expect(periodOf(new Date('2026-12-27T15:59:00Z'), ZONE, 'weekly')).toBe('2026-12-21');
    expect(periodOf(new Date('2026-12-27T16:00:00Z'), ZONE, 'weekly')).toBe('2026-12-28');
    expect(streakOf(['2026-12-21', '2026-12-28', '2027-01-04'], '2027-01-04', 'weekly')).toBe(3);
  });
});

describe('check-in challenges', () => {
  it('once per period, a card and a change, streaks on the leaderboard; racing check-ins count once', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 2 });
    const [mei, lin] = members as [typeof owner, typeof owner];
    const watcher = await connect(server.url, owner.token);
    const changes: any[] = [];
    watcher.socket.on('room:change', (c: any) => c.kind === 'challenge' && changes.push(c));
    try {
      const created = await call(server.url, 'POST', `/v1/rooms/${room.id}/challenges`, {
        token: mei.token,
        body: { title: '30 days of sketching 每日速写', cadence: 'daily', startsOn: today(), endsOn: addDays(today(), 29), timezone: ZONE },
      });
      expect(created.status).toBe(201);
      const challenge = created.body.challenge;
      await waitFor(() => watcher.received.some((m) => m.id === challenge.messageId), 5000, 'the card');
      expect(watcher.received.find((m) => m.id === challenge.messageId)).toMatchObject({ kind: 'challenge', data: { event: 'challenge', challenge: { id: challenge.id, cadence: 'daily' } } });

      const first = await call(server.url, 'POST', `/v1/challenges/${challenge.id}/checkins`, { token: mei.token, body: { text: 'A cat on a wall' } });
      expect(first.body).toMatchObject({ checkin: { period: today(), text: 'A cat on a wall', user: { id: mei.id } }, streak: 1, challenge: { checkins: 1, participants: 1 } });
      const again = await call(server.url, 'POST', `/v1/challenges/${challenge.id}/checkins`, { token: mei.token, body: {} });
      expect([again.status, again.body.error.code, again.body.error.details.period]).toEqual([409, 'ALREADY_CHECKED_IN', today()]);
      const racing = await Promise.all(Array.from({ length: 8 }, () => call(server.url, 'POST', `/v1/challenges/${challenge.id}/checkins`, { token: lin.token, body: {} })));
      expect(racing.filter((r) => r.status === 200)).toHaveLength(1);
      expect(racing.filter((r) => r.status === 409).every((r) => r.body.error.code === 'ALREADY_CHECKED_IN')).toBe(true);

      const board = (await call(server.url, 'GET', `/v1/challenges/${challenge.id}/leaderboard`, { token: owner.token })).body;
      expect(board.period).toBe(today());
      expect(board.leaders.map((l: any) => [l.user.id, l.checkins, l.streak, l.lastPeriod]).sort()).toEqual([[lin.id, 1, 1, today()], [mei.id, 1, 1, today()]].sort());
      expect(board.challenge).toMatchObject({ checkins: 2, participants: 2 });
      await waitFor(() => changes.length === 2, 5000, 'two check-in changes');
      expect(changes.map((c) => c.payload.op)).toEqual(['checkedIn', 'checkedIn']);
      const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
      expect(history.body.messages.find((m: any) => m.id === challenge.messageId).data.challenge.checkins).toBe(2);
    } finally {
      watcher.close();
    }
  });

  it('bad input: coded errors, nothing changed', async () => {
    const { room, owner } = await castRoom(server.url);
    const outsider = await signUp(server.url);
    const create = (body: Record<string, unknown>, token = owner.token) =>
      call(server.url, 'POST', `/v1/rooms/${room.id}/challenges`, { token, body: { title: 'Run', cadence: 'daily', startsOn: today(), endsOn: addDays(today(), 6), timezone: ZONE, ...body } });
    expect((await create({ timezone: 'Mars/Olympus' })).body.error.code).toBe('TIME_ZONE_INVALID');
    expect((await create({ endsOn: addDays(today(), -1) })).body.error.code).toBe('CHALLENGE_DATES_INVALID');
    expect((await create({ startsOn: '2026-02-30', endsOn: '2026-03-05' })).body.error.code).toBe('CHALLENGE_DATES_INVALID');
    expect((await create({ startsOn: '2020-01-01', endsOn: '2020-01-31' })).body.error.code).toBe('TIME_IN_PAST');
    expect((await create({ cadence: 'hourly' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await create({}, outsider.token)).body.error.code).toBe('NOT_A_MEMBER');
    const later = (await create({ startsOn: addDays(today(), 2), endsOn: addDays(today(), 9) })).body.challenge;
    expect((await call(server.url, 'POST', `/v1/challenges/${later.id}/checkins`, { token: owner.token, body: {} })).body.error.code).toBe('CHALLENGE_NOT_STARTED');
    expect((await call(server.url, 'POST', `/v1/challenges/${later.id}/checkins`, { token: outsider.token, body: {} })).body.error.code).toBe('NOT_A_MEMBER');
    expect((await call(server.url, 'POST', `/v1/challenges/${later.id}/checkins`, { token: owner.token, body: { attachments: ['x'] } })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await call(server.url, 'GET', '/v1/challenges/00000000-0000-4000-8000-000000000000/leaderboard', { token: owner.token })).body.error.code).toBe('CHALLENGE_NOT_FOUND');
    expect((await call(server.url, 'GET', `/v1/challenges/${later.id}/leaderboard`, { token: owner.token })).body.leaders).toEqual([]);
  });
});
