/**
 * SIGTERM with sends really in flight: the gateway's database answers are held back by a proxy
 * (a slow commit), many sends over sockets and HTTP are waiting for them when the signal comes,
 * and more arrive during the drain. Every send is answered before the process exits 0: stored
 * and acknowledged (and found after a restart, under the seq it was acknowledged with), or
 * refused SHUTTING_DOWN (and not stored). Always a real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/schemas.ts';
import { call, connect, createRoom, signUp, sleep, uniqueName, type LiveClient, type TestUser } from '../helpers/clients.ts';
import { createTestDatabase, MULTI_GATEWAY_DATABASE_URL, type TestDatabase } from '../helpers/env.ts';
import { spawnGateway } from '../helpers/process.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

/** How long the proxy holds each answer of PostgreSQL: every commit takes at least this long. */
const SLOW_COMMIT_MS = 200;

let proxy: TcpProxy;
let database: TestDatabase;

beforeAll(async () => {
  const target = new URL(MULTI_GATEWAY_DATABASE_URL);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  database = await createTestDatabase(MULTI_GATEWAY_DATABASE_URL);
});
afterAll(async () => {
  await proxy?.close();
  await database?.drop();
});

interface Outcome {
  clientMsgId: string;
  via: 'socket' | 'http';
  sentAfterSignal: boolean;
  /** 'stored' with the message, 'refused' with the code, 'unanswered' when the connection went first. */
  result: 'stored' | 'refused' | 'unanswered';
  code?: string;
  message?: Message;
  answeredAfterSignal?: boolean;
}

describe('SIGTERM with sends in flight', () => {
  it('answers every send before exiting 0: acknowledged and stored, or refused SHUTTING_DOWN; none lost', async () => {
    const gateway = await spawnGateway({ DATABASE_URL: proxy.urlFor(database.url), SHUTDOWN_GRACE_MS: '30000' });
    const owner = await signUp(gateway.url);
    const room = await createRoom(gateway.url, owner, { name: uniqueName('drain') });
    // The owner is exempt from the rate and flood rules, which a burst like this would trip. Three
    // sockets and HTTP: the owner's phone, laptop and a script.
    const senders: TestUser[] = [owner, owner, owner];
    const sockets: LiveClient[] = await Promise.all(senders.map((user) => connect(gateway.url, user.token)));
    // Warm each sender's facts on the gateway, so what the slow database holds is the commit.
    for (const [i, socket] of sockets.entries()) expect((await socket.send({ roomId: room.id, text: `warm ${i}`, clientMsgId: uniqueName('warm') })).ok).toBe(true);
    for (const user of senders.slice(0, 1)) expect((await call(gateway.url, 'POST', `/v1/rooms/${room.id}/messages`, { token: user.token, body: { text: 'warm http', clientMsgId: uniqueName('warm') } })).status).toBe(201);

    let signalled = false;
    const outcomes: Array<Promise<Outcome>> = [];
    const sendOverSocket = (i: number) => {
      const clientMsgId = uniqueName(`s${i}`);
      const sentAfterSignal = signalled;
      outcomes.push(
        // No client-side deadline short of the test's: only the connection closing leaves a send unanswered.
        sockets[i % sockets.length]!.socket.timeout(100_000).emitWithAck('message:send', { roomId: room.id, text: `socket ${i}`, clientMsgId }).then(
          (ack): Outcome =>
            ack.ok
              ? { clientMsgId, via: 'socket', sentAfterSignal, result: 'stored', message: ack.message, answeredAfterSignal: signalled }
              : { clientMsgId, via: 'socket', sentAfterSignal, result: 'refused', code: ack.error.code, answeredAfterSignal: signalled },
          (): Outcome => ({ clientMsgId, via: 'socket', sentAfterSignal, result: 'unanswered' }),
        ),
      );
    };
    const sendOverHttp = (i: number) => {
      const clientMsgId = uniqueName(`h${i}`);
      const sentAfterSignal = signalled;
      const user = senders[i % senders.length]!;
      outcomes.push(
        call(gateway.url, 'POST', `/v1/rooms/${room.id}/messages`, { token: user.token, body: { text: `http ${i}`, clientMsgId } }).then(
          (reply): Outcome =>
            reply.status === 201
              ? { clientMsgId, via: 'http', sentAfterSignal, result: 'stored', message: reply.body.message, answeredAfterSignal: signalled }
              : { clientMsgId, via: 'http', sentAfterSignal, result: 'refused', code: reply.body?.error?.code, answeredAfterSignal: signalled },
          (): Outcome => ({ clientMsgId, via: 'http', sentAfterSignal, result: 'unanswered' }),
        ),
      );
    };

    proxy.delayAnswers(SLOW_COMMIT_MS);
    for (let i = 0; i < 30; i++) sendOverSocket(i);
    for (let i = 0; i < 10; i++) sendOverHttp(i);
    await sleep(150);
    signalled = true;
    const exited = gateway.stop('SIGTERM');
    // During the drain: these must be refused, not dropped.
    await sleep(100);
    for (let i = 30; i < 45; i++) sendOverSocket(i);
    for (let i = 10; i < 15; i++) sendOverHttp(i);
    const results = await Promise.all(outcomes);
    expect(await exited).toBe(0);
    proxy.delayAnswers(0);

    for (const outcome of results) {
      expect(outcome.result === 'stored' || (outcome.result === 'refused' && outcome.code === 'SHUTTING_DOWN'), JSON.stringify(outcome)).toBe(true);
    }
    // The drain was exercised: sends accepted before the signal were acknowledged after it, and
    // sends during the drain were refused.
    expect(results.filter((o) => !o.sentAfterSignal && o.result === 'stored' && o.answeredAfterSignal).length).toBeGreaterThan(10);
    expect(results.filter((o) => o.sentAfterSignal && o.code === 'SHUTTING_DOWN').length).toBeGreaterThan(0);
    for (const socket of sockets) socket.close();

    // Restarted on the same database: everything acknowledged is there as acknowledged, nothing refused is.
    const restarted = await spawnGateway({ DATABASE_URL: database.url });
    try {
      const stored = new Map<string, Message>();
      for (let after = 0; ; ) {
        const page = await call(restarted.url, 'GET', `/v1/rooms/${room.id}/messages?after=${after}&limit=100`, { token: owner.token });
        for (const message of page.body.messages as Message[]) stored.set(message.clientMsgId!, message);
        if (!page.body.hasMore) break;
        after = page.body.messages.at(-1).seq;
      }
      for (const outcome of results) {
        if (outcome.result === 'stored') expect(stored.get(outcome.clientMsgId), outcome.clientMsgId).toEqual(outcome.message);
        else expect(stored.has(outcome.clientMsgId), outcome.clientMsgId).toBe(false);
      }
      const seqs = [...stored.values()].map((m) => m.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    } finally {
      await restarted.stop();
    }
  }, 120_000);
});
