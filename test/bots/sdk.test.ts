import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookHandler, QuanziBot, verifySignature } from '../../client/sdk/bot.ts';
import { call, joinRoom, postMessage, signUp } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { BOT_TEST_ENV, issueToken, roomWithBot } from './fixtures.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: BOT_TEST_ENV });
});
afterAll(() => server?.close());

describe('the bot SDK', () => {
  it('verifySignature accepts the right signature and rejects tampering and stale timestamps', () => {
    const body = '{"event":"command"}';
    const now = 1_750_000_000;
    const signature = `sha256=${createHmac('sha256', 's3cret').update(`${now}.${body}`).digest('hex')}`;
    expect(verifySignature({ secret: 's3cret', body, timestamp: String(now), signature, nowSeconds: now + 10 })).toBe(true);
    expect(verifySignature({ secret: 's3cret', body: body + ' ', timestamp: String(now), signature, nowSeconds: now })).toBe(false);
    expect(verifySignature({ secret: 'other', body, timestamp: String(now), signature, nowSeconds: now })).toBe(false);
    expect(verifySignature({ secret: 's3cret', body, timestamp: String(now), signature, nowSeconds: now + 301 })).toBe(false);
  });

  it('a bot built on QuanziBot + createWebhookHandler answers /checkin in the room', async () => {
    const { owner, roomId, botId } = await roomWithBot(server.url, 'SDK Bot');
    const token = await issueToken(server.url, owner, botId, ['messages:write', 'events:receive']);
    const bot = new QuanziBot({ baseUrl: server.url, token: token.secret });
    let secret: string | undefined;
    const receiver = createServer(createWebhookHandler({ secret: () => secret, onEvent: (e) => (e.command?.name === 'checkin' ? { text: `hi ${e.message!.sender!.displayName}` } : null) }));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const me = await bot.me();
      expect(me.id).toBe(botId);
      const hook = await bot.setWebhook(botId, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`, ['command']);
      secret = hook.signingSecret;
      await bot.setCommands(roomId, botId, [{ command: 'checkin' }]);
      const member = await signUp(server.url);
      await joinRoom(server.url, member, roomId);
      await postMessage(server.url, member, roomId, '/checkin');
      const replies = async () => (await call(server.url, 'GET', `/v1/rooms/${roomId}/messages`, { token: owner.token })).body.messages.filter((m: any) => m.sender?.id === botId);
      let found: any[] = [];
      for (let i = 0; i < 50 && found.length === 0; i++) {
        found = await replies();
        if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(found.map((m) => m.text)).toEqual([`hi ${member.displayName}`]);
      expect((await bot.deliveries(botId))[0]).toMatchObject({ event: 'command', status: 'delivered' });
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
