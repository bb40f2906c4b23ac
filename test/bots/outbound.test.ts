/**
 * Bot endpoints must not reach inside the server's network: private, link-local and (unless the
 * server allows it for development) loopback addresses are refused, at registration for literal
 * addresses and at connect time for names that resolve to them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from '../../server/bots/outbound.ts';
import { isAllowedDestination } from '../../server/domain/public-addresses.ts';
import { call } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { BOT_TEST_ENV, roomWithBot, startReceiver } from './fixtures.ts';

describe('which addresses a bot endpoint may live at', () => {
  it('refuses private, link-local, cloud-metadata, multicast and mapped private addresses', () => {
    for (const address of ['10.1.2.3', '172.20.0.1', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '::']) {
      expect(isAllowedDestination(address, false), address).toBe(false);
    }
    for (const address of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111']) {
      expect(isAllowedDestination(address, false), address).toBe(true);
    }
    expect(isAllowedDestination('127.0.0.1', false)).toBe(false);
    expect(isAllowedDestination('::1', false)).toBe(false);
    expect(isAllowedDestination('127.0.0.1', true)).toBe(true);
  });

  it('refuses at connect time a name that resolves to loopback when loopback is not allowed', async () => {
    const receiver = await startReceiver();
    try {
      const url = receiver.url.replace('127.0.0.1', 'localhost');
      await expect(postJson(url, { headers: {}, body: '{}', timeoutMs: 2000, maxResponseBytes: 1000, allowLoopback: false })).rejects.toThrow(/not a public address/);
      const ok = await postJson(url, { headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2000, maxResponseBytes: 1000, allowLoopback: true });
      expect(ok.status).toBe(200);
    } finally {
      await receiver.close();
    }
  });
});

describe('registering an endpoint', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: BOT_TEST_ENV });
  });
  afterAll(() => server?.close());

  it('refuses a literal private address with WEBHOOK_URL_INVALID', async () => {
    const { owner, botId } = await roomWithBot(server.url);
    for (const url of ['https://10.0.0.5/hook', 'https://169.254.169.254/latest/meta-data', 'https://[fd00::1]/hook']) {
      const reply = await call(server.url, 'PUT', `/v1/bots/${botId}/webhook`, { token: owner.token, body: { url, events: ['message'] } });
      expect(reply.status, url).toBe(400);
      expect(reply.body.error.code).toBe('WEBHOOK_URL_INVALID');
    }
  });
});
