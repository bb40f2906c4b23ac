/**
 * Deleting one's account through HTTP: sessions end at once (sockets too), the person leaves
 * every room, their messages stay as "deleted user", the username stays taken; a wrong password,
 * a missing one or owned rooms refuse it and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, createRoom, joinRoom, postMessage, signUp, waitFor, type TestUser } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const PASSWORD = 'correct horse battery';

function deleteMe(user: TestUser, body: unknown) {
  return call(server.url, 'DELETE', '/v1/me', { token: user.token, body });
}

async function memberIds(viewer: TestUser, roomId: string): Promise<string[]> {
  const reply = await call(server.url, 'GET', `/v1/rooms/${roomId}/members`, { token: viewer.token });
  expect(reply.status).toBe(200);
  return reply.body.members.map((m: any) => m.user.id);
}

async function history(viewer: TestUser, roomId: string): Promise<any[]> {
  const reply = await call(server.url, 'GET', `/v1/rooms/${roomId}/messages?limit=100`, { token: viewer.token });
  expect(reply.status).toBe(200);
  return reply.body.messages;
}

describe('deleting one\'s account', () => {
  it('revokes every session at once, disconnects sockets, leaves the rooms and keeps the messages as "deleted user"', async () => {
    const owner = await signUp(server.url);
    const room = await createRoom(server.url, owner);
    const other = await createRoom(server.url, owner, { name: 'Second room' });
    const leaver = await signUp(server.url);
    await joinRoom(server.url, leaver, room.id);
    await joinRoom(server.url, leaver, other.id);
    const said = await postMessage(server.url, leaver, room.id, 'remember me');
    expect(said.status).toBe(201);
    const secondSession = await call(server.url, 'POST', '/v1/sessions', { body: { username: leaver.username, password: PASSWORD } });
    expect(secondSession.status).toBe(200);
    const socket = await connect(server.url, secondSession.body.token);
    let disconnectReason = '';
    socket.socket.on('disconnect', (reason) => (disconnectReason = reason));
    const countBefore = (await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token })).body.room.memberCount;

    const deleted = await deleteMe(leaver, { password: PASSWORD });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();

    // Both tokens stop working, and the other session's socket is closed by the server.
    for (const token of [leaver.token, secondSession.body.token]) {
      const me = await call(server.url, 'GET', '/v1/me', { token });
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe('UNAUTHENTICATED');
    }
    await waitFor(() => disconnectReason !== '', 3000, 'the socket to be disconnected');
    expect(disconnectReason).toBe('io server disconnect');
    const reconnect = await connect(server.url, secondSession.body.token).then(
      (client) => (client.close(), 'connected'),
      (error: Error) => error.message,
    );
    expect(reconnect).not.toBe('connected');

    // Signing in again fails as for any wrong password, and the username stays taken.
    const signIn = await call(server.url, 'POST', '/v1/sessions', { body: { username: leaver.username, password: PASSWORD } });
    expect(signIn.status).toBe(401);
    expect(signIn.body.error.code).toBe('INVALID_CREDENTIALS');
    const reuse = await call(server.url, 'POST', '/v1/users', { body: { username: leaver.username, password: 'another password', displayName: 'Impostor' } });
    expect(reuse.status).toBe(409);
    expect(reuse.body.error.code).toBe('USERNAME_TAKEN');

    // Gone from both member lists (without a notice), the count follows; the words stay.
    expect(await memberIds(owner, room.id)).not.toContain(leaver.id);
    expect(await memberIds(owner, other.id)).not.toContain(leaver.id);
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token })).body.room.memberCount).toBe(countBefore - 1);
    const messages = await history(owner, room.id);
    expect(messages.find((m) => m.id === said.body.message.id)).toMatchObject({
      text: 'remember me',
      sender: { id: leaver.id, displayName: 'deleted user', kind: 'user', deleted: true },
    });
    expect(messages.some((m) => m.kind === 'system' && m.data?.event === 'member.left' && m.data.userId === leaver.id)).toBe(false);
    // Everyone else's sender carries no flag.
    expect(messages.filter((m) => m.sender && m.sender.id !== leaver.id).every((m) => !('deleted' in m.sender))).toBe(true);

    // The export shows the deleted author too.
    const exported = await fetch(`${server.url}/v1/rooms/${room.id}/export`, { headers: { authorization: `Bearer ${owner.token}` } });
    const line = (await exported.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.id === said.body.message.id);
    expect(line.sender).toEqual({ id: leaver.id, displayName: 'deleted user', kind: 'user', deleted: true });
  });

  it('refuses a wrong password with 401 INVALID_CREDENTIALS and changes nothing', async () => {
    const owner = await signUp(server.url);
    const room = await createRoom(server.url, owner);
    const user = await signUp(server.url);
    await joinRoom(server.url, user, room.id);
    const socket = await connect(server.url, user.token);

    const wrong = await deleteMe(user, { password: 'not my password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');

    const me = await call(server.url, 'GET', '/v1/me', { token: user.token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: user.id, displayName: user.displayName });
    expect(me.body.rooms.map((r: any) => r.id)).toEqual([room.id]);
    expect(await memberIds(owner, room.id)).toContain(user.id);
    expect(socket.socket.connected).toBe(true);
    expect((await postMessage(server.url, user, room.id, 'still here')).status).toBe(201);
    socket.close();
  });

  it('refuses a missing or malformed password with 400 VALIDATION_FAILED, and strangers with 401', async () => {
    const user = await signUp(server.url);
    for (const body of [undefined, {}, { password: '' }, { password: 12345678 }, { password: PASSWORD, extra: true }]) {
      const reply = await deleteMe(user, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.code).toBe('VALIDATION_FAILED');
    }
    const anonymous = await call(server.url, 'DELETE', '/v1/me', { body: { password: PASSWORD } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    expect((await call(server.url, 'GET', '/v1/me', { token: user.token })).status).toBe(200);
  });

  it('refuses an owner with 409 OWNER_MUST_TRANSFER naming the rooms, changing nothing; after the transfer it succeeds', async () => {
    const owner = await signUp(server.url);
    const first = await createRoom(server.url, owner, { name: 'Owned one' });
    const second = await createRoom(server.url, owner, { name: 'Owned two' });
    const heir = await signUp(server.url);
    await joinRoom(server.url, heir, first.id);

    const refused = await deleteMe(owner, { password: PASSWORD });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('OWNER_MUST_TRANSFER');
    expect([...refused.body.error.details.roomIds].sort()).toEqual([first.id, second.id].sort());
    const me = await call(server.url, 'GET', '/v1/me', { token: owner.token });
    expect(me.status).toBe(200);
    expect(me.body.rooms.map((r: any) => [r.id, r.role]).sort()).toEqual([[first.id, 'owner'], [second.id, 'owner']].sort());

    // The wrong password is told before the rooms: nobody learns what a stolen token owns.
    const wrong = await deleteMe(owner, { password: 'not my password' });
    expect(wrong.status).toBe(401);

    expect((await call(server.url, 'POST', `/v1/rooms/${first.id}/transfer`, { token: owner.token, body: { userId: heir.id } })).status).toBe(204);
    expect((await call(server.url, 'DELETE', `/v1/rooms/${second.id}`, { token: owner.token })).status).toBe(204);
    const deleted = await deleteMe(owner, { password: PASSWORD });
    expect(deleted.status).toBe(204);
    expect(await memberIds(heir, first.id)).toEqual([heir.id]);
    expect((await call(server.url, 'GET', `/v1/rooms/${first.id}`, { token: heir.token })).body.room).toMatchObject({ ownerId: heir.id, memberCount: 1 });
  });

  it('retires the bots the person owns: tokens refused, taken out of rooms', async () => {
    const owner = await signUp(server.url);
    const room = await createRoom(server.url, owner);
    const maker = await signUp(server.url);
    await joinRoom(server.url, maker, room.id);
    const staff = await call(server.url, 'PUT', `/v1/rooms/${room.id}/members/${maker.id}/role`, { token: owner.token, body: { role: 'admin' } });
    expect(staff.status).toBe(204);
    const bot = await call(server.url, 'POST', '/v1/bots', { token: maker.token, body: { name: 'Weather bot', roomId: room.id } });
    expect(bot.status).toBe(201);
    const token = await call(server.url, 'POST', `/v1/bots/${bot.body.bot.id}/tokens`, { token: maker.token, body: { scopes: ['messages:read', 'messages:write'] } });
    expect(token.status).toBe(201);
    const botAuth = { authorization: `Bot ${token.body.secret}`, 'content-type': 'application/json' };
    const before = await fetch(`${server.url}/v1/rooms/${room.id}/messages`, { method: 'POST', headers: botAuth, body: JSON.stringify({ text: 'sunny', clientMsgId: 'w1' }) });
    expect(before.status).toBe(201);

    expect((await deleteMe(maker, { password: PASSWORD })).status).toBe(204);
    const after = await fetch(`${server.url}/v1/rooms/${room.id}/messages`, { method: 'POST', headers: botAuth, body: JSON.stringify({ text: 'rain', clientMsgId: 'w2' }) });
    expect(after.status).toBe(401);
    expect(await memberIds(owner, room.id)).toEqual([owner.id]);
    // The bot's words keep its name.
    expect((await history(owner, room.id)).find((m) => m.text === 'sunny').sender).toMatchObject({ id: bot.body.bot.id, displayName: 'Weather bot', kind: 'bot' });
  });
});
