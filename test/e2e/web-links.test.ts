/**
 * Links and recalls as members see them in the web client, two browsers in one room: a link in a
 * message is a link that opens in a new tab without handing over the page (rel noopener), and the
 * card the server fetched (from a local site this test starts, allowed only by the test-only
 * LINK_PREVIEW_ALLOW_LOOPBACK) appears under it live, naming the host it really leads to; an
 * admin's removal of a member's message is said as such, to the member and to everyone else —
 * not as the member's own recall — also after a reload.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createRoom, joinRoom, signUp, type TestUser } from '../helpers/clients.ts';
import { useWebSuite } from '../helpers/web-pages.ts';

const web = useWebSuite({ server: { env: { LINK_PREVIEW_ALLOW_LOOPBACK: 'true' } }, expectCleanPages: false });
let site: http.Server;
let siteUrl: string;

beforeAll(async () => {
  site = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<html><head><meta property="og:title" content="Perseids 2026: where to watch"><meta property="og:description" content="Dark-sky spots within an hour of the city"><meta property="og:site_name" content="Sky Club"></head><body></body></html>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});

afterAll(async () => {
  site?.closeAllConnections();
  await new Promise((resolve) => site?.close(resolve));
});

async function openAs(user: TestUser, roomId: string): Promise<Page> {
  const page = await web.open(user, { path: `/rooms/${roomId}`, stepTimeoutMs: 8_000 });
  await page.locator('#composer-input').waitFor();
  return page;
}

describe('links and recalls in the web client', () => {
  it('a link opens safely with its preview card; an admin’s removal is said as one', async () => {
    const owner = await signUp(web.server.url);
    const member = await signUp(web.server.url);
    const room = await createRoom(web.server.url, owner, { name: 'Night sky' });
    expect((await call(web.server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { probationSeconds: 0 } })).status).toBe(200);
    await joinRoom(web.server.url, member, room.id);
    const [ownerPage, memberPage] = [await openAs(owner, room.id), await openAs(member, room.id)];

    const url = `${siteUrl}/perseids`;
    const sent = await call(web.server.url, 'POST', `/v1/rooms/${room.id}/messages`, { token: member.token, body: { text: `Meteor shower guide: ${url} — who is in?`, clientMsgId: 'link-1' } });
    expect(sent.status).toBe(201);

    const message = ownerPage.locator(`.message[data-seq="${sent.body.message.seq}"]`);
    const link = message.locator('.bubble a', { hasText: url });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(url);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect((await link.getAttribute('rel'))?.split(' ')).toEqual(expect.arrayContaining(['noopener', 'noreferrer', 'nofollow']));

    const card = message.locator('.link-preview');
    await card.waitFor();
    expect(await card.locator('.link-preview-title').textContent()).toBe('Perseids 2026: where to watch');
    expect(await card.locator('.link-preview-site').textContent()).toBe('Sky Club · 127.0.0.1');
    expect(await card.locator('.link-preview-description').textContent()).toBe('Dark-sky spots within an hour of the city');
    // Nothing from the other site is loaded into the page.
    expect(await card.locator('img').count()).toBe(0);

    // The owner removes it: not the member's own recall.
    expect((await call(web.server.url, 'POST', `/v1/rooms/${room.id}/messages/${sent.body.message.seq}/recall`, { token: owner.token })).status).toBe(200);
    await memberPage.locator('.recalled', { hasText: 'An admin recalled your message' }).waitFor();
    await ownerPage.locator('.recalled', { hasText: 'A message was recalled by an admin' }).waitFor();
    await memberPage.reload();
    await memberPage.locator('.recalled', { hasText: 'An admin recalled your message' }).waitFor();

    // A member's own recall still reads as theirs.
    const own = await call(web.server.url, 'POST', `/v1/rooms/${room.id}/messages`, { token: member.token, body: { text: 'typo', clientMsgId: 'own-1' } });
    expect((await call(web.server.url, 'POST', `/v1/rooms/${room.id}/messages/${own.body.message.seq}/recall`, { token: member.token })).status).toBe(200);
    await ownerPage.locator(`.recalled[data-seq="${own.body.message.seq}"]`, { hasText: `${member.displayName} recalled a message` }).waitFor();
  }, 60_000);
});
