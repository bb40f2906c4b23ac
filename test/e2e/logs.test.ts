/**
 * What a gateway started like `npm start` writes to its log at info level: JSON lines when piped
 * or asked for, lines for people with LOG_FORMAT=pretty, and in neither a password, a token, a
 * webhook secret or the text of a message — after a real sign-up, sign-in, room, and sends over
 * HTTP, the socket, a bot token and an incoming webhook (also refused ones).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, uniqueName } from '../helpers/clients.ts';
import { createTestDatabase, MULTI_GATEWAY_DATABASE_URL, type TestDatabase } from '../helpers/env.ts';
import { spawnGateway, type GatewayProcess } from '../helpers/process.ts';

const marker = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(MULTI_GATEWAY_DATABASE_URL);
});
afterAll(async () => {
  await database?.drop();
});

describe('gateway logs', () => {
  let gateway: GatewayProcess;
  afterAll(async () => {
    await gateway?.stop();
  });

  it('at info level, as JSON when piped, never carry a password, a token, a webhook secret or message text', async () => {
    gateway = await spawnGateway({ DATABASE_URL: database.url, LOG_LEVEL: 'info' });
    const { url } = gateway;
    const secrets: string[] = [];
    const keep = (value: string) => (secrets.push(value), value);

    const username = uniqueName('mei');
    const password = keep(marker('password'));
    const signedUp = await call(url, 'POST', '/v1/users', { body: { username, password, displayName: 'Mei' } });
    expect(signedUp.status).toBe(201);
    keep(signedUp.body.token);
    const wrong = await call(url, 'POST', '/v1/sessions', { body: { username, password: keep(marker('wrong-password')) } });
    expect(wrong.status).toBe(401);
    const signedIn = await call(url, 'POST', '/v1/sessions', { body: { username, password } });
    expect(signedIn.status).toBe(200);
    const token = keep(signedIn.body.token);
    const refusedToken = await call(url, 'GET', '/v1/me', { token: keep(marker('forged-token')) });
    expect(refusedToken.status).toBe(401);

    const room = (await call(url, 'POST', '/v1/rooms', { token, body: { name: 'Darkroom', topic: '', tags: [] } })).body.room;
    const overHttp = await call(url, 'POST', `/v1/rooms/${room.id}/messages`, { token, body: { text: keep(marker('http-text')), clientMsgId: uniqueName('m') } });
    expect(overHttp.status).toBe(201);
    // Refused sends too: a malformed one and one too long, whose text could end up in an error.
    const malformed = await call(url, 'POST', `/v1/rooms/${room.id}/messages`, { token, body: { text: keep(marker('malformed-text')) } });
    expect(malformed.status).toBe(400);
    const tooLong = await call(url, 'POST', `/v1/rooms/${room.id}/messages`, { token, body: { text: keep(marker('long-text')).padEnd(5000, 'x'), clientMsgId: uniqueName('m') } });
    expect(tooLong.status).toBe(400);

    const live = await connect(url, token);
    try {
      const ack = await live.send({ roomId: room.id, text: keep(marker('socket-text')), clientMsgId: uniqueName('m') });
      expect(ack.ok).toBe(true);
      const refused = await live.send({ roomId: '00000000-0000-4000-8000-000000000000', text: keep(marker('refused-socket-text')), clientMsgId: uniqueName('m') });
      expect(refused.ok).toBe(false);
    } finally {
      live.close();
    }

    const bot = (await call(url, 'POST', '/v1/bots', { token, body: { name: 'Film bot', roomId: room.id } })).body.bot;
    const issued = await call(url, 'POST', `/v1/bots/${bot.id}/tokens`, { token, body: { scopes: ['messages:write'] } });
    expect(issued.status).toBe(201);
    const botSecret = keep(issued.body.secret);
    const botPost = await fetch(`${url}/v1/rooms/${room.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${botSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: keep(marker('bot-text')), clientMsgId: uniqueName('m') }),
    });
    expect(botPost.status).toBe(201);

    const hook = await call(url, 'POST', `/v1/rooms/${room.id}/hooks`, { token, body: { name: 'Feed', botId: bot.id } });
    expect(hook.status).toBe(201);
    const hookPath: string = hook.body.url;
    keep(hookPath.split('/').pop()!);
    const viaHook = await call(url, 'POST', hookPath, { body: { text: keep(marker('hook-text')) } });
    expect(viaHook.status).toBe(201);

    // Every line so far has been written: the drain's last line comes after all of them.
    expect(await gateway.stop()).toBe(0);
    const output = gateway.output();
    const lines = output.trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // The log did record this traffic, request by request (so the absence below means something).
    const completed = entries.filter((entry) => entry.msg === 'request completed');
    expect(completed.length).toBeGreaterThanOrEqual(10);
    expect(entries.some((entry) => entry.msg === 'incoming request' && (entry.req as { url: string }).url === `${hookPath.replace(/[^/]+$/, '[redacted]')}`)).toBe(true);
    expect(entries.every((entry) => typeof entry.level === 'number' && typeof entry.time === 'number')).toBe(true);
    expect(completed.every((entry) => typeof entry.reqId === 'string')).toBe(true);
    for (const secret of secrets) expect(output, `the log contains ${secret}`).not.toContain(secret);
  }, 60_000);

  it('with LOG_FORMAT=pretty, are lines for people: time, level, message and request id', async () => {
    const pretty = await spawnGateway({ DATABASE_URL: database.url, LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
    try {
      expect((await fetch(`${pretty.url}/readyz`)).status).toBe(200);
    } finally {
      expect(await pretty.stop()).toBe(0);
    }
    const lines = pretty.output().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).toThrow();
    expect(lines).toContainEqual(expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Quanzi is ready on http:\/\/127\.0\.0\.1:\d+/));
    expect(lines).toContainEqual(expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: incoming request GET \/readyz \(reqId=[\w-]+\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: request completed 200 in [\d.]+ ms \(reqId=[\w-]+\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/INFO: stopped cleanly$/));
  }, 60_000);
});
