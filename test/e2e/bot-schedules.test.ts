/**
 * Two gateway processes on one PostgreSQL and one Redis, both running the scheduler and the
 * bot delivery worker: every scheduled run is posted once, and every event is delivered once.
 * Always runs against a real PostgreSQL and Redis (TEST_DATABASE_URL / TEST_REDIS_URL, or the local defaults).
 */
import { describe, expect, it } from 'vitest';
import { call, joinRoom, postMessage, signUp, sleep } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';
import { BOT_TEST_ENV, roomWithBot, startReceiver, type Receiver } from '../bots/fixtures.ts';

describe('scheduled posts and bot deliveries across two gateways', () => {
  const gateways = twoGatewaysPerSuite({ ...BOT_TEST_ENV, SCHEDULER_TICK_MS: '20', BOT_DELIVERY_TICK_MS: '20' });

  it('each run of each schedule is posted exactly once', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { owner, roomId } = await roomWithBot(a);
    // Far enough ahead that the fifth schedule is still in the future on a loaded machine, and
    // near enough to have run before the recurring schedule's four seconds are up.
    const at = new Date(Date.now() + 3000).toISOString();
    for (let i = 0; i < 5; i++) {
      const reply = await call(i % 2 ? b : a, 'POST', `/v1/rooms/${roomId}/schedules`, { token: owner.token, body: { kind: 'message', text: `once ${i}`, schedule: { type: 'once', at } } });
      expect(reply.status).toBe(201);
    }
    const recurring = await call(b, 'POST', `/v1/rooms/${roomId}/schedules`, { token: owner.token, body: { kind: 'message', text: 'every second', schedule: { type: 'interval', everySeconds: 1 } } });
    await sleep(4200);
    await call(a, 'DELETE', `/v1/rooms/${roomId}/schedules/${recurring.body.schedule.id}`, { token: owner.token });
    await sleep(500);

    const page = await call(a, 'GET', `/v1/rooms/${roomId}/messages?limit=100`, { token: owner.token });
    const texts: string[] = page.body.messages.filter((m: any) => m.kind === 'text').map((m: any) => m.text);
    for (let i = 0; i < 5; i++) expect(texts.filter((t) => t === `once ${i}`)).toHaveLength(1);
    const ticks = texts.filter((t) => t === 'every second').length;
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(ticks).toBeLessThanOrEqual(5);
  }, 30_000);

  it('each event is delivered to the bot once, whichever gateway stored the message', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { owner, roomId, botId } = await roomWithBot(a);
    const receiver: Receiver = await startReceiver();
    try {
      const member = await signUp(b);
      await joinRoom(b, member, roomId);
      // Gateway b stores a message while no bot listens, and so remembers that nobody does;
      // setting the webhook through gateway a must make it forget before the call returns.
      await postMessage(b, member, roomId, 'before the webhook');
      await call(a, 'PUT', `/v1/bots/${botId}/webhook`, { token: owner.token, body: { url: receiver.url, events: ['message'] } });
      for (let i = 0; i < 10; i++) await postMessage(i % 2 ? b : a, member, roomId, `m${i}`);
      await sleep(1500);
      const ids = receiver.received.map((d) => d.json.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(receiver.received.map((d) => d.json.message.text).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`).sort());
    } finally {
      await receiver.close();
    }
  }, 30_000);
});
