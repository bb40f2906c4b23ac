/**
 * GET /metrics as Prometheus scrapes it: sends over the socket and HTTP move the send, storage,
 * group-commit, safety and fan-out metrics by exactly what was sent; the socket gauge is the
 * number of connected sockets; HTTP requests are labelled by route pattern; METRICS_TOKEN closes
 * the endpoint to anyone without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, joinRoom, postMessage, signUp, sleep, uniqueName, waitFor, type LiveClient, type TestUser } from './helpers/clients.ts';
import { castRoom } from './helpers/rooms.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import type { Room } from '../shared/schemas.ts';
import { BOT_TEST_ENV, roomWithBot, startReceiver } from './bots/fixtures.ts';
import { windowsProgram } from './media/fixtures.ts';
import { photo } from './media/safety-pictures.ts';

const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** The safety fixtures' texts (test/review/verdicts.test.ts): a newcomer's link is held, a scam blocked. */
const HELD_LINK = '活动详情 https://our-club.cn/events';
const FLAGGED_CONTACT = '有事加我微信 abc_12345';
const SCAM = '稳赚不赔，导师带单，加V：abc12345';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The exposition text as samples; enough of the format for what prom-client writes. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unreadable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

class Scrape {
  constructor(
    readonly text: string,
    readonly samples: Sample[],
  ) {}

  /** The sample's value, 0 when the series does not exist yet. */
  value(name: string, labels: Record<string, string> = {}): number {
    const found = this.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v) && Object.keys(s.labels).length === Object.keys(labels).length);
    return found?.value ?? 0;
  }
}

async function scrape(server: TestServer, token?: string): Promise<Scrape> {
  const response = await fetch(`${server.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
  const text = await response.text();
  return new Scrape(text, parse(text));
}

/** How much each named series moved between two scrapes. */
function moved(before: Scrape, after: Scrape) {
  return (name: string, labels: Record<string, string> = {}) => after.value(name, labels) - before.value(name, labels);
}

let server: TestServer;
let room: Room;
let owner: TestUser;
let member: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  ({ room, owner, members: [member] } = await castRoom(server.url, { members: 1 }, { name: 'Metrics room' }));
});
afterAll(() => server?.close());

describe('GET /metrics', () => {
  it('serves the process metrics with the quanzi_ prefix in Prometheus text format, without a token when none is configured', async () => {
    const metrics = await scrape(server);
    for (const name of ['quanzi_process_cpu_user_seconds_total', 'quanzi_process_resident_memory_bytes', 'quanzi_nodejs_eventloop_lag_seconds', 'quanzi_nodejs_heap_size_used_bytes']) {
      expect(metrics.samples.some((s) => s.name === name), name).toBe(true);
    }
    expect(metrics.text).toContain('# TYPE quanzi_message_commit_duration_seconds histogram');
    expect(metrics.text).toContain('# TYPE quanzi_sockets_connected gauge');
  });

  it('counts sends over the socket by result, and their commits, acks, verdicts and deliveries', async () => {
    const [alice, bob] = await Promise.all([connect(server.url, owner.token), connect(server.url, member.token)]);
    // Connecting announces presence on the bus; let that settle so it does not count below.
    await sleep(200);
    const before = await scrape(server);

    const retried = { roomId: room.id, text: 'Film swap on Saturday?', clientMsgId: uniqueName() };
    const first = await alice.send(retried);
    const second = await alice.send({ roomId: room.id, text: 'Bring your spare rolls', clientMsgId: uniqueName() });
    const retry = await alice.send(retried);
    const empty = await alice.send({ roomId: room.id, text: '', clientMsgId: uniqueName() });
    expect([first.ok, second.ok, retry.ok, retry.duplicate, empty.ok]).toEqual([true, true, true, true, false]);
    expect(empty.error.code).toBe('MESSAGE_EMPTY');
    await waitFor(() => bob.received.length === 2, 3000, 'delivery to bob');

    const after = await scrape(server);
    const delta = moved(before, after);
    expect(delta('quanzi_message_sends_total', { transport: 'socket', result: 'stored' })).toBe(2);
    expect(delta('quanzi_message_sends_total', { transport: 'socket', result: 'duplicate' })).toBe(1);
    expect(delta('quanzi_message_sends_total', { transport: 'socket', result: 'refused' })).toBe(1);
    expect(delta('quanzi_message_sends_total', { transport: 'socket', result: 'failed' })).toBe(0);
    expect(delta('quanzi_message_sends_total', { transport: 'http', result: 'stored' })).toBe(0);
    // Ack latency is the time to a stored message's ack: only the two stored sends.
    expect(delta('quanzi_message_ack_duration_seconds_count', { transport: 'socket' })).toBe(2);
    expect(delta('quanzi_message_ack_duration_seconds_sum', { transport: 'socket' })).toBeGreaterThan(0);
    expect(delta('quanzi_message_ack_duration_seconds_count', { transport: 'http' })).toBe(0);

    expect(delta('quanzi_messages_stored_total', { kind: 'text' })).toBe(2);
    expect(delta('quanzi_messages_stored_total', { kind: 'system' })).toBe(0);
    // Sent one after another, each message is its own batch; the sizes add up to what was stored.
    expect(delta('quanzi_message_batch_size_count')).toBe(2);
    expect(delta('quanzi_message_batch_size_sum')).toBe(2);
    expect(delta('quanzi_message_commit_duration_seconds_count')).toBe(2);
    expect(delta('quanzi_message_commit_duration_seconds_bucket', { le: '+Inf' })).toBe(2);

    // One event per stored message on the bus, and one emit to this gateway's room (two sockets in it).
    expect(delta('quanzi_fanout_events_published_total')).toBe(2);
    expect(delta('quanzi_fanout_events_delivered_total')).toBe(2);
    expect(delta('quanzi_fanout_gap_fills_total')).toBe(0);
    alice.close();
    bob.close();
  });

  it('counts sends over HTTP by result, a held one among the refused', async () => {
    const newcomer = await signUp(server.url);
    await joinRoom(server.url, newcomer, room.id);
    const before = await scrape(server);

    const clientMsgId = uniqueName();
    expect((await postMessage(server.url, member, room.id, 'Darkroom is free on Sunday', clientMsgId)).status).toBe(201);
    expect((await postMessage(server.url, member, room.id, 'Darkroom is free on Sunday', clientMsgId)).status).toBe(200);
    const empty = await postMessage(server.url, member, room.id, '');
    expect([empty.status, empty.body.error.code]).toEqual([400, 'MESSAGE_EMPTY']);
    const held = await postMessage(server.url, newcomer, room.id, HELD_LINK);
    expect([held.status, held.body.error.code]).toEqual([202, 'HELD_FOR_REVIEW']);

    const after = await scrape(server);
    const delta = moved(before, after);
    expect(delta('quanzi_message_sends_total', { transport: 'http', result: 'stored' })).toBe(1);
    expect(delta('quanzi_message_sends_total', { transport: 'http', result: 'duplicate' })).toBe(1);
    expect(delta('quanzi_message_sends_total', { transport: 'http', result: 'refused' })).toBe(2);
    expect(delta('quanzi_message_sends_total', { transport: 'socket', result: 'stored' })).toBe(0);
    expect(delta('quanzi_message_ack_duration_seconds_count', { transport: 'http' })).toBe(1);
    expect(delta('quanzi_messages_stored_total', { kind: 'text' })).toBe(1);
    expect(delta('quanzi_safety_verdicts_total', { action: 'hold' })).toBe(1);
  });

  it('counts safety verdicts by action', async () => {
    const { room: safetyRoom, owner, members } = await castRoom(server.url, { members: 1 }, { name: 'Verdicts room' });
    const newcomer = members[0]!;
    // The rules alone: with the trained model the contact line below is held, not flagged.
    expect((await call(server.url, 'PUT', `/v1/rooms/${safetyRoom.id}/safety`, { token: owner.token, body: { rules: { model: 'off' } } })).status).toBe(200);
    const before = await scrape(server);

    expect((await postMessage(server.url, newcomer, safetyRoom.id, 'Hello everyone')).status).toBe(201);
    expect((await postMessage(server.url, newcomer, safetyRoom.id, 'Any tips for night shots?')).status).toBe(201);
    expect((await postMessage(server.url, newcomer, safetyRoom.id, FLAGGED_CONTACT)).status).toBe(201);
    expect((await postMessage(server.url, newcomer, safetyRoom.id, HELD_LINK)).status).toBe(202);
    expect((await postMessage(server.url, newcomer, safetyRoom.id, SCAM)).status).toBe(422);

    const delta = moved(before, await scrape(server));
    expect(delta('quanzi_safety_verdicts_total', { action: 'allow' })).toBe(2);
    expect(delta('quanzi_safety_verdicts_total', { action: 'flag' })).toBe(1);
    expect(delta('quanzi_safety_verdicts_total', { action: 'hold' })).toBe(1);
    expect(delta('quanzi_safety_verdicts_total', { action: 'block' })).toBe(1);
    expect(delta('quanzi_message_sends_total', { transport: 'http', result: 'stored' })).toBe(3);
    expect(delta('quanzi_message_sends_total', { transport: 'http', result: 'refused' })).toBe(2);
  });

  it('counts verdicts on uploads apart from messages, and times QR scans', async () => {
    const { room: filesRoom, owner: filesOwner, members } = await castRoom(server.url, { members: 1 }, { name: 'Uploads room' });
    const newcomer = members[0]!;
    const before = await scrape(server);
    const post = async (user: TestUser, bytes: Buffer | string, name: string) => {
      const form = new FormData();
      form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
      return (await fetch(`${server.url}/v1/rooms/${filesRoom.id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form })).status;
    };
    expect(await post(filesOwner, 'minutes of the meeting', 'minutes.txt')).toBe(201);
    expect(await post(filesOwner, await photo(71), 'photo.jpg')).toBe(201);
    // A newcomer's photo is held (probation); their program refused.
    expect(await post(newcomer, await photo(72), 'me.jpg')).toBe(201);
    expect(await post(newcomer, windowsProgram(), 'me2.jpg')).toBe(415);

    const delta = moved(before, await scrape(server));
    expect(delta('quanzi_attachment_verdicts_total', { action: 'allow' })).toBe(2);
    expect(delta('quanzi_attachment_verdicts_total', { action: 'hold' })).toBe(1);
    expect(delta('quanzi_attachment_verdicts_total', { action: 'block' })).toBe(1);
    expect(delta('quanzi_attachment_qr_scan_duration_seconds_count')).toBe(2);
    expect(delta('quanzi_safety_verdicts_total', { action: 'allow' })).toBe(0);
  });

  it('reports the connected sockets', async () => {
    const sockets: LiveClient[] = await Promise.all([connect(server.url, owner.token), connect(server.url, member.token), connect(server.url, owner.token)]);
    // Sockets closed by earlier tests leave the server a moment after their clients close them.
    await expectSockets(3);
    sockets.pop()!.close();
    await expectSockets(2);
    for (const socket of sockets) socket.close();
    await expectSockets(0);
  });

  it('labels HTTP requests by route pattern, never by the concrete URL', async () => {
    const history = await fetch(`${server.url}/v1/rooms/${room.id}/messages`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(history.status).toBe(200);
    expect((await fetch(`${server.url}/v1/no/such/${uniqueName()}`)).status).toBe(404);
    const metrics = await scrape(server);

    const route = '/v1/rooms/:roomId/messages';
    expect(metrics.value('quanzi_http_requests_total', { route, method: 'GET', status: '2xx' })).toBeGreaterThanOrEqual(1);
    expect(metrics.value('quanzi_http_requests_total', { route, method: 'POST', status: '2xx' })).toBeGreaterThanOrEqual(2);
    expect(metrics.value('quanzi_http_requests_total', { route, method: 'POST', status: '4xx' })).toBeGreaterThanOrEqual(1);
    expect(metrics.value('quanzi_http_request_duration_seconds_count', { route, method: 'GET' })).toBeGreaterThanOrEqual(1);
    expect(metrics.value('quanzi_http_requests_total', { route: 'unmatched', method: 'GET', status: '4xx' })).toBeGreaterThanOrEqual(1);
    expect(metrics.text).not.toContain(room.id);
    expect(metrics.text).not.toContain('/no/such');
  });

  it('is described in the OpenAPI document under the operations tag, apart from the chat API', async () => {
    const spec = await (await fetch(`${server.url}/docs/json`)).json();
    expect(spec.paths['/metrics'].get.tags).toEqual(['operations']);
  });

  async function expectSockets(count: number): Promise<void> {
    let last = -1;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      last = (await scrape(server)).value('quanzi_sockets_connected');
      if (last === count) return;
      await sleep(20);
    }
    expect(last, 'quanzi_sockets_connected').toBe(count);
  }
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'scrape-me-9f2c41d7e0a6b3';
  let guarded: TestServer;

  beforeAll(async () => {
    guarded = await startTestServer({ env: { METRICS_TOKEN: token } });
  });
  afterAll(() => guarded?.close());

  it('answers 401 UNAUTHENTICATED without the token or with a wrong one, and the metrics with it', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0000000000', token, `Basic ${token}`, `Bearer ${token}x`]) {
      const response = await fetch(`${guarded.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(response.status, String(authorization)).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    }
    const metrics = await scrape(guarded, token);
    expect(metrics.samples.some((s) => s.name === 'quanzi_process_cpu_user_seconds_total')).toBe(true);
  });

  it('keeps its own registry: another gateway in the same process counts nothing of this one', async () => {
    const { room: otherRoom, owner: otherOwner } = await castRoom(guarded.url, {}, { name: 'Second gateway' });
    const before = await scrape(server);
    const guardedBefore = await scrape(guarded, token);
    expect((await postMessage(guarded.url, otherOwner, otherRoom.id, 'Only here')).status).toBe(201);
    expect(moved(guardedBefore, await scrape(guarded, token))('quanzi_message_sends_total', { transport: 'http', result: 'stored' })).toBe(1);
    expect(moved(before, await scrape(server))('quanzi_message_sends_total', { transport: 'http', result: 'stored' })).toBe(0);
  });
});

describe('bot delivery metrics', () => {
  let botServer: TestServer;
  beforeAll(async () => {
    // BOT_DELIVERY_MAX_ATTEMPTS=3, retries 50 ms apart and growing.
    botServer = await startTestServer({ env: BOT_TEST_ENV });
  });
  afterAll(() => botServer?.close());

  it('counts each webhook attempt: delivered, failed with a retry to come, failed for the last time', async () => {
    const { owner, roomId, botId } = await roomWithBot(botServer.url);
    let failuresLeft = 2;
    const receiver = await startReceiver(() => (failuresLeft-- > 0 ? { status: 500 } : { status: 204 }));
    try {
      const webhook = await call(botServer.url, 'PUT', `/v1/bots/${botId}/webhook`, { token: owner.token, body: { url: receiver.url, events: ['message'] } });
      expect(webhook.status).toBe(200);
      const before = await scrape(botServer);

      expect((await postMessage(botServer.url, owner, roomId, 'Trail report, please')).status).toBe(201);
      await waitFor(() => receiver.received.length === 3, 5000, 'two failed attempts and a delivered one');
      failuresLeft = Infinity;
      expect((await postMessage(botServer.url, owner, roomId, 'Anyone up for Sunday?')).status).toBe(201);
      await waitFor(() => receiver.received.length === 6, 5000, 'three failed attempts');

      const bots = moved(before, await waitForScrape(botServer, (s) => s.value('quanzi_bot_deliveries_total', { outcome: 'gave_up' }) >= 1));
      expect(bots('quanzi_bot_deliveries_total', { outcome: 'delivered' })).toBe(1);
      expect(bots('quanzi_bot_deliveries_total', { outcome: 'retry_scheduled' })).toBe(4);
      expect(bots('quanzi_bot_deliveries_total', { outcome: 'gave_up' })).toBe(1);
    } finally {
      await receiver.close();
    }
  });
});

/** The receiver hears an attempt a moment before the worker records its outcome. */
async function waitForScrape(target: TestServer, ready: (scrape: Scrape) => boolean): Promise<Scrape> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const current = await scrape(target);
    if (ready(current) || Date.now() > deadline) return current;
    await sleep(20);
  }
}
