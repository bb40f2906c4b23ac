/**
 * The media cookie through a real port: set by POST /v1/media-session, accepted by the
 * attachment byte routes only, refused when the request comes from another site, and worth
 * nothing once the session is signed out or the holder is not a member of the room.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createRoom, joinRoom, signUp, type TestUser } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { PNG_1X1 } from './media/fixtures.ts';

let server: TestServer;
let proxied: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  proxied = await startTestServer({ env: { TRUST_PROXY: 'true' } });
});
afterAll(async () => {
  await server?.close();
  await proxied?.close();
});

async function upload(base: string, user: TestUser, roomId: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(PNG_1X1)]), 'dot.png');
  const response = await fetch(`${base}/v1/rooms/${roomId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form });
  expect(response.status).toBe(201);
  return ((await response.json()) as { attachment: { id: string } }).attachment.id;
}

async function mediaCookie(base: string, user: TestUser, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${base}/v1/media-session`, { method: 'POST', headers: { authorization: `Bearer ${user.token}`, ...headers } });
  expect(response.status).toBe(204);
  return response.headers.get('set-cookie') ?? '';
}

/** What a browser page of the app sends for `<img src="/v1/attachments/…">`. */
function withCookie(cookie: string, headers: Record<string, string> = {}): Record<string, string> {
  return { cookie: cookie.split(';')[0]!, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image', ...headers };
}

async function roomWithPhoto(base = server.url): Promise<{ owner: TestUser; member: TestUser; roomId: string; id: string }> {
  const owner = await signUp(base);
  const member = await signUp(base);
  const room = await createRoom(base, owner);
  await joinRoom(base, member, room.id);
  return { owner, member, roomId: room.id, id: await upload(base, owner, room.id) };
}

describe('the media cookie', () => {
  it('is the session token, HttpOnly, SameSite=Strict and scoped to the attachment paths', async () => {
    const member = await signUp(server.url);
    const cookie = await mediaCookie(server.url, member);
    expect(cookie).toBe(`quanzi_media=${member.token}; HttpOnly; SameSite=Strict; Path=/v1/attachments; Max-Age=${400 * 86_400}`);
    // Plain http here: a Secure cookie would be dropped by the browser.
    expect(cookie).not.toContain('Secure');
  });

  it('is marked Secure when a trusted proxy says the browser came over https', async () => {
    const member = await signUp(proxied.url);
    expect(await mediaCookie(proxied.url, member, { 'x-forwarded-proto': 'https' })).toContain('; Secure');
    // Without TRUST_PROXY the same header is anyone's claim and changes nothing.
    const other = await signUp(server.url);
    expect(await mediaCookie(server.url, other, { 'x-forwarded-proto': 'https' })).not.toContain('Secure');
  });

  it('needs a bearer token to be set, and DELETE clears it', async () => {
    const refused = await call(server.url, 'POST', '/v1/media-session');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('UNAUTHENTICATED');
    const cleared = await fetch(`${server.url}/v1/media-session`, { method: 'DELETE' });
    expect(cleared.status).toBe(204);
    expect(cleared.headers.get('set-cookie')).toBe('quanzi_media=; HttpOnly; SameSite=Strict; Path=/v1/attachments; Max-Age=0');
  });

  it("loads a member's attachment with GET and HEAD, from the app's own pages", async () => {
    const { member, id } = await roomWithPhoto();
    const cookie = await mediaCookie(server.url, member);
    const image = await fetch(`${server.url}/v1/attachments/${id}`, { headers: withCookie(cookie) });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG_1X1)).toBe(true);
    const head = await fetch(`${server.url}/v1/attachments/${id}`, { method: 'HEAD', headers: withCookie(cookie) });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(PNG_1X1.length));
    // A video's seek: a range request from the page, with the page's own Origin.
    const range = await fetch(`${server.url}/v1/attachments/${id}`, { headers: withCookie(cookie, { range: 'bytes=0-7', origin: server.url, 'sec-fetch-dest': 'video' }) });
    expect(range.status).toBe(206);
    expect(Buffer.from(await range.arrayBuffer()).equals(PNG_1X1.subarray(0, 8))).toBe(true);
    // The person opening the link themselves (a new tab, a download opened again).
    const typed = await fetch(`${server.url}/v1/attachments/${id}`, { headers: withCookie(cookie, { 'sec-fetch-site': 'none', 'sec-fetch-dest': 'document' }) });
    expect(typed.status).toBe(200);
  });

  it('loads the thumbnail and the web rendition the same way, and refuses them from another site', async () => {
    const owner = await signUp(server.url);
    const room = await createRoom(server.url, owner);
    const picture = await sharp({ create: { width: 900, height: 600, channels: 3, background: { r: 10, g: 120, b: 200 } } }).png().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(picture)]), 'sky.png');
    const uploaded = (await (await fetch(`${server.url}/v1/rooms/${room.id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${owner.token}` }, body: form })).json()) as {
      attachment: { id: string; thumb?: unknown };
    };
    expect(uploaded.attachment.thumb).toBeDefined();
    const cookie = await mediaCookie(server.url, owner);
    for (const rendition of ['thumb', 'display']) {
      const ok = await fetch(`${server.url}/v1/attachments/${uploaded.attachment.id}/${rendition}`, { headers: withCookie(cookie) });
      expect(ok.status, rendition).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^image\//);
      expect(ok.headers.get('cache-control')).toBe('private, no-cache');
      const refused = await fetch(`${server.url}/v1/attachments/${uploaded.attachment.id}/${rendition}`, { headers: withCookie(cookie, { 'sec-fetch-site': 'cross-site' }) });
      expect(refused.status, rendition).toBe(403);
    }
  });

  it('is refused with CROSS_SITE_REFUSED from another site, and the bytes stay unsent', async () => {
    const { member, id } = await roomWithPhoto();
    const cookie = await mediaCookie(server.url, member);
    const foreign: Array<Record<string, string>> = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'same-origin', origin: 'http://127.0.0.1:1' }];
    for (const headers of foreign) {
      const response = await fetch(`${server.url}/v1/attachments/${id}`, { headers: withCookie(cookie, headers) });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code).toBe('CROSS_SITE_REFUSED');
    }
    // The bearer token is not a browser's ambient credential: it is not checked this way.
    const bearer = await fetch(`${server.url}/v1/attachments/${id}`, { headers: { authorization: `Bearer ${member.token}`, origin: 'https://tool.example' } });
    expect(bearer.status).toBe(200);
  });

  it("compares the Origin with the address the browser used when behind a trusted proxy", async () => {
    const { member, id } = await roomWithPhoto(proxied.url);
    const cookie = await mediaCookie(proxied.url, member);
    const proxiedHeaders = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example.org' };
    const ok = await fetch(`${proxied.url}/v1/attachments/${id}`, { headers: withCookie(cookie, { ...proxiedHeaders, origin: 'https://chat.example.org' }) });
    expect(ok.status).toBe(200);
    const foreign = await fetch(`${proxied.url}/v1/attachments/${id}`, { headers: withCookie(cookie, { ...proxiedHeaders, origin: 'http://chat.example.org' }) });
    expect(foreign.status).toBe(403);
  });

  it("shows a non-member nothing: the link in their browser is an unknown attachment", async () => {
    const { id } = await roomWithPhoto();
    const stranger = await signUp(server.url);
    const cookie = await mediaCookie(server.url, stranger);
    const response = await fetch(`${server.url}/v1/attachments/${id}`, { headers: withCookie(cookie) });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ATTACHMENT_NOT_FOUND');
  });

  it("lets a browser keep its copy only by asking again: 304 while a member, 404 once they left", async () => {
    const { member, roomId, id } = await roomWithPhoto();
    const cookie = await mediaCookie(server.url, member);
    const first = await fetch(`${server.url}/v1/attachments/${id}`, { headers: withCookie(cookie) });
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${server.url}/v1/attachments/${id}`, { headers: withCookie(cookie, { 'if-none-match': etag }) });
    expect(again.status).toBe(304);
    expect((await call(server.url, 'POST', `/v1/rooms/${roomId}/leave`, { token: member.token })).status).toBe(204);
    const gone = await fetch(`${server.url}/v1/attachments/${id}`, { headers: withCookie(cookie, { 'if-none-match': etag }) });
    expect(gone.status).toBe(404);
  });

  it('stops working the moment its session is signed out', async () => {
    const { member, id } = await roomWithPhoto();
    const cookie = await mediaCookie(server.url, member);
    expect((await fetch(`${server.url}/v1/attachments/${id}`, { headers: withCookie(cookie) })).status).toBe(200);
    const signOut = await fetch(`${server.url}/v1/sessions/current`, { method: 'DELETE', headers: { authorization: `Bearer ${member.token}` } });
    expect(signOut.status).toBe(204);
    expect(signOut.headers.get('set-cookie')).toContain('quanzi_media=;');
    const after = await fetch(`${server.url}/v1/attachments/${id}`, { headers: withCookie(cookie) });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });

  it('counts on the attachment routes only: the rest of the API ignores it', async () => {
    const { member, roomId } = await roomWithPhoto();
    const cookie = await mediaCookie(server.url, member);
    // Path=/v1/attachments keeps browsers from sending it here; a client that sends it anyway gains nothing.
    const history = await fetch(`${server.url}/v1/rooms/${roomId}/messages`, { headers: withCookie(cookie) });
    expect(history.status).toBe(401);
    const me = await fetch(`${server.url}/v1/media-session`, { method: 'POST', headers: withCookie(cookie) });
    expect(me.status).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as any;
    expect(doc.components.securitySchemes.mediaCookie).toEqual(expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'quanzi_media' }));
    expect(Object.keys(doc.paths['/v1/media-session']).sort()).toEqual(['delete', 'post']);
    expect(doc.paths['/v1/attachments/{id}'].get.security).toContainEqual({ mediaCookie: [] });
  });
});
