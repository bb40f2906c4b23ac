/**
 * Meetup reminders are posted exactly once across gateways, even when the gateway that claimed a
 * reminder is killed between its due time and its post: another gateway posts it once its claim
 * runs out, and more gateways ticking add nothing. Real PostgreSQL and Redis, gateway processes.
 */
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { call, connect, createRoom, joinRoom, signUp, sleep, waitFor } from '../helpers/clients.ts';
import { createTestDatabase, MULTI_GATEWAY_DATABASE_URL, MULTI_GATEWAY_REDIS_URL, uniqueRedisPrefix, type TestDatabase } from '../helpers/env.ts';
import { spawnGateway, type GatewayProcess } from '../helpers/process.ts';

let database: TestDatabase | undefined;
const started: GatewayProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((g) => g.stop('SIGKILL')));
  await database?.drop();
});

describe('meetup reminders across gateways', () => {
  it('a gateway killed after claiming a due reminder: another posts it, once', async () => {
    database = await createTestDatabase(MULTI_GATEWAY_DATABASE_URL);
    const env = { DATABASE_URL: database.url, REDIS_URL: MULTI_GATEWAY_REDIS_URL, REDIS_PREFIX: uniqueRedisPrefix(), MEETUP_REMINDER_TICK_MS: '100', MEETUP_REMINDER_LEASE_MS: '1500' };
    // This one claims and then sits on the reminder for a minute: long enough to be killed first.
    // And this one never looks for reminders in the test's time: the member listens through it.
    const [slow, quiet] = await Promise.all([spawnGateway({ ...env, MEETUP_REMINDER_POST_DELAY_MS: '60000' }), spawnGateway({ ...env, MEETUP_REMINDER_TICK_MS: '3600000' })]);
    started.push(slow, quiet);
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      const owner = await signUp(slow.url);
      const member = await signUp(slow.url);
      const room = await createRoom(slow.url, owner);
      await joinRoom(slow.url, member, room.id);
      expect((await call(slow.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { probationSeconds: 0 } })).status).toBe(200);
      const startsAt = new Date(Date.now() + 3600_000 + 1500).toISOString();
      const event = (await call(slow.url, 'POST', `/v1/rooms/${room.id}/events`, { token: owner.token, body: { title: 'Night walk', startsAt, place: { name: 'the river', detail: 'Pier 7' } } })).body.event;
      expect((await call(slow.url, 'POST', `/v1/events/${event.id}/rsvp`, { token: member.token, body: { going: true, checklistSeen: true } })).body.rsvp.status).toBe('confirmed');

      const watcher = await connect(quiet.url, member.token);
      const notices: any[] = [];
      watcher.socket.on('event:reminder', (n: any) => notices.push(n));
      const claimed = async () => (await sql`select claimed_until, posted_at from meetup_reminders where meetup_id = ${event.id}`)[0];
      const deadline = Date.now() + 15_000;
      while (!(await claimed())?.claimed_until) {
        if (Date.now() > deadline) throw new Error('the reminder was never claimed');
        await sleep(50);
      }
      expect((await claimed()).posted_at).toBeNull();
      await slow.stop('SIGKILL');

      // Two fresh gateways race for it once the dead one's claim has run out.
      const [b, c] = await Promise.all([spawnGateway(env), spawnGateway(env)]);
      started.push(b, c);
      try {
        await waitFor(() => notices.length > 0, 20_000, 'the reminder notice');
        expect(notices[0]).toMatchObject({ eventId: event.id, before: '1h', place: { detail: 'Pier 7' } });
        await sleep(1500);
        const history = await call(c.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
        const posted = history.body.messages.filter((m: any) => m.data?.event === 'event.reminder');
        expect(posted).toHaveLength(1);
        expect(posted[0].data).toMatchObject({ eventId: event.id, before: '1h' });
        expect(notices).toHaveLength(1);
        expect((await claimed()).posted_at).not.toBeNull();
      } finally {
        watcher.close();
      }
    } finally {
      await sql.end();
    }
  }, 120_000);
});
