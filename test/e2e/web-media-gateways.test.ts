/**
 * The whole path of a photo and a big video, as two people see it from two gateway processes
 * over PostgreSQL and Redis (sharing one media directory, as they would share a bucket): Alice,
 * in a browser on gateway A, attaches a photo with its camera settings and a GPS location and a
 * 60 MB video from the web client and sends them. Bob, in another browser on gateway B, sees the
 * photo arrive live — the thumbnail, then the full-size picture in the viewer with the camera line
 * — and the bytes his browser gets carry no location; he plays the video and seeks in it, which
 * only works because gateway B answers byte ranges (the video is a short real recording padded to
 * 60 MB with a Matroska Void element before its frames, so playing it at all means jumping over
 * the padding); and he finds both in the room's album.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createRoom, joinRoom, signUp, type TestUser } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';
import { useWebSuite } from '../helpers/web-pages.ts';
import type { Room } from '../../shared/schemas.ts';

const VIDEO_BYTES = 60 * 1024 * 1024;

const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzi-media-gateways-'));
const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzi-media-files-'));
const gateways = twoGatewaysPerSuite({ MEDIA_DIR: mediaDir });
// The pages talk to the two gateways; registered after them, so the browser closes before they stop.
const web = useWebSuite({ server: false, expectCleanPages: false });

afterAll(() => {
  fs.rmSync(filesDir, { recursive: true, force: true });
  // After the gateways' own afterAll has stopped them (after-hooks run in reverse order).
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

async function openAs(url: string, user: TestUser, room: Room): Promise<Page> {
  const page = await web.pages.open(url, user, { path: `/rooms/${room.id}` });
  await page.locator('.chat-head h2', { hasText: room.name }).waitFor();
  return page;
}

/** A JPEG as a camera writes it: the settings a critique needs, and where it was taken. */
function cameraPhoto(): Promise<Buffer> {
  const width = 1800;
  const height = 1200;
  const shapes = Buffer.from(`<svg width="${width}" height="${height}"><rect x="200" y="300" width="600" height="500" fill="#c63"/><circle cx="1300" cy="600" r="350" fill="#2a6"/></svg>`);
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 70, b: 120 } } })
    .composite([{ input: shapes }])
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'Canon', Model: 'EOS R6' },
      IFD2: { FNumber: '28/10', ExposureTime: '1/500', ISOSpeedRatings: '400', FocalLength: '35/1', LensModel: 'RF35mm F1.8 MACRO IS STM' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '116/1 23/1 0/1' },
    })
    .toBuffer();
}

/** A three-second VP8 WebM recorded by the browser itself from a moving canvas. */
async function recordVideo(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const context = canvas.getContext('2d')!;
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm;codecs=vp8' });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start(100);
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const frame = () => {
        const t = performance.now() - started;
        context.fillStyle = `hsl(${(t / 12) % 360}, 70%, 45%)`;
        context.fillRect(0, 0, 320, 240);
        context.fillStyle = '#fff';
        context.fillRect((t / 10) % 320, 100, 40, 40);
        if (t < 3000) requestAnimationFrame(frame);
        else resolve();
      };
      frame();
    });
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  });
  return Buffer.from(base64, 'base64');
}

/** An EBML variable-length number at `at`: its length in bytes and its value (marker bit removed). */
function vint(bytes: Buffer, at: number): { length: number; value: number; unknown: boolean } {
  const first = bytes[at]!;
  let length = 1;
  while (length <= 8 && (first & (0x80 >> (length - 1))) === 0) length += 1;
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i += 1) {
    value = value * 256 + bytes[at + i]!;
    allOnes &&= bytes[at + i] === 0xff;
  }
  return { length, value, unknown: allOnes };
}

/**
 * The recording padded to `total` bytes with one Void element (ID 0xEC, which every Matroska
 * reader skips) put between the track headers and the first cluster of frames. MediaRecorder
 * writes the Segment with an unknown size, so nothing else needs rewriting.
 */
function padWebm(webm: Buffer, total: number): Buffer {
  const headerSize = vint(webm, 4);
  const segmentAt = 4 + headerSize.length + headerSize.value;
  expect(webm.readUInt32BE(segmentAt)).toBe(0x18538067);
  const segmentSize = vint(webm, segmentAt + 4);
  expect(segmentSize.unknown).toBe(true);
  let at = segmentAt + 4 + segmentSize.length;
  while (webm.readUInt32BE(at) !== 0x1f43b675) {
    const id = vint(webm, at);
    const size = vint(webm, at + id.length);
    expect(size.unknown).toBe(false);
    at += id.length + size.length + size.value;
  }
  // ID, then the size as an eight-byte number (0x01 and seven bytes), then the padding itself.
  const voidBytes = total - webm.length;
  const header = Buffer.alloc(9);
  header[0] = 0xec;
  header[1] = 0x01;
  header.writeUIntBE(voidBytes - header.length, 3, 6);
  return Buffer.concat([webm.subarray(0, at), header, Buffer.alloc(voidBytes - header.length), webm.subarray(at)]);
}

/** Whether a JPEG's EXIF has a GPS block (IFD0 tag 0x8825), read the way a photo viewer would. */
function hasGpsBlock(jpeg: Buffer): boolean {
  for (let at = 2; at + 4 < jpeg.length; ) {
    if (jpeg[at] !== 0xff) return false;
    const marker = jpeg[at + 1]!;
    const length = jpeg.readUInt16BE(at + 2);
    if (marker === 0xe1 && jpeg.toString('latin1', at + 4, at + 10) === 'Exif\0\0') {
      const tiff = jpeg.subarray(at + 10, at + 2 + length);
      const little = tiff.toString('latin1', 0, 2) === 'II';
      const u16 = (o: number) => (little ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
      const u32 = (o: number) => (little ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
      const ifd0 = u32(4);
      for (let i = 0; i < u16(ifd0); i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
    }
    if (marker === 0xda) return false;
    at += 2 + length;
  }
  return false;
}

describe('a photo and a 60 MB video, sent on one gateway and seen on another', () => {
  it('Bob on gateway B sees the photo live without its location, plays and seeks the video, finds both in the album', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const alice = await signUp(a);
    const bob = await signUp(a);
    const room = await createRoom(a, alice, { name: 'Hutong walks', tags: ['photography'] });
    await joinRoom(a, bob, room.id);
    const alicePage = await openAs(a, alice, room);
    const bobPage = await openAs(b, bob, room);
    const bobsRequests: Array<{ url: string; status: number; range: string | null; contentRange: string | null; authorization: boolean }> = [];
    // Answers as they come: a media request the player gives up on midway never finishes.
    bobPage.on('response', (response) => {
      const request = response.request();
      if (!request.url().includes('/v1/attachments/')) return;
      bobsRequests.push({
        url: request.url(),
        status: response.status(),
        range: request.headers().range ?? null,
        contentRange: response.headers()['content-range'] ?? null,
        authorization: 'authorization' in request.headers(),
      });
    });

    // The files as they would be on Alice's disk.
    const photo = await cameraPhoto();
    expect(hasGpsBlock(photo)).toBe(true);
    const recording = await recordVideo(alicePage);
    expect(recording.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
    const video = padWebm(recording, VIDEO_BYTES);
    const photoPath = path.join(filesDir, 'gate-tower.jpg');
    const videoPath = path.join(filesDir, 'hutong-walk.webm');
    fs.writeFileSync(photoPath, photo);
    fs.writeFileSync(videoPath, video);

    // Alice attaches both from the composer and sends them without text.
    await alicePage.locator('.composer input[type="file"]').setInputFiles([photoPath, videoPath]);
    const tray = alicePage.locator('.upload-list');
    await tray.locator('.upload.status-ready').nth(1).waitFor({ timeout: 60_000 });
    await alicePage.getByRole('button', { name: 'Send' }).click();
    await tray.waitFor({ state: 'detached' });
    const mine = alicePage.locator('.message.mine[data-seq]').filter({ has: alicePage.locator('video') });
    await mine.waitFor();
    const seq = Number(await mine.getAttribute('data-seq'));
    const photoId = (await mine.locator('.photo-grid [data-attachment-id]').first().getAttribute('data-attachment-id'))!;

    // Bob, on the other gateway, sees the thumbnail arrive live, loaded without a token in sight.
    const message = bobPage.locator(`.message[data-seq="${seq}"]`);
    const thumb = message.locator('.photo-grid .thumb img');
    await thumb.waitFor();
    await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).toBe(true);
    expect(await thumb.evaluate((img) => (img as HTMLImageElement).src)).toMatch(new RegExp(`^${b}/v1/attachments/${photoId}(/thumb)?$`));

    // Then the full-size picture in the viewer, with the camera line under it.
    await message.locator('.thumb').first().click();
    const viewer = bobPage.getByRole('dialog', { name: 'Photo viewer' });
    await viewer.waitFor();
    const full = viewer.locator('img.lightbox-media');
    await expect.poll(() => full.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1800);
    expect(await viewer.locator('.exif-line').textContent()).toMatch(/EOS R6 · RF35mm F1\.8 MACRO IS STM · 35 mm · f\/2\.8 · 1\/500 s · ISO 400$/);
    await bobPage.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // The photo his browser is given has no location in it.
    const served = await bobPage.evaluate(async (id) => {
      const response = await fetch(`/v1/attachments/${id}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { status: response.status, base64: btoa(binary) };
    }, photoId);
    expect(served.status).toBe(200);
    const jpeg = Buffer.from(served.base64, 'base64');
    expect(jpeg.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(hasGpsBlock(jpeg)).toBe(false);

    // He plays the video and seeks to its middle: the frames sit 60 MB into the file.
    const player = message.locator('video');
    await player.waitFor();
    // Its poster is the frame Alice's browser captured as she chose the file.
    expect(await player.getAttribute('poster')).toMatch(/\/v1\/attachments\/[0-9a-f-]+\/thumb$/);
    const played = await player.evaluate(async (el) => {
      const v = el as HTMLVideoElement;
      v.muted = true;
      await v.play();
      await new Promise((resolve) => setTimeout(resolve, 400));
      v.pause();
      const playedTo = v.currentTime;
      // A recorder's WebM has no duration in its header: asking for the end makes the browser find it.
      if (!Number.isFinite(v.duration)) {
        v.currentTime = 1e9;
        await new Promise((resolve) => v.addEventListener('seeked', resolve, { once: true }));
      }
      const target = v.duration / 2;
      v.currentTime = target;
      await new Promise((resolve) => v.addEventListener('seeked', resolve, { once: true }));
      return { playedTo, duration: v.duration, at: v.currentTime, target, error: v.error?.code ?? null };
    });
    expect(played.error).toBeNull();
    expect(played.playedTo).toBeGreaterThan(0);
    expect(played.duration).toBeGreaterThan(2);
    expect(Math.abs(played.at - played.target)).toBeLessThan(0.5);
    const videoRequests = bobsRequests.filter((r) => !r.url.includes(photoId));
    // A partial answer from beyond the padding (the browser asks from a block boundary a little
    // before the frames): it jumped there, it did not read 60 MB through.
    const jumps = videoRequests.filter((r) => r.status === 206 && Number(/^bytes (\d+)-/.exec(r.contentRange ?? '')?.[1] ?? 0) > VIDEO_BYTES - 1024 * 1024);
    expect(jumps.length).toBeGreaterThan(0);
    expect(bobsRequests.every((r) => !r.authorization && r.url.startsWith(b))).toBe(true);

    // Both are in the album.
    await bobPage.getByRole('button', { name: 'Room info' }).click();
    await bobPage.locator('.panel summary', { hasText: 'Album' }).click();
    const tiles = bobPage.locator('.album-grid .album-tile');
    await tiles.nth(1).waitFor();
    expect(await tiles.count()).toBe(2);
    expect(await tiles.locator('.album-video-badge').count()).toBe(1);
    // Both tiles are pictures: the photo's thumbnail and the video's poster.
    expect(await tiles.locator('img').count()).toBe(2);
    await expect.poll(() => tiles.locator('img').evaluateAll((imgs) => imgs.length > 0 && imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0))).toBe(true);
    expect(web.pages.pageErrors).toEqual([]);
  }, 120_000);
});
