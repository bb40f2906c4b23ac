/**
 * Do-not-disturb per room (消息免打扰): the mode changes the badge and which mentions alert,
 * never the true unread count; the member's other devices hear the change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, postMessage, waitFor } from '../helpers/clients.ts';
import { castRoom } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const stateOf = async (token: string, roomId: string) => (await call(server.url, 'GET', '/v1/me', { token })).body.rooms.find((r: any) => r.id === roomId);

describe('do-not-disturb', () => {
  it("'all', 'mentions' and 'none': the badge and alerts follow, unread stays true", async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const mei = members[0]!;
    await postMessage(server.url, owner, room.id, 'plain one');
    const all = (await postMessage(server.url, owner, room.id, '@all meetup on Sunday')).body.message.seq;
    await postMessage(server.url, owner, room.id, `@${mei.username} can you bring the film?`);

    expect(await stateOf(mei.token, room.id)).toMatchObject({ notifications: 'all', unread: 3, unreadMentions: 2, badge: 3 });

    const other = await connect(server.url, mei.token);
    const heard: any[] = [];
    other.socket.on('member:notifications', (event: any) => heard.push(event));
    try {
      const set = await call(server.url, 'PUT', `/v1/rooms/${room.id}/members/me/notifications`, { token: mei.token, body: { mode: 'mentions' } });
      expect(set.body).toEqual({ roomId: room.id, mode: 'mentions' });
      await waitFor(() => heard.some((e) => e.mode === 'mentions'), 5000, 'the other device to hear it');
      expect(await stateOf(mei.token, room.id)).toMatchObject({ notifications: 'mentions', unread: 3, unreadMentions: 2, badge: 2 });

      await call(server.url, 'PUT', `/v1/rooms/${room.id}/members/me/notifications`, { token: mei.token, body: { mode: 'none' } });
      // 免打扰: no badge, and of the mentions only @you still alerts.
      expect(await stateOf(mei.token, room.id)).toMatchObject({ notifications: 'none', unread: 3, unreadMentions: 1, badge: 0 });
      const read = await call(server.url, 'POST', `/v1/rooms/${room.id}/read`, { token: mei.token, body: { seq: all } });
      expect(read.body).toMatchObject({ unread: 1, unreadMentions: 1, badge: 0 });
    } finally {
      other.close();
    }
  });

  it('refuses bad input with coded errors and changes nothing', async () => {
    const { room, members } = await castRoom(server.url, { members: 1 });
    const { room: other } = await castRoom(server.url);
    const mei = members[0]!;
    const put = (roomId: string, body: unknown) => call(server.url, 'PUT', `/v1/rooms/${roomId}/members/me/notifications`, { token: mei.token, body });
    expect((await put(room.id, { mode: 'quiet' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await put(room.id, {})).body.error.code).toBe('VALIDATION_FAILED');
    expect((await put(other.id, { mode: 'none' })).body.error.code).toBe('NOT_A_MEMBER');
    expect((await put('00000000-0000-4000-8000-000000000000', { mode: 'none' })).body.error.code).toBe('ROOM_NOT_FOUND');
    expect(await stateOf(mei.token, room.id)).toMatchObject({ notifications: 'all' });
  });
});
