/**
 * Photos, videos and files in the web client, in a real browser against a real gateway: Alice
 * attaches two photos (one with a camera's EXIF) and a short video in one message; Bob, in
 * another browser, sees the thumbnails arrive live (loaded with the media cookie, never a token in
 * a URL), opens the viewer with the camera line and moves through it with the keyboard, plays the
 * video and seeks (Range), finds everything in the album; Alice recalls it and it disappears from
 * Bob's timeline, album and the server at once. Also: cancel an upload, a file card with its
 * download, the files search, and the whole thing at 390 px in Chinese.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoom, joinRoom, signUp, type TestUser } from '../helpers/clients.ts';
import { useWebSuite, type PageOptions } from '../helpers/web-pages.ts';
import { windowsProgram } from '../media/fixtures.ts';
import type { Room } from '../../shared/schemas.ts';

const web = useWebSuite({ expectCleanPages: false });
let alice: TestUser;
let bob: TestUser;
let room: Room;

beforeAll(async () => {
  alice = await signUp(web.server.url);
  bob = await signUp(web.server.url);
  room = await createRoom(web.server.url, alice, { name: 'Street photography', tags: ['photography'] });
  await joinRoom(web.server.url, bob, room.id);
}, 120_000);

afterAll(() => {
  console.info(`screenshots: ${SHOTS}`);
});

// Image work runs in a low-priority process: on a busy machine a photo can take a while to be
// ready, and that is not what these tests look at.
const PROCESSING_TIMEOUT_MS = 45_000;

async function openAs(user: TestUser, options: Pick<PageOptions, 'locale' | 'viewport'> = {}): Promise<Page> {
  const page = await web.open(user, { ...options, path: `/rooms/${room.id}`, stepTimeoutMs: 10_000 });
  await page.locator('.chat-head h2', { hasText: 'Street photography' }).waitFor();
  return page;
}

/** A photo as a camera writes it: a JPEG with the camera settings (and a location, which must not survive). */
async function cameraPhoto(colour: { r: number; g: number; b: number }, width = 1600, height = 1067): Promise<Buffer> {
  const circle = Buffer.from(`<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="#2a6"/></svg>`);
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .composite([{ input: circle }])
    .jpeg({ quality: 82 })
    .withExif({
      IFD0: { Make: 'FUJIFILM', Model: 'X-T5' },
      IFD2: { FNumber: '18/10', ExposureTime: '1/250', ISOSpeedRatings: '200', FocalLength: '50/1', LensModel: 'XF50mmF1.0 R WR' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 0/1' },
    })
    .toBuffer();
}

/** A two-second WebM made by the browser itself (a canvas recorded with MediaRecorder). */
async function recordVideo(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const context = canvas.getContext('2d')!;
    const stream = canvas.captureStream(25);
    const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8' });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start(100);
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const frame = () => {
        const t = performance.now() - started;
        context.fillStyle = `hsl(${(t / 10) % 360}, 70%, 50%)`;
        context.fillRect(0, 0, 320, 240);
        context.fillStyle = '#fff';
        context.fillRect((t / 8) % 320, 100, 40, 40);
        if (t < 2000) requestAnimationFrame(frame);
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

/** A step that failed with the viewer open must not take the next ones down with it. */
async function closeViewer(page: Page): Promise<void> {
  const viewer = page.locator('.lightbox');
  if (await viewer.count()) {
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
  }
}

const attachInput = (page: Page) => page.locator('.composer input[type="file"]');

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
const SHOTS = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzi-media-shots-'));

describe('photos, videos and files in the web client', { timeout: 90_000 }, () => {
  let alicePage: Page;
  let bobPage: Page;
  let seq: number;
  let ids: string[];
  const attachmentRequests: Array<{ url: string; status: number; range: string | null; authorization: boolean }> = [];

  it('Alice attaches two photos and a video at once; each shows its progress, then Send posts them without text', async () => {
    alicePage = await openAs(alice);
    bobPage = await openAs(bob);
    bobPage.on('request', (request) => {
      if (!request.url().includes('/v1/attachments/')) return;
      void request.response().then((response) =>
        attachmentRequests.push({ url: request.url(), status: response?.status() ?? 0, range: request.headers().range ?? null, authorization: 'authorization' in request.headers() }),
      );
    });
    const video = await recordVideo(alicePage);
    expect(video.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
    await attachInput(alicePage).setInputFiles([
      { name: 'tram.jpg', mimeType: 'image/jpeg', buffer: await cameraPhoto({ r: 200, g: 120, b: 60 }) },
      { name: 'market.jpg', mimeType: 'image/jpeg', buffer: await cameraPhoto({ r: 60, g: 90, b: 200 }) },
      { name: 'crossing.webm', mimeType: 'video/webm', buffer: video },
    ]);
    const tray = alicePage.locator('.upload-list');
    await tray.locator('.upload').nth(2).waitFor();
    // Ready to send once all three are up; the text may stay empty.
    await tray.locator('.upload.status-ready').nth(2).waitFor({ timeout: PROCESSING_TIMEOUT_MS });
    expect(await tray.locator('.upload.status-ready').count()).toBe(3);
    const send = alicePage.getByRole('button', { name: 'Send' });
    expect(await send.isEnabled()).toBe(true);
    await send.click();
    await tray.waitFor({ state: 'detached' });
    const mine = alicePage.locator('.message.mine[data-seq]').filter({ has: alicePage.locator('.photo-grid') });
    await mine.waitFor();
    seq = Number(await mine.getAttribute('data-seq'));
    ids = await mine.locator('[data-attachment-id]').evaluateAll((els) => els.map((el) => el.getAttribute('data-attachment-id')!));
    expect(ids).toHaveLength(2);
  });

  it('Bob sees the thumbnails live, with their shape reserved, loaded by the media cookie', async () => {
    const message = bobPage.locator(`.message[data-seq="${seq}"]`);
    const thumbs = message.locator('.photo-grid .thumb img');
    await thumbs.nth(1).waitFor();
    await expect.poll(() => thumbs.evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0))).toEqual([true, true]);
    await bobPage.screenshot({ path: path.join(SHOTS, 'bob-timeline.png') });
    // The size was known before the bytes came: the image element carries it.
    expect(await thumbs.first().getAttribute('width')).toBe('1600');
    expect(await thumbs.first().getAttribute('height')).toBe('1067');
    // Plain paths, no token anywhere in a URL or header: the HttpOnly cookie did it.
    const srcs = await thumbs.evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).src));
    for (const src of srcs) expect(src).toMatch(/\/v1\/attachments\/[0-9a-f-]{36}(\/thumb)?$/);
    expect(attachmentRequests.length).toBeGreaterThan(0);
    expect(attachmentRequests.every((r) => !r.authorization && !r.url.includes(bob.token))).toBe(true);
    expect(await bobPage.evaluate(() => document.cookie)).not.toContain('quanzi_media');
  });

  it('opens the viewer with the camera line; arrows move, Esc closes and gives focus back', async () => {
    const message = bobPage.locator(`.message[data-seq="${seq}"]`);
    await message.locator('.thumb').first().focus();
    await bobPage.keyboard.press('Enter');
    const viewer = bobPage.getByRole('dialog', { name: 'Photo viewer' });
    await viewer.waitFor();
    const full = viewer.locator('img.lightbox-media');
    await expect.poll(() => full.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await bobPage.screenshot({ path: path.join(SHOTS, 'bob-viewer.png') });
    expect(await viewer.locator('.lightbox-name').textContent()).toBe('tram.jpg');
    expect(await viewer.locator('.exif-line').textContent()).toMatch(/X-T5 · XF50mmF1\.0 R WR · 50 mm · f\/1\.8 · 1\/250 s · ISO 200$/);
    expect(await viewer.locator('.lightbox-position').textContent()).toBe('1 / 2');
    await bobPage.keyboard.press('ArrowRight');
    expect(await viewer.locator('.lightbox-name').textContent()).toBe('market.jpg');
    expect(await viewer.locator('.lightbox-position').textContent()).toBe('2 / 2');
    await bobPage.keyboard.press('ArrowLeft');
    expect(await viewer.locator('.lightbox-name').textContent()).toBe('tram.jpg');
    await bobPage.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    await expect.poll(() => bobPage.evaluate(() => document.activeElement?.getAttribute('data-attachment-id'))).toBe(ids[0]);
  });

  it('the photo Bob’s browser gets has no location left in it', async () => {
    expect(hasGpsBlock(await cameraPhoto({ r: 200, g: 120, b: 60 }))).toBe(true);
    const served = await bobPage.evaluate(async (id) => {
      const response = await fetch(`/v1/attachments/${id}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { status: response.status, base64: btoa(binary) };
    }, ids[0]!);
    expect(served.status).toBe(200);
    const jpeg = Buffer.from(served.base64, 'base64');
    expect(jpeg.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(hasGpsBlock(jpeg)).toBe(false);
  });

  it('Bob plays the video and seeks in it: the browser asks for byte ranges and gets them', async () => {
    const video = bobPage.locator(`.message[data-seq="${seq}"] video`);
    await video.waitFor();
    expect(await video.getAttribute('preload')).toBe('metadata');
    expect(await video.getAttribute('controls')).not.toBeNull();
    const seeked = await video.evaluate(async (el) => {
      const v = el as HTMLVideoElement;
      v.muted = true;
      await v.play();
      await new Promise((resolve) => setTimeout(resolve, 300));
      v.pause();
      // A recorder's WebM has no duration in its header: asking for the end makes the browser find it.
      if (!Number.isFinite(v.duration)) {
        v.currentTime = 1e9;
        await new Promise((resolve) => v.addEventListener('seeked', resolve, { once: true }));
      }
      const target = v.duration / 2;
      v.currentTime = target;
      await new Promise((resolve) => v.addEventListener('seeked', resolve, { once: true }));
      return { duration: v.duration, at: v.currentTime, target, error: v.error?.code ?? null };
    });
    expect(seeked.error).toBeNull();
    expect(seeked.duration).toBeGreaterThan(1);
    expect(Math.abs(seeked.at - seeked.target)).toBeLessThan(0.5);
    const ranged = attachmentRequests.filter((r) => r.range !== null);
    expect(ranged.length).toBeGreaterThan(0);
    expect(ranged.every((r) => r.status === 206 || r.status === 200)).toBe(true);
    expect(ranged.some((r) => r.status === 206)).toBe(true);
  });

  it('the album in the room panel shows the photos and the video', async () => {
    await closeViewer(bobPage);
    await bobPage.getByRole('button', { name: 'Room info' }).click();
    await bobPage.locator('.panel summary', { hasText: 'Album' }).click();
    const tiles = bobPage.locator('.album-grid .album-tile');
    await tiles.nth(2).waitFor();
    expect(await tiles.count()).toBe(3);
    await expect.poll(() => tiles.locator('img').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0))).toBe(true);
    expect(await tiles.locator('.album-video-badge').count()).toBe(1);
    await bobPage.screenshot({ path: path.join(SHOTS, 'bob-album.png') });
  });

  it('Alice recalls it: gone from Bob’s timeline, album and the server at once', async () => {
    await closeViewer(bobPage);
    const mine = alicePage.locator(`.message[data-seq="${seq}"]`);
    await mine.hover();
    await mine.getByRole('button', { name: 'Recall' }).click();
    await alicePage.getByRole('dialog').getByRole('button', { name: 'Recall' }).click();
    const bobsCopy = bobPage.locator(`.messages li[data-seq="${seq}"]`);
    await bobsCopy.locator('.thumb, video').first().waitFor({ state: 'detached' });
    expect(await bobsCopy.getAttribute('class')).toContain('recalled');
    await bobPage.locator('.album-grid .album-tile').first().waitFor({ state: 'detached' });
    await bobPage.locator('.panel .panel-body', { hasText: 'No photos or videos yet.' }).waitFor();
    const status = await bobPage.evaluate(async (id) => (await fetch(`/v1/attachments/${id}`)).status, ids[0]!);
    expect(status).toBe(404);
    await bobPage.getByRole('button', { name: 'Close' }).first().click();
  });

  it('a newcomer’s photo is held: Bob sees why in the tray, and it cannot be sent', async () => {
    await closeViewer(bobPage);
    await attachInput(bobPage).setInputFiles([{ name: 'my-first.jpg', mimeType: 'image/jpeg', buffer: await cameraPhoto({ r: 90, g: 90, b: 90 }, 800, 600) }]);
    const held = bobPage.locator('.upload.status-held');
    await held.waitFor();
    expect(await held.locator('.attachment-status').textContent()).toContain('Held for review');
    expect(await held.locator('.attachment-reason').getAttribute('data-code')).toBe('PROBATION_IMAGE');
    expect(await held.locator('.attachment-reason').textContent()).toContain('New members cannot post images yet');
    expect(await bobPage.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await bobPage.screenshot({ path: path.join(SHOTS, 'bob-held.png') });
    await bobPage.getByRole('button', { name: 'Remove my-first.jpg' }).click();
    await held.waitFor({ state: 'detached' });
  });

  it('a held message keeps its file: Bob sees it with the reason, the owner reviews it with the file shown', async () => {
    await attachInput(bobPage).setInputFiles([{ name: 'club-rules.txt', mimeType: 'text/plain', buffer: Buffer.from('1. Be kind. 2. Credit the photographer.') }]);
    await bobPage.locator('.upload.status-ready').waitFor({ timeout: PROCESSING_TIMEOUT_MS });
    await bobPage.locator('#composer-input').fill('Rules are also at https://example.com/rules');
    await bobPage.locator('#composer-input').press('Enter');
    const pending = bobPage.locator('.message.pending.status-held');
    await pending.waitFor();
    expect(await pending.locator('.file-card .file-name').textContent()).toBe('club-rules.txt');
    expect(await pending.locator('.reasons li').first().getAttribute('data-code')).toBe('PROBATION_LINK');

    await alicePage.getByRole('button', { name: 'Room info' }).click();
    await alicePage.locator('.panel summary', { hasText: 'Review queue' }).click();
    const item = alicePage.locator('.review-item', { hasText: 'Rules are also at' });
    await item.locator('.file-card .file-name', { hasText: 'club-rules.txt' }).waitFor();
    await alicePage.getByRole('button', { name: 'Close' }).first().click();
  });

  it('a program named .jpg is held even for the owner: the tray says why, the review queue shows it without a download, reject blocks it', async () => {
    await attachInput(alicePage).setInputFiles([{ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: windowsProgram() }]);
    const held = alicePage.locator('.upload.status-held');
    await held.waitFor();
    expect(await held.locator('.attachment-reason').first().getAttribute('data-code')).toBe('FILE_EXECUTABLE');
    expect(await held.getAttribute('data-name')).toBe('photo.jpg');

    await alicePage.getByRole('button', { name: 'Room info' }).click();
    await alicePage.locator('.panel summary', { hasText: 'Review queue' }).click();
    const item = alicePage.locator('.review-item.held-attachment', { hasText: 'photo.jpg' });
    await item.waitFor();
    expect(await item.locator('.reasons li').first().getAttribute('data-code')).toBe('FILE_EXECUTABLE');
    expect(await item.getByRole('link').count()).toBe(0);
    await item.getByRole('button', { name: 'Reject' }).click();
    await item.waitFor({ state: 'detached' });
    await alicePage.getByRole('button', { name: 'Close' }).first().click();
    await alicePage.getByRole('button', { name: 'Remove photo.jpg' }).click();
    await held.waitFor({ state: 'detached' });
  });

  it('an upload can be cancelled; a file becomes a card with its size and a download, found by the files search', async () => {
    await closeViewer(bobPage);
    // Cancelled mid-way: a big file on a throttled connection.
    const cdp = await alicePage.context().newCDPSession(alicePage);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 200 * 1024 });
    await attachInput(alicePage).setInputFiles([{ name: 'big-notes.txt', mimeType: 'text/plain', buffer: Buffer.alloc(6 * 1024 * 1024, 'film notes ') }]);
    const uploading = alicePage.locator('.upload.status-uploading');
    await uploading.waitFor();
    await expect.poll(() => uploading.locator('progress').evaluate((p) => (p as HTMLProgressElement).value)).toBeGreaterThan(0);
    await alicePage.getByRole('button', { name: 'Cancel upload of big-notes.txt' }).click();
    await uploading.waitFor({ state: 'detached' });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    const csv = Buffer.from('film,developer,minutes\nHP5,HC-110 B,5\nTri-X,D-76,6.75\n');
    await attachInput(alicePage).setInputFiles([{ name: 'developing-times.csv', mimeType: 'text/csv', buffer: csv }]);
    await alicePage.locator('.upload.status-ready').waitFor({ timeout: PROCESSING_TIMEOUT_MS });
    await alicePage.locator('#composer-input').fill('Times for the club');
    await alicePage.locator('#composer-input').press('Enter');
    const card = bobPage.locator('.message', { hasText: 'Times for the club' }).locator('.file-card');
    await card.waitFor();
    expect(await card.locator('.file-name').textContent()).toBe('developing-times.csv');
    expect(await card.locator('.muted').textContent()).toBe(`${csv.length} B`);
    const [download] = await Promise.all([bobPage.waitForEvent('download'), card.getByRole('link', { name: 'Download developing-times.csv' }).click()]);
    expect(download.suggestedFilename()).toBe('developing-times.csv');

    await bobPage.getByRole('button', { name: 'Room info' }).click();
    await bobPage.locator('.panel summary', { hasText: 'Files' }).click();
    const files = bobPage.locator('.file-list .file-card');
    await files.first().waitFor();
    await bobPage.getByRole('searchbox', { name: 'Search files by name' }).fill('nothing-like-this');
    await bobPage.locator('.panel', { hasText: 'No file name contains “nothing-like-this”.' }).waitFor();
    await bobPage.getByRole('searchbox', { name: 'Search files by name' }).fill('TIMES');
    await files.first().waitFor();
    expect(await files.locator('.file-name').allTextContents()).toEqual(['developing-times.csv']);
    await bobPage.getByRole('button', { name: 'Close' }).first().click();
  });

  it('a file dragged over the room is announced as a drop target and attached on drop', async () => {
    const dropTarget = alicePage.locator('section.chat');
    const data = await alicePage.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['route: Bund → Yuyuan, 2 h'], 'walk.txt', { type: 'text/plain' }));
      return transfer;
    });
    await dropTarget.dispatchEvent('dragover', { dataTransfer: data });
    await alicePage.locator('section.chat.dropping').waitFor();
    expect(await alicePage.locator('section.chat').getAttribute('data-drop-label')).toBe('Drop to attach');
    await dropTarget.dispatchEvent('drop', { dataTransfer: data });
    await alicePage.locator('section.chat.dropping').waitFor({ state: 'detached' });
    const item = alicePage.locator('.upload[data-name="walk.txt"]');
    await item.locator('.muted', { hasText: 'Ready to send' }).waitFor();
    await alicePage.getByRole('button', { name: 'Remove walk.txt' }).click();
    await item.waitFor({ state: 'detached' });
  });

  it('works at 390 px in Chinese: paste a screenshot, send it, open it, close with the button', async () => {
    const phone = await openAs(alice, { locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const png = await sharp({ create: { width: 600, height: 1200, channels: 3, background: { r: 30, g: 30, b: 30 } } }).png().toBuffer();
    await phone.locator('#composer-input').focus();
    await phone.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
      document.getElementById('composer-input')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, png.toString('base64'));
    await phone.locator('.upload.status-ready').waitFor({ timeout: PROCESSING_TIMEOUT_MS });
    await phone.getByRole('button', { name: '发送' }).click();
    const thumb = phone.locator('.message.mine .thumb').last();
    await thumb.waitFor();
    const box = (await thumb.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: path.join(SHOTS, 'phone-zh.png') });
    await thumb.click();
    const viewer = phone.getByRole('dialog', { name: '图片查看器' });
    await viewer.waitFor();
    await phone.screenshot({ path: path.join(SHOTS, 'phone-viewer.png') });
    await viewer.getByRole('button', { name: '关闭查看器' }).click();
    await viewer.waitFor({ state: 'detached' });
    expect(web.pages.pageErrors).toEqual([]);
  });
});
