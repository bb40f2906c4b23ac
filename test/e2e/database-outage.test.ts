/**
 * PostgreSQL goes away under a running gateway and comes back. While it is away every request
 * that needs it is answered 503 UNAVAILABLE (HTTP with Retry-After, socket acks with
 * `details.retryAfterMs`), never 500 INTERNAL; /readyz says not ready; the metrics count those
 * sends apart from failures. Sends in flight at the cut are acknowledged only if stored. When it is
 * back the gateway serves again without a restart, and retries with the same clientMsgId store each
 * message once. The SDK rides it out by itself. "Away" is a TCP proxy the test cuts (the machine's
 * PostgreSQL is shared and never stopped); always a real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuanziClient } from '../../client/sdk/index.ts';
import { ChatStore } from '../../client/web/src/state/store.ts';
import type { Message } from '../../shared/schemas.ts';
import { ERRORS } from '../../server/errors.ts';
import { call, connect, connectError, createRoom, joinRoom, signUp, sleep, uniqueName, waitFor, type LiveClient, type TestUser } from '../helpers/clients.ts';
import { createTestDatabase, MULTI_GATEWAY_DATABASE_URL, type TestDatabase } from '../helpers/env.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

let proxy: TcpProxy;
let database: TestDatabase;
let server: TestServer;
let owner: TestUser;
let live: LiveClient;

beforeAll(async () => {
  const target = new URL(MULTI_GATEWAY_DATABASE_URL);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  database = await createTestDatabase(MULTI_GATEWAY_DATABASE_URL);
  // `embedded` only keeps the helper from making a database of its own: DATABASE_URL is ours, through the proxy.
  server = await startTestServer({ embedded: true, env: { DATABASE_URL: proxy.urlFor(database.url) } });
  owner = await signUp(server.url);
  live = await connect(server.url, owner.token);
});
afterAll(async () => {
  live?.close();
  await proxy?.restore();
  await server?.close();
  await proxy?.close();
  await database?.drop();
});

async function httpSend(roomId: string, text: string, clientMsgId: string, sender: TestUser = owner): Promise<{ status: number; retryAfter: string | null; body: any }> {
  const response = await fetch(`${server.url}/v1/rooms/${roomId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sender.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, clientMsgId }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

async function sendCount(transport: 'http' | 'socket', result: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const match = new RegExp(`^quanzi_message_sends_total\\{transport="${transport}",result="${result}"\\} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`no series for ${transport}/${result}`);
  return Number(match[1]);
}

/**
 * Every message of the room, oldest first, read back once the database is there again. A read
 * may still meet a connection the outage broke and answer 503 once; a client asks again.
 */
async function history(roomId: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let after = 0; ; ) {
    const read = () => call(server.url, 'GET', `/v1/rooms/${roomId}/messages?after=${after}&limit=100`, { token: owner.token });
    let page = await read();
    for (const backBy = Date.now() + 10_000; page.status === 503 && Date.now() < backBy; ) {
      await sleep(300);
      page = await read();
    }
    expect(page.status).toBe(200);
    all.push(...page.body.messages);
    if (!page.body.hasMore) return all;
    after = all.at(-1)!.seq;
  }
}

const UNAVAILABLE_BODY = { code: 'UNAVAILABLE', message: ERRORS.UNAVAILABLE.message, details: { retryAfterMs: expect.any(Number) } };

describe('PostgreSQL stopped under a running gateway', () => {
  it('answers UNAVAILABLE while it is away, acknowledges nothing it did not store, and recovers by itself', async () => {
    const room = await createRoom(server.url, owner, { name: uniqueName('outage') });
    expect((await httpSend(room.id, 'before the outage', uniqueName('m'))).status).toBe(201);
    expect((await live.send({ roomId: room.id, text: 'before, live', clientMsgId: uniqueName('m') })).ok).toBe(true);
    // Signed up, never seen by the gateway since: its handshake must read the database.
    const newcomer = await signUp(server.url);
    const before = { http: await sendCount('http', 'unavailable'), socket: await sendCount('socket', 'unavailable'), failed: await sendCount('http', 'failed') + (await sendCount('socket', 'failed')) };

    // Sends in flight when the database goes: its answers are held back, then the connection cut.
    proxy.delayAnswers(400);
    const inFlightIds = Array.from({ length: 12 }, (_, i) => `inflight-${i}-${uniqueName()}`);
    const inFlight = inFlightIds.map((clientMsgId, i) =>
      i % 2 === 0
        ? live.send({ roomId: room.id, text: `in flight ${i}`, clientMsgId }).then((ack) => ({ clientMsgId, ok: ack.ok as boolean, code: ack.error?.code, message: ack.message }))
        : httpSend(room.id, `in flight ${i}`, clientMsgId).then((reply) => ({ clientMsgId, ok: reply.status === 201, code: reply.body.error?.code, message: reply.body.message })),
    );
    // Cut once the first of them is answered, so some are acknowledged and some are not yet.
    await Promise.race(inFlight);
    await proxy.cut();
    proxy.delayAnswers(0);
    const atTheCut = await Promise.all(inFlight);
    for (const result of atTheCut) expect(result.ok || result.code === 'UNAVAILABLE', JSON.stringify(result)).toBe(true);

    // While it is away: HTTP and socket sends, and any other route that reads it.
    const retriedId = uniqueName('retried');
    const refused = await httpSend(room.id, 'during the outage', retriedId);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: UNAVAILABLE_BODY });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter) * 1000).toBeGreaterThanOrEqual(refused.body.error.details.retryAfterMs);
    const liveId = uniqueName('live');
    const ack = await live.send({ roomId: room.id, text: 'during, live', clientMsgId: liveId });
    expect(ack).toEqual({ ok: false, error: UNAVAILABLE_BODY });
    const page = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
    expect(page.status).toBe(503);
    expect(page.body.error.code).toBe('UNAVAILABLE');
    const signUpNow = await call(server.url, 'POST', '/v1/users', { body: { username: uniqueName(), password: 'correct horse battery', displayName: 'Late' } });
    expect(signUpNow.status).toBe(503);
    expect(signUpNow.body.error.code).toBe('UNAVAILABLE');
    const handshake = await connectError(server.url, newcomer.token);
    expect(handshake.data).toEqual(UNAVAILABLE_BODY);
    const ready = await call(server.url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'not ready', checks: { database: expect.stringContaining('unreachable') } });

    expect(await sendCount('http', 'unavailable')).toBeGreaterThan(before.http);
    expect(await sendCount('socket', 'unavailable')).toBeGreaterThan(before.socket);
    expect((await sendCount('http', 'failed')) + (await sendCount('socket', 'failed'))).toBe(before.failed);

    // Back: no restart, the gateway reconnects on its own.
    await proxy.restore();
    let retried = await httpSend(room.id, 'during the outage', retriedId);
    const backBy = Date.now() + 15_000;
    while (retried.status === 503 && Date.now() < backBy) {
      await sleep(Number(retried.retryAfter) * 1000);
      retried = await httpSend(room.id, 'during the outage', retriedId);
    }
    expect(retried.status).toBe(201);
    expect((await httpSend(room.id, 'during the outage', retriedId)).status).toBe(200);
    expect((await live.send({ roomId: room.id, text: 'during, live', clientMsgId: liveId })).ok).toBe(true);
    expect((await call(server.url, 'GET', '/readyz')).status).toBe(200);

    // Every send in flight at the cut, retried with its clientMsgId, is stored exactly once, and
    // those acknowledged at the cut are stored as acknowledged.
    for (const [i, result] of atTheCut.entries()) {
      const again = i % 2 === 0 ? await live.send({ roomId: room.id, text: `in flight ${i}`, clientMsgId: result.clientMsgId }) : await httpSend(room.id, `in flight ${i}`, result.clientMsgId);
      const message = 'ok' in again ? again.message : again.body.message;
      expect(message, JSON.stringify(again)).toBeDefined();
      if (result.ok) expect(message.id).toBe(result.message.id);
    }
    const stored = await history(room.id);
    const ids = stored.map((m) => m.clientMsgId);
    for (const clientMsgId of [...inFlightIds, retriedId, liveId]) expect(ids.filter((id) => id === clientMsgId), clientMsgId).toHaveLength(1);
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
  }, 60_000);

  it('the SDK retries a send through the outage with the same clientMsgId and it is stored once', async () => {
    const room = await createRoom(server.url, owner, { name: uniqueName('sdk') });
    const client = new QuanziClient({ baseUrl: server.url, token: owner.token, socketOptions: { reconnectionDelay: 100, reconnectionDelayMax: 300 } });
    try {
      await client.start();
      await client.waitUntilConnected(5_000);
      const refusedBefore = await sendCount('socket', 'unavailable');
      await proxy.cut();
      const sending = client.send(room.id, 'sent while the database was away', { clientMsgId: uniqueName('sdk') });
      // The first attempts meet UNAVAILABLE; the client waits as asked and tries again by itself.
      await sleep(2_500);
      expect(await sendCount('socket', 'unavailable')).toBeGreaterThan(refusedBefore);
      await proxy.restore();
      const { message } = await sending;
      expect(message.text).toBe('sent while the database was away');
      const stored = (await history(room.id)).filter((m) => m.clientMsgId === message.clientMsgId);
      expect(stored.map((m) => m.id)).toEqual([message.id]);
    } finally {
      client.disconnect();
      await proxy.restore();
    }
  }, 60_000);

  it("a member's send retried through the outage is judged once by the safety rules, not held as a repeated text", async () => {
    const room = await createRoom(server.url, owner, { name: uniqueName('retries') });
    const member = await signUp(server.url);
    await joinRoom(server.url, member, room.id);
    // Warm the member's facts so the attempts reach the safety rules and the writer.
    expect((await httpSend(room.id, 'hello everyone', uniqueName('m'), member)).status).toBe(201);
    await proxy.cut();
    const clientMsgId = uniqueName('patient');
    try {
      // More attempts than the flood rule lets the same text through (standard: two repeats).
      for (let attempt = 0; attempt < 4; attempt++) expect((await httpSend(room.id, 'is anyone there tonight?', clientMsgId, member)).status).toBe(503);
    } finally {
      await proxy.restore();
    }
    let reply = await httpSend(room.id, 'is anyone there tonight?', clientMsgId, member);
    for (const backBy = Date.now() + 15_000; reply.status === 503 && Date.now() < backBy; ) {
      await sleep(500);
      reply = await httpSend(room.id, 'is anyone there tonight?', clientMsgId, member);
    }
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.message.clientMsgId).toBe(clientMsgId);
  }, 60_000);

  it('a transaction whose connection drops in the middle fails with UNAVAILABLE and leaves the gateway running', async () => {
    // postgres.js would send ROLLBACK on the dead connection and crash the process (store/db.ts).
    const room = await createRoom(server.url, owner, { name: uniqueName('pins') });
    const seqs: number[] = [];
    for (let i = 0; i < 8; i++) seqs.push((await httpSend(room.id, `pin me ${i}`, uniqueName('m'))).body.message.seq);
    proxy.delayAnswers(200);
    // Started 120 ms apart, so that at the cut some are inside their transaction, past BEGIN.
    const pinning: Array<Promise<{ status: number; body: any }>> = [];
    for (const seq of seqs) {
      pinning.push(call(server.url, 'PUT', `/v1/rooms/${room.id}/pins/${seq}`, { token: owner.token }));
      await sleep(120);
    }
    await proxy.cut();
    proxy.delayAnswers(0);
    const answers = await Promise.all(pinning);
    for (const answer of answers) expect([200, 201, 409, 503], JSON.stringify(answer.body)).toContain(answer.status);
    expect(answers.filter((a) => a.status === 503).every((a) => a.body.error.code === 'UNAVAILABLE')).toBe(true);
    expect(answers.some((a) => a.status === 503)).toBe(true);
    // A moment for anything the driver left for later ticks.
    await sleep(300);
    await proxy.restore();
    let again = await call(server.url, 'GET', `/v1/rooms/${room.id}/pins`, { token: owner.token });
    for (const backBy = Date.now() + 15_000; again.status === 503 && Date.now() < backBy; ) {
      await sleep(500);
      again = await call(server.url, 'GET', `/v1/rooms/${room.id}/pins`, { token: owner.token });
    }
    expect(again.status).toBe(200);
  }, 60_000);

  it("the web client's outbox keeps a message sending through the outage, then shows it once, stored", async () => {
    const room = await createRoom(server.url, owner, { name: uniqueName('web') });
    const store = new ChatStore(new QuanziClient({ baseUrl: server.url, token: owner.token, socketOptions: { reconnectionDelay: 100, reconnectionDelayMax: 300 } }));
    try {
      await store.start();
      await store.client.waitUntilConnected(5_000);
      await proxy.cut();
      store.send(room.id, 'written while the database was away', null);
      const [pending] = store.outbox.of(room.id);
      await sleep(2_500);
      // Refused UNAVAILABLE meanwhile, and retried by itself: still sending, not failed.
      expect(pending).toMatchObject({ status: 'sending', error: null });
      await proxy.restore();
      await waitFor(() => store.timeline(room.id).messages.some((m) => m.clientMsgId === pending!.clientMsgId), 20_000, 'the message stored and shown');
      expect(store.timeline(room.id).messages.filter((m) => m.text === 'written while the database was away')).toHaveLength(1);
      expect(store.outbox.of(room.id).filter((p) => p.status !== 'sending' || p.clientMsgId === pending!.clientMsgId)).toEqual([]);
      expect((await history(room.id)).filter((m) => m.clientMsgId === pending!.clientMsgId)).toHaveLength(1);
    } finally {
      store.stop();
      await proxy.restore();
    }
  }, 60_000);
});
