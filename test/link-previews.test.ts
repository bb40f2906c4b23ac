/**
 * Link previews through the real interfaces: a member posts a link over the socket, the server
 * fetches the page from a local HTTP server this test starts (allowed only by the test-only
 * LINK_PREVIEW_ALLOW_LOOPBACK setting) and the room receives a `preview` change. And the fetcher's
 * address rules on their own: private networks refused even then, on a redirect too; names that
 * resolve to this machine refused when loopback is not allowed; pages that are not HTML, too large
 * or too slow give nothing; a scam page's title never becomes a preview.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomChange } from '../shared/schemas.ts';
import { linkToPreview } from '../server/domain/link-previews.ts';
import { ForbiddenDestinationError } from '../server/net/public-dial.ts';
import { fetchPage } from '../server/previews/fetch-page.ts';
import { readPreview } from '../server/previews/read-preview.ts';
import { call, connect, sleep, uniqueName, waitFor } from './helpers/clients.ts';
import { castRoom } from './helpers/rooms.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const pages: Record<string, { status?: number; type?: string; body?: string | Buffer; location?: string; delayMs?: number }> = {
  '/trip': {
    body: `<!doctype html><html><head><meta charset="utf-8"><title>ignored</title>
      <meta property="og:title" content="周末徒步：香山红叶线">
      <meta property="og:description" content="全程 12 公里，适合新手 &amp; 带狗">
      <meta property="og:image" content="https://img.example.org/hike.jpg">
      <meta property="og:site_name" content="山野俱乐部"></head><body><p>…</p></body></html>`,
  },
  '/plain-title': { body: '<html><head><title>  Film   Photography Club\n</title><meta name="description" content="Meetups every month"></head></html>' },
  '/gbk': { type: 'text/html; charset=gbk', body: Buffer.concat([Buffer.from('<html><head><title>'), Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), Buffer.from('</title></head></html>')]) },
  '/to-private': { status: 302, location: 'http://10.1.2.3/admin' },
  '/to-metadata': { status: 301, location: 'http://169.254.169.254/latest/meta-data/' },
  '/to-trip': { status: 302, location: '/trip' },
  '/image': { type: 'image/png', body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
  '/scam': { body: '<html><head><title>加V信 fa_cai888 日赚三千 稳赚不赔</title></head></html>' },
  '/slow': { delayMs: 3000, body: '<html><head><title>Slow</title></head></html>' },
  '/huge': { body: `<html><head><title>Huge</title></head><body>${'x'.repeat(2_000_000)}</body></html>` },
};

let site: http.Server;
let siteUrl: string;
const hits: string[] = [];
let server: TestServer;

beforeAll(async () => {
  site = http.createServer((request, response) => {
    hits.push(request.url ?? '');
    const page = pages[request.url ?? ''];
    if (!page) return response.writeHead(404).end();
    setTimeout(() => {
      const headers: Record<string, string> = { 'content-type': page.type ?? 'text/html; charset=utf-8' };
      if (page.location) headers.location = page.location;
      response.writeHead(page.status ?? 200, headers).end(page.body ?? '');
    }, page.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  server = await startTestServer({ env: { LINK_PREVIEW_ALLOW_LOOPBACK: 'true', LINK_PREVIEW_TIMEOUT_MS: '1500', LINK_PREVIEW_MAX_BYTES: '65536' } });
});
afterAll(async () => {
  await server?.close();
  site?.closeAllConnections();
  await new Promise((resolve) => site?.close(resolve));
});

const options = (extra: Partial<Parameters<typeof fetchPage>[1]> = {}) => ({ timeoutMs: 1500, maxBytes: 65536, maxRedirects: 4, allowLoopback: true, ...extra });

describe('previews in a room', () => {
  it('a posted link gets a preview on the change feed, fetched once for every room', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    await call(server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { probationSeconds: 0 } });
    const reader = await connect(server.url, owner.token);
    const changes: RoomChange[] = [];
    reader.socket.on('room:change', (change: RoomChange) => changes.push(change));
    const writer = await connect(server.url, members[0]!.token);
    try {
      const ack = await writer.send({ roomId: room.id, text: `周六一起去吗 ${siteUrl}/trip 报名看这里`, clientMsgId: uniqueName() });
      expect(ack.ok).toBe(true);
      await waitFor(() => changes.some((c) => c.kind === 'preview'), 5000, 'the preview change');
      const change = changes.find((c) => c.kind === 'preview')!;
      expect(change).toMatchObject({
        kind: 'preview',
        payload: {
          seq: ack.message.seq,
          previews: [{ url: `${siteUrl}/trip`, finalUrl: `${siteUrl}/trip`, title: '周末徒步：香山红叶线', description: '全程 12 公里，适合新手 & 带狗', image: 'https://img.example.org/hike.jpg', siteName: '山野俱乐部' }],
        },
      });
      // The change feed keeps it for clients that were away.
      const sync = await reader.emitAck('sync', { cursors: { [room.id]: { seq: ack.message.seq, change: 0 } } });
      expect(JSON.stringify(sync)).toContain('周末徒步');

      const fetched = hits.filter((h) => h === '/trip').length;
      const again = await writer.send({ roomId: room.id, text: `again ${siteUrl}/trip`, clientMsgId: uniqueName() });
      await waitFor(() => changes.filter((c) => c.kind === 'preview').length === 2, 5000, 'the second preview');
      expect(changes.filter((c) => c.kind === 'preview')[1]!.payload).toMatchObject({ seq: again.message.seq });
      expect(hits.filter((h) => h === '/trip').length).toBe(fetched);
    } finally {
      reader.close();
      writer.close();
    }
  });

  it('no preview for a page whose title the rules would not let through, nor for a link to a private address', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    await call(server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { probationSeconds: 0 } });
    const reader = await connect(server.url, owner.token);
    const changes: RoomChange[] = [];
    reader.socket.on('room:change', (change: RoomChange) => changes.push(change));
    const writer = await connect(server.url, members[0]!.token);
    try {
      for (const path of ['/scam', '/to-private']) {
        expect((await writer.send({ roomId: room.id, text: `look ${siteUrl}${path}`, clientMsgId: uniqueName() })).ok).toBe(true);
      }
      await waitFor(() => hits.includes('/scam') && hits.includes('/to-private'), 5000, 'both fetched');
      await sleep(500);
      expect(changes.filter((c) => c.kind === 'preview')).toEqual([]);
    } finally {
      reader.close();
      writer.close();
    }
  });
});

describe('the page fetcher', () => {
  it('reads Open Graph, else the title and description; follows a redirect on the same rules; decodes GBK', async () => {
    const trip = await fetchPage(`${siteUrl}/to-trip`, options());
    expect(trip?.url).toBe(`${siteUrl}/trip`);
    expect(readPreview(trip!.html, trip!.url)).toMatchObject({ title: '周末徒步：香山红叶线', siteName: '山野俱乐部' });
    const plain = await fetchPage(`${siteUrl}/plain-title`, options());
    expect(readPreview(plain!.html, plain!.url)).toEqual({ title: 'Film Photography Club', description: 'Meetups every month', image: null, siteName: null });
    const gbk = await fetchPage(`${siteUrl}/gbk`, options());
    expect(readPreview(gbk!.html, gbk!.url)?.title).toBe('你好');
  });

  it('refuses private addresses, directly and after a redirect, even with loopback allowed', async () => {
    await expect(fetchPage(`${siteUrl}/to-private`, options())).rejects.toBeInstanceOf(ForbiddenDestinationError);
    await expect(fetchPage(`${siteUrl}/to-metadata`, options())).rejects.toBeInstanceOf(ForbiddenDestinationError);
    await expect(fetchPage('http://192.168.1.1/', options())).rejects.toBeInstanceOf(ForbiddenDestinationError);
    await expect(fetchPage('http://[::ffff:10.0.0.1]/', options())).rejects.toBeInstanceOf(ForbiddenDestinationError);
  });

  it('refuses this machine unless allowed, by address and by a name that resolves to it', async () => {
    await expect(fetchPage(`${siteUrl}/trip`, options({ allowLoopback: false }))).rejects.toBeInstanceOf(ForbiddenDestinationError);
    const port = new URL(siteUrl).port;
    await expect(fetchPage(`http://localhost:${port}/trip`, options({ allowLoopback: false }))).rejects.toBeInstanceOf(ForbiddenDestinationError);
  });

  it('gives nothing for what is not HTML, stops at the size limit and at the time limit', async () => {
    expect(await fetchPage(`${siteUrl}/image`, options())).toBeNull();
    expect(await fetchPage(`${siteUrl}/missing`, options())).toBeNull();
    const huge = await fetchPage(`${siteUrl}/huge`, options({ maxBytes: 4096 }));
    expect(huge!.html.length).toBeLessThanOrEqual(4096);
    expect(readPreview(huge!.html, huge!.url)?.title).toBe('Huge');
    const started = Date.now();
    await expect(fetchPage(`${siteUrl}/slow`, options({ timeoutMs: 300 }))).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('previews only a link written out plainly, without credentials', () => {
    expect(linkToPreview('see https://www.bilibili.com/video/BV1xx411c7mD，很好看')).toBe('https://www.bilibili.com/video/BV1xx411c7mD');
    expect(linkToPreview('(https://github.com/quanzi).')).toBe('https://github.com/quanzi');
    expect(linkToPreview('https://bilibili.com@198.51.100.10/vip')).toBeNull();
    expect(linkToPreview('no link here, only bilibili.com')).toBeNull();
  });
});
