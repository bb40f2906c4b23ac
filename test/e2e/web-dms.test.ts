/**
 * Direct messages and people in the web client (issue #20), in a real browser against a real
 * gateway: a profile card opened from a message, a first message that arrives as a message
 * request, accepted and answered live; one request only until it is accepted; blocking someone
 * hides their messages; do-not-disturb keeps the badge still while @me still alerts.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createRoom, joinRoom, signUp, uniqueName, type TestUser } from '../helpers/clients.ts';
import { DESKTOP, PHONE, useWebSuite, type PageOptions } from '../helpers/web-pages.ts';
import type { Room } from '../../shared/schemas.ts';

const web = useWebSuite();
let ann: TestUser;
let bo: TestUser;
let room: Room;

beforeAll(async () => {
  ann = await signUp(web.server.url, uniqueName('ann'));
  bo = await signUp(web.server.url, uniqueName('bo'));
  room = await createRoom(web.server.url, ann, { name: 'Film photography', topic: 'Developing at home', tags: ['photography'] });
  await joinRoom(web.server.url, bo, room.id);
}, 120_000);

const openAs = (user: TestUser, options: PageOptions = {}): Promise<Page> => web.open(user, options);

async function post(user: TestUser, text: string, roomId = room.id): Promise<{ seq: number }> {
  const reply = await call(web.server.url, 'POST', `/v1/rooms/${roomId}/messages`, { token: user.token, body: { text, clientMsgId: uniqueName('m') } });
  expect(reply.status).toBeLessThan(300);
  return reply.body.message;
}

async function setPrivacy(user: TestUser, body: { dmsFrom?: string; showPresence?: boolean }): Promise<void> {
  const reply = await call(web.server.url, 'PUT', '/v1/me/privacy', { token: user.token, body });
  expect(reply.status).toBe(200);
}

/** How far the page is wider than the screen (0: it fits). */
const overflow = (page: Page) => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth);

/** Opens the profile card of the sender of the message that says `text`. */
async function openCardFromMessage(page: Page, text: string): Promise<void> {
  const message = page.locator('.messages .message', { hasText: text });
  await message.locator('.meta .sender-button').click();
  await page.locator('.dialog .profile-card').waitFor();
}

describe('a first message as a message request', () => {
  it('Ann writes to Bo from his message; Bo (contacts only) accepts it on his phone, replies, and Ann sees the reply live', async () => {
    await setPrivacy(bo, { dmsFrom: 'contacts' });
    const hello = `Hi all, I develop at home too ${uniqueName('x')}`;
    await post(bo, hello);

    // Bo's phone is open first: the request arrives on it live.
    const phone = await openAs(bo, { locale: 'zh-CN', viewport: PHONE });
    await phone.locator('.requests-item').waitFor();

    const desk = await openAs(ann, { path: `/rooms/${room.id}` });
    await desk.locator('.messages .message', { hasText: hello }).waitFor();
    await openCardFromMessage(desk, hello);
    const card = desk.locator('.dialog');
    await card.getByRole('heading', { name: bo.displayName }).waitFor();
    await card.getByRole('button', { name: 'Message' }).click();
    const request = 'Hello Bo, which developer do you use for Tri-X?';
    await card.locator('.dm-compose textarea').fill(request);
    await card.getByRole('button', { name: 'Send' }).click();
    // The card now says the message waits for Bo, and offers no second one.
    await card.locator('.dm-pending', { hasText: 'waiting for' }).waitFor();
    expect(await card.locator('.dm-pending blockquote').innerText()).toBe(request);
    expect(await card.getByRole('button', { name: 'Message' }).isDisabled()).toBe(true);
    await card.getByRole('button', { name: 'Close' }).click();

    // On Bo's phone: the entry counts it, the list shows its text, and accepting opens the conversation.
    const entry = phone.locator('.requests-item');
    await entry.locator('.badge', { hasText: '1' }).waitFor();
    await entry.click();
    await phone.waitForURL('**/requests');
    const item = phone.locator('.request-item', { hasText: request });
    await item.waitFor();
    expect(await item.locator('.request-from').innerText()).toContain(ann.displayName);
    expect(await overflow(phone), 'the requests list on a phone').toBeLessThanOrEqual(0);
    await item.getByRole('button', { name: '接受' }).click();
    await phone.waitForURL('**/rooms/*');
    await phone.locator('.chat-head h2', { hasText: ann.displayName }).waitFor();
    await phone.locator('.messages .bubble', { hasText: request }).waitFor();
    expect(await overflow(phone), 'a DM room on a phone').toBeLessThanOrEqual(0);

    // Ann's sidebar now lists the conversation under Bo's name; she opens it.
    const dm = desk.locator('.dm-list .dm-item', { hasText: bo.displayName });
    await dm.waitFor();
    await dm.click();
    await desk.locator('.chat-head h2', { hasText: bo.displayName }).waitFor();
    await desk.locator('.messages .bubble', { hasText: request }).waitFor();

    const reply = 'D-76 stock, 9 minutes. 你呢？';
    await phone.locator('#composer-input').fill(reply);
    await phone.locator('#composer-input').press('Enter');
    await desk.locator('.messages .bubble', { hasText: reply }).waitFor();
  });

  it('a second request before acceptance (sent from another device) is refused with a clear message', async () => {
    const cai = await signUp(web.server.url, uniqueName('cai'));
    await joinRoom(web.server.url, cai, room.id);
    await setPrivacy(cai, { dmsFrom: 'contacts' });
    const line = `Anyone tried caffenol? ${uniqueName('x')}`;
    await post(cai, line);
    const desk = await openAs(ann, { path: `/rooms/${room.id}` });
    await desk.locator('.messages .message', { hasText: line }).waitFor();
    // Ann's other device sent Cai a request after this page loaded.
    const first = await call(web.server.url, 'POST', '/v1/dms', { token: ann.token, body: { userId: cai.id, text: 'Hi Cai, about caffenol', clientMsgId: uniqueName('dm') } });
    expect(first.status).toBe(202);

    // By keyboard: the message, Enter into it (its sender first), Enter opens the card; Escape closes it.
    await desk.locator('.messages li[data-seq]', { hasText: line }).focus();
    await desk.keyboard.press('Enter');
    expect(await desk.evaluate(() => document.activeElement?.classList.contains('sender-button'))).toBe(true);
    await desk.keyboard.press('Enter');
    const card = desk.locator('.dialog');
    await card.locator('.profile-card').waitFor();
    expect(await desk.evaluate(() => !!document.activeElement?.closest('.dialog'))).toBe(true);
    await desk.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });

    await openCardFromMessage(desk, line);
    await card.getByRole('button', { name: 'Message' }).click();
    await card.locator('.dm-compose textarea').fill('Second try');
    await card.getByRole('button', { name: 'Send' }).click();
    await card.locator('.error-line', { hasText: 'You already sent this person a message request' }).waitFor();
    // Cai still has exactly the first request.
    const waiting = await call(web.server.url, 'GET', '/v1/dms/requests', { token: cai.token });
    expect(waiting.body.requests.map((r: { text: string }) => r.text)).toEqual(['Hi Cai, about caffenol']);
  });
});

describe('message requests Bo does not want', () => {
  it('Ignore drops one without telling its sender; Report files another for the site’s moderators', async () => {
    const fay = await signUp(web.server.url, uniqueName('fay'));
    const gus = await signUp(web.server.url, uniqueName('gus'));
    const page = await openAs(bo, { path: '/requests' });
    for (const [from, text] of [
      [fay, 'Hello Bo, are you coming to the meetup?'],
      [gus, 'Hey Bo, nice photos in the film group'],
    ] as const) {
      const sent = await call(web.server.url, 'POST', '/v1/dms', { token: from.token, body: { userId: bo.id, text, clientMsgId: uniqueName('dm') } });
      expect(sent.status).toBe(202);
    }
    const fromFay = page.locator('.request-item', { hasText: 'are you coming to the meetup' });
    const fromGus = page.locator('.request-item', { hasText: 'nice photos in the film group' });
    await fromFay.waitFor();
    await fromGus.waitFor();

    await fromFay.getByRole('button', { name: 'Ignore' }).click();
    await fromFay.waitFor({ state: 'detached' });
    await fromGus.getByRole('button', { name: 'Report' }).click();
    const dialog = page.locator('.dialog');
    await dialog.getByLabel('What is wrong with it?').selectOption('scam');
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await dialog.waitFor({ state: 'detached' });
    await fromGus.waitFor({ state: 'detached' });

    const left = await call(web.server.url, 'GET', '/v1/dms/requests', { token: bo.token });
    expect(left.body.requests.filter((r: { sender: { id: string } }) => r.sender.id === fay.id || r.sender.id === gus.id)).toEqual([]);
    // Fay is not told: her request still reads as waiting.
    const hers = await call(web.server.url, 'GET', '/v1/dms/requests', { token: fay.token });
    expect(hers.body.sent.map((r: { status: string }) => r.status)).toEqual(['pending']);
  });
});

describe('blocking someone', () => {
  it('hides their messages in a shared room, new ones too, and the block list can undo it', async () => {
    const dan = await signUp(web.server.url, uniqueName('dan'));
    await joinRoom(web.server.url, dan, room.id);
    const before = `Selling cheap lenses, ask me ${uniqueName('x')}`;
    await post(dan, before);
    const desk = await openAs(ann, { path: `/rooms/${room.id}` });
    await desk.locator('.messages .message', { hasText: before }).waitFor();

    await openCardFromMessage(desk, before);
    const card = desk.locator('.dialog');
    await card.getByRole('button', { name: 'Block' }).click();
    await card.locator('.block-confirm').getByRole('button', { name: 'Block' }).click();
    await card.locator('.notice', { hasText: 'You blocked this person' }).waitFor();
    await card.getByRole('button', { name: 'Close' }).click();
    await desk.locator('.messages .message', { hasText: before }).waitFor({ state: 'detached' });

    const after = `Still selling ${uniqueName('x')}`;
    await post(dan, after);
    const marker = `Back to developing ${uniqueName('x')}`;
    await post(bo, marker);
    await desk.locator('.messages .message', { hasText: marker }).waitFor();
    expect(await desk.locator('.messages .message', { hasText: after }).count()).toBe(0);

    // The block list (我) shows Dan; unblocking takes him off it.
    await desk.locator('.sidebar .me-name').click();
    await desk.waitForURL('**/me');
    const row = desk.locator('.block-list li', { hasText: dan.displayName });
    await row.waitFor();
    await row.getByRole('button', { name: 'Unblock' }).click();
    await row.waitFor({ state: 'detached' });
    const blocks = await call(web.server.url, 'GET', '/v1/me/blocks', { token: ann.token });
    expect(blocks.body.blocks).toEqual([]);
    // Back in the room, what he wrote while blocked is there again.
    await desk.locator(`.room-item[data-room-id="${room.id}"]`).click();
    await desk.locator('.messages .message', { hasText: after }).waitFor();
  });
});

describe('my profile and privacy (我)', () => {
  it('saves a new name and bio, says why the safety rules refuse one, and keeps who may message me', async () => {
    const eve = await signUp(web.server.url, uniqueName('eve'));
    const page = await openAs(eve, { locale: 'en-US', viewport: PHONE, path: '/me' });
    const form = page.locator('form.profile-form');
    await expect.poll(() => form.locator('input[name="displayName"]').inputValue()).toBe(eve.displayName);
    await form.locator('input[name="displayName"]').fill('Eve Chen 陈');
    await form.locator('textarea[name="bio"]').fill('Medium format, mostly portraits.');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('.notice', { hasText: 'Saved.' }).waitFor();
    await page.locator('.sidebar .me-name', { hasText: 'Eve Chen 陈' }).waitFor({ state: 'attached' });
    const card = await call(web.server.url, 'GET', `/v1/users/${eve.id}`, { token: ann.token });
    expect(card.body.profile).toMatchObject({ displayName: 'Eve Chen 陈', bio: 'Medium format, mostly portraits.' });

    await form.locator('textarea[name="bio"]').fill('Double your bitcoin in 7 days, risk-free investment, DM me https://example.com/join');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('.error-line').waitFor();
    expect(await form.locator('.reasons li').count()).toBeGreaterThan(0);
    expect((await call(web.server.url, 'GET', `/v1/users/${eve.id}`, { token: ann.token })).body.profile.bio).toBe('Medium format, mostly portraits.');

    const privacy = page.locator('.privacy-form');
    await privacy.getByLabel('Nobody').check();
    await expect.poll(async () => (await call(web.server.url, 'GET', '/v1/me/privacy', { token: eve.token })).body.privacy.dmsFrom).toBe('nobody');
    await privacy.getByLabel('Show when I am online').uncheck();
    await expect.poll(async () => (await call(web.server.url, 'GET', '/v1/me/privacy', { token: eve.token })).body.privacy.showPresence).toBe(false);
    expect(await overflow(page), 'the profile page on a phone').toBeLessThanOrEqual(0);
  });
});

describe('do-not-disturb (消息免打扰)', () => {
  it('"Do not disturb" keeps the badge from counting while an @mention of me still shows', async () => {
    const quiet = await createRoom(web.server.url, ann, { name: `Chatty club ${uniqueName('r')}`, topic: 'Lots of talk', tags: ['photography'] });
    await joinRoom(web.server.url, bo, quiet.id);
    const desk = await openAs(ann, { viewport: DESKTOP, path: `/rooms/${quiet.id}` });
    await desk.getByRole('button', { name: 'Room info' }).click();
    // A member's name in the list opens their card too.
    await desk.locator(`.panel .member[data-user-id="${bo.id}"] .member-card-button`).click();
    await desk.locator('.dialog').getByRole('heading', { name: bo.displayName }).waitFor();
    await desk.locator('.dialog').getByRole('button', { name: 'Close' }).click();
    await desk.locator('.dialog').waitFor({ state: 'detached' });
    const settings = desk.locator('.panel details:has(.notifications-choice)');
    await settings.locator('summary').click();
    await settings.getByLabel(/Do not disturb/).check();
    await desk.locator('.room-item[data-room-id="' + quiet.id + '"] .muted-bell').waitFor();
    // The bell shows as soon as the choice is made; the server stores it a moment later.
    const storedChoice = async () => (await call(web.server.url, 'GET', '/v1/me', { token: ann.token })).body.rooms.find((r: { id: string }) => r.id === quiet.id).notifications;
    await expect.poll(storedChoice, { timeout: 5000 }).toBe('none');

    // In another room, messages arrive here: a quiet dot, no number.
    await desk.locator(`.room-item[data-room-id="${room.id}"]`).click();
    await desk.waitForURL(`**/rooms/${room.id}`);
    const item = desk.locator(`.room-item[data-room-id="${quiet.id}"]`);
    await post(bo, 'Lunch anyone?', quiet.id);
    await post(bo, 'I found a new lab', quiet.id);
    await item.locator('.quiet-dot').waitFor();
    await item.locator('.room-item-last', { hasText: 'I found a new lab' }).waitFor();
    expect(await item.locator('.badge:not(.badge-mention)').count()).toBe(0);

    await post(bo, `@${ann.username} your prints are ready`, quiet.id);
    await item.locator('.badge-mention', { hasText: '1' }).waitFor();
    expect(await item.locator('.badge:not(.badge-mention)').count()).toBe(0);
  });
});
