/**
 * Everyday group life in the web client (issue #20), in a real browser against a real gateway:
 * looking into a room before joining it, search that jumps to the message in context, an edit
 * seen live by another member, forwarding with attribution, visibility and the group QR code.
 * Each test drives what a member does and checks what they (and the others) see.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createRoom, joinRoom, signUp, uniqueName, type TestUser } from '../helpers/clients.ts';
import { DESKTOP, PHONE, useWebSuite, type PageOptions } from '../helpers/web-pages.ts';
import type { Room } from '../../shared/schemas.ts';

let owner: TestUser;
let member: TestUser;
const web = useWebSuite();

beforeAll(async () => {
  owner = await signUp(web.server.url, uniqueName('owner'));
  member = await signUp(web.server.url, uniqueName('mei'));
}, 120_000);

const openAs = (user: TestUser, options: PageOptions = {}): Promise<Page> => web.open(user, options);

async function post(user: TestUser, roomId: string, text: string): Promise<{ seq: number }> {
  const reply = await call(web.server.url, 'POST', `/v1/rooms/${roomId}/messages`, { token: user.token, body: { text, clientMsgId: uniqueName('m') } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.message;
}

async function roomWith(fields: Record<string, unknown>): Promise<Room> {
  const reply = await call(web.server.url, 'POST', '/v1/rooms', { token: owner.token, body: fields });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.room;
}

/** How far the page is wider than the screen (0: it fits). */
const overflow = (page: Page) => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth);

/** Opens the message's "More" menu (the toolbar shows on hover) and picks `item`. */
async function fromMenu(page: Page, seq: number, item: string): Promise<void> {
  const li = page.locator(`.messages li[data-seq="${seq}"]`);
  await li.hover();
  await li.locator('.message-more > summary').click();
  await li.locator('.message-more-items').getByRole('menuitem', { name: item }).click();
}

describe('look before joining', () => {
  it('a non-member on a phone reads a public room from Discover, read-only under a Join bar, joins, and then writes', async () => {
    const name = `Darkroom club ${uniqueName('r')}`;
    const room = await roomWith({ name, topic: 'Developing film at home', tags: ['photography'], visibility: 'public', preview: true });
    await call(web.server.url, 'POST', `/v1/rooms/${room.id}/announcement`, { token: owner.token, body: { text: 'Bring your own tank on Saturday' } });
    await post(owner, room.id, 'Welcome! Today: stand development');
    await post(owner, room.id, 'Rodinal 1+100 for an hour');
    const visitor = await signUp(web.server.url, uniqueName('visitor'));

    const page = await openAs(visitor, { locale: 'zh-CN', viewport: PHONE, path: '/discover' });
    await page.getByRole('searchbox').first().fill(name);
    const card = page.locator('.room-card', { hasText: name });
    await card.getByRole('button', { name: '预览' }).click();
    await page.waitForURL(`**/rooms/${room.id}`);

    const preview = page.locator('.room-preview');
    await preview.locator('.bubble', { hasText: 'Rodinal 1+100 for an hour' }).waitFor();
    await preview.locator('.bubble', { hasText: 'Welcome! Today: stand development' }).waitFor();
    await preview.locator('.announcement', { hasText: 'Bring your own tank on Saturday' }).waitFor();
    // Read-only: no box to write in, no message toolbar; the Join bar instead.
    expect(await page.locator('#composer-input').count()).toBe(0);
    expect(await preview.locator('.actions').count()).toBe(0);
    const bar = page.getByRole('region', { name: '加入这个群' });
    await bar.waitFor();
    expect(await overflow(page), 'the preview on a phone').toBeLessThanOrEqual(0);

    await bar.getByRole('button', { name: '加入' }).click();
    // The same page becomes the room: the composer replaces the bar, no reload.
    const input = page.locator('#composer-input');
    await input.waitFor();
    await bar.waitFor({ state: 'detached' });
    await page.locator('.messages li[data-seq] .bubble', { hasText: 'Rodinal 1+100 for an hour' }).waitFor();
    await input.fill('Hello, first roll coming up');
    await input.press('Enter');
    await page.locator('.messages li[data-seq] .bubble', { hasText: 'Hello, first roll coming up' }).waitFor();
    const members = await call(web.server.url, 'GET', `/v1/rooms/${room.id}/members`, { token: owner.token });
    expect(members.body.members.map((m: { user: { id: string } }) => m.user.id)).toContain(visitor.id);
  }, 60_000);

  it('a room without preview shows its card and the Join bar, no messages', async () => {
    const room = await roomWith({ name: 'Quiet lab', topic: 'Members only chatter', visibility: 'public', preview: false });
    await post(owner, room.id, 'not for outsiders');
    const visitor = await signUp(web.server.url, uniqueName('visitor'));
    const page = await openAs(visitor, { path: `/rooms/${room.id}` });
    await page.getByRole('region', { name: 'Join this group' }).waitFor();
    await page.getByText('This group does not show its messages before you join.').waitFor();
    expect(await page.locator('.bubble', { hasText: 'not for outsiders' }).count()).toBe(0);
  }, 60_000);
});

describe('search', () => {
  it('a match far back in a long history: choosing the result loads back to it, scrolls it into view and flashes it', async () => {
    const room = await createRoom(web.server.url, owner, { name: 'Long history' });
    await joinRoom(web.server.url, member, room.id);
    const needle = await post(owner, room.id, 'The darkroom timer is in the second drawer');
    // Far more history than a few pages (50 a page) between the match and the newest message:
    // the history around the match is opened on its own, not paged back to.
    for (let i = 1; i <= 320; i++) await post(owner, room.id, `Note ${i}: ${i % 3 === 0 ? 'lens' : 'tripod'} talk, take ${i * 7}`);

    const page = await openAs(member, { path: `/rooms/${room.id}` });
    await page.locator('.messages li[data-seq] .bubble', { hasText: 'Note 320:' }).waitFor();
    expect(await page.locator(`.messages li[data-seq="${needle.seq}"]`).count(), 'not loaded yet').toBe(0);

    await page.getByRole('button', { name: 'Search messages' }).click();
    await page.getByRole('searchbox', { name: 'Search this group' }).fill('darkroom');
    const result = page.locator(`.search-result[data-seq="${needle.seq}"]`);
    await result.waitFor();
    expect(await result.locator('mark').allInnerTexts()).toEqual(['darkroom']);
    await result.click();

    const target = page.locator(`.messages li[data-seq="${needle.seq}"]`);
    await target.waitFor();
    await page.locator(`.messages li.flash[data-seq="${needle.seq}"]`).waitFor();
    const box = (await target.boundingBox())!;
    const view = (await page.locator('.timeline').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(view.y - 1);
    expect(box.y + box.height).toBeLessThanOrEqual(view.y + view.height + 1);
    // In context: its neighbours are loaded around it.
    await page.locator('.messages li[data-seq] .bubble', { hasText: 'Note 1:' }).waitFor();

    // Back down: the newest again, and what arrived meanwhile is there too.
    await post(owner, room.id, 'Posted while she was reading far back');
    await page.getByRole('button', { name: 'Back to the newest' }).click();
    await page.locator('.messages li[data-seq] .bubble', { hasText: 'Posted while she was reading far back' }).waitFor();
    await page.getByRole('button', { name: 'Back to the newest' }).waitFor({ state: 'detached' });
    const input = page.locator('#composer-input');
    await input.fill('found it, thanks');
    await input.press('Enter');
    await page.locator('.messages li[data-seq] .bubble', { hasText: 'found it, thanks' }).waitFor();
  }, 120_000);

  it('reading on from a stretch far back: scrolling down loads the newer pages until it meets the newest', async () => {
    const room = await createRoom(web.server.url, owner, { name: 'Scroll down' });
    await joinRoom(web.server.url, member, room.id);
    const needle = await post(owner, room.id, 'An old word: cyanotype');
    for (let i = 1; i <= 300; i++) await post(owner, room.id, `Line ${i}`);
    const page = await openAs(member, { path: `/rooms/${room.id}` });
    await page.locator('.messages li[data-seq] .bubble', { hasText: 'Line 300' }).waitFor();
    await page.getByRole('button', { name: 'Search messages' }).click();
    await page.getByRole('searchbox', { name: 'Search this group' }).fill('cyanotype');
    await page.locator(`.search-result[data-seq="${needle.seq}"]`).click();
    await page.locator(`.messages li[data-seq="${needle.seq}"]`).waitFor();
    expect(await page.locator('.messages li[data-seq] .bubble', { hasText: 'Line 300' }).count(), 'a stretch, not everything').toBe(0);
    const timeline = page.locator('.timeline');
    for (let i = 0; i < 120; i++) {
      if ((await page.locator('.messages li[data-seq] .bubble', { hasText: 'Line 300' }).count()) > 0) break;
      await timeline.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await page.waitForTimeout(250);
    }
    await page.locator('.messages li[data-seq] .bubble', { hasText: 'Line 300' }).waitFor();
    await page.getByRole('button', { name: 'Back to the newest' }).waitFor({ state: 'detached' });
    // One run again, no gaps: every line between the old word and the newest is there once.
    const seqs = await page.locator('.messages li[data-seq]').evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset.seq)));
    const from = seqs.indexOf(needle.seq);
    expect(seqs.slice(from)).toEqual(Array.from({ length: 301 }, (_, i) => needle.seq + i));
  }, 120_000);

  it('pages with "More results" and searches all my rooms', async () => {
    const room = await createRoom(web.server.url, owner, { name: 'Lens talk' });
    const other = await createRoom(web.server.url, owner, { name: 'Second room' });
    for (let i = 1; i <= 24; i++) await post(owner, room.id, `Aperture note ${i}`);
    await post(owner, other.id, 'Aperture in the second room');
    const page = await openAs(owner, { locale: 'zh-CN', viewport: PHONE, path: `/rooms/${room.id}` });
    await page.locator('.messages li[data-seq] .bubble', { hasText: 'Aperture note 24' }).waitFor();
    await page.getByRole('button', { name: '搜索聊天记录' }).click();
    await page.getByRole('searchbox', { name: '搜索本群聊天记录' }).fill('aperture');
    await page.locator('.search-result').nth(19).waitFor();
    expect(await page.locator('.search-result').count()).toBe(20);
    await page.getByRole('button', { name: '更多结果' }).click();
    await page.locator('.search-result').nth(23).waitFor();
    expect(await page.locator('.search-result').count()).toBe(24);
    expect(await overflow(page), 'search on a phone').toBeLessThanOrEqual(0);

    await page.getByRole('button', { name: '全部聊天' }).click();
    const elsewhere = page.locator('.search-result', { hasText: 'Aperture in the second room' });
    await elsewhere.waitFor();
    await elsewhere.click();
    await page.waitForURL(`**/rooms/${other.id}`);
    await page.locator('.messages li.flash .bubble', { hasText: 'Aperture in the second room' }).waitFor();
  }, 60_000);
});

describe('edit', () => {
  it('an edit is seen live by another member, marked edited; Esc cancels; the staff read the earlier version', async () => {
    const room = await createRoom(web.server.url, owner, { name: 'Meetup planning' });
    await joinRoom(web.server.url, member, room.id);
    const sent = await post(member, room.id, 'Meet at 7pm at the park');
    const mine = await openAs(member, { path: `/rooms/${room.id}` });
    const theirs = await openAs(owner, { path: `/rooms/${room.id}` });
    await theirs.locator(`.messages li[data-seq="${sent.seq}"] .bubble`, { hasText: 'Meet at 7pm' }).waitFor();

    // Esc leaves the message as it was.
    await fromMenu(mine, sent.seq, 'Edit');
    const editor = mine.getByRole('textbox', { name: 'Edit message' });
    await editor.waitFor();
    expect(await editor.inputValue()).toBe('Meet at 7pm at the park');
    await editor.fill('never mind');
    await editor.press('Escape');
    await editor.waitFor({ state: 'detached' });
    await mine.locator(`.messages li[data-seq="${sent.seq}"] .bubble`, { hasText: 'Meet at 7pm at the park' }).waitFor();

    await fromMenu(mine, sent.seq, 'Edit');
    await editor.fill('Meet at 8pm at the park gate');
    await editor.press('Enter');
    await editor.waitFor({ state: 'detached' });
    const there = theirs.locator(`.messages li[data-seq="${sent.seq}"]`);
    await there.locator('.bubble', { hasText: 'Meet at 8pm at the park gate' }).waitFor();
    await there.locator('.edited-mark', { hasText: 'edited' }).waitFor();
    await mine.locator(`.messages li[data-seq="${sent.seq}"] .edited-mark`).waitFor();

    await fromMenu(theirs, sent.seq, 'Earlier versions');
    const dialog = theirs.getByRole('dialog', { name: 'Earlier versions' });
    await dialog.getByText('Meet at 7pm at the park', { exact: true }).waitFor();
    await dialog.getByText('Meet at 8pm at the park gate', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  }, 60_000);

  it('the keyboard alone reaches Edit through the message toolbar and its menu', async () => {
    const room = await createRoom(web.server.url, owner, { name: 'Keyboard room' });
    await joinRoom(web.server.url, member, room.id);
    const sent = await post(member, room.id, 'typed with keys');
    const page = await openAs(member, { path: `/rooms/${room.id}` });
    const li = page.locator(`.messages li[data-seq="${sent.seq}"]`);
    await li.waitFor();
    await li.focus();
    await page.keyboard.press('Enter');
    // ← → go through the message's controls (name, toolbar) to its ⋯ menu.
    for (let i = 0; i < 14; i++) {
      if (await page.evaluate(() => document.activeElement?.matches('.message-more > summary') ?? false)) break;
      await page.keyboard.press('ArrowRight');
    }
    expect(await page.evaluate(() => document.activeElement?.matches('.message-more > summary') ?? false)).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.activeElement?.textContent === 'Edit');
    await page.keyboard.press('Enter');
    const editor = page.getByRole('textbox', { name: 'Edit message' });
    await editor.waitFor();
    expect(await editor.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('End');
    await page.keyboard.type(' and saved');
    await page.keyboard.press('Enter');
    await li.locator('.bubble', { hasText: 'typed with keys and saved' }).waitFor();
    // Focus goes back to the message, not to the top of the page.
    await page.waitForFunction((seq) => (document.activeElement as HTMLElement | null)?.dataset.seq === String(seq), sent.seq);

    // ↑ in the empty message box edits my last message; Esc leaves it.
    await page.locator('#composer-input').focus();
    await page.keyboard.press('ArrowUp');
    await editor.waitFor();
    expect(await editor.inputValue()).toBe('typed with keys and saved');
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.id === 'composer-input');
  }, 60_000);

  it('an edit the safety rules refuse keeps the editor open with the reason and changes nothing', async () => {
    const room = await createRoom(web.server.url, owner, { name: 'Probation room' });
    const newcomer = await signUp(web.server.url, uniqueName('newcomer'));
    await joinRoom(web.server.url, newcomer, room.id);
    const sent = await post(newcomer, room.id, 'Hello everyone');
    const page = await openAs(newcomer, { locale: 'zh-CN', viewport: PHONE, path: `/rooms/${room.id}` });
    await fromMenu(page, sent.seq, '编辑');
    const editor = page.getByRole('textbox', { name: '编辑消息' });
    await editor.fill('Hello, join my club https://example.com/club');
    await editor.press('Enter');
    const refusal = page.locator('.edit-error');
    await refusal.locator('.reasons li[data-code="PROBATION_LINK"]').waitFor();
    expect(await editor.count()).toBe(1);
    await editor.press('Escape');
    await page.locator(`.messages li[data-seq="${sent.seq}"] .bubble`, { hasText: 'Hello everyone' }).waitFor();
    const stored = await call(web.server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
    expect(stored.body.messages.find((m: { seq: number }) => m.seq === sent.seq).text).toBe('Hello everyone');
  }, 60_000);
});

describe('forward', () => {
  it('forwarding to another room shows "forwarded from" there; refusals (muted there, forwarding switched off here) are said in the dialog', async () => {
    const source = await createRoom(web.server.url, owner, { name: 'Gear swap' });
    const destination = await createRoom(web.server.url, owner, { name: 'Weekend walks' });
    const muted = await createRoom(web.server.url, owner, { name: 'Announcements only' });
    for (const id of [source.id, destination.id, muted.id]) await joinRoom(web.server.url, member, id);
    const mute = await call(web.server.url, 'POST', `/v1/rooms/${muted.id}/members/${member.id}/mute`, { token: owner.token, body: { durationSeconds: 3600 } });
    expect(mute.status).toBeLessThan(300);
    const original = await post(owner, source.id, 'Selling a 50mm f/1.8, barely used');

    const page = await openAs(member, { path: `/rooms/${source.id}` });
    await fromMenu(page, original.seq, 'Forward');
    let dialog = page.getByRole('dialog', { name: 'Forward to…' });
    await dialog.getByRole('radio', { name: 'Announcements only' }).check();
    await dialog.getByRole('button', { name: 'Send to Announcements only' }).click();
    await dialog.getByRole('alert').getByText('You are muted in this room.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    await fromMenu(page, original.seq, 'Forward');
    dialog = page.getByRole('dialog', { name: 'Forward to…' });
    await dialog.getByRole('searchbox').fill('weekend');
    await dialog.getByRole('radio', { name: 'Weekend walks' }).check();
    await dialog.getByRole('button', { name: 'Send to Weekend walks' }).click();
    await dialog.getByText('Forwarded to Weekend walks.').waitFor();
    await dialog.getByRole('button', { name: 'Open Weekend walks' }).click();
    await page.waitForURL(`**/rooms/${destination.id}`);
    const forwarded = page.locator('.messages li[data-seq]', { hasText: 'Selling a 50mm f/1.8, barely used' });
    await forwarded.locator('.forwarded-from', { hasText: `Forwarded from ${owner.displayName} in Gear swap` }).waitFor();

    // Forwarding switched off where it was written (an owner's choice, meant for private rooms): said, and not offered.
    const off = await call(web.server.url, 'PATCH', `/v1/rooms/${source.id}`, { token: owner.token, body: { membersCanForward: false } });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    await page.goto(`${web.server.url}/rooms/${source.id}`);
    await page.locator(`.messages li[data-seq="${original.seq}"]`).waitFor();
    await fromMenu(page, original.seq, 'Forward');
    dialog = page.getByRole('dialog', { name: 'Forward to…' });
    await dialog.getByText("This group's owner does not allow forwarding its messages.").waitFor();
    await dialog.getByRole('radio', { name: 'Weekend walks' }).check();
    expect(await dialog.getByRole('button', { name: 'Send to Weekend walks' }).isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // The owner, reading the destination, sees it too.
    const ownerPage = await openAs(owner, { locale: 'zh-CN', viewport: PHONE, path: `/rooms/${destination.id}` });
    await ownerPage.locator('.forwarded-from', { hasText: `转发自 Gear swap 的 ${owner.displayName}` }).waitFor();
    expect(await overflow(ownerPage)).toBeLessThanOrEqual(0);
  }, 60_000);
});

describe('visibility and the group QR code', () => {
  it('a room created unlisted is never listed; its invite shows a QR code that loads without a token in its address', async () => {
    const page = await openAs(owner, { path: '/new' });
    const form = page.locator('form.create-room');
    const name = `Secret darkroom ${uniqueName('r')}`;
    await form.getByLabel('Name').fill(name);
    await form.getByRole('radio', { name: /Unlisted/ }).check();
    expect(await form.getByRole('checkbox', { name: /read before joining/ }).isDisabled()).toBe(true);
    await form.getByRole('button', { name: 'Create' }).click();
    await page.locator('.chat-head h2', { hasText: name }).waitFor();
    const roomId = /\/rooms\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    const card = await call(web.server.url, 'GET', `/v1/rooms/${roomId}`, { token: owner.token });
    expect(card.body.room.visibility).toBe('unlisted');
    const listed = await call(web.server.url, 'GET', `/v1/rooms?q=${encodeURIComponent(name)}`, { token: member.token });
    expect(listed.body.rooms).toEqual([]);

    await page.getByRole('button', { name: 'Room info' }).click();
    const invites = page.locator('.panel-section', { hasText: 'Invite links' }).first();
    await invites.locator('summary').click();
    await invites.getByRole('button', { name: 'Create invite link' }).click();
    await invites.getByRole('button', { name: 'QR code' }).first().click();
    const qr = invites.locator('.invite-qr img');
    await qr.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.invite-qr img');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    const src = (await qr.getAttribute('src'))!;
    expect(src).toMatch(/^\/v1\/invites\/[A-Za-z0-9_-]+\/qr\.png$/);
    expect(src).not.toContain(owner.token);
    await invites.locator('code.invite-link', { hasText: '/invite/' }).first().waitFor();
  }, 60_000);
});
