/**
 * The web client in a real browser (Chromium through playwright-core, test/helpers/browser.ts) against a real
 * gateway serving the built client: two members chatting live, a reconnect with the banner and
 * no lost or doubled messages, HTML injection shown as text, an owner muting a member, and a
 * held message going through the review queue. Also saves the README screenshots.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendersChinese } from '../helpers/browser.ts';
import { call, createRoom, joinRoom, signUp, uniqueName, type TestUser } from '../helpers/clients.ts';
import { useWebSuite, type PageOptions } from '../helpers/web-pages.ts';
import type { Room } from '../../shared/schemas.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');
// The README's screenshots are written only when missing (delete one to regenerate it), so a
// test run does not dirty the working tree, and only by a browser with a font for Chinese (the
// packaged fallback Chromium has none); otherwise they go to a scratch folder.
const SCRATCH = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzi-shots-'));
let screenshotsForPeople = false;
const shot = (name: string) => (screenshotsForPeople && !fs.existsSync(path.join(SCREENSHOTS, name)) ? path.join(SCREENSHOTS, name) : path.join(SCRATCH, name));

const web = useWebSuite({ expectCleanPages: false });
let alice: TestUser;
let room: Room;

beforeAll(async () => {
  const probe = await web.browser.newPage();
  screenshotsForPeople = await rendersChinese(probe);
  await probe.close();
  const username = uniqueName('alice');
  const signedUp = await call(web.server.url, 'POST', '/v1/users', { body: { username, password: 'correct horse battery', displayName: 'Alice Chen' } });
  alice = { ...signedUp.body.user, token: signedUp.body.token };
  room = await createRoom(web.server.url, alice, { name: 'Film photography', topic: 'Developing at home', tags: ['photography'] });
}, 120_000);

afterAll(() => {
  fs.rmSync(SCRATCH, { recursive: true, force: true });
});

async function openAs(user: TestUser | null, options: PageOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const page = await web.open(user, { stepTimeoutMs: 8_000, ...options });
  return { context: page.context(), page };
}

/** The stored messages a page shows, as [seq, text], in page order. */
const shown = (page: Page) =>
  page.$$eval('.messages li[data-seq]', (items) => items.map((li) => [Number(li.getAttribute('data-seq')), li.querySelector('.text')?.textContent ?? li.textContent ?? ''] as const));

async function send(page: Page, text: string): Promise<void> {
  const input = page.locator('#composer-input');
  await input.fill(text);
  await input.press('Enter');
}

describe('web client', () => {
  let bobPage: Page;
  let bobContext: BrowserContext;
  let alicePage: Page;
  let bob: TestUser;
  let other: Room;

  it('serves the page and leaves the API paths alone', async () => {
    const page = await fetch(`${web.server.url}/rooms/${room.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="app">');
    const api = await fetch(`${web.server.url}/v1/nope`);
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('NOT_FOUND');
    expect((await fetch(`${web.server.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${web.server.url}/healthz`)).status).toBe(200);
  });

  it('a newcomer signs up, finds the room by interest and chats live with the owner', async () => {
    ({ context: bobContext, page: bobPage } = await openAs(null));
    const username = uniqueName('bob');
    await bobPage.getByRole('button', { name: 'New here? Create an account' }).click();
    await bobPage.getByLabel('Username').fill(username);
    await bobPage.getByLabel('Display name').fill('Bob');
    await bobPage.getByLabel('Password').fill('correct horse battery');
    await bobPage.getByRole('button', { name: 'Create account' }).click();
    await bobPage.getByRole('button', { name: 'Discover' }).first().click();
    await bobPage.getByRole('button', { name: '#photography' }).click();
    const card = bobPage.locator('.room-card', { hasText: 'Film photography' });
    expect(await card.locator('.room-card-meta').textContent()).toMatch(/^1 member(?!s)/);
    await card.getByRole('button', { name: 'Join' }).click();
    await bobPage.locator('.chat-head h2', { hasText: 'Film photography' }).waitFor();
    const token = await bobPage.evaluate(() => localStorage.getItem('quanzi.token'));
    const me = await call(web.server.url, 'GET', '/v1/me', { token: token! });
    bob = { ...me.body.user, token: token! };

    ({ page: alicePage } = await openAs(alice, { path: `/rooms/${room.id}` }));
    await alicePage.locator('.chat-head h2', { hasText: 'Film photography' }).waitFor();
    await send(alicePage, 'Welcome! Who develops their own film?');
    await bobPage.locator('.bubble', { hasText: 'Who develops their own film?' }).waitFor();

    // Shift+Enter is a new line, Enter sends.
    const input = bobPage.locator('#composer-input');
    await input.fill('Me!');
    await input.press('Shift+Enter');
    await input.pressSequentially('HC-110, dilution B');
    await input.press('Enter');
    await alicePage.locator('.bubble', { hasText: 'HC-110, dilution B' }).waitFor();
    const bobText = await alicePage.locator('.message', { hasText: 'HC-110' }).locator('.text').textContent();
    expect(bobText).toBe('Me!\nHC-110, dilution B');
  });

  it('the sidebar shows the user’s own name in full next to the language and sign-out; a long one is cut, whole on hover', async () => {
    const fits = (page: Page) => page.locator('.sidebar-head .me-name').evaluate((el) => el.scrollWidth <= el.clientWidth);
    const name = alicePage.locator('.sidebar-head .me-name');
    expect(await name.textContent()).toBe('Alice Chen');
    expect(await fits(alicePage)).toBe(true);
    await alicePage.locator('.sidebar-head').getByRole('button', { name: 'Sign out' }).waitFor();

    const long = 'Maximilian Alexander von Hohenberg-Schwarzenstein';
    const signedUp = await call(web.server.url, 'POST', '/v1/users', { body: { username: uniqueName('max'), password: 'correct horse battery', displayName: long } });
    const { context, page } = await openAs({ ...signedUp.body.user, token: signedUp.body.token });
    const longName = page.locator('.sidebar-head .me-name');
    await longName.waitFor();
    expect(await fits(page)).toBe(false);
    expect(await longName.evaluate((el) => getComputedStyle(el).textOverflow)).toBe('ellipsis');
    expect(await longName.getAttribute('title')).toContain(long);
    // The controls stay whole and clickable beside it.
    const signOut = page.locator('.sidebar-head').getByRole('button', { name: 'Sign out' });
    const [nameBox, buttonBox] = [(await longName.boundingBox())!, (await signOut.boundingBox())!];
    expect(nameBox.y + nameBox.height <= buttonBox.y || nameBox.x + nameBox.width <= buttonBox.x).toBe(true);
    await context.close();
  });

  it('typing, replies, reactions and recall reach the other member live', async () => {
    await alicePage.locator('#composer-input').pressSequentially('Which');
    await bobPage.locator('.typing', { hasText: 'Alice Chen is typing' }).waitFor();
    await alicePage.locator('#composer-input').fill('');

    const target = bobPage.locator('.message', { hasText: 'Who develops their own film?' });
    await target.hover();
    await target.getByRole('button', { name: 'Reply' }).click();
    await send(bobPage, 'Every weekend');
    const reply = alicePage.locator('.message', { hasText: 'Every weekend' });
    await reply.locator('.reply-quote', { hasText: 'Who develops their own film?' }).waitFor();

    await reply.hover();
    await reply.locator('summary[aria-label="React"]').click();
    await reply.getByRole('button', { name: '👍' }).click();
    await bobPage.locator('.message', { hasText: 'Every weekend' }).locator('.reaction', { hasText: '👍 1' }).waitFor();

    await send(alicePage, 'oops, wrong room');
    const oops = alicePage.locator('.message', { hasText: 'oops, wrong room' });
    await bobPage.locator('.bubble', { hasText: 'oops, wrong room' }).waitFor();
    await oops.hover();
    await oops.getByRole('button', { name: 'Recall' }).click();
    // Asked in the app's own dialog, confirmed with its button.
    const ask = alicePage.getByRole('dialog');
    expect(await ask.locator('.dialog-message').textContent()).toBe('Recall this message for everyone?');
    await ask.getByRole('button', { name: 'Recall' }).click();
    await bobPage.locator('.bubble', { hasText: 'oops, wrong room' }).waitFor({ state: 'detached' });
    await bobPage.locator('.recalled', { hasText: 'recalled a message' }).waitFor();
    await alicePage.locator(`.room-item[data-room-id="${room.id}"] .room-item-last`, { hasText: 'You recalled a message' }).waitFor();
  });

  it('counts unread messages and mentions in other rooms, and clears them on reading', async () => {
    other = await createRoom(web.server.url, alice, { name: 'Darkroom chemistry', tags: ['photography'] });
    await joinRoom(web.server.url, bob, other.id);
    // Sent while Bob's page is still learning about the room: each is counted once, none lost.
    for (const text of ['fixer is exhausted', 'developer too', 'stop bath is fine', `@${bob.username} can you bring more?`]) {
      await call(web.server.url, 'POST', `/v1/rooms/${other.id}/messages`, { token: alice.token, body: { text, clientMsgId: uniqueName('m') } });
    }
    const item = bobPage.locator(`.room-item[data-room-id="${other.id}"]`);
    await item.locator('.badge-mention', { hasText: '@1' }).waitFor();
    await item.locator('.badge:not(.badge-mention)', { hasText: '4' }).waitFor();
    await bobPage.waitForTimeout(300);
    expect(await item.locator('.badge:not(.badge-mention)').innerText()).toBe('4');
    await item.click();
    await bobPage.locator('.mention-me', { hasText: `@${bob.username}` }).waitFor();
    await item.locator('.badge').first().waitFor({ state: 'detached' });
    await bobPage.locator(`.room-item[data-room-id="${room.id}"]`).click();
    await bobPage.locator('.chat-head h2', { hasText: 'Film photography' }).waitFor();
  });

  it('shows HTML from a message as text, never as markup', async () => {
    const attack = '<img src=x onerror="window.__pwned=1"><b>bold</b><script>window.__pwned=2</script>';
    await send(bobPage, attack);
    const bubble = alicePage.locator('.message', { hasText: '<img src=x' }).locator('.text');
    await bubble.waitFor();
    expect(await bubble.textContent()).toBe(attack);
    expect(await alicePage.locator('.bubble img, .bubble b, .bubble script').count()).toBe(0);
    expect(await alicePage.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('after going offline and back: banner shown, nothing lost, nothing doubled', async () => {
    await bobContext.setOffline(true);
    await bobPage.locator('.connection-banner[data-state="reconnecting"]').waitFor({ timeout: 10_000 });
    for (let i = 1; i <= 3; i++) await send(alicePage, `while you were away ${i}`);
    // Bob writes while offline: shown as sending, delivered once when he is back.
    await send(bobPage, 'typed on the train');
    await bobPage.locator('.pending', { hasText: 'typed on the train' }).waitFor();
    await alicePage.locator('.bubble', { hasText: 'while you were away 3' }).waitFor();

    await bobContext.setOffline(false);
    await bobPage.locator('.connection-banner').waitFor({ state: 'detached', timeout: 15_000 });
    await bobPage.locator('.bubble', { hasText: 'while you were away 3' }).waitFor();
    await alicePage.locator('.bubble', { hasText: 'typed on the train' }).waitFor();
    await bobPage.locator('.pending').waitFor({ state: 'detached' });

    const lastSeq = (await call(web.server.url, 'GET', `/v1/rooms/${room.id}`, { token: alice.token })).body.room.lastSeq;
    for (const page of [bobPage, alicePage]) {
      await page.waitForFunction((last) => document.querySelector(`.messages li[data-seq="${last}"]`) !== null, lastSeq);
      const seqs = (await shown(page)).map(([seq]) => seq);
      // Contiguous and unique, ending at the stored newest.
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
      expect(seqs.at(-1)).toBe(lastSeq);
      const texts = (await shown(page)).map(([, text]) => text);
      expect(texts.filter((t) => t === 'typed on the train')).toHaveLength(1);
      expect(texts.filter((t) => t.startsWith('while you were away'))).toHaveLength(3);
    }
  });

  it('the owner mutes a member from the room panel; the member is told why', async () => {
    await alicePage.getByRole('button', { name: 'Room info' }).click();
    const row = alicePage.locator('.member', { hasText: 'Bob' });
    await row.locator('summary').click();
    await row.getByLabel('Duration').selectOption({ label: '10 minutes' });
    await row.getByRole('button', { name: 'Mute', exact: true }).click();
    await row.locator('.tag.warn').waitFor();
    const notice = bobPage.locator('.composer-notice', { hasText: 'You are muted' });
    await notice.waitFor();
    // In the interface's date format, not the browser's default with seconds.
    expect(await notice.textContent()).not.toMatch(/\d:\d\d:\d\d/);
    // The server refuses too (a stale page would see MUTED next to its message).
    const refused = await call(web.server.url, 'POST', `/v1/rooms/${room.id}/messages`, { token: bob.token, body: { text: 'hello?', clientMsgId: uniqueName('m') } });
    expect(refused.body.error.code).toBe('MUTED');
    await row.locator('summary').click();
    await row.getByRole('button', { name: 'Unmute' }).click();
    await bobPage.locator('.composer-notice').waitFor({ state: 'detached' });
    await alicePage.getByRole('button', { name: 'Close' }).first().click();
  });

  it('mute-all changes at once, is locked while the server decides, and goes back with the reason when refused', async () => {
    await alicePage.getByRole('button', { name: 'Room info' }).click();
    await alicePage.locator('.panel-section > summary', { hasText: /^Moderation$/ }).click();
    const box = alicePage.locator('.panel input[name="muteAll"]');
    expect(await box.isChecked()).toBe(false);
    // The request is held at the network until released: the box must not wait for it.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await alicePage.route('**/v1/rooms/*/mute-all', async (route) => {
      await released;
      await route.continue();
    });
    await box.click();
    expect(await box.isChecked()).toBe(true);
    expect(await box.isDisabled()).toBe(true);
    release();
    await expect.poll(() => box.isDisabled()).toBe(false);
    expect(await box.isChecked()).toBe(true);
    expect((await call(web.server.url, 'GET', `/v1/rooms/${room.id}`, { token: alice.token })).body.room.muteAll).toBe(true);
    await bobPage.locator('.composer-notice', { hasText: 'Everyone is muted' }).waitFor();
    await alicePage.unroute('**/v1/rooms/*/mute-all');

    // A refusal: the box goes back and says why, next to it.
    await alicePage.route('**/v1/rooms/*/mute-all', (route) =>
      route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'FORBIDDEN', message: 'Forbidden' } }) }),
    );
    await box.click();
    await alicePage.locator('.panel-section .error-line', { hasText: 'You are not allowed to do that.' }).waitFor();
    expect(await box.isChecked()).toBe(true);
    expect(await box.isDisabled()).toBe(false);
    await alicePage.unroute('**/v1/rooms/*/mute-all');

    await box.click();
    await bobPage.locator('.composer-notice').waitFor({ state: 'detached' });
    expect(await box.isChecked()).toBe(false);
    await alicePage.getByRole('button', { name: 'Close' }).first().click();
  });

  it('a held message shows its reason to the sender and goes through the review queue', async () => {
    const policy = await call(web.server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: alice.token, body: { keywords: { hold: ['cheap lenses'], block: ['free money'] } } });
    expect(policy.status).toBe(200);
    await send(bobPage, 'free money here');
    const blocked = bobPage.locator('.pending.status-blocked', { hasText: 'free money here' });
    await blocked.locator('.send-error[data-code="BLOCKED_BY_SAFETY"]').waitFor();

    await send(bobPage, 'cheap lenses for sale');
    const held = bobPage.locator('.pending.status-held', { hasText: 'cheap lenses for sale' });
    await held.locator('.send-error[data-code="HELD_FOR_REVIEW"]').waitFor();
    await held.locator('.reasons li[data-code="ROOM_KEYWORD"]', { hasText: 'The message contains a word this room does not allow.' }).waitFor();
    // Sentences for the member, not the codes.
    expect(await held.locator('.pending-status').innerText()).not.toMatch(/HELD_FOR_REVIEW|ROOM_KEYWORD/);

    await alicePage.getByRole('button', { name: 'Room info' }).click();
    await alicePage.locator('summary', { hasText: 'Review queue' }).click();
    const item = alicePage.locator('.review-item', { hasText: 'cheap lenses for sale' });
    await item.getByRole('button', { name: 'Approve' }).click();
    await alicePage.locator('.messages .bubble', { hasText: 'cheap lenses for sale' }).waitFor();
    await bobPage.locator('.messages li[data-seq] .bubble', { hasText: 'cheap lenses for sale' }).waitFor();
    await alicePage.getByRole('button', { name: 'Close' }).first().click();
  });

  it('a held message stays where it was sent, with later messages below it; one still sending stays at the bottom', async () => {
    const swap = await createRoom(web.server.url, alice, { name: 'Lens swap', tags: ['lenses'] });
    const autoMute = { offences: 0, windowSeconds: 600, muteSeconds: 60 };
    await call(web.server.url, 'PUT', `/v1/rooms/${swap.id}/safety`, { token: alice.token, body: { keywords: { hold: ['cheap lenses'] }, autoMute } });
    const lin = await signUp(web.server.url, uniqueName('lin'));
    await joinRoom(web.server.url, lin, swap.id);
    const { context, page } = await openAs(lin, { path: `/rooms/${swap.id}` });
    await page.locator('.chat-head h2', { hasText: 'Lens swap' }).waitFor();
    const order = () => page.$$eval('.messages > li', (items) => items.map((li) => li.querySelector('.text')?.textContent ?? ''));

    await send(page, 'cheap lenses, anyone?');
    await page.locator('.pending.status-held', { hasText: 'cheap lenses, anyone?' }).waitFor();
    await call(web.server.url, 'POST', `/v1/rooms/${swap.id}/messages`, { token: alice.token, body: { text: 'Please use the market thread', clientMsgId: uniqueName('m') } });
    await page.locator('.messages li[data-seq] .bubble', { hasText: 'Please use the market thread' }).waitFor();
    let texts = await order();
    expect(texts.indexOf('cheap lenses, anyone?')).toBeGreaterThanOrEqual(0);
    expect(texts.indexOf('cheap lenses, anyone?')).toBeLessThan(texts.indexOf('Please use the market thread'));

    // Written while offline: still sending, at the very bottom; stored in its turn once back.
    await context.setOffline(true);
    await page.locator('.connection-banner[data-state="reconnecting"]').waitFor({ timeout: 10_000 });
    await send(page, 'on its way');
    await page.locator('.pending', { hasText: 'on its way' }).waitFor();
    expect((await order()).at(-1)).toBe('on its way');
    await context.setOffline(false);
    await page.locator('.messages li[data-seq] .bubble', { hasText: 'on its way' }).waitFor({ timeout: 15_000 });
    texts = await order();
    expect(texts.slice(-3)).toEqual(['cheap lenses, anyone?', 'Please use the market thread', 'on its way']);
    await context.close();
  });

  it('the owner edits the safety rules in the panel; a denied domain then blocks a member with the reason', async () => {
    // Stored settings the editor does not show must survive its PUT (PUT replaces the policy).
    // Automatic muting is off here so Bob's refused message does not mute him for later tests.
    const autoMute = { offences: 0, windowSeconds: 600, muteSeconds: 60 };
    await call(web.server.url, 'PUT', `/v1/rooms/${other.id}/safety`, { token: alice.token, body: { keywords: { flag: ['stop bath'] }, autoMute } });
    await alicePage.locator(`.room-item[data-room-id="${other.id}"]`).click();
    await alicePage.locator('.chat-head h2', { hasText: 'Darkroom chemistry' }).waitFor();
    await alicePage.getByRole('button', { name: 'Room info' }).click();
    await alicePage.locator('summary', { hasText: 'Safety rules' }).click();
    const form = alicePage.locator('.safety-form');
    expect(await form.locator('textarea[name="keywords-flag"]').inputValue()).toBe('stop bath');

    // The server's refusal is shown next to the form, naming the field.
    await form.locator('textarea[name="deniedDomains"]').fill('bad_domain!');
    await form.getByRole('button', { name: 'Save safety rules' }).click();
    await form.locator('.safety-error[data-code="VALIDATION_FAILED"]', { hasText: 'deniedDomains' }).waitFor();

    await form.locator('textarea[name="deniedDomains"]').fill('fixer-deals.example');
    await form.locator('select[name="rule-links"]').selectOption('strict');
    await form.getByRole('button', { name: 'Save safety rules' }).click();
    await form.getByRole('button', { name: 'Saved' }).waitFor();
    expect(await form.locator('.safety-error').count()).toBe(0);
    const stored = (await call(web.server.url, 'GET', `/v1/rooms/${other.id}/safety`, { token: alice.token })).body.stored;
    expect(stored).toEqual({ rules: { links: 'strict' }, keywords: { flag: ['stop bath'] }, deniedDomains: ['fixer-deals.example'], autoMute });
    await alicePage.getByRole('button', { name: 'Close' }).first().click();

    await bobPage.locator(`.room-item[data-room-id="${other.id}"]`).click();
    await bobPage.locator('.chat-head h2', { hasText: 'Darkroom chemistry' }).waitFor();
    await send(bobPage, 'fresh fixer at https://fixer-deals.example/buy');
    const blocked = bobPage.locator('.pending.status-blocked', { hasText: 'fresh fixer' });
    await blocked.locator('.send-error[data-code="BLOCKED_BY_SAFETY"]').waitFor();
    await blocked.locator('.reasons li[data-code="LINK_ROOM_DENIED_DOMAIN"]', { hasText: 'Links to this site are not allowed in this room.' }).waitFor();

    // An overall strictness, described with the figures the server applies, and the counts an owner tunes most.
    await alicePage.getByRole('button', { name: 'Room info' }).click();
    await alicePage.locator('summary', { hasText: 'Safety rules' }).click();
    const presets = form.locator('.strictness-presets');
    expect(await presets.locator('input[value="standard"]').isChecked()).toBe(true);
    await presets.locator('.preset-choice', { hasText: 'Strict' }).locator('.preset-about', { hasText: 'new members wait 1 day' }).waitFor();
    await presets.locator('input[value="strict"]').check();
    expect(await form.locator('select[name="rule-scam"] option[value=""]').textContent()).toBe('Default (Strict)');
    expect(await form.locator('input[name="mentionAllPerDay"]').getAttribute('placeholder')).toBe('3');
    await form.locator('input[name="raidJoins"]').fill('15');
    await form.getByRole('button', { name: 'Save safety rules' }).click();
    await form.getByRole('button', { name: 'Saved' }).waitFor();
    const strict = (await call(web.server.url, 'GET', `/v1/rooms/${other.id}/safety`, { token: alice.token })).body;
    expect(strict.stored).toEqual({ strictness: 'strict', rules: { links: 'strict' }, keywords: { flag: ['stop bath'] }, deniedDomains: ['fixer-deals.example'], autoMute, raid: { joins: 15, windowSeconds: 60, shieldSeconds: 1800, slowModeSeconds: 30 } });
    expect(strict.policy).toMatchObject({ probationSeconds: 86400, mentionAllPerDay: 3, autoMute });
    // Back to how the later tests expect the room.
    await call(web.server.url, 'PUT', `/v1/rooms/${other.id}/safety`, { token: alice.token, body: stored });
    await alicePage.getByRole('button', { name: 'Close' }).first().click();
    for (const page of [alicePage, bobPage]) {
      await page.locator(`.room-item[data-room-id="${room.id}"]`).click();
      await page.locator('.chat-head h2', { hasText: 'Film photography' }).waitFor();
    }
  });

  it('pins show at the top of the room and follow pin/unpin live; a pin jumps to its message', async () => {
    // Not Bob's reply, which quotes it.
    const target = alicePage.locator('.message', { has: alicePage.locator('.bubble', { hasText: 'Who develops their own film?' }) });
    await target.hover();
    await target.getByRole('button', { name: 'Pin', exact: true }).click();
    const bobPins = bobPage.locator('.pins');
    await bobPins.locator('.pin', { hasText: 'Who develops their own film?' }).waitFor();

    const latest = (await call(web.server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: alice.token })).body.messages;
    const away = latest.find((m: { text: string }) => m.text === 'while you were away 1');
    await call(web.server.url, 'PUT', `/v1/rooms/${room.id}/pins/${away.seq}`, { token: alice.token });
    await bobPins.getByRole('button', { name: '2 pinned' }).click();
    await bobPins.locator('.pin', { hasText: 'while you were away 1' }).waitFor();
    // Newest pin first; clicking the older one brings its message into view.
    expect(await bobPins.locator('.pin').first().textContent()).toContain('while you were away 1');
    await bobPins.locator('.pin', { hasText: 'Who develops their own film?' }).locator('.pin-jump').click();
    const flashed = bobPage.locator('.messages li.flash', { has: bobPage.locator('.bubble', { hasText: 'Who develops their own film?' }) });
    await flashed.waitFor();
    expect(await flashed.isVisible()).toBe(true);

    await call(web.server.url, 'DELETE', `/v1/rooms/${room.id}/pins/${away.seq}`, { token: alice.token });
    await bobPins.locator('.pin', { hasText: 'while you were away 1' }).waitFor({ state: 'detached' });
    expect(await bobPins.locator('.pin').count()).toBe(1);
  });

  it('join requests and review items badge the room panel live for the owner', async () => {
    await call(web.server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: alice.token, body: { joinPolicy: 'approval', joinQuestion: 'Favourite film stock?' } });
    const kai = await signUp(web.server.url, uniqueName('kai'));
    await call(web.server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: kai.token, body: { answer: 'Portra 400' } });
    const badge = alicePage.locator('.panel-button .staff-badge .badge');
    await badge.filter({ hasText: /^1$/ }).waitFor();
    await alicePage.locator(`.room-item[data-room-id="${room.id}"] .staff-dot`, { hasText: '1' }).waitFor();

    const welcome = (await call(web.server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: bob.token })).body.messages.find((m: { text: string }) => m.text.startsWith('Welcome!'));
    const reported = await call(web.server.url, 'POST', `/v1/rooms/${room.id}/messages/${welcome.seq}/report`, { token: bob.token, body: { reason: 'spam' } });
    expect(reported.status).toBe(201);
    await badge.filter({ hasText: /^2$/ }).waitFor();

    await alicePage.getByRole('button', { name: 'Room info' }).click();
    await alicePage.locator('summary', { hasText: 'Join requests (1)' }).click();
    await alicePage.locator('.plain-list li', { hasText: 'Portra 400' }).getByRole('button', { name: 'Approve' }).click();
    await badge.filter({ hasText: /^1$/ }).waitFor();
    await call(web.server.url, 'POST', `/v1/rooms/${room.id}/review/messages/${welcome.seq}/dismiss`, { token: alice.token });
    await badge.waitFor({ state: 'detached' });
    await call(web.server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: alice.token, body: { joinPolicy: 'open' } });
    await alicePage.getByRole('button', { name: 'Close' }).first().click();
  });

  it('asks an approval room’s question in the app’s own dialog (keyboard, phone width); cancelling sends nothing', async () => {
    const approval = await createRoom(web.server.url, alice, { name: 'Slide film club', tags: ['slides'] });
    await call(web.server.url, 'PATCH', `/v1/rooms/${approval.id}`, { token: alice.token, body: { joinPolicy: 'approval', joinQuestion: 'Favourite slide film?' } });
    const dan = await signUp(web.server.url, uniqueName('dan'));
    const { context, page } = await openAs(dan, { path: '/discover', viewport: { width: 375, height: 667 } });
    await page.getByRole('button', { name: '#slides' }).click();
    const card = page.locator('.room-card', { hasText: 'Slide film club' });
    const join = card.getByRole('button', { name: 'Join' });
    await join.click();
    const dialog = page.getByRole('dialog', { name: 'Answer to join' });
    await dialog.waitFor();
    expect(await dialog.locator('.dialog-question').textContent()).toBe('Favourite slide film?');
    // Focus is in the answer box, and the dialog fits a 375-wide phone.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('answer');
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    // Escape cancels: no request, no notice, focus back on the button.
    await page.keyboard.type('Provia');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await join.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.waitForTimeout(300);
    expect(await page.locator('.notice').count()).toBe(0);
    expect((await call(web.server.url, 'GET', `/v1/rooms/${approval.id}/join-requests`, { token: alice.token })).body.requests).toEqual([]);
    // The Cancel button does the same.
    await join.click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Enter sends the answer.
    await join.click();
    await page.locator('input[name="answer"]:focus').waitFor();
    await page.keyboard.type('Velvia 50');
    await page.keyboard.press('Enter');
    await page.locator('.notice', { hasText: 'an admin will review it' }).waitFor();
    const requests = (await call(web.server.url, 'GET', `/v1/rooms/${approval.id}/join-requests`, { token: alice.token })).body.requests;
    expect(requests.map((r: { answer: string }) => r.answer)).toEqual(['Velvia 50']);
    expect(web.pages.nativeDialogs).toEqual([]);

    // Creating a room from the same page opens it.
    await page.locator('.create-room input[name="name"]').fill('Dan’s darkroom');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.locator('.chat-head h2', { hasText: 'Dan’s darkroom' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/rooms\//);
    await context.close();
  });

  it('the owner creates a bot in the panel and issues a token; the bot posts with it', async () => {
    await alicePage.getByRole('button', { name: 'Room info' }).click();
    await alicePage.locator('summary', { hasText: /^Bots/ }).click();
    await alicePage.getByLabel('Bot name').fill('Darkroom timer');
    await alicePage.getByRole('button', { name: 'Create bot' }).click();
    const item = alicePage.locator('.bot-item', { hasText: 'Darkroom timer' });
    await item.locator('.bot-manager').waitFor();
    const write = item.getByRole('checkbox', { name: /messages:write/ });
    if (!(await write.isChecked())) await write.check();
    await item.getByRole('button', { name: 'Issue token' }).click();
    const once = item.locator('.once-secret');
    await once.locator('.tag', { hasText: 'You will not see this again' }).waitFor();
    const secret = (await once.locator('.secret-value').textContent())!;
    expect(secret).toMatch(/^qzb_/);
    await item.locator('.bot-token', { hasText: 'messages:write' }).waitFor();

    const posted = await fetch(`${web.server.url}/v1/rooms/${room.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Stop bath: 30 seconds', clientMsgId: uniqueName('m') }),
    });
    expect(posted.status).toBe(201);
    await alicePage.getByRole('button', { name: 'Close' }).first().click();
    const message = alicePage.locator('.message', { hasText: 'Stop bath: 30 seconds' });
    await message.locator('.meta .bot-tag', { hasText: 'BOT' }).waitFor();
    expect(await message.locator('.meta .sender').textContent()).toBe('Darkroom timer');
  });

  it('a bot message carries a BOT badge; system messages follow the language', async () => {
    const bot = (await call(web.server.url, 'POST', '/v1/bots', { token: alice.token, body: { name: 'Meetup bot', roomId: room.id } })).body.bot;
    const secret = (await call(web.server.url, 'POST', `/v1/bots/${bot.id}/tokens`, { token: alice.token, body: { scopes: ['messages:write'] } })).body.secret;
    const posted = await fetch(`${web.server.url}/v1/rooms/${room.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Photo walk Saturday 10:00 at the park', clientMsgId: uniqueName('m') }),
    });
    expect(posted.status).toBe(201);
    const message = bobPage.locator('.message', { hasText: 'Photo walk Saturday' });
    await message.locator('.meta .bot-tag', { hasText: 'BOT' }).waitFor();
    expect(await bobPage.locator('.message', { hasText: 'Every weekend' }).locator('.bot-tag').count()).toBe(0);
    // Built from data.event + ids, not the server's English text.
    await bobPage.locator('.system-message[data-event="member.muted"]', { hasText: 'Bob was muted until' }).waitFor();
    await bobPage.locator('.system-message[data-event="member.unmuted"]', { hasText: 'Bob can speak again' }).waitFor();
  });

  it('form checks speak the interface language, not the browser’s: sign-up and creating a room', async () => {
    // An English browser, the app switched to Chinese.
    const { context, page } = await openAs(null, { locale: 'en-US' });
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('button', { name: '第一次来？注册账号' }).click();
    const field = (name: string) => page.locator(`.auth input[name="${name}"]`);
    const message = (name: string) => field(name).evaluate((el: HTMLInputElement) => el.validationMessage);
    await field('username').fill('Mei Lin');
    await field('password').fill('short');
    await page.getByRole('button', { name: '注册', exact: true }).click();
    expect(await message('username')).toBe('请使用 3–32 位小写字母（a–z）、数字或下划线。');
    expect(await message('password')).toBe('至少需要 8 个字符（当前 5 个）。');
    // Nothing was sent: still on the form.
    await page.waitForTimeout(200);
    expect(await page.locator('.auth').count()).toBe(1);
    // Corrected, the messages go away and the account is made.
    const username = uniqueName('mei');
    await field('username').fill(username);
    await field('password').fill('correct horse battery');
    expect(await message('username')).toBe('');
    expect(await message('password')).toBe('');
    await page.getByRole('button', { name: '注册', exact: true }).click();
    await page.locator('.sidebar').waitFor();

    // Creating a room: a tag longer than the server takes is named before anything is sent.
    await page.getByRole('button', { name: '发现' }).first().click();
    const create = page.locator('.create-room');
    await create.locator('input[name="name"]').fill('胶片冲洗');
    await create.locator('input[name="tags"]').fill('film averyveryverylongtagthatgoesonandon');
    await create.getByRole('button', { name: '创建' }).click();
    expect(await create.locator('input[name="tags"]').evaluate((el: HTMLInputElement) => el.validationMessage)).toBe('每个标签最多 24 个字符，“averyveryverylongtagthatgoesonandon”太长了。');
    await page.waitForTimeout(200);
    expect(await page.locator('.chat-head').count()).toBe(0);
    await create.locator('input[name="tags"]').fill('film darkroom');
    await create.getByRole('button', { name: '创建' }).click();
    await page.locator('.chat-head h2', { hasText: '胶片冲洗' }).waitFor();
    await context.close();
  });

  it('saves screenshots: desktop, phone width, zh-CN', async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await send(alicePage, '@' + bob.username + ' nice shots from last weekend 📷');
    await alicePage.locator('.bubble', { hasText: 'nice shots from last weekend' }).waitFor();
    // Sending scrolls to the newest, which marks the bot's message (arrived while scrolled up) read.
    await alicePage.locator(`.room-item[data-room-id="${room.id}"] .badge`).waitFor({ state: 'detached' });
    await alicePage.screenshot({ path: shot('chat-desktop.png') });

    const meiName = uniqueName('mei');
    const meiSignUp = await call(web.server.url, 'POST', '/v1/users', { body: { username: meiName, password: 'correct horse battery', displayName: '小梅' } });
    const mei: TestUser = { ...meiSignUp.body.user, token: meiSignUp.body.token };
    await joinRoom(web.server.url, mei, room.id);
    // The member count in the header follows joins live.
    const { memberCount } = (await call(web.server.url, 'GET', `/v1/rooms/${room.id}`, { token: alice.token })).body.room;
    await alicePage.locator('.chat-head p', { hasText: `${memberCount} members` }).waitFor();
    const { page: phone } = await openAs(mei, { locale: 'zh-CN', viewport: { width: 390, height: 844 }, path: `/rooms/${room.id}` });
    await phone.locator('.bubble', { hasText: 'nice shots from last weekend' }).waitFor();
    expect(await phone.locator('#composer-input').getAttribute('placeholder')).toContain('发消息');
    // A recall reads as WeChat writes it: the name in quotes, no space before the verb.
    await phone.locator('.recalled', { hasText: `“${alice.displayName}”撤回了一条消息` }).waitFor();
    await send(phone, '大家好！我也喜欢胶片摄影。');
    await phone.locator('.messages li[data-seq] .bubble', { hasText: '我也喜欢胶片摄影' }).waitFor();
    await phone.locator('.system-message[data-event="member.joined"]', { hasText: '小梅 加入了群聊' }).waitFor();
    await phone.locator('.system-message[data-event="member.unmuted"]', { hasText: 'Bob 已被解除禁言' }).waitFor();
    await phone.locator('.message', { hasText: 'Photo walk Saturday' }).locator('.bot-tag', { hasText: '机器人' }).waitFor();
    await phone.screenshot({ path: shot('chat-phone-zh-CN.png') });
    // A held message tells a Chinese-speaking member why in Chinese, not in the server's English.
    await send(phone, 'cheap lenses 便宜出');
    const held = phone.locator('.pending.status-held', { hasText: '便宜出' });
    await held.locator('.reasons li[data-code="ROOM_KEYWORD"]', { hasText: '消息含有本群不允许的词' }).waitFor();
    expect(await held.locator('.pending-status').innerText()).not.toMatch(/[A-Za-z]{3,}/);
    // Reading further up while the room goes on: a button says so and takes her down.
    await phone.locator('.timeline').evaluate((el) => (el.scrollTop = 0));
    // The scroll event comes a frame later: only then is she no longer reading the newest.
    await phone.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await call(web.server.url, 'POST', `/v1/rooms/${room.id}/messages`, { token: alice.token, body: { text: 'anyone for a photo walk?', clientMsgId: uniqueName('m') } });
    await phone.locator('.new-below', { hasText: '新消息 (1)' }).click();
    await phone.locator('.new-below').waitFor({ state: 'detached' });
    expect(await phone.locator('.bubble', { hasText: 'anyone for a photo walk?' }).isVisible()).toBe(true);
    await phone.goto(`${web.server.url}/discover`);
    await phone.locator('.room-card').first().waitFor();
    await phone.screenshot({ path: shot('discover-phone-zh-CN.png') });
  });

  it('a kicked member sees the room disappear with a notice; a dissolved room too', async () => {
    await bobPage.locator(`.room-item[data-room-id="${room.id}"]`).click();
    await bobPage.locator('.chat-head h2', { hasText: 'Film photography' }).waitFor();
    await alicePage.getByRole('button', { name: 'Room info' }).click();
    const row = alicePage.locator('.member', { hasText: 'Bob' });
    await row.locator('summary').click();
    // Removing asks first, in the app's dialog; cancelled, nothing happens.
    const ask = alicePage.getByRole('dialog');
    await row.getByRole('button', { name: 'Remove', exact: true }).click();
    expect(await ask.locator('.dialog-message').textContent()).toBe('Remove Bob from the room? They can join again.');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    const bobsRooms = async () => (await call(web.server.url, 'GET', '/v1/me', { token: bob.token })).body.rooms.map((r: Room) => r.id);
    expect(await bobsRooms()).toContain(room.id);
    await row.getByRole('button', { name: 'Remove', exact: true }).click();
    await ask.getByRole('button', { name: 'Remove', exact: true }).click();
    await bobPage.locator('.removed-notice.removed-kicked', { hasText: 'You were removed from “Film photography”.' }).waitFor();
    await bobPage.locator(`.room-item[data-room-id="${room.id}"]`).waitFor({ state: 'detached' });
    await bobPage.locator('.welcome').waitFor();
    expect((await bobPage.locator('.welcome h2').textContent())?.trim()).toBe('Quanzi');
    expect(new URL(bobPage.url()).pathname).toBe('/');
    await alicePage.locator('.system-message[data-event="member.kicked"]', { hasText: 'Bob was removed from the room' }).waitFor();

    // Banning asks too, naming the member; by keyboard: focus on its button, Escape cancels, Enter bans.
    const kaiRow = alicePage.locator('.member', { hasText: 'Name kai_' });
    await kaiRow.locator('summary').click();
    await kaiRow.getByRole('button', { name: 'Ban' }).click();
    expect(await ask.locator('.dialog-message').textContent()).toMatch(/^Ban Name kai_\w+\? They are removed/);
    expect(await alicePage.evaluate(() => {
      const focused = document.activeElement;
      return focused?.closest('[role="dialog"]') ? focused.textContent : null;
    })).toBe('Ban');
    await alicePage.keyboard.press('Escape');
    await ask.waitFor({ state: 'detached' });
    expect((await call(web.server.url, 'GET', `/v1/rooms/${room.id}/bans`, { token: alice.token })).body.bans).toHaveLength(0);
    await kaiRow.getByRole('button', { name: 'Ban' }).click();
    await alicePage.keyboard.press('Enter');
    await kaiRow.waitFor({ state: 'detached' });
    expect((await call(web.server.url, 'GET', `/v1/rooms/${room.id}/bans`, { token: alice.token })).body.bans).toHaveLength(1);

    // The owner dissolves the other room from its panel; Bob, a member there, is told.
    await alicePage.getByRole('button', { name: 'Close' }).first().click();
    await alicePage.locator(`.room-item[data-room-id="${other.id}"]`).click();
    await alicePage.getByRole('button', { name: 'Room info' }).click();
    await alicePage.locator('summary', { hasText: /^Settings$/ }).click();
    await alicePage.getByRole('button', { name: 'Dissolve room' }).click();
    await ask.getByRole('button', { name: 'Dissolve room' }).click();
    await bobPage.locator('.removed-notice.removed-dissolved', { hasText: '“Darkroom chemistry” was dissolved' }).waitFor();
    await bobPage.locator(`.room-item[data-room-id="${other.id}"]`).waitFor({ state: 'detached' });
    await alicePage.locator(`.room-item[data-room-id="${other.id}"]`).waitFor({ state: 'detached' });
    await bobPage.locator('.removed-notice.removed-dissolved').getByRole('button', { name: 'Close' }).click();
    await bobPage.locator('.removed-notice.removed-dissolved').waitFor({ state: 'detached' });
    expect(web.pages.pageErrors).toEqual([]);
    expect(web.pages.nativeDialogs).toEqual([]);
  });
});
