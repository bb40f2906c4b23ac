/**
 * Direct messages with consent, through HTTP and Socket.IO: a first message from a stranger is a
 * message request (text only, one until accepted), accepting opens a DM room of kind 'dm' whose
 * history, sync, read state and recall are the room API's; blocked and DMs-off answer alike;
 * a DM room is never listed, joined, managed or read by anyone but its two members.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, createRoom, joinRoom, signUp, uniqueName, waitFor, type TestUser } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const dm = (from: TestUser, to: TestUser, text: string, clientMsgId = uniqueName('m')) =>
  call(server.url, 'POST', '/v1/dms', { token: from.token, body: { userId: to.id, text, clientMsgId } });
const privacy = (user: TestUser, body: object) => call(server.url, 'PUT', '/v1/me/privacy', { token: user.token, body });

describe('direct messages with consent', () => {
  it('a stranger sends one message request; accepting opens the DM room with it as the first message', async () => {
    const [mei, lin] = [await signUp(server.url), await signUp(server.url)];
    const linLive = await connect(server.url, lin.token);
    const linNotices: Array<{ name: string; payload: any }> = [];
    linLive.socket.onAny((name: string, payload: any) => linNotices.push({ name, payload }));
    try {
      const first = await dm(mei, lin, 'Hello! Are you coming to the film club walk on Sunday?', 'req-1');
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ status: 'requested', request: { sender: { id: mei.id }, recipient: { id: lin.id }, status: 'pending', roomId: null } });
      await waitFor(() => linNotices.some((n) => n.name === 'dm:request'), 5000, 'the request notice');

      // A retry is the same request; a second one is refused and changes nothing.
      expect((await dm(mei, lin, 'Hello! Are you coming to the film club walk on Sunday?', 'req-1')).body.request.id).toBe(first.body.request.id);
      const second = await dm(mei, lin, 'are you there?');
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe('DM_REQUEST_PENDING');

      const waiting = await call(server.url, 'GET', '/v1/dms/requests', { token: lin.token });
      expect(waiting.body.requests.map((r: any) => r.text)).toEqual(['Hello! Are you coming to the film club walk on Sunday?']);
      expect((await call(server.url, 'GET', '/v1/dms/requests', { token: mei.token })).body.sent).toHaveLength(1);

      const accepted = await call(server.url, 'POST', `/v1/dms/requests/${first.body.request.id}/accept`, { token: lin.token });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      const room = accepted.body.room;
      expect(room).toMatchObject({ kind: 'dm', memberCount: 2 });
      expect(accepted.body.message).toMatchObject({ seq: 1, text: 'Hello! Are you coming to the film club walk on Sunday?', sender: { id: mei.id } });
      await waitFor(() => linNotices.some((n) => n.name === 'dm:opened') && linLive.received.some((m) => m.roomId === room.id), 5000, 'the room and its first message live');
      // Accepting again answers the same.
      expect((await call(server.url, 'POST', `/v1/dms/requests/${first.body.request.id}/accept`, { token: lin.token })).body.message.id).toBe(accepted.body.message.id);

      // Now contacts: both write straight into the room, on HTTP and on the socket.
      const reply = await dm(lin, mei, 'thanks! 谢谢');
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ room: { id: room.id }, message: { seq: 2 } });
      const meiLive = await connect(server.url, mei.token);
      try {
        const bySocket = await meiLive.send({ roomId: room.id, text: 'see you at the meetup', clientMsgId: uniqueName() });
        expect(bySocket.ok).toBe(true);
        await waitFor(() => linLive.received.some((m) => m.id === bySocket.message.id), 5000, 'the socket DM');
        // History, sync, read state and recall are the room's.
        const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: lin.token });
        expect(history.body.messages.map((m: any) => m.seq)).toEqual([1, 2, 3]);
        const sync = await linLive.emitAck('sync', { cursors: { [room.id]: 1 } });
        expect(sync.rooms[room.id].messages.map((m: any) => m.seq)).toEqual([2, 3]);
        const me = await call(server.url, 'GET', '/v1/me', { token: lin.token });
        expect(me.body.rooms.find((r: any) => r.id === room.id)).toMatchObject({ kind: 'dm', unread: 2, role: 'member' });
        expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/read`, { token: lin.token, body: { seq: 3 } })).body).toMatchObject({ unread: 0 });
        expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/messages/3/recall`, { token: mei.token })).status).toBe(200);
      } finally {
        meiLive.close();
      }
      const list = await call(server.url, 'GET', '/v1/dms', { token: mei.token });
      expect(list.body.conversations).toEqual([expect.objectContaining({ room: expect.objectContaining({ id: room.id }), peer: expect.objectContaining({ id: lin.id }) })]);
      // The pair has one room, whoever writes.
      expect((await dm(mei, lin, 'one room')).body.room.id).toBe(room.id);
    } finally {
      linLive.close();
    }
  });

  it('message requests are text only: links and contact details are refused and change nothing', async () => {
    const [mei, lin] = [await signUp(server.url), await signUp(server.url)];
    for (const text of ['look https://example.com/deal', '加我微信 xiutu888 日入三百', 'call me 13812345678']) {
      const refused = await dm(mei, lin, text);
      expect(refused.status, text).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'BLOCKED_BY_SAFETY', details: { field: 'body.text' } });
    }
    expect((await call(server.url, 'GET', '/v1/dms/requests', { token: lin.token })).body.requests).toEqual([]);
    // The stranger still has their one request to send.
    expect((await dm(mei, lin, 'Hello from the film club')).status).toBe(202);
  });

  it('privacy decides the way: anyone and room members write directly, nobody refuses like a block', async () => {
    const [mei, lin, kai] = [await signUp(server.url), await signUp(server.url), await signUp(server.url)];
    expect((await call(server.url, 'GET', '/v1/me/privacy', { token: lin.token })).body.privacy).toEqual({ dmsFrom: 'contacts', showPresence: true });
    expect((await privacy(lin, { dmsFrom: 'anyone' })).body.privacy.dmsFrom).toBe('anyone');
    expect((await dm(mei, lin, 'hi')).status).toBe(201);

    const room = await createRoom(server.url, kai);
    await joinRoom(server.url, mei, room.id);
    expect((await privacy(kai, { dmsFrom: 'room-members' })).status).toBe(200);
    expect((await dm(mei, kai, 'we share a room')).status).toBe(201);
    expect((await dm(lin, kai, 'we do not')).status).toBe(202);

    const blocker = await signUp(server.url);
    const off = await signUp(server.url);
    expect((await call(server.url, 'PUT', `/v1/me/blocks/${mei.id}`, { token: blocker.token })).status).toBe(204);
    expect((await privacy(off, { dmsFrom: 'nobody' })).status).toBe(200);
    const byBlock = await dm(mei, blocker, 'hello');
    const byOff = await dm(mei, off, 'hello');
    expect(byBlock.status).toBe(403);
    expect(byOff.status).toBe(403);
    // The same answer: the sender cannot tell a block from DMs off.
    expect(byBlock.body).toEqual(byOff.body);
    expect(byBlock.body.error.code).toBe('DM_NOT_ALLOWED');
    expect((await call(server.url, 'GET', '/v1/dms/requests', { token: blocker.token })).body.requests).toEqual([]);
    // An open DM room closes the same way: lin turns DMs off, mei's next message is refused on the socket too.
    const existing = (await dm(mei, lin, 'still there?')).body.room;
    expect((await privacy(lin, { dmsFrom: 'nobody' })).status).toBe(200);
    const meiLive = await connect(server.url, mei.token);
    try {
      const refused = await meiLive.send({ roomId: existing.id, text: 'hello?', clientMsgId: uniqueName() });
      expect(refused.error.code).toBe('DM_NOT_ALLOWED');
    } finally {
      meiLive.close();
    }
    expect((await call(server.url, 'GET', `/v1/rooms/${existing.id}/messages`, { token: lin.token })).body.messages).toHaveLength(2);
  });

  it('a DM room is never listed, joined, managed or read by others', async () => {
    const [mei, lin, stranger] = [await signUp(server.url), await signUp(server.url), await signUp(server.url)];
    await privacy(lin, { dmsFrom: 'anyone' });
    const marker = uniqueName('dm');
    const { room } = (await dm(mei, lin, `secret ${marker}`)).body;
    expect((await call(server.url, 'GET', `/v1/rooms?q=${marker}`, { token: stranger.token })).body.rooms).toEqual([]);
    expect((await call(server.url, 'GET', '/v1/rooms', { token: mei.token })).body.rooms.map((r: any) => r.id)).not.toContain(room.id);
    for (const [method, path] of [
      ['GET', `/v1/rooms/${room.id}`],
      ['POST', `/v1/rooms/${room.id}/join`],
    ] as const) {
      const reply = await call(server.url, method, path, { token: stranger.token });
      expect(reply.status, path).toBe(404);
      expect(reply.body.error.code).toBe('ROOM_NOT_FOUND');
    }
    // Like every private room, its history does not exist for a stranger either.
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: stranger.token })).body.error.code).toBe('ROOM_NOT_FOUND');
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: mei.token, body: {} })).body.error.code).toBe('DM_ROOM');
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/leave`, { token: mei.token })).body.error.code).toBe('DM_ROOM');
    expect((await call(server.url, 'PUT', `/v1/rooms/${room.id}/members/${lin.id}/role`, { token: mei.token, body: { role: 'admin' } })).body.error.code).toBe('FORBIDDEN');
    expect((await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: mei.token, body: { name: 'mine' } })).body.error.code).toBe('FORBIDDEN');
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/members`, { token: mei.token })).body.members.map((m: any) => m.role)).toEqual(['member', 'member']);
  });

  it('every bad input is a coded refusal', async () => {
    const mei = await signUp(server.url);
    expect((await dm(mei, mei, 'me')).body.error.code).toBe('CANNOT_TARGET_SELF');
    expect((await call(server.url, 'POST', '/v1/dms', { token: mei.token, body: { userId: '00000000-0000-4000-8000-000000000000', text: 'x', clientMsgId: 'a' } })).body.error.code).toBe('USER_NOT_FOUND');
    expect((await call(server.url, 'POST', '/v1/dms', { token: mei.token, body: { userId: mei.id, text: '', clientMsgId: 'a' } })).body.error.code).toBe('MESSAGE_EMPTY');
    expect((await call(server.url, 'POST', '/v1/dms', { token: mei.token, body: { userId: mei.id, text: 'x', clientMsgId: 'a', attachments: [] } })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await call(server.url, 'PUT', '/v1/me/privacy', { token: mei.token, body: { dmsFrom: 'friends' } })).body.error.code).toBe('VALIDATION_FAILED');
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const verb of ['accept', 'ignore']) {
      expect((await call(server.url, 'POST', `/v1/dms/requests/${missing}/${verb}`, { token: mei.token })).body.error.code).toBe('DM_REQUEST_NOT_FOUND');
    }
  });

  it('ignored and reported requests: the sender is not told, cannot send another, and a report reaches the site queue', async () => {
    const [mei, lin] = [await signUp(server.url), await signUp(server.url)];
    const request = (await dm(mei, lin, 'hello stranger')).body.request;
    expect((await call(server.url, 'POST', `/v1/dms/requests/${request.id}/ignore`, { token: mei.token })).body.error.code).toBe('DM_REQUEST_NOT_FOUND');
    expect((await call(server.url, 'POST', `/v1/dms/requests/${request.id}/ignore`, { token: lin.token })).status).toBe(204);
    expect((await call(server.url, 'GET', '/v1/dms/requests', { token: mei.token })).body.sent[0]).toMatchObject({ id: request.id, status: 'pending' });
    expect((await dm(mei, lin, 'hello again')).body.error.code).toBe('DM_REQUEST_PENDING');
    const report = await call(server.url, 'POST', `/v1/dms/requests/${request.id}/report`, { token: lin.token, body: { reason: 'spam' } });
    expect(report.status).toBe(201);
    expect(report.body.report).toMatchObject({ kind: 'request', reason: 'spam', status: 'open' });
    expect((await call(server.url, 'POST', `/v1/dms/requests/${request.id}/accept`, { token: lin.token })).body.error.code).toBe('DM_REQUEST_NOT_FOUND');
  });
});
