/**
 * A message's long-press sheet and the emoji picker (issue #19, item 10), in a real browser
 * against a real gateway: a member on a 390 px touch phone in 简体中文 holds a message down to
 * copy it, reply to it and react with an emoji found by its Chinese name, while the owner's
 * desktop page sees the reaction arrive; a member on a desktop in English does the same with
 * the keyboard alone, finding the emoji by its English name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { rendersChinese } from '../helpers/browser.ts';
import { call, createRoom, joinRoom, signUp, uniqueName, type TestUser } from '../helpers/clients.ts';
import { DESKTOP, PHONE, useWebSuite, type PageOptions } from '../helpers/web-pages.ts';
import type { Room } from '../../shared/schemas.ts';

// As in web.test.ts: the README's screenshots only when missing and only by a browser with a
// Chinese font; otherwise to a scratch folder.
const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const SCRATCH = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzi-shots-'));
let screenshotsForPeople = false;
const shot = (name: string) => (screenshotsForPeople && !fs.existsSync(path.join(SCREENSHOTS, name)) ? path.join(SCREENSHOTS, name) : path.join(SCRATCH, name));

let owner: TestUser;
let member: TestUser;
let room: Room;
const web = useWebSuite();

beforeAll(async () => {
  const probe = await web.browser.newPage();
  screenshotsForPeople = await rendersChinese(probe);
  await probe.close();
  owner = await signUp(web.server.url, uniqueName('owner'));
  member = await signUp(web.server.url, uniqueName('mei'));
  room = await createRoom(web.server.url, owner, { name: 'Film photography', topic: 'Developing at home' });
  await joinRoom(web.server.url, member, room.id);
}, 120_000);

const openAs = (user: TestUser, options: PageOptions = {}): Promise<Page> => web.open(user, { path: `/rooms/${room.id}`, ...options });

async function post(user: TestUser, text: string): Promise<{ seq: number }> {
  const reply = await call(web.server.url, 'POST', `/v1/rooms/${room.id}/messages`, { token: user.token, body: { text, clientMsgId: uniqueName('m') } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.message;
}

/** How far the page is wider than the screen (0: it fits). */
const overflow = (page: Page) => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth);

const bubble = (page: Page, seq: number): Locator => page.locator(`.messages li[data-seq="${seq}"] .bubble`);

/** A finger held still on the element for `ms`, then lifted: real touch events, as a phone's screen sends them. */
async function longPress(page: Page, target: Locator, ms = 700): Promise<void> {
  const box = (await target.boundingBox())!;
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await page.waitForTimeout(ms);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** The reactions the owner's page shows under a message, as "emoji count". */
const reactionsOn = (page: Page, seq: number) => page.locator(`.messages li[data-seq="${seq}"] .reactions .reaction`).allInnerTexts();

describe('long press on a phone', () => {
  it('opens the sheet without selecting text: copy, reply, and a reaction found by its Chinese name that the owner sees live', async () => {
    const text = `暗房今晚八点开门 ${uniqueName('t')}`;
    const message = await post(owner, text);
    const ownerPage = await openAs(owner, { viewport: DESKTOP });
    await bubble(ownerPage, message.seq).waitFor();
    const phone = await openAs(member, { locale: 'zh-CN', viewport: PHONE, hasTouch: true, permissions: ['clipboard-read', 'clipboard-write'] });
    await bubble(phone, message.seq).waitFor();

    // A short tap opens nothing.
    await phone.touchscreen.tap(...(await centre(bubble(phone, message.seq))));
    await phone.waitForTimeout(700);
    expect(await phone.locator('.message-sheet').count()).toBe(0);

    // Nor does a finger that moves (a scroll) and then rests.
    const [x, y] = await centre(bubble(phone, message.seq));
    const cdp = await phone.context().newCDPSession(phone);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + 40 }] });
    await phone.waitForTimeout(700);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
    expect(await phone.locator('.message-sheet').count()).toBe(0);

    await longPress(phone, bubble(phone, message.seq));
    const sheet = phone.getByRole('menu', { name: '消息操作' });
    await sheet.waitFor();
    expect(await phone.evaluate(() => String(getSelection())), 'no text selected by the press').toBe('');
    expect(await overflow(phone), 'the sheet on a 390 px phone').toBeLessThanOrEqual(0);
    const box = (await sheet.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await phone.screenshot({ path: shot('message-sheet-phone-zh-CN.png') });
    for (const item of ['回复', '复制', '转发', '举报']) await sheet.getByRole('menuitem', { name: item, exact: true }).waitFor();
    // Not the owner's to recall, nor a member's to pin.
    expect(await sheet.getByRole('menuitem', { name: '撤回' }).count()).toBe(0);
    expect(await sheet.getByRole('menuitem', { name: '置顶' }).count()).toBe(0);

    await sheet.getByRole('menuitem', { name: '复制', exact: true }).tap();
    await sheet.waitFor({ state: 'detached' });
    await phone.getByRole('status').filter({ hasText: '已复制' }).waitFor();
    expect(await phone.evaluate(() => navigator.clipboard.readText())).toBe(text);

    // A tap elsewhere closes it, and nothing under that tap happens.
    await longPress(phone, bubble(phone, message.seq));
    await sheet.waitFor();
    await phone.touchscreen.tap(PHONE.width / 2, 40);
    await sheet.waitFor({ state: 'detached' });
    expect(phone.url()).toContain(`/rooms/${room.id}`);

    await longPress(phone, bubble(phone, message.seq));
    await sheet.getByRole('menuitem', { name: '回复', exact: true }).tap();
    await sheet.waitFor({ state: 'detached' });
    await phone.locator('.replying', { hasText: text.slice(0, 20) }).waitFor();
    await phone.locator('#composer-input').fill('我带显影罐');
    await phone.locator('#composer-input').press('Enter');
    await phone.locator('.messages li[data-seq]', { hasText: '我带显影罐' }).locator('.reply-quote', { hasText: text.slice(0, 20) }).waitFor();

    await longPress(phone, bubble(phone, message.seq));
    await sheet.getByRole('menuitem', { name: '更多表情' }).tap();
    const picker = phone.getByRole('dialog', { name: '表情' });
    await picker.waitFor();
    // The categories, before any search.
    for (const name of ['笑脸与情感', '人物与手势', '动物与自然', '食物与饮料', '活动', '旅行与地点', '物品', '符号', '旗帜']) await picker.getByRole('tab', { name, exact: true }).waitFor();
    await picker.locator('.emoji-cell').first().waitFor();
    expect(await overflow(phone), 'the picker on a 390 px phone').toBeLessThanOrEqual(0);
    const pickerBox = (await picker.boundingBox())!;
    expect(pickerBox.x).toBeGreaterThanOrEqual(0);
    expect(pickerBox.x + pickerBox.width).toBeLessThanOrEqual(PHONE.width);

    await phone.screenshot({ path: shot('emoji-picker-phone-zh-CN.png') });
    await picker.getByRole('searchbox', { name: '搜索表情' }).fill('熊猫');
    await picker.getByRole('button', { name: '熊猫', exact: true }).tap();
    await picker.waitFor({ state: 'detached' });
    await phone.locator(`.messages li[data-seq="${message.seq}"] .reaction.mine`, { hasText: '🐼' }).waitFor();
    // Live on the owner's page, no reload.
    await ownerPage.locator(`.messages li[data-seq="${message.seq}"] .reaction`, { hasText: '🐼' }).waitFor();
    expect(await reactionsOn(ownerPage, message.seq)).toEqual(['🐼 1']);

    // Used once: first in the picker the next time, under "recently used".
    await longPress(phone, bubble(phone, message.seq));
    await sheet.getByRole('menuitem', { name: '更多表情' }).tap();
    await picker.getByRole('tab', { name: '最近使用' }).and(picker.locator('[aria-selected="true"]')).waitFor();
    expect(await picker.locator('.emoji-cell').first().innerText()).toBe('🐼');
    await phone.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
  }, 90_000);
});

/** The centre of an element, as a tap's coordinates. */
async function centre(target: Locator): Promise<[number, number]> {
  const box = (await target.boundingBox())!;
  return [box.x + box.width / 2, box.y + box.height / 2];
}

describe('the keyboard alone', () => {
  it('reaches the sheet from a message (Shift+F10), the picker from the sheet, finds an emoji by its English name and reacts; Escape gives the focus back', async () => {
    const message = await post(owner, `Fixer is in the blue bottle ${uniqueName('t')}`);
    const ownerPage = await openAs(owner, { viewport: DESKTOP });
    await bubble(ownerPage, message.seq).waitFor();
    const page = await openAs(member, { viewport: DESKTOP });
    await bubble(page, message.seq).waitFor();
    // From the message box (where opening a room puts the focus) back to the message list, one tab stop.
    await page.locator('#composer-input').focus();
    const focusedSeq = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.seq ?? null);
    for (let i = 0; i < 12 && (await focusedSeq()) === null; i++) await page.keyboard.press('Shift+Tab');
    expect(await focusedSeq(), 'the newest message, reached by Shift+Tab').toBe(String(message.seq));

    await page.keyboard.press('Shift+F10');
    const sheet = page.getByRole('menu', { name: 'Message actions' });
    await sheet.waitFor();
    // Escape closes the sheet, back to the message; the menu key opens it again.
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    expect(await focusedSeq()).toBe(String(message.seq));
    await page.keyboard.press('ContextMenu');
    await sheet.waitFor();
    // Focus on its first item (the first quick reaction); → along the row to "More emoji".
    const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
    for (let i = 0; i < 8 && (await focusedLabel()) !== 'More emoji'; i++) await page.keyboard.press('ArrowRight');
    expect(await focusedLabel()).toBe('More emoji');
    await page.keyboard.press('Enter');
    const picker = page.getByRole('dialog', { name: 'Emoji' });
    await picker.waitFor();
    await picker.locator('.emoji-search:focus').waitFor();

    // Escape closes it and gives the focus back to the message.
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    expect(await focusedSeq()).toBe(String(message.seq));

    // Again, this time by the tabs: Tab to the categories, → to the next, ↓ into its emoji.
    await page.keyboard.press('Shift+F10');
    await sheet.waitFor();
    for (let i = 0; i < 8 && (await focusedLabel()) !== 'More emoji'; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await picker.locator('.emoji-search:focus').waitFor();
    await picker.locator('.emoji-cell').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedLabel()).toBe('Smileys & emotion');
    await page.keyboard.press('ArrowRight');
    expect(await focusedLabel()).toBe('People & gestures');
    expect(await picker.getByRole('tab', { name: 'People & gestures' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await focusedLabel()).toBe('waving hand');
    // Back up to the search box the way it came, and search by name.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await picker.locator('.emoji-search:focus').waitFor();
    await page.keyboard.type('rocket');
    await picker.getByRole('button', { name: 'rocket', exact: true }).waitFor();
    await page.keyboard.press('ArrowDown');
    expect(await focusedLabel()).toBe('rocket');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    expect(await focusedLabel()).toBe('rocket');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    expect(await focusedSeq(), 'the focus back on the message').toBe(String(message.seq));
    await page.locator(`.messages li[data-seq="${message.seq}"] .reaction.mine`, { hasText: '🚀' }).waitFor();
    await ownerPage.locator(`.messages li[data-seq="${message.seq}"] .reaction`, { hasText: '🚀' }).waitFor();
    expect(await reactionsOn(ownerPage, message.seq)).toEqual(['🚀 1']);
  }, 90_000);

  it('the quick reactions have a "more" that opens the picker beside them; a right-click opens the sheet; the composer inserts an emoji where the caret is', async () => {
    const message = await post(owner, `Stop bath: thirty seconds ${uniqueName('t')}`);
    const page = await openAs(member, { viewport: DESKTOP });
    const li = page.locator(`.messages li[data-seq="${message.seq}"]`);
    await li.locator('.bubble').waitFor();

    await li.hover();
    await li.locator('.react-picker > summary').click();
    await li.getByRole('button', { name: 'More emoji' }).click();
    const picker = page.getByRole('dialog', { name: 'Emoji' });
    await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('thumbs up');
    await picker.getByRole('button', { name: 'thumbs up', exact: true }).waitFor();
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await li.locator('.reaction.mine', { hasText: '👍' }).waitFor();

    // Right-click: the same sheet, beside the pointer; 👍 shows as mine there and takes it back.
    await li.locator('.bubble').click({ button: 'right' });
    const sheet = page.getByRole('menu', { name: 'Message actions' });
    await sheet.waitFor();
    await sheet.locator('.sheet-reaction.mine', { hasText: '👍' }).click();
    await sheet.waitFor({ state: 'detached' });
    await li.locator('.reactions').waitFor({ state: 'detached' });

    const input = page.locator('#composer-input');
    await input.fill('Ready ');
    await page.getByRole('button', { name: 'Insert an emoji' }).click();
    await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('camera');
    await picker.getByRole('button', { name: 'camera', exact: true }).click();
    await picker.waitFor({ state: 'detached' });
    expect(await input.inputValue()).toBe('Ready 📷');
    await page.locator('#composer-input:focus').waitFor();
  }, 90_000);
});
