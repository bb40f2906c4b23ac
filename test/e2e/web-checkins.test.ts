/**
 * Photo check-ins in the web client, in a real browser against a real gateway: a member on a
 * desktop checks in with a photo from the challenge card, and another on a 390 px phone in
 * 简体中文 sees its thumbnail on the card live (and the check-in's message in the timeline), then
 * checks in with a photo of her own from the phone, which the first sees in turn.
 */
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createRoom, joinRoom, signUp, uniqueName, type TestUser } from '../helpers/clients.ts';
import { DESKTOP, PHONE, useWebSuite, type PageOptions } from '../helpers/web-pages.ts';
import { startDailyChallenge } from '../helpers/rooms.ts';
import type { Room } from '../../shared/schemas.ts';

let owner: TestUser;
let mei: TestUser;
let lin: TestUser;
let room: Room;
const web = useWebSuite();

beforeAll(async () => {
  owner = await signUp(web.server.url, uniqueName('owner'));
  mei = await signUp(web.server.url, uniqueName('mei'));
  lin = await signUp(web.server.url, uniqueName('lin'));
  room = await createRoom(web.server.url, owner, { name: 'Morning sketchers', topic: 'One sketch a day' });
  // A newcomer's photos wait for review (probation); these two have been around.
  expect((await call(web.server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { probationSeconds: 0 } })).status).toBe(200);
  await joinRoom(web.server.url, mei, room.id);
  await joinRoom(web.server.url, lin, room.id);
}, 120_000);

const openAs = (user: TestUser, options: PageOptions = {}): Promise<Page> => web.open(user, { path: `/rooms/${room.id}`, ...options });
const card = (page: Page, title: string) => page.locator('.community-card.card-challenge', { has: page.locator('.card-title', { hasText: title }) });
const overflow = (page: Page) =>
  page.evaluate(() => {
    const timeline = document.querySelector('.timeline');
    const inside = timeline ? timeline.scrollWidth - timeline.clientWidth : 0;
    return Math.max(document.documentElement.scrollWidth - window.innerWidth, document.body.scrollWidth - window.innerWidth, inside);
  });

const photo = (colour: { r: number; g: number; b: number }) => sharp({ create: { width: 900, height: 600, channels: 3, background: colour } }).jpeg({ quality: 80 }).toBuffer();

describe('a photo check-in', () => {
  it('one member checks in with a photo on the card; the other sees the thumbnail live, on a phone, and checks in with hers', async () => {
    const title = uniqueName('30 days of sketching');
    const created = await startDailyChallenge(web.server.url, owner, room.id, title);
    expect(created.status).toBe(201);

    const a = await openAs(mei, { locale: 'en-US', viewport: DESKTOP });
    const b = await openAs(lin, { locale: 'zh-CN', viewport: PHONE });
    const aCard = card(a, title);
    const bCard = card(b, title);
    await aCard.waitFor();
    await bCard.waitFor();

    // Mei adds a photo: it uploads into the card's tray, then goes with the check-in.
    await aCard.locator('[data-testid="checkin-photo-input"]').setInputFiles([{ name: 'tram.jpg', mimeType: 'image/jpeg', buffer: await photo({ r: 200, g: 120, b: 40 }) }]);
    await aCard.locator('.upload.status-ready', { hasText: 'tram.jpg' }).waitFor();
    await aCard.getByLabel('What you did (optional)').fill('A tram at dawn');
    await aCard.getByRole('button', { name: 'Check in today' }).click();
    await aCard.locator('.challenge-done', { hasText: 'Checked in today' }).waitFor();
    expect(await aCard.locator('.upload').count()).toBe(0);
    await aCard.locator('.checkin-photo img.loaded').waitFor();

    // Lin, on the phone, sees it live: the thumbnail on the card with Mei's name, and her message in the timeline.
    const meiThumb = bCard.locator('.checkin-photo', { hasText: mei.displayName });
    await meiThumb.locator('img.loaded').waitFor();
    expect(await bCard.locator('.checkin-photos').getAttribute('aria-label')).toBe('今日照片打卡');
    const meiMessage = b.locator('.messages > li.message', { has: b.locator('.checkin-note', { hasText: title }) });
    await meiMessage.waitFor();
    expect(await meiMessage.innerText()).toContain('A tram at dawn');
    await meiMessage.locator('.attachments .thumb img').waitFor();
    expect(await overflow(b)).toBe(0);

    // The thumbnail opens the viewer.
    await meiThumb.locator('.thumb').click();
    await b.locator('.lightbox').waitFor();
    await b.keyboard.press('Escape');
    await b.locator('.lightbox').waitFor({ state: 'detached' });

    // Lin checks in from the phone with her own photo; Mei sees two thumbnails, the newest first.
    await bCard.locator('[data-testid="checkin-photo-input"]').setInputFiles([{ name: 'bridge.jpg', mimeType: 'image/jpeg', buffer: await photo({ r: 40, g: 90, b: 200 }) }]);
    await bCard.locator('.upload.status-ready').waitFor();
    expect(await overflow(b)).toBe(0);
    await bCard.getByRole('button', { name: '今日打卡', exact: true }).click();
    await bCard.locator('.challenge-done').waitFor();
    await aCard.locator('.checkin-photo').nth(1).locator('img.loaded').waitFor();
    expect(await aCard.locator('.checkin-photo-name').allInnerTexts()).toEqual([lin.displayName, mei.displayName]);
    expect(await overflow(b)).toBe(0);

    // After a reload the card reads them back from the list.
    await a.reload();
    await aCard.locator('.checkin-photo').nth(1).waitFor();
    expect(await aCard.locator('.checkin-photo').count()).toBe(2);
  });
});
