/**
 * Attachments in S3-compatible storage, through the real HTTP interface of two gateways that share
 * one PostgreSQL, one Redis and one bucket (an s3rver started here): a file uploaded through one is
 * served by the other, ranges and ETags included, and the same bytes uploaded through either are
 * stored once. Several gateways need a real PostgreSQL, so this suite always uses one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepMedia, sweepUnreferencedFiles } from '../server/domain/media-lifecycle.ts';
import { putMedia } from '../server/media/storage.ts';
import { buildApp, type App } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { connect, createRoom, joinRoom, signUp, uniqueName, waitFor, type TestUser } from './helpers/clients.ts';
import { createTestDatabase, MULTI_GATEWAY_DATABASE_URL, MULTI_GATEWAY_REDIS_URL, uniqueRedisPrefix, type TestDatabase } from './helpers/env.ts';
import { startTestS3, type TestS3 } from './helpers/s3.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { PNG_1X1 } from './media/fixtures.ts';

let s3: TestS3;
let database: TestDatabase;
let mediaDirA: string;
let mediaDirB: string;
let gatewayA: TestServer;
let appB: App;
let urlB: string;

beforeAll(async () => {
  s3 = await startTestS3();
  database = await createTestDatabase(MULTI_GATEWAY_DATABASE_URL);
  mediaDirA = await mkdtemp(path.join(tmpdir(), 'quanzi-s3-gateway-a-'));
  mediaDirB = await mkdtemp(path.join(tmpdir(), 'quanzi-s3-gateway-b-'));
  const shared = { ...s3.env, DATABASE_URL: database.url, REDIS_URL: MULTI_GATEWAY_REDIS_URL, REDIS_PREFIX: uniqueRedisPrefix() };
  gatewayA = await startTestServer({ embedded: true, env: { ...shared, MEDIA_DIR: mediaDirA } });
  appB = await buildApp(loadConfig({ ...gatewayA.env, MEDIA_DIR: mediaDirB }));
  urlB = await appB.listen();
}, 60_000);
afterAll(async () => {
  await appB?.close();
  await gatewayA?.close();
  await database?.drop();
  await s3?.close();
  for (const dir of [mediaDirA, mediaDirB]) if (dir) await rm(dir, { recursive: true, force: true });
});

async function upload(baseUrl: string, user: TestUser, roomId: string, bytes: Buffer | string, name: string): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  const response = await fetch(`${baseUrl}/v1/rooms/${roomId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form });
  return { status: response.status, body: await response.json() };
}

function fetchBytes(baseUrl: string, user: TestUser, id: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/v1/attachments/${id}`, { headers: { authorization: `Bearer ${user.token}`, ...headers } });
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const objectKey = (key: string) => `attachments/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;
/** Everything a gateway wrote to its local media directory (staging included). */
const localFiles = async (dir: string) => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);

describe('attachments in S3 behind two gateways', () => {
  let owner: TestUser;
  let member: TestUser;
  let roomId: string;

  beforeAll(async () => {
    owner = await signUp(gatewayA.url);
    member = await signUp(urlB);
    roomId = (await createRoom(gatewayA.url, owner)).id;
    await joinRoom(urlB, member, roomId);
  });

  it('serves through gateway B what was uploaded through gateway A, keeping nothing on either disk', async () => {
    const reply = await upload(gatewayA.url, owner, roomId, PNG_1X1, 'dot.png');
    expect(reply.status).toBe(201);
    expect(reply.body.attachment).toMatchObject({ roomId, kind: 'image', mime: 'image/png', size: PNG_1X1.length, sha256: sha256(PNG_1X1) });
    expect(s3.created).toContainEqual({ key: objectKey(sha256(PNG_1X1)), how: 'Put' });

    const response = await fetchBytes(urlB, member, reply.body.attachment.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-length')).toBe(String(PNG_1X1.length));
    expect(response.headers.get('etag')).toBe(`"${sha256(PNG_1X1)}"`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG_1X1);
    expect(await localFiles(mediaDirA)).toEqual([]);
    expect(await localFiles(mediaDirB)).toEqual([]);
  });

  it('answers HEAD from the database, without fetching the object', async () => {
    const { body } = await upload(gatewayA.url, owner, roomId, PNG_1X1, 'again.png');
    const before = s3.requests.length;
    const head = await fetch(`${urlB}/v1/attachments/${body.attachment.id}`, { method: 'HEAD', headers: { authorization: `Bearer ${member.token}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(PNG_1X1.length));
    expect(head.headers.get('content-type')).toBe('image/png');
    expect(s3.requests.slice(before)).toEqual([]);
    const get = await fetchBytes(urlB, member, body.attachment.id);
    expect(Buffer.from(await get.arrayBuffer())).toEqual(PNG_1X1);
    expect(s3.requests.slice(before)).toEqual([`GET /${s3.bucket}/${objectKey(sha256(PNG_1X1))}?x-id=GetObject`]);
  });

  it('answers ranges and If-None-Match from the bucket through the other gateway', async () => {
    const text = `0123456789abcdefghij-${randomBytes(6).toString('hex')}`;
    const { body } = await upload(gatewayA.url, owner, roomId, text, 'letters.txt');
    const id: string = body.attachment.id;

    const first = await fetchBytes(urlB, member, id, { range: 'bytes=0-9' });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-9/${text.length}`);
    expect(await first.text()).toBe('0123456789');
    const suffix = await fetchBytes(urlB, member, id, { range: 'bytes=-5' });
    expect(suffix.status).toBe(206);
    expect(await suffix.text()).toBe(text.slice(-5));
    const outside = await fetchBytes(urlB, member, id, { range: `bytes=${text.length}-` });
    expect(outside.status).toBe(416);

    const cached = await fetchBytes(urlB, member, id, { 'if-none-match': `"${sha256(text)}"` });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe('');
  });

  it('stores the same bytes uploaded through either gateway once, as two attachments', async () => {
    const content = `same bytes twice ${randomBytes(6).toString('hex')}`;
    const before = s3.created.length;
    const viaA = await upload(gatewayA.url, owner, roomId, content, 'a.txt');
    const viaB = await upload(urlB, member, roomId, content, 'b.txt');
    expect(viaA.status).toBe(201);
    expect(viaB.status).toBe(201);
    expect(viaB.body.attachment.id).not.toBe(viaA.body.attachment.id);
    expect(s3.created.slice(before)).toEqual([{ key: objectKey(sha256(content)), how: 'Put' }]);
    for (const [baseUrl, id] of [[gatewayA.url, viaB.body.attachment.id], [urlB, viaA.body.attachment.id]] as const) {
      expect(await (await fetchBytes(baseUrl, owner, id)).text()).toBe(content);
    }
  });

  it('a photo sent through gateway A reaches a member on gateway B live, who fetches it through B', async () => {
    const photo = (await upload(gatewayA.url, owner, roomId, PNG_1X1, 'live.png')).body.attachment;
    const [sender, reader] = await Promise.all([connect(gatewayA.url, owner.token), connect(urlB, member.token)]);
    try {
      const ack = await sender.send({ roomId, text: '', clientMsgId: uniqueName('m'), attachments: [photo.id] });
      expect(ack).toMatchObject({ ok: true, message: { attachments: [photo] } });
      await waitFor(() => reader.received.some((m) => m.seq === ack.message.seq), 5000, 'the message on gateway B');
      const seen = reader.received.find((m) => m.seq === ack.message.seq)!;
      expect(seen.attachments).toEqual([photo]);
      const bytes = await fetchBytes(urlB, member, seen.attachments[0]!.id);
      expect(Buffer.from(await bytes.arrayBuffer())).toEqual(PNG_1X1);

      // Recalled through A: gone for the member on B at once.
      const recalled = await fetch(`${gatewayA.url}/v1/rooms/${roomId}/messages/${ack.message.seq}/recall`, { method: 'POST', headers: { authorization: `Bearer ${owner.token}` } });
      expect(recalled.status).toBe(200);
      expect((await fetchBytes(urlB, member, photo.id)).status).toBe(404);
    } finally {
      sender.close();
      reader.close();
    }
  });

  it('sweeps on either gateway: a removed upload and a stray object go from the bucket, bytes another row uses stay', async () => {
    const removedOnly = `only removed ${randomBytes(6).toString('hex')}`;
    const shared = `removed and live ${randomBytes(6).toString('hex')}`;
    const gone = (await upload(gatewayA.url, owner, roomId, removedOnly, 'gone.txt')).body.attachment;
    const removedTwin = (await upload(gatewayA.url, owner, roomId, shared, 'old.txt')).body.attachment;
    const liveTwin = (await upload(urlB, member, roomId, shared, 'new.txt')).body.attachment;
    // Unsent for over a day: the sweep on gateway B removes them.
    await appB.deps.db.execute(sql`update attachments set created_at = now() - interval '25 hours' where id in (${gone.id}::uuid, ${removedTwin.id}::uuid)`);
    const stray = await putMedia(appB.deps.media, Readable.from([Buffer.from(`stray ${randomBytes(6).toString('hex')}`)]));

    const [sweepA, sweepB] = await Promise.all([sweepMedia(gatewayA.app.deps), sweepMedia(appB.deps)]);
    expect(sweepA.unsentRemoved + sweepB.unsentRemoved).toBe(2);
    expect(await appB.deps.media.stat(gone.sha256)).toBeNull();
    expect(await appB.deps.media.stat(liveTwin.sha256)).not.toBeNull();
    expect(await (await fetchBytes(gatewayA.url, member, liveTwin.id)).text()).toBe(shared);
    expect((await fetchBytes(urlB, owner, gone.id)).status).toBe(404);

    // The listing sweep, with no grace: the stray object goes, every named one stays.
    const listing = await sweepUnreferencedFiles(gatewayA.app.deps, new Date(), 0);
    expect(listing.deleted).toBeGreaterThanOrEqual(1);
    expect(await appB.deps.media.stat(stray)).toBeNull();
    expect(await appB.deps.media.stat(liveTwin.sha256)).not.toBeNull();
    expect(await (await fetchBytes(urlB, member, liveTwin.id)).text()).toBe(shared);
  });
});
