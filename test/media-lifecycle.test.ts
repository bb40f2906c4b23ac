/**
 * When stored files go, seen from outside: what members can fetch and what is left in the media
 * directory. The sweeps are the ones every gateway runs (server/domain/media-lifecycle.ts),
 * called here directly instead of waiting for their timer; time is moved by ageing rows in SQL.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import { mkdtemp, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { attachments } from '../drizzle/schema.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseMediaKeys } from '../server/domain/media-release.ts';
import { sweepMedia, sweepUnreferencedFiles } from '../server/domain/media-lifecycle.ts';
import { startMediaLifecycle } from '../server/jobs/media-lifecycle.ts';
import { putMedia } from '../server/media/storage.ts';
import { call, createRoom, joinRoom, signUp, sleep, waitFor, type TestUser } from './helpers/clients.ts';
import { png, sendAttachments, upload } from './helpers/attachments.ts';
import { auditActions, listen } from './review/fixtures.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let mediaDir: string;

beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), 'quanzi-lifecycle-test-'));
  // Retention 0: a recalled message's files are erased by the next sweep.
  server = await startTestServer({ env: { MEDIA_DIR: mediaDir, RECALL_RETENTION_DAYS: '0', ATTACHMENT_UNSENT_HOURS: '24' } });
});
afterAll(async () => {
  await server?.close();
  await rm(mediaDir, { recursive: true, force: true });
});

const fileOf = (sha256: string) => path.join(mediaDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
const stored = (sha256: string) => existsSync(fileOf(sha256));
/**
 * On a connection of its own, closed after the answer: a kept-alive connection still finishing
 * its answer when the test server closes can keep the close waiting.
 */
function fetchBytes(user: TestUser, id: string): Promise<{ status: number; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${server.url}/v1/attachments/${id}`, { agent: false, headers: { authorization: `Bearer ${user.token}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}
const deps = () => server.app.deps;
const rowOf = async (id: string) => (await deps().db.select().from(attachments).where(eq(attachments.id, id)))[0] ?? null;

async function freshRoom(): Promise<{ owner: TestUser; member: TestUser; roomId: string }> {
  const owner = await signUp(server.url);
  const member = await signUp(server.url);
  const room = await createRoom(server.url, owner);
  await call(server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { rules: { rate: 'off', probation: 'off' } } });
  await joinRoom(server.url, member, room.id);
  return { owner, member, roomId: room.id };
}

describe('recalled messages past retention', () => {
  it("erases a recalled photo's bytes, but not while another live message uses the same bytes", async () => {
    const { owner, member, roomId } = await freshRoom();
    const shared = png(`shared-${roomId}`);
    const first = await upload(server.url, owner, roomId, shared, 'first.png');
    const { seq: firstSeq } = await sendAttachments(server.url, owner, roomId, [first.id]);
    const again = await upload(server.url, member, roomId, shared, 'again.png');
    const { seq: againSeq } = await sendAttachments(server.url, member, roomId, [again.id]);
    const own = await upload(server.url, owner, roomId, png(`own-${roomId}`), 'own.png');
    const { seq: ownSeq } = await sendAttachments(server.url, owner, roomId, [own.id]);
    expect(first.sha256).toBe(again.sha256);

    for (const seq of [firstSeq, ownSeq]) expect((await call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${seq}/recall`, { token: owner.token })).status).toBe(200);
    const sweep = await sweepMedia(deps());
    expect(sweep.recalledRemoved).toBeGreaterThanOrEqual(2);
    expect(stored(own.sha256)).toBe(false);
    expect((await fetchBytes(owner, own.id)).status).toBe(404);
    // The same bytes still back the member's live message.
    expect(stored(first.sha256)).toBe(true);
    expect((await fetchBytes(owner, first.id)).status).toBe(404);
    const live = await fetchBytes(owner, again.id);
    expect(live.status).toBe(200);
    expect(live.bytes.equals(shared)).toBe(true);

    // Once that one is recalled too, nothing uses them.
    expect((await call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${againSeq}/recall`, { token: owner.token })).status).toBe(200);
    await sweepMedia(deps());
    expect(stored(first.sha256)).toBe(false);
    expect((await rowOf(again.id))?.releasedAt).toBeInstanceOf(Date);

    // A second run finds nothing left to do.
    const idle = await sweepMedia(deps());
    expect(idle).toMatchObject({ recalledRemoved: 0, rowsReleased: 0 });
  });
});

describe('derived pictures', () => {
  it("a recalled photo's thumbnail and web rendition go with it, unless another live photo uses them", async () => {
    const { owner, member, roomId } = await freshRoom();
    const big = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: { r: 30, g: 140, b: Math.floor(Math.random() * 255) } } })
      .jpeg()
      .toBuffer();
    const first = await upload(server.url, owner, roomId, big, 'first.jpg');
    const { seq } = await sendAttachments(server.url, owner, roomId, [first.id]);
    const again = await upload(server.url, member, roomId, big, 'again.jpg');
    await sendAttachments(server.url, member, roomId, [again.id]);
    const other = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: { r: 200, g: 10, b: Math.floor(Math.random() * 255) } } })
      .jpeg()
      .toBuffer();
    const lone = await upload(server.url, owner, roomId, other, 'lone.jpg');
    const { seq: loneSeq } = await sendAttachments(server.url, owner, roomId, [lone.id]);
    const keysOf = async (id: string) => {
      const row = (await rowOf(id))!;
      return [row.sha256, row.thumbSha256, row.displaySha256];
    };
    const [loneKeys, sharedKeys] = [await keysOf(lone.id), await keysOf(first.id)];
    expect(loneKeys.every((key) => key !== null && stored(key))).toBe(true);
    expect(await keysOf(again.id)).toEqual(sharedKeys);

    for (const s of [seq, loneSeq]) expect((await call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${s}/recall`, { token: owner.token })).status).toBe(200);
    await sweepMedia(deps());
    expect(loneKeys.map((key) => stored(key!))).toEqual([false, false, false]);
    expect(sharedKeys.map((key) => stored(key!))).toEqual([true, true, true]);
    const thumb = await new Promise<number>((resolve, reject) =>
      http.get(`${server.url}/v1/attachments/${again.id}/thumb`, { agent: false, headers: { authorization: `Bearer ${owner.token}` } }, (r) => (r.resume(), resolve(r.statusCode ?? 0))).on('error', reject),
    );
    expect(thumb).toBe(200);
  });
});

describe('uploads never sent', () => {
  it('removes them after ATTACHMENT_UNSENT_HOURS with their bytes, and leaves younger ones and sent ones alone', async () => {
    const { owner, roomId } = await freshRoom();
    const stale = await upload(server.url, owner, roomId, png(`stale-${roomId}`), 'stale.png');
    const young = await upload(server.url, owner, roomId, png(`young-${roomId}`), 'young.png');
    const sentLong = await upload(server.url, owner, roomId, png(`sent-${roomId}`), 'sent.png');
    await sendAttachments(server.url, owner, roomId, [sentLong.id]);
    // The same bytes as the stale upload, in a sent message: they must stay.
    const staleTwin = await upload(server.url, owner, roomId, png(`twin-${roomId}`), 'twin.png');
    const twinUnsent = await upload(server.url, owner, roomId, png(`twin-${roomId}`), 'twin-unsent.png');
    await sendAttachments(server.url, owner, roomId, [staleTwin.id]);
    await deps().db.execute(sql`update attachments set created_at = now() - interval '25 hours' where id in (${stale.id}::uuid, ${sentLong.id}::uuid, ${staleTwin.id}::uuid, ${twinUnsent.id}::uuid)`);

    const sweep = await sweepMedia(deps());
    expect(sweep.unsentRemoved).toBe(2);
    expect(stored(stale.sha256)).toBe(false);
    expect((await fetchBytes(owner, stale.id)).status).toBe(404);
    expect((await fetchBytes(owner, twinUnsent.id)).status).toBe(404);
    expect(stored(twinUnsent.sha256)).toBe(true);
    expect((await fetchBytes(owner, staleTwin.id)).status).toBe(200);
    expect((await fetchBytes(owner, young.id)).status).toBe(200);
    expect((await fetchBytes(owner, sentLong.id)).status).toBe(200);
    // A removed upload can no longer be counted against the quota or sent.
    expect((await rowOf(stale.id))?.removedAt).toBeInstanceOf(Date);
  });
});

describe('the job every gateway runs', () => {
  it('runs the sweeps on its timer, the storage listing included, until stopped', async () => {
    const { owner, roomId } = await freshRoom();
    const stale = await upload(server.url, owner, roomId, png(`job-${roomId}`), 'stale.png');
    await deps().db.execute(sql`update attachments set created_at = now() - interval '2 days' where id = ${stale.id}::uuid`);
    const stray = await putMedia(deps().media, Readable.from([Buffer.from(`job stray ${roomId}`)]));
    const longAgo = new Date(Date.now() - 3 * 3_600_000);
    await utimes(fileOf(stray), longAgo, longAgo);

    const job = startMediaLifecycle(deps(), 50);
    try {
      await waitFor(() => !stored(stale.sha256) && !stored(stray), 5_000, 'the sweeps to run');
    } finally {
      await job.stop();
    }
    expect((await rowOf(stale.id))?.releasedAt).toBeInstanceOf(Date);
  });
});

describe('uploads a reviewer rejected', () => {
  it('are kept as evidence until RECALL_RETENTION_DAYS after the decision, then go with their bytes; undecided ones stay', async () => {
    const owner = await signUp(server.url);
    const member = await signUp(server.url);
    const roomId = (await createRoom(server.url, owner)).id;
    await joinRoom(server.url, member, roomId);
    // A newcomer's photos wait for review (probation).
    const rejected = await upload(server.url, member, roomId, png(`rejected-${roomId}`), 'rejected.png');
    const waiting = await upload(server.url, member, roomId, png(`waiting-${roomId}`), 'waiting.png');
    expect([rejected.status, waiting.status]).toEqual(['held', 'held']);
    const reject = await call(server.url, 'POST', `/v1/rooms/${roomId}/review/attachments/${rejected.id}/reject`, { token: owner.token });
    expect(reject.status).toBe(200);
    await deps().db.execute(sql`update attachments set created_at = now() - interval '3 days' where id in (${rejected.id}::uuid, ${waiting.id}::uuid)`);

    // Retention is 0 days in this suite: the next sweep removes the rejected one.
    const sweep = await sweepMedia(deps());
    expect(sweep.rejectedRemoved).toBe(1);
    expect(stored(rejected.sha256)).toBe(false);
    expect((await rowOf(rejected.id))?.removedAt).toBeInstanceOf(Date);
    expect((await rowOf(waiting.id))?.removedAt).toBeNull();
    expect(stored(waiting.sha256)).toBe(true);
  });
});

describe('held uploads nobody decides on', () => {
  it('are rejected after ATTACHMENT_HELD_DAYS as a reviewer would (told, audited), then go with their bytes', async () => {
    const owner = await signUp(server.url);
    const member = await signUp(server.url);
    const roomId = (await createRoom(server.url, owner)).id;
    await joinRoom(server.url, member, roomId);
    // A newcomer's photos wait for review (probation).
    const forgotten = await upload(server.url, member, roomId, png(`forgotten-${roomId}`), 'forgotten.png');
    const recent = await upload(server.url, member, roomId, png(`recent-${roomId}`), 'recent.png');
    expect([forgotten.status, recent.status]).toEqual(['held', 'held']);
    const uploaderLive = await listen(server, member, ['review:decided']);
    const staffLive = await listen(server, owner, ['review:decided']);
    try {
      // The default is 14 days: one is 15 days old, the other 13.
      await deps().db.execute(sql`update attachments set created_at = now() - interval '15 days' where id = ${forgotten.id}::uuid`);
      await deps().db.execute(sql`update attachments set created_at = now() - interval '13 days' where id = ${recent.id}::uuid`);

      const sweep = await sweepMedia(deps());
      expect(sweep.heldExpired).toBe(1);
      await waitFor(() => uploaderLive.events['review:decided']!.length === 1 && staffLive.events['review:decided']!.length === 1, 5_000, 'review:decided');
      for (const live of [uploaderLive, staffLive]) {
        expect(live.events['review:decided']![0]).toMatchObject({ roomId, kind: 'attachment', attachmentId: forgotten.id, status: 'rejected', expired: true, attachment: { id: forgotten.id, status: 'blocked' } });
      }
      const decided = await call(server.url, 'GET', `/v1/rooms/${roomId}/review?status=decided`, { token: owner.token });
      expect(decided.status).toBe(200);
      expect(decided.body.attachments).toEqual([expect.objectContaining({ status: 'rejected', decidedBy: null, attachment: expect.objectContaining({ id: forgotten.id }) })]);
      const open = await call(server.url, 'GET', `/v1/rooms/${roomId}/review`, { token: owner.token });
      expect(open.body.attachments.map((a: any) => a.attachment.id)).toEqual([recent.id]);
      expect(await auditActions(server, roomId)).toContain('review.reject');
      // A reviewer coming late finds it decided.
      const late = await call(server.url, 'POST', `/v1/rooms/${roomId}/review/attachments/${forgotten.id}/approve`, { token: owner.token });
      expect(late.status).toBe(409);
      expect(late.body.error).toMatchObject({ code: 'ALREADY_DECIDED', details: { status: 'rejected', decidedBy: null } });
      // Members never could fetch it; now no one may send it either.
      expect((await fetchBytes(owner, forgotten.id)).status).toBe(200);
      const send = await call(server.url, 'POST', `/v1/rooms/${roomId}/messages`, { token: member.token, body: { text: '', clientMsgId: `late-${roomId}`, attachments: [forgotten.id] } });
      expect(send.body.error.code).toBe('ATTACHMENT_NOT_READY');

      // Rejected like any other, it goes with its bytes after RECALL_RETENTION_DAYS (0 in this suite).
      const next = await sweepMedia(deps());
      expect(next.heldExpired).toBe(0);
      expect(next.rejectedRemoved).toBeGreaterThanOrEqual(1);
      expect(stored(forgotten.sha256)).toBe(false);
      expect((await rowOf(forgotten.id))?.releasedAt).toBeInstanceOf(Date);
      expect(stored(recent.sha256)).toBe(true);
      expect((await rowOf(recent.id))?.status).toBe('held');
    } finally {
      uploaderLive.close();
      staffLive.close();
    }
  });
});

describe('uploads of a message held for review', () => {
  it('stay while the message waits, however old, and reach the album once it is approved', async () => {
    const { owner, member, roomId } = await freshRoom();
    const photo = await upload(server.url, member, roomId, png(`held-${roomId}`), 'flyer.png');
    // A phone number holds the message (the privacy rule) with its photo.
    const held = await call(server.url, 'POST', `/v1/rooms/${roomId}/messages`, {
      token: member.token,
      body: { text: '我手机号 13812345678，有事找我', clientMsgId: `held-${roomId}`, attachments: [photo.id] },
    });
    expect(held.status).toBe(202);
    await deps().db.execute(sql`update attachments set created_at = now() - interval '3 days' where id = ${photo.id}::uuid`);

    await sweepMedia(deps());
    expect((await rowOf(photo.id))?.removedAt).toBeNull();
    expect(stored(photo.sha256)).toBe(true);

    const approved = await call(server.url, 'POST', `/v1/rooms/${roomId}/review/${held.body.error.details.heldId}/approve`, { token: owner.token });
    expect(approved.status).toBe(200);
    const album = await call(server.url, 'GET', `/v1/rooms/${roomId}/album`, { token: owner.token });
    expect(album.body.items.map((i: any) => i.attachment.id)).toEqual([photo.id]);
    expect((await fetchBytes(owner, photo.id)).status).toBe(200);
  });
});

describe('stored files no row names', () => {
  it('deletes them after the grace period, and never a file a row names', async () => {
    const { owner, roomId } = await freshRoom();
    const named = await upload(server.url, owner, roomId, png(`named-${roomId}`), 'named.png');
    // What a crash between keeping the bytes and inserting the row leaves behind.
    const strayKey = await putMedia(deps().media, Readable.from([Buffer.from(`stray ${roomId}`)]));
    const youngKey = await putMedia(deps().media, Readable.from([Buffer.from(`young stray ${roomId}`)]));
    const hourAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(fileOf(strayKey), hourAgo, hourAgo);
    await utimes(fileOf(named.sha256), hourAgo, hourAgo);
    // Something that is not a content key is not the sweep's to judge.
    await mkdir(path.join(mediaDir, 'ab', 'cd'), { recursive: true });
    await writeFile(path.join(mediaDir, 'ab', 'cd', 'README'), 'not ours');

    const result = await sweepUnreferencedFiles(deps());
    expect(result.listed).toBeGreaterThanOrEqual(3);
    expect(stored(strayKey)).toBe(false);
    expect(stored(youngKey)).toBe(true);
    expect(stored(named.sha256)).toBe(true);
    expect(existsSync(path.join(mediaDir, 'ab', 'cd', 'README'))).toBe(true);
    expect((await fetchBytes(owner, named.id)).status).toBe(200);

    // With no grace the young stray goes too.
    await sweepUnreferencedFiles(deps(), new Date(), 0);
    expect(stored(youngKey)).toBe(false);
    expect(stored(named.sha256)).toBe(true);
  });
});

describe('the content-addressed race', () => {
  it('never loses the bytes of a live row when a release and an upload of the same bytes meet', async () => {
    const { owner, roomId } = await freshRoom();
    const media = deps().media;
    const realDelete = media.delete.bind(media);
    // A slow storage: the delete lands well after the release has checked the references, the
    // moment where an upload of the same bytes used to slip in between.
    media.delete = async (key) => {
      await sleep(300);
      return realDelete(key);
    };
    try {
      for (let round = 0; round < 3; round++) {
        const bytes = png(`race-${roomId}-${round}`);
        // A removed row names the key: a release will delete its bytes…
        const old = await upload(server.url, owner, roomId, bytes, 'old.png');
        await deps().db.execute(sql`update attachments set removed_at = now() where id = ${old.id}::uuid`);
        const releasing = releaseMediaKeys(deps(), [old.sha256]);
        await sleep(50);
        // …just as someone posts the same photo again.
        const fresh = await upload(server.url, owner, roomId, bytes, 'fresh.png');
        await releasing;
        const response = await fetchBytes(owner, fresh.id);
        expect(response.status, `round ${round}`).toBe(200);
        expect(response.bytes.equals(bytes), `round ${round}`).toBe(true);
        expect(stored(fresh.sha256), `round ${round}`).toBe(true);
      }
    } finally {
      media.delete = realDelete;
    }
  });
});

describe('room dissolution and account deletion', () => {
  it("a dissolved room's files go, except those another room still uses", async () => {
    const { owner, member, roomId } = await freshRoom();
    const other = await createRoom(server.url, member);
    const onlyHere = await upload(server.url, owner, roomId, png(`only-${roomId}`), 'only.png');
    await sendAttachments(server.url, owner, roomId, [onlyHere.id]);
    const unsentHere = await upload(server.url, owner, roomId, png(`unsent-${roomId}`), 'unsent.png');
    const shared = png(`both-${roomId}`);
    const sharedHere = await upload(server.url, owner, roomId, shared, 'both.png');
    await sendAttachments(server.url, owner, roomId, [sharedHere.id]);
    const sharedThere = await upload(server.url, member, other.id, shared, 'both.png');
    await sendAttachments(server.url, member, other.id, [sharedThere.id]);

    expect((await call(server.url, 'DELETE', `/v1/rooms/${roomId}`, { token: owner.token })).status).toBe(204);
    await waitFor(() => !stored(onlyHere.sha256) && !stored(unsentHere.sha256), 5_000, "the dissolved room's files deleted");
    expect(stored(sharedHere.sha256)).toBe(true);
    expect((await fetchBytes(member, sharedThere.id)).status).toBe(200);
    expect((await fetchBytes(owner, onlyHere.id)).status).toBe(404);
  });

  it("a deleted account's sent photos stay in the album; its unsent uploads go", async () => {
    const { owner, member, roomId } = await freshRoom();
    const sent = await upload(server.url, member, roomId, png(`kept-${roomId}`), 'kept.png');
    await sendAttachments(server.url, member, roomId, [sent.id]);
    const unsent = await upload(server.url, member, roomId, png(`draft-${roomId}`), 'draft.png');

    const deletion = await call(server.url, 'DELETE', '/v1/me', { token: member.token, body: { password: 'correct horse battery' } });
    expect(deletion.status).toBe(204);
    expect(stored(unsent.sha256)).toBe(false);
    expect((await rowOf(unsent.id))?.removedAt).toBeInstanceOf(Date);
    expect(stored(sent.sha256)).toBe(true);
    const album = await call(server.url, 'GET', `/v1/rooms/${roomId}/album`, { token: owner.token });
    expect(album.body.items.map((i: any) => [i.attachment.name, i.message.sender.deleted])).toEqual([['kept.png', true]]);
    expect((await fetchBytes(owner, sent.id)).status).toBe(200);
  });
});
