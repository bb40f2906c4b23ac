/**
 * Room visibility (public, unlisted, private), look before joining, and the group QR code, seen
 * from outside: what a stranger, a member, and someone holding an invite can find and read.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { call, joinRoom, postMessage, signUp, uniqueName, type TestUser } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function create(owner: TestUser, body: Record<string, unknown>) {
  const reply = await call(server.url, 'POST', '/v1/rooms', { token: owner.token, body: { name: 'Room', ...body } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.room;
}

const idsOf = (reply: { body: { rooms: Array<{ id: string }> } }) => reply.body.rooms.map((r) => r.id);

async function decodeQr(png: Buffer): Promise<string[]> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
  prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer } });
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const results = await readBarcodes({ data: new Uint8ClampedArray(data), width: info.width, height: info.height, colorSpace: 'srgb' } as ImageData, { formats: ['QRCode'] });
  return results.map((r) => r.text);
}

describe('room visibility', () => {
  it('is in every room card, public by default, and refuses a value it does not know', async () => {
    const owner = await signUp(server.url);
    const room = await create(owner, {});
    expect(room).toMatchObject({ visibility: 'public', preview: false, membersCanForward: true });

    const bad = await call(server.url, 'POST', '/v1/rooms', { token: owner.token, body: { name: 'Secret', visibility: 'hidden' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const badPatch = await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { visibility: 'secret' } });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.code).toBe('VALIDATION_FAILED');
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token })).body.room.visibility).toBe('public');

    const me = await call(server.url, 'GET', '/v1/me', { token: owner.token });
    expect(me.body.rooms.find((r: any) => r.id === room.id)).toMatchObject({ visibility: 'public', preview: false });
  });

  it('never lists an unlisted or private room in GET /v1/rooms, for anyone, by name, topic or tag', async () => {
    const owner = await signUp(server.url);
    const member = await signUp(server.url);
    const stranger = await signUp(server.url);
    const marker = uniqueName('vis');
    const fields = { name: `Darkroom ${marker}`, topic: `Developing ${marker} at home`, tags: [marker] };
    const pub = await create(owner, fields);
    const unlisted = await create(owner, { ...fields, visibility: 'unlisted' });
    const priv = await create(owner, { ...fields, visibility: 'private' });
    // Was public and listed, then hidden by staff later.
    const later = await create(owner, fields);
    await joinRoom(server.url, member, later.id);
    const invite = await call(server.url, 'POST', `/v1/rooms/${priv.id}/invites`, { token: owner.token, body: {} });
    expect((await call(server.url, 'POST', `/v1/invites/${invite.body.invite.code}/accept`, { token: member.token })).status).toBe(200);
    await joinRoom(server.url, member, unlisted.id);
    const patched = await call(server.url, 'PATCH', `/v1/rooms/${later.id}`, { token: owner.token, body: { visibility: 'private' } });
    expect(patched.status).toBe(200);
    expect(patched.body.room.visibility).toBe('private');

    const queries = [`?q=${encodeURIComponent(marker)}`, `?q=${encodeURIComponent(`darkroom ${marker}`)}`, `?q=${encodeURIComponent(`developing ${marker}`)}`, `?tag=${marker}`, '?limit=100'];
    // Owner, members and strangers alike: only the public room is ever listed.
    for (const who of [owner, member, stranger]) {
      for (const query of queries) {
        const found = await call(server.url, 'GET', `/v1/rooms${query}`, { token: who.token });
        expect(found.status).toBe(200);
        expect(idsOf(found)).not.toContain(unlisted.id);
        expect(idsOf(found)).not.toContain(priv.id);
        expect(idsOf(found)).not.toContain(later.id);
        if (query !== '?limit=100') expect(idsOf(found)).toEqual([pub.id]);
      }
    }
  });

  it("shows a private room's card only to its members and with a valid invite; an unlisted room's to anyone with its id", async () => {
    const owner = await signUp(server.url);
    const stranger = await signUp(server.url);
    const priv = await create(owner, { name: 'Family', visibility: 'private' });
    const unlisted = await create(owner, { name: 'Friends', visibility: 'unlisted' });

    for (const path of [`/v1/rooms/${priv.id}`, `/v1/rooms/${priv.id}/members`, `/v1/rooms/${priv.id}/messages`, `/v1/rooms/${priv.id}/preview`]) {
      const reply = await call(server.url, 'GET', path, { token: stranger.token });
      expect(reply.status, path).toBe(404);
      expect(reply.body.error.code, path).toBe('ROOM_NOT_FOUND');
    }
    const join = await call(server.url, 'POST', `/v1/rooms/${priv.id}/join`, { token: stranger.token });
    expect(join.body.error.code).toBe('ROOM_NOT_FOUND');
    expect((await call(server.url, 'GET', `/v1/rooms/${priv.id}`, { token: owner.token })).body.room.name).toBe('Family');

    const invite = (await call(server.url, 'POST', `/v1/rooms/${priv.id}/invites`, { token: owner.token, body: {} })).body.invite;
    const card = await call(server.url, 'GET', `/v1/invites/${invite.code}`, { token: stranger.token });
    expect(card.status).toBe(200);
    expect(card.body.room).toMatchObject({ id: priv.id, name: 'Family', visibility: 'private' });
    await call(server.url, 'DELETE', `/v1/rooms/${priv.id}/invites/${invite.id}`, { token: owner.token });
    expect((await call(server.url, 'GET', `/v1/invites/${invite.code}`, { token: stranger.token })).body.error.code).toBe('INVITE_INVALID');

    expect((await call(server.url, 'GET', `/v1/rooms/${unlisted.id}`, { token: stranger.token })).body.room).toMatchObject({ name: 'Friends', visibility: 'unlisted' });
    expect((await call(server.url, 'POST', `/v1/rooms/${unlisted.id}/join`, { token: stranger.token })).status).toBe(200);
  });

  it('lets the owner and admins change visibility and preview, not members', async () => {
    const owner = await signUp(server.url);
    const member = await signUp(server.url);
    const room = await create(owner, {});
    await joinRoom(server.url, member, room.id);
    const refused = await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: member.token, body: { visibility: 'unlisted' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: member.token })).body.room.visibility).toBe('public');
  });
});

describe('look before joining', () => {
  it('shows a signed-in non-member the newest 50 messages and the announcement, with nothing about members', async () => {
    const owner = await signUp(server.url);
    const member = await signUp(server.url);
    const visitor = await signUp(server.url);
    const room = await create(owner, { name: 'Film photography', visibility: 'public', preview: true });
    await joinRoom(server.url, member, room.id);
    await call(server.url, 'POST', `/v1/rooms/${room.id}/announcement`, { token: owner.token, body: { text: 'Photo walk on Saturday' } });
    for (let i = 1; i <= 52; i += 1) {
      const sent = await postMessage(server.url, owner, room.id, i === 52 ? `@${member.username} last one` : `message ${i}`);
      expect(sent.status).toBe(201);
    }
    expect((await postMessage(server.url, member, room.id, 'glad to be here')).status).toBe(201);
    const first = (await call(server.url, 'GET', `/v1/rooms/${room.id}/messages?limit=1`, { token: owner.token })).body.messages[0];
    await call(server.url, 'POST', `/v1/rooms/${room.id}/messages/${first.seq}/reactions`, { token: member.token, body: { emoji: '👍' } });

    const preview = await call(server.url, 'GET', `/v1/rooms/${room.id}/preview`, { token: visitor.token });
    expect(preview.status).toBe(200);
    expect(Object.keys(preview.body).sort()).toEqual(['announcement', 'messages', 'room']);
    expect(preview.body.room).toMatchObject({ id: room.id, preview: true });
    expect(preview.body.announcement).toMatchObject({ text: 'Photo walk on Saturday' });
    const texts = preview.body.messages.map((m: any) => m.text);
    expect(texts).toHaveLength(50);
    expect(texts[0]).toBe('message 4');
    expect(texts.slice(-2)).toEqual([`@${member.username} last one`, 'glad to be here']);
    // No join lines, no one's mentions or client ids, no reactions.
    for (const message of preview.body.messages) {
      expect(message.kind).toBe('text');
      expect(message.mentions).toEqual([]);
      expect(message.clientMsgId).toBeNull();
      expect(message).not.toHaveProperty('reactions');
    }
    // Read-only: the visitor is still not a member.
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: visitor.token })).body.error.code).toBe('NOT_A_MEMBER');
    expect((await postMessage(server.url, visitor, room.id, 'hello')).body.error.code).toBe('NOT_A_MEMBER');
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/members`, { token: visitor.token })).body.error.code).toBe('NOT_A_MEMBER');
  });

  it('answers 403 NOT_A_MEMBER when preview is off or the room is unlisted, 404 for a private room; staff turn it off', async () => {
    const owner = await signUp(server.url);
    const visitor = await signUp(server.url);
    const closed = await create(owner, {});
    const unlisted = await create(owner, { visibility: 'unlisted', preview: true });
    const priv = await create(owner, { visibility: 'private', preview: true });
    const open = await create(owner, { preview: true });
    for (const [room, status, code] of [
      [closed, 403, 'NOT_A_MEMBER'],
      [unlisted, 403, 'NOT_A_MEMBER'],
      [priv, 404, 'ROOM_NOT_FOUND'],
    ] as const) {
      const reply = await call(server.url, 'GET', `/v1/rooms/${room.id}/preview`, { token: visitor.token });
      expect(reply.status).toBe(status);
      expect(reply.body.error.code).toBe(code);
    }
    expect((await call(server.url, 'GET', `/v1/rooms/${open.id}/preview`, { token: visitor.token })).status).toBe(200);
    expect((await call(server.url, 'GET', `/v1/rooms/${open.id}/preview`)).status).toBe(401);

    const off = await call(server.url, 'PATCH', `/v1/rooms/${open.id}`, { token: owner.token, body: { preview: false } });
    expect(off.body.room.preview).toBe(false);
    expect((await call(server.url, 'GET', `/v1/rooms/${open.id}/preview`, { token: visitor.token })).body.error.code).toBe('NOT_A_MEMBER');
  });
});

describe('group QR code', () => {
  it('renders the invite link as a PNG that scans, and stops when the invite does', async () => {
    const owner = await signUp(server.url);
    const room = await create(owner, { visibility: 'private' });
    const invite = (await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: owner.token, body: { maxUses: 1 } })).body.invite;

    // No token: an <img> cannot send one, and the code is the credential.
    const response = await fetch(`${server.url}/v1/invites/${invite.code}/qr.png`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const png = Buffer.from(await response.arrayBuffer());
    expect(await decodeQr(png)).toEqual([`${server.url}/invite/${invite.code}`]);

    const guest = await signUp(server.url);
    expect((await call(server.url, 'POST', `/v1/invites/${invite.code}/accept`, { token: guest.token })).status).toBe(200);
    const usedUp = await fetch(`${server.url}/v1/invites/${invite.code}/qr.png`);
    expect(usedUp.status).toBe(404);
    expect((await usedUp.json()).error.code).toBe('INVITE_INVALID');

    const revoked = (await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: owner.token, body: { expiresInSeconds: 3600 } })).body.invite;
    expect((await fetch(`${server.url}/v1/invites/${revoked.code}/qr.png`)).status).toBe(200);
    await call(server.url, 'DELETE', `/v1/rooms/${room.id}/invites/${revoked.id}`, { token: owner.token });
    expect((await fetch(`${server.url}/v1/invites/${revoked.code}/qr.png`)).status).toBe(404);
    expect((await fetch(`${server.url}/v1/invites/nosuchcode1/qr.png`)).status).toBe(404);
  });
});
