/**
 * Blocking through the real interface: the blocked person's messages vanish from the blocker's
 * history, sync, unread counts and live sockets; other members still see them; the blocked person
 * is told nothing and cannot DM or send a request; unblocking brings everything back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, postMessage, signUp, sleep, uniqueName, waitFor } from '../helpers/clients.ts';
import { castRoom } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('blocking a user', () => {
  it('hides their messages from you everywhere, and only from you', async () => {
    // The troll is an admin here: past probation, so their mention goes out (and staff are blockable too).
    const { room, owner, admins, members } = await castRoom(server.url, { admins: 1, members: 1 });
    const [mei, troll] = [members[0]!, admins[0]!];
    const before = await postMessage(server.url, troll, room.id, 'before the block');
    expect((await call(server.url, 'PUT', `/v1/me/blocks/${troll.id}`, { token: mei.token })).status).toBe(204);
    // Again is fine: a block is a state, not an event.
    expect((await call(server.url, 'PUT', `/v1/me/blocks/${troll.id}`, { token: mei.token })).status).toBe(204);
    expect((await call(server.url, 'GET', '/v1/me/blocks', { token: mei.token })).body.blocks.map((b: any) => b.id)).toEqual([troll.id]);

    const meiLive = await connect(server.url, mei.token);
    const ownerLive = await connect(server.url, owner.token);
    const trollLive = await connect(server.url, troll.token);
    try {
      const hidden = await trollLive.send({ roomId: room.id, text: `@${mei.username} hello?`, clientMsgId: uniqueName() });
      // The troll is told nothing: the send succeeds like any other.
      expect(hidden, JSON.stringify(hidden)).toMatchObject({ ok: true });
      const visible = await ownerLive.send({ roomId: room.id, text: 'owner speaking', clientMsgId: uniqueName() });
      await waitFor(() => meiLive.received.some((m) => m.id === visible.message.id), 5000, 'the owner message');
      await waitFor(() => ownerLive.received.some((m) => m.id === hidden.message.id), 5000, 'others still see it');
      await sleep(200);
      expect(meiLive.received.map((m) => m.id)).not.toContain(hidden.message.id);

      const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: mei.token });
      const texts = history.body.messages.filter((m: any) => m.kind === 'text').map((m: any) => m.text);
      expect(texts).toEqual(['owner speaking']);
      expect(texts).not.toContain(before.body.message.text);
      const sync = await meiLive.emitAck('sync', { cursors: { [room.id]: 0 } });
      expect(sync.rooms[room.id].messages.map((m: any) => m.sender?.id)).not.toContain(troll.id);
      const ownerHistory = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
      expect(ownerHistory.body.messages.map((m: any) => m.id)).toContain(hidden.message.id);
      // Their mention of you alerts nothing; the unread count leaves them out.
      const me = await call(server.url, 'GET', '/v1/me', { token: mei.token });
      expect(me.body.rooms.find((r: any) => r.id === room.id)).toMatchObject({ unread: 1, unreadMentions: 0 });

      // No DMs and no requests from them; they learn only what "DMs off" would say.
      const request = await call(server.url, 'POST', '/v1/dms', { token: troll.token, body: { userId: mei.id, text: 'hi', clientMsgId: uniqueName() } });
      expect(request.body.error.code).toBe('DM_NOT_ALLOWED');
      const back = await call(server.url, 'POST', '/v1/dms', { token: mei.token, body: { userId: troll.id, text: 'hi', clientMsgId: uniqueName() } });
      expect(back.body.error.code).toBe('YOU_BLOCKED_USER');

      // Unblocked: history and live delivery show them again.
      expect((await call(server.url, 'DELETE', `/v1/me/blocks/${troll.id}`, { token: mei.token })).status).toBe(204);
      const again = await trollLive.send({ roomId: room.id, text: 'friends again', clientMsgId: uniqueName() });
      await waitFor(() => meiLive.received.some((m) => m.id === again.message.id), 5000, 'live delivery again');
      const after = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: mei.token });
      expect(after.body.messages.map((m: any) => m.id)).toContain(hidden.message.id);
    } finally {
      meiLive.close();
      ownerLive.close();
      trollLive.close();
    }
  });

  it('a socket opened after the block never hears them', async () => {
    const { room, members } = await castRoom(server.url, { members: 2 });
    const [mei, troll] = members as [(typeof members)[0], (typeof members)[0]];
    await call(server.url, 'PUT', `/v1/me/blocks/${troll.id}`, { token: mei.token });
    const meiLive = await connect(server.url, mei.token);
    try {
      const hidden = await postMessage(server.url, troll, room.id, 'hidden');
      const shown = await postMessage(server.url, mei, room.id, 'shown');
      await waitFor(() => meiLive.received.some((m) => m.id === shown.body.message.id), 5000, 'own message');
      await sleep(200);
      expect(meiLive.received.map((m) => m.id)).not.toContain(hidden.body.message.id);
    } finally {
      meiLive.close();
    }
  });

  it('refuses bad input with coded errors', async () => {
    const mei = await signUp(server.url);
    expect((await call(server.url, 'PUT', `/v1/me/blocks/${mei.id}`, { token: mei.token })).body.error.code).toBe('CANNOT_TARGET_SELF');
    expect((await call(server.url, 'PUT', '/v1/me/blocks/00000000-0000-4000-8000-000000000000', { token: mei.token })).body.error.code).toBe('USER_NOT_FOUND');
    expect((await call(server.url, 'PUT', '/v1/me/blocks/not-a-uuid', { token: mei.token })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await call(server.url, 'GET', '/v1/me/blocks', { token: mei.token })).body.blocks).toEqual([]);
  });
});
