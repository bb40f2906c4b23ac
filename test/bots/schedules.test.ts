import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextRun, zonedTime } from '../../server/domain/schedule-time.ts';
import { call, joinRoom, signUp, sleep } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { BOT_TEST_ENV, botCall, issueToken, roomWithBot } from './fixtures.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: BOT_TEST_ENV });
});
afterAll(() => server?.close());

const texts = async (roomId: string, token: string) =>
  (await call(server.url, 'GET', `/v1/rooms/${roomId}/messages?limit=100`, { token })).body.messages.filter((m: any) => m.kind === 'text');

describe('scheduled posts', () => {
  it('a one-off fires exactly once, as its author', async () => {
    const { owner, roomId } = await roomWithBot(server.url);
    const at = new Date(Date.now() + 500).toISOString();
    const created = await call(server.url, 'POST', `/v1/rooms/${roomId}/schedules`, { token: owner.token, body: { kind: 'message', text: 'Meetup tomorrow!', schedule: { type: 'once', at } } });
    expect(created.status).toBe(201);
    expect(created.body.schedule.nextRunAt).toBe(at);
    await sleep(1200);
    const posted = (await texts(roomId, owner.token)).filter((m: any) => m.text === 'Meetup tomorrow!');
    expect(posted).toHaveLength(1);
    expect(posted[0].sender.id).toBe(owner.id);
    const list = await call(server.url, 'GET', `/v1/rooms/${roomId}/schedules`, { token: owner.token });
    expect(list.body.schedules[0]).toMatchObject({ runs: 1, nextRunAt: null, lastError: null });
  });

  it('a bot schedules a recurring post with its token; cancelling stops it; members may not schedule', async () => {
    const { owner, roomId, botId } = await roomWithBot(server.url);
    const token = await issueToken(server.url, owner, botId, ['messages:write']);
    const created = await botCall(server.url, 'POST', `/v1/rooms/${roomId}/schedules`, token.secret, { kind: 'message', text: 'tick', schedule: { type: 'interval', everySeconds: 1 } });
    expect(created.status).toBe(201);
    expect((await botCall(server.url, 'POST', `/v1/rooms/${roomId}/schedules`, token.secret, { kind: 'announcement', text: 'x', schedule: { type: 'interval', everySeconds: 1 } })).status).toBe(403);
    await sleep(2600);
    expect((await botCall(server.url, 'DELETE', `/v1/rooms/${roomId}/schedules/${created.body.schedule.id}`, token.secret)).status).toBe(204);
    const ticks = (await texts(roomId, owner.token)).filter((m: any) => m.text === 'tick');
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThanOrEqual(3);
    expect(ticks.every((m: any) => m.sender.id === botId && m.sender.kind === 'bot')).toBe(true);
    await sleep(1200);
    expect((await texts(roomId, owner.token)).filter((m: any) => m.text === 'tick')).toHaveLength(ticks.length);

    const member = await signUp(server.url);
    await joinRoom(server.url, member, roomId);
    const refused = await call(server.url, 'POST', `/v1/rooms/${roomId}/schedules`, { token: member.token, body: { kind: 'message', text: 'x', schedule: { type: 'daily', time: '20:00' } } });
    expect(refused.status).toBe(403);
    const badZone = await call(server.url, 'POST', `/v1/rooms/${roomId}/schedules`, { token: owner.token, body: { kind: 'message', text: 'x', timeZone: 'Mars/Olympus', schedule: { type: 'daily', time: '20:00' } } });
    expect(badZone.body.error.code).toBe('SCHEDULE_INVALID');
  });

  it('a scheduled announcement is posted as the current announcement', async () => {
    const { owner, roomId } = await roomWithBot(server.url);
    await call(server.url, 'POST', `/v1/rooms/${roomId}/schedules`, { token: owner.token, body: { kind: 'announcement', text: 'Season opens!', schedule: { type: 'once', at: new Date(Date.now() + 300).toISOString() } } });
    await sleep(1000);
    const current = await call(server.url, 'GET', `/v1/rooms/${roomId}/announcement`, { token: owner.token });
    expect(current.body.announcement.text).toBe('Season opens!');
  });
});

describe('next run in a time zone', () => {
  it('weekly Friday 20:00 in Asia/Shanghai is 12:00 UTC', () => {
    const after = new Date('2025-03-03T00:00:00Z'); // a Monday
    expect(nextRun({ type: 'weekly', days: ['fri'], time: '20:00' }, 'Asia/Shanghai', after)!.toISOString()).toBe('2025-03-07T12:00:00.000Z');
  });

  it('keeps the wall time across a DST change (New York, March 2025)', () => {
    const before = nextRun({ type: 'daily', time: '09:00' }, 'America/New_York', new Date('2025-03-08T15:00:00Z'))!;
    expect(before.toISOString()).toBe('2025-03-09T13:00:00.000Z'); // EDT from 9 March
    expect(new Date(zonedTime('America/New_York', 2025, 3, 7, 9, 0)).toISOString()).toBe('2025-03-07T14:00:00.000Z');
  });

  it('today when the time is still ahead, otherwise tomorrow', () => {
    expect(nextRun({ type: 'daily', time: '10:00' }, 'UTC', new Date('2025-01-01T09:59:00Z'))!.toISOString()).toBe('2025-01-01T10:00:00.000Z');
    expect(nextRun({ type: 'daily', time: '10:00' }, 'UTC', new Date('2025-01-01T10:00:00Z'))!.toISOString()).toBe('2025-01-02T10:00:00.000Z');
  });
});
