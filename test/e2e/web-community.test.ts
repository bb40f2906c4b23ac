/**
 * Community life in the web client (issue #21), in a real browser against a real gateway: a
 * 1-place meetup with a waitlist promoted live and its address shown only to the one confirmed,
 * the safety checklist on a first RSVP, a 接龙 two members add to, a poll whose bars move in the
 * other window, and the must-read rules stopping a message until they are accepted (and saying
 * how long the newcomer probation runs after accepting); a member proposing a meetup the owner
 * approves, seen live as a card; a meetup reminder popping up for the attendee only. One member
 * on a desktop in English, one on a 390 px phone in 简体中文.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createRoom, joinRoom, signUp, uniqueName, type TestUser } from '../helpers/clients.ts';
import { DESKTOP, PHONE, useWebSuite, type PageOptions } from '../helpers/web-pages.ts';
import { startDailyChallenge } from '../helpers/rooms.ts';
import type { Room } from '../../shared/schemas.ts';

let owner: TestUser;
let mei: TestUser;
let lin: TestUser;
let room: Room;
// Reminders are looked for five times a second, so a meetup's 1 h reminder comes within the test.
const web = useWebSuite({ server: { env: { MEETUP_REMINDER_TICK_MS: '200' } } });

beforeAll(async () => {
  owner = await signUp(web.server.url, uniqueName('owner'));
  mei = await signUp(web.server.url, uniqueName('mei'));
  lin = await signUp(web.server.url, uniqueName('lin'));
  room = await createRoom(web.server.url, owner, { name: 'Weekend hikers', topic: 'Trails around the city', tags: ['outdoors'] });
  // Members new to a room are on probation and may not RSVP yet; these two have been around.
  expect((await call(web.server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { probationSeconds: 0 } })).status).toBe(200);
  await joinRoom(web.server.url, mei, room.id);
  await joinRoom(web.server.url, lin, room.id);
}, 120_000);

const openAs = (user: TestUser, options: PageOptions = {}): Promise<Page> => web.open(user, { path: `/rooms/${room.id}`, ...options });
const desktop = (user: TestUser) => openAs(user, { locale: 'en-US', viewport: DESKTOP });
const phone = (user: TestUser) => openAs(user, { locale: 'zh-CN', viewport: PHONE });

/** How far the page, or the message list inside it, is wider than the screen (0: it fits). */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const timeline = document.querySelector('.timeline');
    const inside = timeline ? timeline.scrollWidth - timeline.clientWidth : 0;
    return Math.max(document.documentElement.scrollWidth - window.innerWidth, document.body.scrollWidth - window.innerWidth, inside);
  });

/** The card of the item whose title is `title`. */
const card = (page: Page, kind: string, title: string) => page.locator(`.community-card.card-${kind}`, { has: page.locator('.card-title', { hasText: title }) });

describe('a meetup with one place', () => {
  it('the second to RSVP waits, is promoted live when the first cancels, and only the confirmed one sees the address; the checklist comes first', async () => {
    const title = uniqueName('Sunrise hike');
    const address = 'Gate 3, 88 Xiangshan Rd, call 138-0000-0000';
    const startsAt = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
    const created = await call(web.server.url, 'POST', `/v1/rooms/${room.id}/events`, {
      token: owner.token,
      body: { title, startsAt, capacity: 1, place: { name: 'Fragrant Hills park', area: 'Haidian', detail: address } },
    });
    expect(created.status).toBe(201);

    const first = await desktop(mei);
    const second = await phone(lin);
    const meiCard = card(first, 'event', title);
    const linCard = card(second, 'event', title);
    await meiCard.waitFor();
    await linCard.waitFor();
    expect(await meiCard.innerText()).toContain('Fragrant Hills park');
    expect(await meiCard.innerText()).not.toContain('Gate 3');

    // Mei's first RSVP in the room: the meeting-safety checklist, then she is in.
    await meiCard.getByRole('button', { name: "I'm going" }).click();
    const checklist = first.getByRole('dialog', { name: /Meeting safely/ });
    await checklist.waitFor();
    expect(await checklist.locator('.checklist li').count()).toBeGreaterThanOrEqual(4);
    await checklist.getByRole('button', { name: 'I have read this' }).click();
    await meiCard.locator('.meetup-status.status-confirmed').waitFor();
    await meiCard.locator('.meetup-detail', { hasText: 'Gate 3' }).waitFor();
    await meiCard.locator('.meetup-counts', { hasText: '1/1 going' }).waitFor();

    // Lin sees the head count move, and joins the waitlist (her checklist first, too).
    await linCard.locator('.meetup-counts', { hasText: '1/1' }).waitFor();
    await linCard.getByRole('button', { name: '加入候补' }).click();
    const linChecklist = second.getByRole('dialog', { name: /安全见面/ });
    await linChecklist.waitFor();
    // The standard lines in her language.
    await linChecklist.locator('.checklist li', { hasText: '公共场所' }).waitFor();
    await linChecklist.getByRole('button', { name: '我已阅读' }).click();
    await linCard.locator('.meetup-status.status-waitlisted', { hasText: '第 1 位' }).waitFor();
    await meiCard.locator('.meetup-counts', { hasText: '1 waiting' }).waitFor();
    expect(await linCard.locator('.meetup-detail').count()).toBe(0);
    expect(await second.locator('.timeline').innerText()).not.toContain('Gate 3');
    expect(await overflow(second), 'the meetup card on a phone').toBeLessThanOrEqual(0);

    // Mei cancels; Lin is promoted at once, and now she, not Mei, has the address.
    await meiCard.getByRole('button', { name: 'Cancel my RSVP' }).click();
    await first.getByRole('dialog').getByRole('button', { name: 'Cancel my RSVP' }).click();
    await linCard.locator('.meetup-status.status-confirmed', { hasText: '你已确认参加' }).waitFor();
    await linCard.locator('.meetup-detail', { hasText: 'Gate 3' }).waitFor();
    await meiCard.getByRole('button', { name: "I'm going" }).or(meiCard.getByRole('button', { name: 'Join the waitlist' })).waitFor();
    expect(await meiCard.locator('.meetup-detail').count()).toBe(0);

    // A second RSVP in the same room asks for no checklist again.
    await meiCard.getByRole('button', { name: 'Join the waitlist' }).click();
    await meiCard.locator('.meetup-status.status-waitlisted', { hasText: '#1' }).waitFor();
    expect(await first.getByRole('dialog').count()).toBe(0);

    // The Events section lists it.
    await second.getByRole('button', { name: '群信息' }).click();
    await second.locator('.panel .panel-section > summary', { hasText: '活动' }).click();
    await second.locator('.upcoming-event', { hasText: title }).waitFor();
  });
});

describe('a 接龙 sign-up list', () => {
  it('two members add themselves, seen live in both windows, numbered 1..n, and the numbers close up when one leaves', async () => {
    const title = uniqueName('Picnic');
    expect((await call(web.server.url, 'POST', `/v1/rooms/${room.id}/signups`, { token: owner.token, body: { title, template: 'name + how many' } })).status).toBe(201);
    const a = await desktop(mei);
    const b = await phone(lin);
    const aCard = card(a, 'signup', title);
    const bCard = card(b, 'signup', title);
    await aCard.waitFor();
    await bCard.waitFor();

    await aCard.locator('.signup-text-input').fill('+2 with my sister');
    await aCard.getByRole('button', { name: 'Add me' }).click();
    await bCard.locator('.signup-entry[data-position="1"]', { hasText: '+2 with my sister' }).waitFor();
    await bCard.getByRole('button', { name: '我要接龙' }).click();
    await aCard.locator('.signup-entry[data-position="2"]').waitFor();
    await bCard.locator('.signup-entry[data-position="2"]').waitFor();
    expect(await aCard.locator('.signup-position').allInnerTexts()).toEqual(['1.', '2.']);

    // Mei takes herself off: Lin moves up to 1 in both windows.
    await aCard.getByRole('button', { name: 'Take me off' }).click();
    await a.getByRole('dialog').getByRole('button', { name: 'Take me off' }).click();
    await bCard.locator('.signup-entry.mine[data-position="1"]').waitFor();
    await aCard.locator('.signup-entry[data-position="1"]').waitFor();
    expect(await aCard.locator('.signup-entry').count()).toBe(1);
    expect(await overflow(b), 'the list on a phone').toBeLessThanOrEqual(0);
  });
});

describe('a poll', () => {
  it('is created from the composer’s + menu (a repeated option is pointed out first); a vote moves the bars in the other window', async () => {
    const question = uniqueName('Which trail');
    const a = await desktop(owner);
    const b = await phone(mei);
    await a.locator('.messages').waitFor();
    await a.getByRole('button', { name: /Start a sign-up list/ }).click();
    await a.getByRole('menuitem', { name: 'Poll' }).click();
    const form = a.getByRole('dialog', { name: 'Poll' });
    await form.locator('input[name="question"]').fill(question);
    await form.locator('input[name="options.0"]').fill('West ridge');
    await form.locator('input[name="options.1"]').fill('west ridge ');
    await form.getByRole('button', { name: 'Post' }).click();
    await form.locator('.field-error[data-field="options.1"]').waitFor();
    await form.locator('input[name="options.1"]').fill('Lake loop');
    await form.getByRole('button', { name: 'Post' }).click();
    await form.waitFor({ state: 'detached' });

    const aCard = card(a, 'poll', question);
    const bCard = card(b, 'poll', question);
    await aCard.waitFor();
    await bCard.waitFor();
    await bCard.locator('.poll-option', { hasText: 'Lake loop' }).getByRole('radio').click();
    await bCard.locator('.poll-option.chosen', { hasText: 'Lake loop' }).waitFor();
    const lake = aCard.locator('.poll-option[data-votes="1"]', { hasText: 'Lake loop' });
    await lake.waitFor();
    expect(await lake.locator('.poll-fill').evaluate((el) => (el as HTMLElement).style.width)).toBe('100%');
    await aCard.locator('.poll-voters', { hasText: 'Voted: 1' }).waitFor();

    // She changes her mind: both bars move again.
    await bCard.locator('.poll-option', { hasText: 'West ridge' }).getByRole('radio').click();
    await aCard.locator('.poll-option[data-votes="1"]', { hasText: 'West ridge' }).waitFor();
    await aCard.locator('.poll-option[data-votes="0"]', { hasText: 'Lake loop' }).waitFor();
  });
});

describe('a check-in challenge, by keyboard', () => {
  it('today’s check-in from the keyboard, my streak, the other window’s count, and the leaderboard', async () => {
    const title = uniqueName('21 days of running');
    const created = await startDailyChallenge(web.server.url, lin, room.id, title);
    expect(created.status).toBe(201);
    const a = await desktop(mei);
    const b = await phone(lin);
    const aCard = card(a, 'challenge', title);
    const bCard = card(b, 'challenge', title);
    await aCard.waitFor();
    await bCard.waitFor();

    // The message is one tab stop: Enter goes into the card, Tab moves inside the message.
    await a.locator('.messages > li', { has: aCard }).focus();
    await a.keyboard.press('Enter');
    expect(await a.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('What you did (optional)');
    await a.keyboard.press('Tab');
    expect(await a.evaluate(() => document.activeElement?.textContent)).toContain('Check in today');
    await a.keyboard.press('Shift+Tab');
    expect(await a.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('What you did (optional)');
    await a.keyboard.type('5 km along the river');
    await a.keyboard.press('Enter');
    await aCard.locator('.challenge-done', { hasText: 'Checked in today' }).waitFor();
    await aCard.locator('.challenge-streak', { hasText: '1 day' }).waitFor();
    await bCard.locator('.challenge-counts', { hasText: '1' }).waitFor();
    expect(await bCard.locator('.challenge-counts').innerText()).toMatch(/1\D+1/);

    // After a reload the page still knows today is done (the leaderboard's latest period).
    await a.reload();
    await aCard.locator('.challenge-done').waitFor();
    await aCard.getByRole('button', { name: /Leaderboard/ }).click();
    const board = a.getByRole('dialog', { name: /Leaderboard/ });
    await board.locator('.leaders li.mine').waitFor();
    await a.keyboard.press('Escape');
    await board.waitFor({ state: 'detached' });
  });
});

describe('creating a meetup', () => {
  it('the staff’s form checks the times here and shows the server’s coded refusal next to its field', async () => {
    const page = await phone(owner);
    await page.locator('.messages').waitFor();
    await page.locator('.create-button').focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-kind') === 'signup');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-kind'))).toBe('event');
    await page.keyboard.press('Enter');
    const form = page.getByRole('dialog', { name: '线下活动' });
    const local = (ms: number) => {
      const d = new Date(Date.now() + ms);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    };
    const title = uniqueName('Night walk');
    await form.locator('input[name="title"]').fill(title);
    await form.locator('input[name="place.name"]').fill('the old city wall');
    await form.locator('input[name="startsAt"]').fill(local(-3600_000));
    await form.getByRole('button', { name: '发布' }).click();
    await form.locator('.field-error[data-field="startsAt"]').waitFor();
    await form.locator('input[name="startsAt"]').fill(local(2 * 86400_000));
    await form.locator('input[name="endsAt"]').fill(local(86400_000));
    await form.getByRole('button', { name: '发布' }).click();
    await form.locator('.field-error[data-field="endsAt"]').waitFor();
    expect(await form.locator('.field-error[data-field="startsAt"]').count()).toBe(0);
    await form.locator('input[name="endsAt"]').fill('');
    // More places than the room may have members: only the server knows the limit.
    await form.locator('input[name="capacity"]').fill('5000');
    await form.getByRole('button', { name: '发布' }).click();
    await form.locator('.field-error[data-field="capacity"]').waitFor();
    expect(await form.locator('input[name="capacity"]').getAttribute('aria-invalid')).toBe('true');
    await form.locator('input[name="capacity"]').fill('8');
    await form.locator('input[name="place.detail"]').fill('North gate, 7 pm');
    await form.getByRole('button', { name: '发布' }).click();
    await form.waitFor({ state: 'detached' });
    const created = card(page, 'event', title);
    await created.waitFor();
    // Staff see the exact place on their own card.
    await created.locator('.meetup-detail', { hasText: 'North gate' }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
  });
});

describe('must-read rules', () => {
  it('are shown on joining; a message sent without accepting is refused, the rules come up, and accepting sends it', async () => {
    const strict = await createRoom(web.server.url, owner, { name: uniqueName('Strict club') });
    const rules = 'Be kind. No ads. Meet in public places.';
    expect((await call(web.server.url, 'PUT', `/v1/rooms/${strict.id}/rules`, { token: owner.token, body: { text: rules, requireAcceptance: true } })).status).toBe(200);
    const newcomer = await signUp(web.server.url, uniqueName('newcomer'));
    const page = await web.open(newcomer, { path: `/rooms/${strict.id}`, locale: 'en-US', viewport: PHONE });
    await page.locator('.join-bar').getByRole('button', { name: 'Join' }).click();

    const dialog = page.getByRole('dialog', { name: /Room rules/ });
    await dialog.locator('.rules-text', { hasText: 'No ads' }).waitFor();
    // Probation counts from accepting: the dialog says what it holds back, and for how long (the default 600 s).
    await dialog.locator('.rules-probation', { hasText: 'For 10 minutes after you accept the rules' }).waitFor();
    expect(await dialog.locator('.rules-probation').innerText()).toContain('cannot join meetups');
    await dialog.getByRole('button', { name: 'Not now' }).click();
    await page.locator('.rules-bar').waitFor();

    // Taking part is speaking too: a vote is refused, and the rules come up again.
    const question = uniqueName('Meet on');
    expect((await call(web.server.url, 'POST', `/v1/rooms/${strict.id}/polls`, { token: owner.token, body: { question, options: ['Saturday', 'Sunday'] } })).status).toBe(201);
    const poll = card(page, 'poll', question);
    await poll.getByRole('radio', { name: /Sunday/ }).click();
    await dialog.waitFor();
    await poll.locator('.error-line').waitFor();
    await dialog.getByRole('button', { name: 'Not now' }).click();
    await dialog.waitFor({ state: 'detached' });

    const text = uniqueName('hello everyone');
    await page.locator('#composer-input').fill(text);
    await page.locator('#composer-input').press('Enter');
    await page.locator('.pending.status-failed .send-error[data-code="RULES_NOT_ACCEPTED"]').waitFor();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'I accept' }).click();
    await page.locator('.messages li.message:not(.pending) .bubble', { hasText: text }).waitFor();
    expect(await page.locator('.pending').count()).toBe(0);
    expect(await page.locator('.rules-bar').count()).toBe(0);
    const accepted = await call(web.server.url, 'GET', `/v1/rooms/${strict.id}/rules`, { token: newcomer.token });
    expect(accepted.body).toMatchObject({ acceptedVersion: 1, mustAccept: false });
  });
});

describe('a meetup a member proposes', () => {
  it('the member proposes it from the Events tab, the owner approves it there, and the member sees the card arrive live', async () => {
    const proposing = await createRoom(web.server.url, owner, { name: uniqueName('Board gamers') });
    expect((await call(web.server.url, 'PUT', `/v1/rooms/${proposing.id}/safety`, { token: owner.token, body: { probationSeconds: 0 } })).status).toBe(200);
    await joinRoom(web.server.url, mei, proposing.id);
    const member = await web.open(mei, { path: `/rooms/${proposing.id}`, locale: 'en-US', viewport: DESKTOP });
    const staff = await web.open(owner, { path: `/rooms/${proposing.id}`, locale: 'zh-CN', viewport: PHONE });
    await member.locator('.messages').waitFor();
    await member.getByRole('button', { name: 'Room info' }).click();
    await member.locator('.panel .panel-section > summary', { hasText: 'Events' }).click();
    await member.locator('.panel .panel-section[open]', { hasText: 'No upcoming meetups' }).waitFor();
    // By default only staff make meetups: no way for Mei to propose one.
    expect(await member.getByRole('button', { name: /Propose a meetup/ }).count()).toBe(0);

    // The owner lets members propose; Mei's page hears of the setting and offers it.
    expect((await call(web.server.url, 'PATCH', `/v1/rooms/${proposing.id}`, { token: owner.token, body: { membersProposeEvents: true } })).body.room.membersProposeEvents).toBe(true);
    await member.getByRole('button', { name: /Propose a meetup/ }).click();
    const form = member.getByRole('dialog', { name: 'Propose a meetup' });
    const title = uniqueName('Catan evening');
    const local = (ms: number) => {
      const d = new Date(Date.now() + ms);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    };
    await form.locator('input[name="title"]').fill(title);
    await form.locator('input[name="place.name"]').fill('the board game café');
    await form.locator('input[name="place.detail"]').fill('2F, 31 Nanjing Rd');
    await form.locator('input[name="startsAt"]').fill(local(3 * 86400_000));
    await form.getByRole('button', { name: 'Send for approval' }).click();
    await form.waitFor({ state: 'detached' });
    await member.locator('.meetup-popup', { hasText: 'Sent to the owner and admins' }).waitFor();
    await member.locator('.meetup-proposal', { hasText: title }).waitFor();
    expect(await card(member, 'event', title).count()).toBe(0);

    // The owner, on a phone in Chinese, is shown something waits for them (the staff badge), finds it in
    // the Events section, place and all, and approves it.
    await staff.locator('.staff-badge', { hasText: '1' }).waitFor();
    await staff.getByRole('button', { name: '群信息' }).click();
    await staff.locator('.panel .panel-section > summary', { hasText: '活动' }).click();
    const waiting = staff.locator('.meetup-proposal', { hasText: title });
    await waiting.waitFor();
    expect(await waiting.innerText()).toContain('2F, 31 Nanjing Rd');
    expect(await overflow(staff), 'the proposals on a phone').toBeLessThanOrEqual(0);
    await waiting.getByRole('button', { name: '通过', exact: true }).click();
    await waiting.waitFor({ state: 'detached' });

    // Mei sees the card arrive live, as hers, and is told.
    const arrived = card(member, 'event', title);
    await arrived.waitFor();
    expect(await arrived.innerText()).toContain('the board game café');
    await member.locator('.meetup-popup', { hasText: `Your meetup “${title}” was approved` }).waitFor();
    await member.locator('.meetup-proposal', { hasText: title }).waitFor({ state: 'detached' });
    expect(await member.locator('.messages li', { has: arrived }).getAttribute('class')).toContain('mine');

    // A second one the owner turns down, saying why: Mei reads the reason; no card.
    const declined = uniqueName('Werewolf night');
    const second = await call(web.server.url, 'POST', `/v1/rooms/${proposing.id}/events`, { token: mei.token, body: { title: declined, startsAt: new Date(Date.now() + 5 * 86400_000).toISOString(), place: { name: 'the park' } } });
    expect(second.body.event.status).toBe('proposed');
    const next = staff.locator('.meetup-proposal', { hasText: declined });
    await next.getByRole('button', { name: '不通过' }).click();
    const reject = staff.getByRole('dialog', { name: new RegExp(declined) });
    await reject.locator('textarea[name="reason"]').fill('同一天已经有活动了');
    await reject.getByRole('button', { name: '不通过' }).click();
    await reject.waitFor({ state: 'detached' });
    await next.waitFor({ state: 'detached' });
    const told = member.locator('.meetup-popup', { hasText: `Your meetup “${declined}” was not approved` });
    await told.waitFor();
    expect(await told.innerText()).toContain('Reason: 同一天已经有活动了');
    expect(await card(member, 'event', declined).count()).toBe(0);
  });
});

describe('a meetup reminder', () => {
  it('pops up for the confirmed attendee an hour before, with the place and a button to the meetup, and not for anyone else', async () => {
    const attendee = await phone(lin);
    const other = await desktop(mei);
    await attendee.locator('.messages').waitFor();
    await other.locator('.messages').waitFor();
    const title = uniqueName('Lantern walk');
    // Starts in an hour and four seconds: its 1 h reminder is due four seconds from now.
    const startsAt = new Date(Date.now() + 3600_000 + 4000).toISOString();
    const event = (await call(web.server.url, 'POST', `/v1/rooms/${room.id}/events`, { token: owner.token, body: { title, startsAt, place: { name: 'the old town gate', detail: 'East gate, by the lion statues' } } })).body.event;
    expect((await call(web.server.url, 'POST', `/v1/events/${event.id}/rsvp`, { token: lin.token, body: { going: true, checklistSeen: true } })).body.rsvp.status).toBe('confirmed');

    const popup = attendee.locator(`.meetup-popup.popup-reminder[data-event-id="${event.id}"]`);
    await popup.waitFor({ timeout: 20_000 });
    expect(await popup.innerText()).toContain(`活动还有 1 小时开始：${title} · the old town gate`);
    expect(await popup.innerText()).toContain('East gate');
    expect(await overflow(attendee), 'the popup on a phone').toBeLessThanOrEqual(0);
    const box = await popup.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);

    // The room hears of it (a system message), but only the attendee gets the popup.
    await other.locator('.messages li', { hasText: title }).last().waitFor();
    await other.waitForTimeout(500);
    expect(await other.locator('.meetup-popup').count()).toBe(0);

    // Its button opens the meetup; the popup goes.
    await popup.getByRole('button', { name: '查看' }).click();
    await popup.waitFor({ state: 'detached' });
    await attendee.locator('.messages li.flash', { has: card(attendee, 'event', title) }).waitFor();
  });
});
