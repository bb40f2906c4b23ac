/**
 * Profiles and presence privacy through the real interface: PATCH /v1/me passes the safety
 * rules, an avatar is a picture the user uploaded (and anyone signed in may load it), the card
 * shows only what the user chose, and someone hiding their presence is never shown online.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, createRoom, joinRoom, signUp, sleep, uniqueName, waitFor } from '../helpers/clients.ts';
import { png, upload, wav } from '../helpers/attachments.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('profiles', () => {
  it('changes name, bio and avatar; a stranger sees the card and loads the avatar', async () => {
    const mei = await signUp(server.url);
    const stranger = await signUp(server.url);
    const room = await createRoom(server.url, mei);
    const picture = await upload(server.url, mei, room.id, png(uniqueName()), 'me.png');
    const reply = await call(server.url, 'PATCH', '/v1/me', { token: mei.token, body: { displayName: ' 梅 Mei ', bio: '胶片摄影 / film photography', avatarAttachmentId: picture.id } });
    expect(reply.status).toBe(200);
    expect(reply.body.profile).toMatchObject({ id: mei.id, displayName: '梅 Mei', bio: '胶片摄影 / film photography', avatar: { id: picture.id, kind: 'image' } });

    const card = await call(server.url, 'GET', `/v1/users/${mei.id}`, { token: stranger.token });
    expect(card.body.profile).toMatchObject({ displayName: '梅 Mei', bio: '胶片摄影 / film photography', avatar: { id: picture.id }, online: false });
    expect(card.body.profile).not.toHaveProperty('passwordHash');
    // Not a member of the room it was uploaded to, yet the avatar loads.
    const bytes = await fetch(`${server.url}/v1/attachments/${picture.id}`, { headers: { authorization: `Bearer ${stranger.token}` } });
    expect(bytes.status).toBe(200);
    // New messages carry the new name, on a socket opened before the change too.
    const live = await connect(server.url, mei.token);
    try {
      await call(server.url, 'PATCH', '/v1/me', { token: mei.token, body: { displayName: 'Mei Lin' } });
      const sent = await live.send({ roomId: room.id, text: 'renamed', clientMsgId: uniqueName() });
      expect(sent.message.sender.displayName).toBe('Mei Lin');
    } finally {
      live.close();
    }
    const http = await call(server.url, 'POST', `/v1/rooms/${room.id}/messages`, { token: mei.token, body: { text: 'again', clientMsgId: uniqueName() } });
    expect(http.body.message.sender.displayName).toBe('Mei Lin');
    // Removing the avatar: the card falls back to none, and the picture is the room's again.
    expect((await call(server.url, 'PATCH', '/v1/me', { token: mei.token, body: { avatarAttachmentId: null } })).body.profile.avatar).toBeNull();
    expect((await fetch(`${server.url}/v1/attachments/${picture.id}`, { headers: { authorization: `Bearer ${stranger.token}` } })).status).toBe(404);
  });

  it('refuses bad profile input with coded errors and changes nothing', async () => {
    const mei = await signUp(server.url);
    const lin = await signUp(server.url);
    const room = await createRoom(server.url, lin);
    await joinRoom(server.url, mei, room.id);
    const linsPicture = await upload(server.url, lin, room.id, png(uniqueName()), 'lin.png');
    const sound = await upload(server.url, mei, room.id, wav(uniqueName()), 'a.wav');
    const before = (await call(server.url, 'GET', `/v1/users/${mei.id}`, { token: lin.token })).body.profile;
    const cases: Array<[object, string]> = [
      [{ displayName: '   ' }, 'VALIDATION_FAILED'],
      [{ displayName: '加V xiutu888 日入三百' }, 'BLOCKED_BY_SAFETY'],
      [{ bio: '加我微信 xiutu888 日入三百 稳赚不赔' }, 'BLOCKED_BY_SAFETY'],
      [{ bio: 'x'.repeat(281) }, 'VALIDATION_FAILED'],
      [{ avatarAttachmentId: linsPicture.id }, 'AVATAR_INVALID'],
      [{ avatarAttachmentId: sound.id }, 'AVATAR_INVALID'],
      [{ avatarAttachmentId: '00000000-0000-4000-8000-000000000000' }, 'AVATAR_INVALID'],
      [{ nickname: 'x' }, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const reply = await call(server.url, 'PATCH', '/v1/me', { token: mei.token, body });
      expect(reply.body.error?.code, JSON.stringify(body)).toBe(code);
    }
    expect((await call(server.url, 'GET', `/v1/users/${mei.id}`, { token: lin.token })).body.profile).toEqual(before);
    expect((await call(server.url, 'GET', '/v1/users/00000000-0000-4000-8000-000000000000', { token: lin.token })).body.error.code).toBe('USER_NOT_FOUND');
  });

  it('showPresence=false hides being online everywhere: card, room presence, presence events', async () => {
    const owner = await signUp(server.url);
    const mei = await signUp(server.url);
    const room = await createRoom(server.url, owner);
    await joinRoom(server.url, mei, room.id);
    const watcher = await connect(server.url, owner.token);
    const seen: any[] = [];
    watcher.socket.on('presence', (event: any) => seen.push(event));
    const meiLive = await connect(server.url, mei.token);
    try {
      await waitFor(() => seen.some((e) => e.userId === mei.id && e.online), 5000, 'mei online');
      expect((await call(server.url, 'GET', `/v1/users/${mei.id}`, { token: owner.token })).body.profile.online).toBe(true);

      expect((await call(server.url, 'PUT', '/v1/me/privacy', { token: mei.token, body: { showPresence: false } })).body.privacy).toMatchObject({ showPresence: false });
      // Hiding while online looks like going offline.
      await waitFor(() => seen.at(-1)?.userId === mei.id && seen.at(-1)?.online === false, 5000, 'mei hidden');
      const card = (await call(server.url, 'GET', `/v1/users/${mei.id}`, { token: owner.token })).body.profile;
      expect(card).not.toHaveProperty('online');
      const presence = await call(server.url, 'GET', `/v1/rooms/${room.id}/presence`, { token: owner.token });
      expect(presence.body.online.map((u: any) => u.id)).not.toContain(mei.id);
      // A second device connecting announces nothing.
      const count = seen.length;
      const another = await connect(server.url, mei.token);
      another.close();
      meiLive.close();
      await sleep(300);
      expect(seen.slice(count).filter((e) => e.userId === mei.id)).toEqual([]);
    } finally {
      watcher.close();
      meiLive.close();
    }
  });
});
