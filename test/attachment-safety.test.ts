/**
 * Safety on media through the real interfaces: uploads over HTTP (multipart against a real
 * port), the review queue and its decisions over HTTP, the decision event over Socket.IO. Risky
 * types held or refused per the room's policy, QR codes read out of photos and judged like text,
 * file names judged like text, the same photo spammed across rooms caught by its perceptual
 * hash, and held files shown to staff and to no other member.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, roomMembers } from '../drizzle/schema.ts';
import { buildApp, type App } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { call, connect, createRoom, joinRoom, signUp, uniqueName, waitFor, type TestUser } from './helpers/clients.ts';
import { createTestDatabase, MULTI_GATEWAY_DATABASE_URL, MULTI_GATEWAY_REDIS_URL, uniqueRedisPrefix, type TestDatabase } from './helpers/env.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { gzippedZeros, zipOf } from './media/fixtures.ts';
import { cropped, photo, reencoded } from './media/safety-pictures.ts';
import { auditActions, listen, putPolicy } from './review/fixtures.ts';

let server: TestServer;
let mediaDir: string;

beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), 'quanzi-attachment-safety-'));
  server = await startTestServer({ env: { MEDIA_DIR: mediaDir, LOG_LEVEL: 'error' } });
});
afterAll(async () => {
  await server?.close();
  await rm(mediaDir, { recursive: true, force: true });
}, 120_000);

/** An Android app: a zip holding the manifest and the compiled code. */
const APK = zipOf([{ name: 'AndroidManifest.xml', compressedSize: 10, uncompressedSize: 10 }, { name: 'classes.dex', compressedSize: 10, uncompressedSize: 10 }, { name: 'resources.arsc' }]);
const APK_MIME = 'application/vnd.android.package-archive';

async function upload(user: TestUser, roomId: string, bytes: Buffer | string, name: string): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  const response = await fetch(`${server.url}/v1/rooms/${roomId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form });
  return { status: response.status, body: await response.json() };
}

const fetchBytes = (user: TestUser, id: string) => fetch(`${server.url}/v1/attachments/${id}`, { headers: { authorization: `Bearer ${user.token}` } });

async function reviewQueue(user: TestUser, roomId: string, query = ''): Promise<any> {
  const reply = await call(server.url, 'GET', `/v1/rooms/${roomId}/review${query}`, { token: user.token });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

/** Someone who joined long enough ago to be past probation. */
async function makeEstablished(roomId: string, user: TestUser): Promise<void> {
  await server.app.deps.db
    .update(roomMembers)
    .set({ joinedAt: sql`now() - interval '30 days'` })
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, user.id)));
}

/** A room with its owner, an established member and a newcomer (joined just now). */
async function freshRoom(): Promise<{ owner: TestUser; member: TestUser; newcomer: TestUser; bystander: TestUser; roomId: string }> {
  const [owner, member, newcomer, bystander] = await Promise.all([signUp(server.url), signUp(server.url), signUp(server.url), signUp(server.url)]);
  const room = await createRoom(server.url, owner);
  for (const user of [member, newcomer, bystander]) await joinRoom(server.url, user, room.id);
  await makeEstablished(room.id, member);
  await makeEstablished(room.id, bystander);
  return { owner, member, newcomer, bystander, roomId: room.id };
}

const rowsOfRoom = (roomId: string) => server.app.deps.db.select().from(attachments).where(eq(attachments.roomId, roomId));
const codes = (reasons: Array<{ code: string }>) => reasons.map((r) => r.code);

describe('risky file types', () => {
  it("holds an established member's APK renamed .jpg, with reasons, in the review queue with its uploader; staff may fetch it, members not", async () => {
    const { owner, member, bystander, roomId } = await freshRoom();
    const reply = await upload(member, roomId, APK, 'cute-cat.jpg');
    expect(reply.status).toBe(201);
    expect(reply.body.attachment).toMatchObject({ kind: 'file', mime: APK_MIME, name: 'cute-cat.jpg', status: 'held', reasons: ['FILE_MOBILE_APP'] });

    const queue = await reviewQueue(owner, roomId);
    expect(queue.attachments).toHaveLength(1);
    expect(queue.attachments[0]).toMatchObject({
      attachment: { id: reply.body.attachment.id, status: 'held', mime: APK_MIME },
      uploader: { id: member.id, displayName: member.displayName },
      reasons: [{ code: 'FILE_MOBILE_APP', rule: 'files', detail: 'Android app', message: expect.stringContaining('phone app') }],
      status: 'pending',
      decidedBy: null,
    });
    expect(queue.held).toEqual([]);

    // The preview is for staff: the owner gets the bytes, another member a 409 with the status.
    const staff = await fetchBytes(owner, reply.body.attachment.id);
    expect(staff.status).toBe(200);
    expect(Buffer.from(await staff.arrayBuffer())).toEqual(APK);
    const other = await fetchBytes(bystander, reply.body.attachment.id);
    expect(other.status).toBe(409);
    expect((await other.json()).error).toMatchObject({ code: 'ATTACHMENT_NOT_READY', details: { status: 'held' } });
    // Members cannot read the queue either.
    expect((await call(server.url, 'GET', `/v1/rooms/${roomId}/review`, { token: bystander.token })).status).toBe(403);
    expect(await auditActions(server, roomId)).toContain('safety.hold');
  });

  it("refuses a newcomer's APK renamed .jpg with 415 ATTACHMENT_TYPE_REFUSED and what it is, keeping nothing", async () => {
    const { owner, newcomer, roomId } = await freshRoom();
    const reply = await upload(newcomer, roomId, APK, 'photo.jpg');
    expect(reply.status).toBe(415);
    expect(reply.body.error).toMatchObject({ code: 'ATTACHMENT_TYPE_REFUSED', details: { detected: APK_MIME, reasons: [{ code: 'FILE_MOBILE_APP' }] } });
    expect(await rowsOfRoom(roomId)).toHaveLength(0);
    expect((await reviewQueue(owner, roomId)).attachments).toEqual([]);
    expect(await auditActions(server, roomId)).toContain('safety.block');
  });

  it('holds the owner\'s program too (a hijacked admin account is the classic way to post one), and follows the room\'s policy', async () => {
    const { owner, member, newcomer, roomId } = await freshRoom();
    const own = await upload(owner, roomId, zipOf([{ name: 'tool/run.exe' }]), 'tools.zip');
    expect(own.body.attachment).toMatchObject({ status: 'held', reasons: ['FILE_EXECUTABLE'] });

    await putPolicy(server, owner, roomId, { attachments: { riskyFiles: { newcomers: 'hold', established: 'block' } } });
    const established = await upload(member, roomId, APK, 'game.apk');
    expect(established.status).toBe(415);
    expect(established.body.error.details.reasons).toEqual([expect.objectContaining({ code: 'FILE_MOBILE_APP' })]);
    const fresh = await upload(newcomer, roomId, '#!/bin/sh\necho hi\n', 'notes.txt');
    expect(fresh.body.attachment).toMatchObject({ mime: 'text/plain', status: 'held', reasons: ['FILE_SCRIPT'] });

    await putPolicy(server, owner, roomId, { attachments: { riskyFiles: { established: 'allow' } } });
    expect((await upload(member, roomId, APK, 'game.apk')).body.attachment).toMatchObject({ status: 'ready' });
    const policy = await call(server.url, 'GET', `/v1/rooms/${roomId}/safety`, { token: owner.token });
    expect(policy.body.policy.attachments).toEqual({ riskyFiles: { newcomers: 'block', established: 'allow' }, repeatRooms: 3, repeatWindowSeconds: 3600 });
  });

  it('holds macro documents and password-protected archives, and refuses an archive bomb from anyone', async () => {
    const { owner, member, roomId } = await freshRoom();
    const macro = await upload(member, roomId, zipOf([{ name: '[Content_Types].xml' }, { name: 'word/document.xml' }, { name: 'word/vbaProject.bin' }]), 'minutes.docx');
    expect(macro.body.attachment).toMatchObject({ status: 'held', reasons: ['FILE_MACRO_DOCUMENT'] });
    const locked = await upload(member, roomId, zipOf([{ name: 'answers.pdf', encrypted: true, compressedSize: 40, uncompressedSize: 50 }]), 'answers.zip');
    expect(locked.body.attachment).toMatchObject({ status: 'held', reasons: ['FILE_ENCRYPTED_ARCHIVE'] });

    const bomb = zipOf(Array.from({ length: 8 }, (_, i) => ({ name: `zeros-${i}.bin`, compressedSize: 4_000_000, uncompressedSize: 0xfffffffe })));
    for (const uploader of [owner, member]) {
      const reply = await upload(uploader, roomId, bomb, 'wallpapers.zip');
      expect(reply.status).toBe(415);
      expect(reply.body.error).toMatchObject({ code: 'ATTACHMENT_TYPE_REFUSED', details: { detected: 'application/zip', reasons: [{ code: 'FILE_ARCHIVE_BOMB' }] } });
    }
    // A gzip declares nothing to be held to: it is unpacked far enough to see (server/media/compressed.ts).
    const gzipBomb = await gzippedZeros(100);
    const refused = await upload(owner, roomId, gzipBomb, 'logs.tar.gz');
    expect(refused.status).toBe(415);
    expect(refused.body.error).toMatchObject({ code: 'ATTACHMENT_TYPE_REFUSED', details: { detected: 'application/gzip', reasons: [{ code: 'FILE_ARCHIVE_BOMB' }] } });
    expect(await rowsOfRoom(roomId)).toHaveLength(2);
  });
});

describe('file names', () => {
  it('holds a file whose name asks people to add a WeChat contact, with the scam reason', async () => {
    const { owner, member, roomId } = await freshRoom();
    const reply = await upload(member, roomId, 'the notes', '加V信 abc12345 领取.txt');
    expect(reply.status).toBe(201);
    expect(reply.body.attachment).toMatchObject({ status: 'held', reasons: ['FILE_NAME_TEXT', 'SCAM_CONTACT_OFFPLATFORM'] });
    expect(codes((await reviewQueue(owner, roomId)).attachments[0].reasons)).toEqual(['FILE_NAME_TEXT', 'SCAM_CONTACT_OFFPLATFORM']);
  });

  it('refuses a name carrying a phishing link, and leaves ordinary names (and extensions that are TLDs) alone', async () => {
    const { member, roomId } = await freshRoom();
    const phishing = await upload(member, roomId, 'x', 'www.bilibili.com@evil-login.cn.txt');
    expect(phishing.status).toBe(422);
    expect(phishing.body.error.code).toBe('BLOCKED_BY_SAFETY');
    expect(codes(phishing.body.error.details.reasons)).toContain('LINK_USERINFO_TRICK');
    for (const name of ['IMG_20240501_123456.txt', 'holiday.mov.txt', 'report final v2.zip', '期末复习资料.md']) {
      const bytes = name.endsWith('.zip') ? zipOf([{ name: 'a.txt' }]) : 'notes';
      expect((await upload(member, roomId, bytes, name)).body.attachment, name).toMatchObject({ status: 'ready' });
    }
  });
});

describe('QR codes in pictures', () => {
  it('holds a photo whose QR code is a shortened link, with QR_CODE_LINK, and lists it for review', async () => {
    const { owner, member, roomId } = await freshRoom();
    const reply = await upload(member, roomId, await photo(11, { qr: 'https://bit.ly/3xYzAbC' }), 'poster.jpg');
    expect(reply.status).toBe(201);
    expect(reply.body.attachment).toMatchObject({ kind: 'image', status: 'held', reasons: ['QR_CODE_LINK', 'LINK_SHORTENER'] });
    const [item] = (await reviewQueue(owner, roomId)).attachments;
    expect(item).toMatchObject({ attachment: { id: reply.body.attachment.id }, uploader: { id: member.id } });
    expect(item.reasons[0]).toMatchObject({ code: 'QR_CODE_LINK', rule: 'qr', detail: 'https://bit.ly/3xYzAbC' });
  });

  it('holds scan-to-join and 加V codes, and refuses a phishing link in a QR code', async () => {
    const { member, roomId } = await freshRoom();
    const join = await upload(member, roomId, await photo(12, { qr: 'https://qm.qq.com/q/Ab3dEfGh' }), 'group.jpg');
    expect(join.body.attachment).toMatchObject({ status: 'held', reasons: ['QR_CODE_JOIN_GROUP'] });
    const contact = await upload(member, roomId, await photo(13, { qr: '加V信 abc12345 领取红包' }), 'gift.jpg');
    expect(contact.body.attachment).toMatchObject({ status: 'held', reasons: ['QR_CODE_TEXT', 'SCAM_CONTACT_OFFPLATFORM'] });
    const pay = await upload(member, roomId, await photo(14, { qr: 'wxp://f2f0abcdefghijklmnop' }), 'pay.jpg');
    expect(pay.body.attachment.reasons).toContain('QR_CODE_PAYMENT');
    const phishing = await upload(member, roomId, await photo(15, { qr: 'https://www.bilibili.com@evil-login.example/verify' }), 'login.jpg');
    expect(phishing.status).toBe(422);
    expect(phishing.body.error.code).toBe('BLOCKED_BY_SAFETY');
    expect(codes(phishing.body.error.details.reasons)).toEqual(expect.arrayContaining(['QR_CODE_LINK', 'LINK_USERINFO_TRICK']));
    expect((await rowsOfRoom(roomId)).map((r) => r.name).sort()).toEqual(['gift.jpg', 'group.jpg', 'pay.jpg']);
  });

  it('lets a photo through whose QR code is a plain public link the rules accept, and one without any', async () => {
    const { owner, member, roomId } = await freshRoom();
    const harmless = await upload(member, roomId, await photo(16, { qr: 'https://www.bilibili.com/video/BV1GJ411x7h7' }), 'event.jpg');
    expect(harmless.body.attachment).toMatchObject({ kind: 'image', status: 'ready' });
    expect(harmless.body.attachment.reasons).toBeUndefined();
    expect((await upload(member, roomId, await photo(17), 'plain.jpg')).body.attachment).toMatchObject({ status: 'ready' });
    expect((await reviewQueue(owner, roomId)).attachments).toEqual([]);
    expect((await fetchBytes(owner, harmless.body.attachment.id)).status).toBe(200);
  });
});

describe('exemptions and strictness', () => {
  it("lets the owner's photos skip what only holds (as for text) but not a phishing code, and a lenient room relax the QR check", async () => {
    const { owner, member, roomId } = await freshRoom();
    expect((await upload(owner, roomId, await photo(51, { qr: 'https://bit.ly/3xYzAbC' }), 'a.jpg')).body.attachment).toMatchObject({ status: 'ready' });
    expect((await upload(owner, roomId, await photo(52, { qr: 'https://qm.qq.com/q/Ab3dEfGh' }), 'b.jpg')).body.attachment).toMatchObject({ status: 'ready' });
    const phishing = await upload(owner, roomId, await photo(53, { qr: 'https://www.bilibili.com@evil-login.example/verify' }), 'c.jpg');
    expect(phishing.status).toBe(422);

    await putPolicy(server, owner, roomId, { rules: { qr: 'lenient' } });
    expect((await upload(member, roomId, await photo(54, { qr: 'https://bit.ly/3xYzAbC' }), 'd.jpg')).body.attachment).toMatchObject({ status: 'ready' });
    await putPolicy(server, owner, roomId, { rules: { qr: 'off' } });
    expect((await upload(member, roomId, await photo(55, { qr: 'https://qm.qq.com/q/Ab3dEfGh' }), 'e.jpg')).body.attachment).toMatchObject({ status: 'ready' });
  });
});

describe('the same picture across rooms', () => {
  it('holds a near-duplicate (re-encoded, resized, cropped) reaching a third room within the window, and not a different photo', async () => {
    const member = await signUp(server.url);
    const rooms: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const owner = await signUp(server.url);
      const room = await createRoom(server.url, owner, { name: uniqueName('r') });
      await joinRoom(server.url, member, room.id);
      await makeEstablished(room.id, member);
      rooms.push(room.id);
    }
    const original = await photo(21);
    const first = await upload(member, rooms[0]!, original, 'deal.jpg');
    const second = await upload(member, rooms[1]!, await reencoded(original), 'deal.webp');
    expect(first.body.attachment.status).toBe('ready');
    expect(second.body.attachment).toMatchObject({ mime: 'image/webp', status: 'ready' });
    const different = await upload(member, rooms[2]!, await photo(22), 'other.jpg');
    expect(different.body.attachment.status).toBe('ready');
    const third = await upload(member, rooms[2]!, await cropped(original), 'deal.png');
    expect(third.body.attachment).toMatchObject({ mime: 'image/png', status: 'held', reasons: ['IMAGE_REPEATED_ACROSS_ROOMS'] });
    const rows = await server.app.deps.db.select({ phash: attachments.phash }).from(attachments).where(eq(attachments.id, third.body.attachment.id));
    expect(typeof rows[0]!.phash).toBe('bigint');
  });

  it('holds a picture many accounts spread across twice as many rooms', async () => {
    const picture = await photo(61);
    const rooms: Array<{ id: string; owner: TestUser }> = [];
    for (let i = 0; i < 4; i += 1) {
      const owner = await signUp(server.url);
      rooms.push({ id: (await createRoom(server.url, owner, { name: uniqueName('r') })).id, owner });
    }
    // The last room counts two rooms as "several": four rooms by anyone.
    await putPolicy(server, rooms[3]!.owner, rooms[3]!.id, { attachments: { repeatRooms: 2 } });
    for (const [index, room] of rooms.entries()) {
      const spammer = await signUp(server.url);
      await joinRoom(server.url, spammer, room.id);
      await makeEstablished(room.id, spammer);
      const reply = await upload(spammer, room.id, index % 2 === 0 ? picture : await reencoded(picture), 'promo.jpg');
      expect(reply.body.attachment.status, `room ${index}`).toBe(index === 3 ? 'held' : 'ready');
      if (index === 3) expect(reply.body.attachment.reasons).toEqual(['IMAGE_REPEATED_ACROSS_ROOMS']);
    }
  });
});

describe('deciding held attachments', () => {
  it('approve makes it ready for members and tells the uploader on the socket; reject leaves it blocked', async () => {
    const { owner, member, bystander, roomId } = await freshRoom();
    const uploaderLive = await listen(server, member, ['review:decided']);
    const staffLive = await listen(server, owner, ['review:new']);
    try {
      const held = (await upload(member, roomId, await photo(31, { qr: 'https://bit.ly/3xYzAbC' }), 'flyer.jpg')).body.attachment;
      const rejected = (await upload(member, roomId, APK, 'free-coins.jpg')).body.attachment;
      expect([held.status, rejected.status]).toEqual(['held', 'held']);
      await waitFor(() => staffLive.events['review:new']!.length === 2, 5_000, 'review:new for both');
      expect(staffLive.events['review:new']![0]).toMatchObject({ roomId, kind: 'attachment', attachmentId: held.id, reasons: [{ code: 'QR_CODE_LINK' }, { code: 'LINK_SHORTENER' }] });

      // Members cannot decide.
      expect((await call(server.url, 'POST', `/v1/rooms/${roomId}/review/attachments/${held.id}/approve`, { token: bystander.token })).status).toBe(403);

      const approve = await call(server.url, 'POST', `/v1/rooms/${roomId}/review/attachments/${held.id}/approve`, { token: owner.token });
      expect(approve.status, JSON.stringify(approve.body)).toBe(200);
      expect(approve.body.held).toMatchObject({ attachment: { id: held.id, status: 'ready' }, status: 'approved', decidedBy: owner.id, decidedAt: expect.any(String) });
      await waitFor(() => uploaderLive.events['review:decided']!.length === 1, 5_000, 'review:decided for the uploader');
      expect(uploaderLive.events['review:decided']![0]).toMatchObject({ roomId, kind: 'attachment', attachmentId: held.id, status: 'approved', attachment: { id: held.id, status: 'ready' } });
      const fetched = await fetchBytes(bystander, held.id);
      expect(fetched.status).toBe(200);
      expect(fetched.headers.get('content-type')).toBe('image/jpeg');
      // Now it may be sent in a message.
      const sent = await call(server.url, 'POST', `/v1/rooms/${roomId}/messages`, { token: member.token, body: { clientMsgId: uniqueName('m'), text: '', attachments: [held.id] } });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);

      const reject = await call(server.url, 'POST', `/v1/rooms/${roomId}/review/attachments/${rejected.id}/reject`, { token: owner.token });
      expect(reject.status).toBe(200);
      expect(reject.body.held).toMatchObject({ attachment: { status: 'blocked' }, status: 'rejected' });
      await waitFor(() => uploaderLive.events['review:decided']!.length === 2, 5_000, 'the second review:decided');
      expect(uploaderLive.events['review:decided']![1]).toMatchObject({ attachmentId: rejected.id, status: 'rejected' });
      const refused = await fetchBytes(bystander, rejected.id);
      expect(refused.status).toBe(409);
      expect((await refused.json()).error.details).toEqual({ status: 'blocked' });
      expect((await fetchBytes(owner, rejected.id)).status).toBe(200);

      // Decided once: a second decision is refused with who decided.
      const again = await call(server.url, 'POST', `/v1/rooms/${roomId}/review/attachments/${rejected.id}/approve`, { token: owner.token });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'ALREADY_DECIDED', details: { status: 'rejected', decidedBy: owner.id } });
      const missing = await call(server.url, 'POST', `/v1/rooms/${roomId}/review/attachments/00000000-0000-4000-8000-000000000000/approve`, { token: owner.token });
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('ATTACHMENT_NOT_FOUND');

      expect((await reviewQueue(owner, roomId)).attachments).toEqual([]);
      const decided = await reviewQueue(owner, roomId, '?status=decided');
      expect(decided.attachments.map((a: any) => [a.attachment.id, a.status])).toEqual([
        [rejected.id, 'rejected'],
        [held.id, 'approved'],
      ]);
      const actions = await auditActions(server, roomId);
      expect(actions.filter((a) => a === 'review.approve')).toHaveLength(1);
      expect(actions.filter((a) => a === 'review.reject')).toHaveLength(1);
    } finally {
      uploaderLive.close();
      staffLive.close();
    }
  });

  it('describes the queue and the decision routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as any;
    const queue = doc.paths['/v1/rooms/{roomId}/review'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(queue.properties)).toEqual(expect.arrayContaining(['held', 'reported', 'attachments']));
    expect(doc.paths['/v1/rooms/{roomId}/review/attachments/{attachmentId}/approve'].post).toBeDefined();
    expect(doc.paths['/v1/rooms/{roomId}/review/attachments/{attachmentId}/reject'].post).toBeDefined();
  });
});

describe('the QR time box', () => {
  let hasty: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'quanzi-qr-timeout-'));
    hasty = await startTestServer({ env: { MEDIA_DIR: dir, QR_SCAN_TIMEOUT_MS: '1' } });
  }, 120_000);
  afterAll(async () => {
    await hasty?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds a picture that could not be read in time (QR_SCAN_INCOMPLETE), and the gateway goes on', async () => {
    const owner = await signUp(hasty.url);
    const member = await signUp(hasty.url);
    const room = await createRoom(hasty.url, owner);
    await joinRoom(hasty.url, member, room.id);
    await hasty.app.deps.db.update(roomMembers).set({ joinedAt: sql`now() - interval '30 days'` }).where(and(eq(roomMembers.roomId, room.id), eq(roomMembers.userId, member.id)));
    const send = async (bytes: Buffer, name: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)]), name);
      const response = await fetch(`${hasty.url}/v1/rooms/${room.id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${member.token}` }, body: form });
      expect(response.status).toBe(201);
      return (await response.json()).attachment;
    };
    // A new worker's first picture has time to compile the decoder; every one after gets 1 ms.
    await send(await photo(95), 'first.jpg');
    const late = await send(await photo(96), 'second.jpg');
    expect(late).toMatchObject({ status: 'held', reasons: ['QR_SCAN_INCOMPLETE'] });
    const queue = await call(hasty.url, 'GET', `/v1/rooms/${room.id}/review`, { token: owner.token });
    expect(queue.body.attachments.find((a: any) => a.attachment.id === late.id).reasons[0]).toMatchObject({ code: 'QR_SCAN_INCOMPLETE', rule: 'qr' });
    // Text files never meet the decoder.
    expect((await send(Buffer.from('notes'), 'notes.txt')).status).toBe('ready');
  });
});

describe('two gateways on one database and Redis', () => {
  let database: TestDatabase;
  let dirs: string[] = [];
  let gatewayA: TestServer;
  let appB: App;
  let urlB: string;

  beforeAll(async () => {
    database = await createTestDatabase(MULTI_GATEWAY_DATABASE_URL);
    // One media directory, as a shared volume: local storage is per machine (S3 is how separate
    // machines share bytes, test/attachments-s3.test.ts).
    dirs = [await mkdtemp(path.join(tmpdir(), 'quanzi-safety-shared-'))];
    const shared = { DATABASE_URL: database.url, REDIS_URL: MULTI_GATEWAY_REDIS_URL, REDIS_PREFIX: uniqueRedisPrefix() };
    gatewayA = await startTestServer({ embedded: true, env: { ...shared, MEDIA_DIR: dirs[0]! } });
    appB = await buildApp(loadConfig({ ...gatewayA.env, MEDIA_DIR: dirs[0]! }));
    urlB = await appB.listen();
  }, 120_000);
  afterAll(async () => {
    await appB?.close();
    await gatewayA?.close();
    await database?.drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function uploadTo(baseUrl: string, user: TestUser, roomId: string, bytes: Buffer, name: string): Promise<any> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const response = await fetch(`${baseUrl}/v1/rooms/${roomId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form });
    expect(response.status).toBe(201);
    return (await response.json()).attachment;
  }

  it('catches a picture spread through both gateways, and a decision on one reaches the uploader on the other', async () => {
    const spammer = await signUp(gatewayA.url);
    const rooms: Array<{ id: string; owner: TestUser }> = [];
    for (const url of [gatewayA.url, urlB, gatewayA.url]) {
      const owner = await signUp(url);
      const room = await createRoom(url, owner, { name: uniqueName('r') });
      await joinRoom(url, spammer, room.id);
      await gatewayA.app.deps.db
        .update(roomMembers)
        .set({ joinedAt: sql`now() - interval '30 days'` })
        .where(and(eq(roomMembers.roomId, room.id), eq(roomMembers.userId, spammer.id)));
      rooms.push({ id: room.id, owner });
    }
    const live = await connect(gatewayA.url, spammer.token);
    const decided: any[] = [];
    live.socket.on('review:decided', (event: unknown) => decided.push(event));
    try {
      const original = await photo(91);
      expect((await uploadTo(gatewayA.url, spammer, rooms[0]!.id, original, 'a.jpg')).status).toBe('ready');
      expect((await uploadTo(urlB, spammer, rooms[1]!.id, await reencoded(original), 'b.webp')).status).toBe('ready');
      const held = await uploadTo(gatewayA.url, spammer, rooms[2]!.id, await cropped(original), 'c.png');
      expect(held).toMatchObject({ status: 'held', reasons: ['IMAGE_REPEATED_ACROSS_ROOMS'] });

      const reviewer = rooms[2]!.owner;
      const queue = await call(urlB, 'GET', `/v1/rooms/${rooms[2]!.id}/review`, { token: reviewer.token });
      expect(queue.body.attachments.map((a: any) => a.attachment.id)).toEqual([held.id]);
      const preview = await fetch(`${urlB}/v1/attachments/${held.id}`, { headers: { authorization: `Bearer ${reviewer.token}` } });
      expect(preview.status).toBe(200);
      const approve = await call(urlB, 'POST', `/v1/rooms/${rooms[2]!.id}/review/attachments/${held.id}/approve`, { token: reviewer.token });
      expect(approve.status).toBe(200);
      await waitFor(() => decided.length === 1, 5_000, 'review:decided across gateways');
      expect(decided[0]).toMatchObject({ kind: 'attachment', attachmentId: held.id, status: 'approved', attachment: { status: 'ready' } });
    } finally {
      live.close();
    }
  });
});
