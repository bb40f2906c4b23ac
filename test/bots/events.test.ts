import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, joinRoom, postMessage, signUp, sleep, uniqueName, waitFor } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { BOT_TEST_ENV, botCall, changelogText, issueToken, roomWithBot, startReceiver, type Receiver } from './fixtures.ts';

let server: TestServer;
const receivers: Receiver[] = [];
beforeAll(async () => {
  server = await startTestServer({ env: BOT_TEST_ENV });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await server?.close();
});

async function receiver(respond?: Receiver['respond']): Promise<Receiver> {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

describe('outgoing events', () => {
  it('deliveries are signed: HMAC-SHA256 over timestamp + "." + body with the issued secret', async () => {
    const { owner, roomId, botId } = await roomWithBot(server.url);
    const r = await receiver();
    const set = await call(server.url, 'PUT', `/v1/bots/${botId}/webhook`, { token: owner.token, body: { url: r.url, events: ['message', 'member.joined'] } });
    expect(set.status).toBe(200);
    const secret: string = set.body.signingSecret;
    expect(secret).toMatch(/^qzw_/);

    const member = await signUp(server.url);
    await joinRoom(server.url, member, roomId);
    const sent = await postMessage(server.url, member, roomId, 'hello bots');
    await waitFor(() => r.received.some((d) => d.json.event === 'message'), 5000, 'message delivery');
    await waitFor(() => r.received.some((d) => d.json.event === 'member.joined'), 5000, 'join delivery');

    for (const d of r.received) {
      const timestamp = d.headers['x-quanzi-timestamp'] as string;
      expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(300);
      const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${d.body}`).digest('hex')}`;
      expect(d.headers['x-quanzi-signature']).toBe(expected);
      expect(d.headers['x-quanzi-delivery']).toBe(d.json.id);
      expect(d.headers['x-quanzi-event']).toBe(d.json.event);
      // A different secret (or a tampered body) does not verify.
      expect(createHmac('sha256', 'other').update(`${timestamp}.${d.body}`).digest('hex')).not.toBe(expected.slice(7));
    }
    const message = r.received.find((d) => d.json.event === 'message')!.json;
    expect(message).toMatchObject({ botId, roomId, message: { id: sent.body.message.id, text: 'hello bots' } });
    expect(r.received.find((d) => d.json.event === 'member.joined')!.json.user.id).toBe(member.id);

    // The bot's own posts never come back to it.
    const token = await issueToken(server.url, owner, botId, ['messages:write', 'events:receive']);
    const count = r.received.length;
    await botCall(server.url, 'POST', `/v1/rooms/${roomId}/messages`, token.secret, { text: 'I am the bot', clientMsgId: uniqueName() });
    await sleep(300);
    expect(r.received.length).toBe(count);

    const log = await botCall(server.url, 'GET', `/v1/bots/${botId}/deliveries`, token.secret);
    expect(log.status).toBe(200);
    expect(log.body.deliveries.every((d: any) => d.status === 'delivered' && d.log[0].statusCode === 200)).toBe(true);
  });

  it('a failing receiver is retried with backoff, then given up; repeated failures pause the endpoint', async () => {
    const { owner, roomId, botId } = await roomWithBot(server.url);
    let fail = true;
    const r = await receiver(() => (fail ? { status: 500 } : { status: 204 }));
    await call(server.url, 'PUT', `/v1/bots/${botId}/webhook`, { token: owner.token, body: { url: r.url, events: ['message'] } });
    const member = await signUp(server.url);
    await joinRoom(server.url, member, roomId);

    await postMessage(server.url, member, roomId, 'first');
    // BOT_DELIVERY_MAX_ATTEMPTS=3: three attempts, then the delivery fails.
    await waitFor(() => r.received.length === 3, 5000, 'three attempts');
    await sleep(200);
    let deliveries = (await call(server.url, 'GET', `/v1/bots/${botId}/deliveries`, { token: owner.token })).body.deliveries;
    expect(deliveries[0]).toMatchObject({ status: 'failed', attempts: 3, lastError: 'HTTP 500' });
    expect(deliveries[0].log.map((a: any) => a.statusCode)).toEqual([500, 500, 500]);
    const times = deliveries[0].log.map((a: any) => Date.parse(a.createdAt));
    expect(times[2] - times[1]).toBeGreaterThan(times[1] - times[0]); // backoff grows

    // BOT_PAUSE_AFTER_FAILURES=4: the fourth failure in a row pauses the endpoint.
    await postMessage(server.url, member, roomId, 'second');
    await waitFor(() => r.received.length >= 4, 5000, 'fourth attempt');
    const paused = async () => (await call(server.url, 'GET', `/v1/bots/${botId}/webhook`, { token: owner.token })).body.webhook;
    await sleep(200);
    expect(await paused()).toMatchObject({ status: 'paused', consecutiveFailures: 4 });
    expect((await paused()).pausedAt).not.toBeNull();
    await sleep(300);
    expect(r.received.length).toBe(4); // nothing is sent while paused

    fail = false;
    const resumed = await call(server.url, 'POST', `/v1/bots/${botId}/webhook/resume`, { token: owner.token });
    expect(resumed.body.webhook).toMatchObject({ status: 'active', consecutiveFailures: 0 });
    await waitFor(() => r.received.at(-1)!.json.message.text === 'second', 5000, 'the waiting delivery after resume');
    await sleep(200);
    deliveries = (await call(server.url, 'GET', `/v1/bots/${botId}/deliveries`, { token: owner.token })).body.deliveries;
    expect(deliveries[0]).toMatchObject({ status: 'delivered' });
  });

  it('only HTTPS (or loopback HTTP when enabled) endpoints are accepted', async () => {
    const { owner, botId } = await roomWithBot(server.url);
    const refused = await call(server.url, 'PUT', `/v1/bots/${botId}/webhook`, { token: owner.token, body: { url: 'http://example.com/hook', events: ['message'] } });
    expect(refused.body.error.code).toBe('WEBHOOK_URL_INVALID');
    expect((await call(server.url, 'PUT', `/v1/bots/${botId}/webhook`, { token: owner.token, body: { url: 'https://example.com/hook', events: ['message'] } })).status).toBe(200);
  });
});

describe('slash commands', () => {
  it('a member’s /checkin reaches the bot that registered it; its synchronous reply appears in the room live', async () => {
    const { owner, roomId, botId } = await roomWithBot(server.url, 'Check-in Bot');
    let count = 0;
    const r = await receiver((d) => {
      if (d.json.event !== 'command') return { status: 204 };
      count += 1;
      return { status: 200, body: { text: `✅ ${d.json.message.sender.displayName} checked in (${count} today) ${d.json.command.args}`.trim() } };
    });
    const token = await issueToken(server.url, owner, botId, ['messages:write', 'events:receive']);
    // The bot configures itself with its own token, as the example bot does.
    expect((await botCall(server.url, 'PUT', `/v1/bots/${botId}/webhook`, token.secret, { url: r.url, events: ['command'] })).status).toBe(200);
    const commands = await botCall(server.url, 'PUT', `/v1/rooms/${roomId}/bots/${botId}/commands`, token.secret, { commands: [{ command: 'checkin', description: 'Check in' }] });
    expect(commands.status).toBe(200);
    expect(commands.body.commands).toEqual([{ command: 'checkin', description: 'Check in', botId, botName: 'Check-in Bot' }]);

    const member = await signUp(server.url);
    await joinRoom(server.url, member, roomId);
    const live = await connect(server.url, member.token);
    const sent = await live.send({ roomId, text: '/checkin at the trailhead', clientMsgId: uniqueName() });
    expect(sent.ok).toBe(true);
    expect(sent.message.text).toBe('/checkin at the trailhead'); // the command itself is stored

    await waitFor(() => live.received.some((m) => m.sender?.id === botId), 5000, 'the bot reply, live');
    const reply = live.received.find((m) => m.sender?.id === botId)!;
    expect(reply).toMatchObject({ text: `✅ ${member.displayName} checked in (1 today) at the trailhead`, replyTo: sent.message.seq, sender: { kind: 'bot' } });
    const delivered = r.received.find((d) => d.json.event === 'command')!.json;
    expect(delivered.command).toEqual({ name: 'checkin', args: 'at the trailhead' });

    // An unregistered command is just a message; a second bot cannot take /checkin.
    const other = await call(server.url, 'POST', '/v1/bots', { token: owner.token, body: { name: 'Other', roomId } });
    const taken = await call(server.url, 'PUT', `/v1/rooms/${roomId}/bots/${other.body.bot.id}/commands`, { token: owner.token, body: { commands: [{ command: 'checkin' }] } });
    expect(taken.body.error.code).toBe('COMMAND_TAKEN');
    live.close();
  });

  it('a reply the database could not hold as sent is mended and clipped, not dropped', async () => {
    const { owner, roomId, botId } = await roomWithBot(server.url, 'Echo Bot');
    // A NUL, half of a surrogate pair, and more text than a message may hold.
    const r = await receiver((d) => (d.json.event === 'command' ? { status: 200, body: { text: `ok\u0000 \ud83d then ${changelogText(5000)}` } } : { status: 204 }));
    const token = await issueToken(server.url, owner, botId, ['messages:write', 'events:receive']);
    expect((await botCall(server.url, 'PUT', `/v1/bots/${botId}/webhook`, token.secret, { url: r.url, events: ['command'] })).status).toBe(200);
    expect((await botCall(server.url, 'PUT', `/v1/rooms/${roomId}/bots/${botId}/commands`, token.secret, { commands: [{ command: 'echo' }] })).status).toBe(200);

    const live = await connect(server.url, owner.token);
    expect((await live.send({ roomId, text: '/echo', clientMsgId: uniqueName() })).ok).toBe(true);
    await waitFor(() => live.received.some((m) => m.sender?.id === botId), 5000, 'the bot reply, live');
    const reply = live.received.find((m) => m.sender?.id === botId)!;
    expect(reply.text.startsWith(`ok \ufffd then ${changelogText(20)}`)).toBe(true);
    expect(reply.text).toHaveLength(4000);
    expect(reply.text).toBe(`ok \ufffd then ${changelogText(5000)}`.slice(0, 3999) + '…');
    live.close();
  });
});
