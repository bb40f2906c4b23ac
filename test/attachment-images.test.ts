/**
 * Pictures through the real HTTP interface: what a member's browser is served after a photo is
 * uploaded (no location, no serial numbers, still upright, the same pixels), the thumbnail, the
 * web rendition and the placeholder; a room whose owner keeps originals; a decompression bomb
 * refused with the server still answering; videos and sounds measured.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { thumbHashToApproximateAspectRatio } from 'thumbhash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments } from '../drizzle/schema.ts';
import { pixelWorkerPid } from '../server/media/images.ts';
import { call, createRoom, joinRoom, signUp, waitFor, type TestUser } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { CAMERA, cameraJpeg, mp4Headers, pngBomb, pngChunks, pngWithMetadata, wav } from './media/pictures.ts';
import { photo } from './media/safety-pictures.ts';

let server: TestServer;
let mediaDir: string;

beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), 'quanzi-images-test-'));
  server = await startTestServer({ env: { MEDIA_DIR: mediaDir } });
});
afterAll(async () => {
  await server?.close();
  await rm(mediaDir, { recursive: true, force: true });
});

async function upload(user: TestUser, roomId: string, bytes: Buffer, name: string, poster?: Buffer): Promise<{ status: number; body: any }> {
  const form = new FormData();
  if (poster) form.append('poster', new Blob([new Uint8Array(poster)]), 'poster.jpg');
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const response = await fetch(`${server.url}/v1/rooms/${roomId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form });
  return { status: response.status, body: await response.json() };
}

async function fetchBytes(user: TestUser, url: string, headers: Record<string, string> = {}): Promise<{ response: Response; bytes: Buffer }> {
  const response = await fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${user.token}`, ...headers } });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const rowsOfRoom = (roomId: string) => server.app.deps.db.select().from(attachments).where(eq(attachments.roomId, roomId));

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(mediaDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && !entry.parentPath.endsWith(`${path.sep}tmp`)).map((entry) => entry.name);
}

/** The owner uploads (exempt from probation); the member is the one who looks. */
async function freshRoom(): Promise<{ owner: TestUser; member: TestUser; roomId: string }> {
  const owner = await signUp(server.url);
  const member = await signUp(server.url);
  const room = await createRoom(server.url, owner);
  await joinRoom(server.url, member, room.id);
  return { owner, member, roomId: room.id };
}

/** The headers every stored file is served with, whichever rendition. */
function expectServedSafely(response: Response, sha: string, size: number, mime: string): void {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe(mime);
  expect(response.headers.get('etag')).toBe(`"${sha}"`);
  expect(response.headers.get('content-length')).toBe(String(size));
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  expect(response.headers.get('content-disposition')).toMatch(/^inline;/);
}

describe('a photo with GPS, XMP and serial numbers', () => {
  it('is served to members without location or serial numbers, upright, with the same pixels and the camera line kept', async () => {
    const { owner, member, roomId } = await freshRoom();
    const photo = await cameraJpeg();
    const reply = await upload(owner, roomId, photo, 'street.jpg');
    expect(reply.status).toBe(201);
    const attachment = reply.body.attachment;
    expect(attachment).toMatchObject({
      kind: 'image',
      mime: 'image/jpeg',
      // Stored landscape, shown portrait: the size is as shown.
      width: 2000,
      height: 3000,
      exif: { camera: 'FUJIFILM X-T5', lens: 'XF35mmF1.4 R', focalLengthMm: 35, aperture: 2.8, shutter: '1/250', iso: 400, takenAt: '2026-05-01T10:11:12' },
      thumb: { width: 266, height: 400 },
      display: { width: 1365, height: 2048 },
      status: 'ready',
    });
    expect(Object.keys(attachment.exif).sort()).toEqual(['aperture', 'camera', 'focalLengthMm', 'iso', 'lens', 'shutter', 'takenAt']);
    expect(attachment.original).toBeUndefined();
    expect(attachment.sha256).not.toBe(sha256(photo));

    const { response, bytes } = await fetchBytes(member, `/v1/attachments/${attachment.id}`);
    expectServedSafely(response, attachment.sha256, attachment.size, 'image/jpeg');
    expect(sha256(bytes)).toBe(attachment.sha256);
    expect(bytes.length).toBe(attachment.size);
    const served = await sharp(bytes).metadata();
    expect(served.xmp).toBeUndefined();
    const tags = exifReader(served.exif!);
    expect(tags.GPSInfo).toBeUndefined();
    expect(tags.Photo).toBeUndefined();
    expect(tags.Image).toEqual({ Orientation: 6 });
    expect(served.orientation).toBe(6);
    for (const secret of ['BODY-SN-12345', 'LENS-SN-67890', 'GPSLatitude', 'our street', 'Mei']) expect(bytes.includes(secret)).toBe(false);
    // Removed losslessly: the compressed image is the very same, so are its pixels.
    const [before, after] = await Promise.all([sharp(photo).raw().toBuffer(), sharp(bytes).raw().toBuffer()]);
    expect(after.equals(before)).toBe(true);
    // The upload itself, location inside, is not kept anywhere.
    expect(await storedFiles()).not.toContain(sha256(photo));
  });

  it('has a WebP thumbnail, a web rendition and a ThumbHash placeholder, served with the same rules and their own ETags', async () => {
    const { owner, member, roomId } = await freshRoom();
    const { body } = await upload(owner, roomId, await cameraJpeg(), 'street.jpg');
    const attachment = body.attachment;

    const thumb = await fetchBytes(member, `/v1/attachments/${attachment.id}/thumb`);
    expectServedSafely(thumb.response, sha256(thumb.bytes), thumb.bytes.length, 'image/webp');
    const thumbMeta = await sharp(thumb.bytes).metadata();
    expect(thumbMeta).toMatchObject({ format: 'webp', width: 266, height: 400 });
    expect(thumbMeta.exif).toBeUndefined();
    const again = await fetchBytes(member, `/v1/attachments/${attachment.id}/thumb`, { 'if-none-match': thumb.response.headers.get('etag')! });
    expect(again.response.status).toBe(304);

    const display = await fetchBytes(member, `/v1/attachments/${attachment.id}/display`);
    expectServedSafely(display.response, sha256(display.bytes), display.bytes.length, 'image/jpeg');
    const displayMeta = await sharp(display.bytes).metadata();
    expect(displayMeta).toMatchObject({ format: 'jpeg', width: 1365, height: 2048 });
    expect(displayMeta.exif).toBeUndefined();
    expect(display.bytes.includes('BODY-SN-12345')).toBe(false);

    // A portrait placeholder for a portrait photo.
    const ratio = thumbHashToApproximateAspectRatio(Buffer.from(attachment.thumbhash, 'base64'));
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(0.8);

    const rows = await rowsOfRoom(roomId);
    expect(await storedFiles()).toEqual(expect.arrayContaining([rows[0]!.sha256, sha256(thumb.bytes), sha256(display.bytes)]));
  });

  it('serves a small picture itself as its web rendition, and only members get any of it', async () => {
    const { owner, member, roomId } = await freshRoom();
    const { body } = await upload(owner, roomId, await cameraJpeg(800, 600, 1), 'small.jpg');
    expect(body.attachment).toMatchObject({ width: 800, height: 600, thumb: { width: 400, height: 300 } });
    expect(body.attachment.display).toBeUndefined();
    const display = await fetchBytes(member, `/v1/attachments/${body.attachment.id}/display`);
    expectServedSafely(display.response, body.attachment.sha256, body.attachment.size, 'image/jpeg');
    // No orientation to keep: no EXIF at all.
    expect((await sharp(display.bytes).metadata()).exif).toBeUndefined();

    const stranger = await signUp(server.url);
    for (const rendition of ['', '/thumb', '/display']) {
      const { response, bytes } = await fetchBytes(stranger, `/v1/attachments/${body.attachment.id}${rendition}`);
      expect(response.status).toBe(404);
      expect(JSON.parse(bytes.toString()).error.code).toBe('ATTACHMENT_NOT_FOUND');
    }
  });

  it('is served as uploaded, GPS included, in a room whose owner keeps originals (admins may not turn that on)', async () => {
    const { owner, member, roomId } = await freshRoom();
    const admin = await signUp(server.url);
    await joinRoom(server.url, admin, roomId);
    expect((await call(server.url, 'PUT', `/v1/rooms/${roomId}/members/${admin.id}/role`, { token: owner.token, body: { role: 'admin' } })).status).toBeLessThan(300);
    const refused = await call(server.url, 'PATCH', `/v1/rooms/${roomId}`, { token: admin.token, body: { keepImageOriginals: true } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: { action: 'room.keepImageOriginals' } });

    const changed = await call(server.url, 'PATCH', `/v1/rooms/${roomId}`, { token: owner.token, body: { keepImageOriginals: true } });
    expect(changed.status).toBe(200);
    expect(changed.body.room.keepImageOriginals).toBe(true);

    const photo = await cameraJpeg();
    const { body } = await upload(owner, roomId, photo, 'critique-me.jpg');
    expect(body.attachment).toMatchObject({ original: true, sha256: sha256(photo), size: photo.length, width: 2000, height: 3000, exif: { camera: 'FUJIFILM X-T5' } });
    const { response, bytes } = await fetchBytes(member, `/v1/attachments/${body.attachment.id}`);
    expectServedSafely(response, sha256(photo), photo.length, 'image/jpeg');
    expect(bytes.equals(photo)).toBe(true);
    expect(exifReader((await sharp(bytes).metadata()).exif!).GPSInfo).toMatchObject({ GPSLatitudeRef: 'N', GPSLatitude: [31, 14, 2] });
    // The derived pictures never carry it.
    const thumb = await fetchBytes(member, `/v1/attachments/${body.attachment.id}/thumb`);
    expect((await sharp(thumb.bytes).metadata()).exif).toBeUndefined();
  });
});

describe('a PNG', () => {
  it('loses its text, XMP, time and EXIF chunks but keeps its pixels and orientation', async () => {
    const { owner, member, roomId } = await freshRoom();
    const png = await pngWithMetadata();
    expect(pngChunks(png).map((c) => c.type)).toEqual(expect.arrayContaining(['tEXt', 'iTXt', 'tIME', 'eXIf']));
    const { status, body } = await upload(owner, roomId, png, 'screenshot.png');
    expect(status).toBe(201);
    // Orientation 8: stored 300 × 200, shown 200 × 300.
    expect(body.attachment).toMatchObject({ mime: 'image/png', width: 200, height: 300, exif: { camera: 'FUJIFILM X-T5' } });

    const { response, bytes } = await fetchBytes(member, `/v1/attachments/${body.attachment.id}`);
    expectServedSafely(response, body.attachment.sha256, body.attachment.size, 'image/png');
    const chunks = pngChunks(bytes);
    // Pixel density (pHYs) draws the picture; it stays.
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'pHYs', 'eXIf', 'IDAT', 'IEND']);
    expect(exifReader(chunks[2]!.data)).toMatchObject({ Image: { Orientation: 8 } });
    expect(exifReader(chunks[2]!.data).GPSInfo).toBeUndefined();
    for (const secret of ['Garden Road', 'GPSLatitude', 'BODY-SN-12345']) expect(bytes.includes(secret)).toBe(false);
    const [before, after] = await Promise.all([sharp(png).raw().toBuffer(), sharp(bytes).raw().toBuffer()]);
    expect(after.equals(before)).toBe(true);
  });

  it('of 30,000 × 30,000 pixels is refused from its header with IMAGE_TOO_LARGE, keeping nothing, and the server goes on answering', async () => {
    const { owner, member, roomId } = await freshRoom();
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    const reply = await upload(owner, roomId, bomb, 'innocent.png');
    expect(reply.status).toBe(422);
    expect(reply.body.error).toMatchObject({ code: 'IMAGE_TOO_LARGE', details: { maxPixels: 100_000_000, pixels: 900_000_000 } });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await rowsOfRoom(roomId)).toHaveLength(0);
    expect(await storedFiles()).not.toContain(sha256(bomb));
    expect(await readdir(path.join(mediaDir, 'tmp'))).toEqual([]);

    const next = await upload(member, roomId, await cameraJpeg(64, 48, 1), 'fine.jpg');
    expect(next.status).toBe(201);
    expect((await call(server.url, 'GET', `/v1/rooms/${roomId}`, { token: member.token })).status).toBe(200);
  });
});

describe('a WebP or a GIF', () => {
  it('is written anew without its metadata, upright, in the same format', async () => {
    const { owner, member, roomId } = await freshRoom();
    const webp = await sharp(await cameraJpeg(600, 400, 6)).webp({ quality: 90 }).withMetadata().withExifMerge(CAMERA).toBuffer();
    expect(exifReader((await sharp(webp).metadata()).exif!).GPSInfo).toBeDefined();
    const { status, body } = await upload(owner, roomId, webp, 'sticker.webp');
    expect(status).toBe(201);
    expect(body.attachment).toMatchObject({ mime: 'image/webp', width: 400, height: 600, exif: { camera: 'FUJIFILM X-T5' } });
    const { response, bytes } = await fetchBytes(member, `/v1/attachments/${body.attachment.id}`);
    expectServedSafely(response, body.attachment.sha256, body.attachment.size, 'image/webp');
    // The pixels themselves are turned, so no orientation is needed.
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 400, height: 600 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(bytes.includes('BODY-SN-12345')).toBe(false);

    const gif = await sharp({ create: { width: 40, height: 30, channels: 3, background: 'red' } }).gif().toBuffer();
    const animated = await upload(owner, roomId, gif, 'wave.gif');
    expect(animated.body.attachment).toMatchObject({ mime: 'image/gif', width: 40, height: 30, thumb: { width: 40, height: 30 } });
    const served = await fetchBytes(member, `/v1/attachments/${animated.body.attachment.id}`);
    expectServedSafely(served.response, animated.body.attachment.sha256, animated.body.attachment.size, 'image/gif');
  });
});

describe('the pixel worker', () => {
  it('is a process of its own: when it dies, the gateway goes on and the next picture starts a new one', async () => {
    const { owner, roomId } = await freshRoom();
    expect((await upload(owner, roomId, await cameraJpeg(64, 48, 1), 'one.jpg')).status).toBe(201);
    const first = pixelWorkerPid();
    expect(first).not.toBeNull();
    expect(first).not.toBe(process.pid);
    process.kill(first!, 'SIGKILL');
    await waitFor(() => pixelWorkerPid() === null);
    const again = await upload(owner, roomId, await cameraJpeg(64, 48, 1), 'two.jpg');
    expect(again.status).toBe(201);
    expect(again.body.attachment.thumb).toEqual({ width: 64, height: 48 });
    expect(pixelWorkerPid()).not.toBe(first);
  });
});

describe('a damaged picture', () => {
  it('is refused with IMAGE_UNREADABLE rather than served with whatever it carries', async () => {
    const { owner, roomId } = await freshRoom();
    const photo = await cameraJpeg(1200, 800, 1);
    const reply = await upload(owner, roomId, photo.subarray(0, Math.floor(photo.length * 0.6)), 'cut.jpg');
    expect(reply.status).toBe(422);
    expect(reply.body.error).toMatchObject({ code: 'IMAGE_UNREADABLE', details: { detected: 'image/jpeg' } });
    expect(await rowsOfRoom(roomId)).toHaveLength(0);
    expect(await readdir(path.join(mediaDir, 'tmp'))).toEqual([]);
  });
});

describe('videos and sounds', () => {
  it('are measured from their headers: a portrait phone video as shown, a sound by its length', async () => {
    const { owner, member, roomId } = await freshRoom();
    const video = await upload(owner, roomId, mp4Headers(1920, 1080, 12.5, true), 'clip.mp4');
    expect(video.status).toBe(201);
    expect(video.body.attachment).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 1080, height: 1920, durationSeconds: 12.5 });
    expect(video.body.attachment.thumb).toBeUndefined();
    const noThumb = await fetchBytes(member, `/v1/attachments/${video.body.attachment.id}/thumb`);
    expect(noThumb.response.status).toBe(404);

    const sound = await upload(member, roomId, wav(3), 'voice.wav');
    expect(sound.status).toBe(201);
    expect(sound.body.attachment).toMatchObject({ kind: 'audio', durationSeconds: 3 });
    expect(sound.body.attachment.width).toBeUndefined();
  });
});

describe('a video with the poster its uploader captured', () => {
  it('gets the poster as its thumbnail and placeholder, without the poster’s metadata', async () => {
    const { owner, member, roomId } = await freshRoom();
    const frame = await cameraJpeg(1920, 1080, 1);
    const video = await upload(owner, roomId, mp4Headers(1920, 1080, 8), 'clip.mp4', frame);
    expect(video.status).toBe(201);
    const attachment = video.body.attachment;
    expect(attachment).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 1920, height: 1080, status: 'ready', thumb: { width: 400, height: 225 } });
    expect(thumbHashToApproximateAspectRatio(Buffer.from(attachment.thumbhash, 'base64'))).toBeCloseTo(16 / 9, 0);
    const thumb = await fetchBytes(member, `/v1/attachments/${attachment.id}/thumb`);
    expect(thumb.response.status).toBe(200);
    expect(thumb.response.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(thumb.bytes).metadata();
    expect(meta).toMatchObject({ width: 400, height: 225 });
    expect(meta.exif).toBeUndefined();
    // The video's own bytes are untouched; the poster is not kept beside it.
    expect((await fetchBytes(member, `/v1/attachments/${attachment.id}`)).bytes.equals(mp4Headers(1920, 1080, 8))).toBe(true);
    expect(await storedFiles()).not.toContain(sha256(frame));
  });

  it('is refused with a coded error naming the poster, keeping nothing, when the poster is wrong', async () => {
    const { owner, roomId } = await freshRoom();
    const before = (await storedFiles()).length;
    const cases: Array<[string, Buffer, Buffer, string]> = [
      ['a poster on a photo', await cameraJpeg(800, 600, 1), await cameraJpeg(400, 300, 1), 'VALIDATION_FAILED'],
      ['a poster that is not a picture', mp4Headers(640, 360, 3), Buffer.from('not a picture at all, just words'), 'VALIDATION_FAILED'],
      ['a poster over 2 MiB', mp4Headers(640, 360, 3), Buffer.alloc(2 * 1024 * 1024 + 1, 7), 'VALIDATION_FAILED'],
    ];
    for (const [what, file, poster, code] of cases) {
      const refused = await upload(owner, roomId, file, file === cases[0]![1] ? 'photo.jpg' : 'clip.mp4', poster);
      expect(refused.status, what).toBeGreaterThanOrEqual(400);
      expect(refused.body.error, what).toMatchObject({ code, details: { field: 'poster' } });
    }
    expect((await rowsOfRoom(roomId)).length).toBe(0);
    expect((await storedFiles()).length).toBe(before);
  });

  it('passes a photo’s safety checks: a poster carrying a phishing QR code refuses the video, keeping nothing', async () => {
    const { owner, roomId } = await freshRoom();
    const poster = await photo(7, { qr: 'https://www.bilibili.com@evil-login.example/verify' });
    const refused = await upload(owner, roomId, mp4Headers(1280, 720, 5), 'clip.mp4', poster);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('BLOCKED_BY_SAFETY');
    expect(refused.body.error.details.reasons.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['QR_CODE_LINK', 'LINK_USERINFO_TRICK']));
    expect((await rowsOfRoom(roomId)).length).toBe(0);
  });
});

