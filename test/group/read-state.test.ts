/** Read positions and unread counts: `POST /v1/rooms/:roomId/read`, the socket `read` event, and the counts in `GET /v1/me`. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNREAD_COUNT_LIMIT, type Room } from '../../shared/schemas.ts';
import { call, connect, createRoom, postMessage, signUp, sleep, uniqueName, waitFor, type TestUser, joinRoom } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';


let server: TestServer;
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  [owner, member, outsider] = await Promise.all([signUp(server.url), signUp(server.url), signUp(server.url)]);
});
afterAll(() => server?.close());

async function readStateOf(user: TestUser, roomId: string): Promise<{ lastReadSeq: number; unread: number; unreadMentions: number; lastSeq: number }> {
  const me = await call(server.url, 'GET', '/v1/me', { token: user.token });
  expect(me.status).toBe(200);
  const room = me.body.rooms.find((r: Room) => r.id === roomId);
  expect(room, 'room in /v1/me').toBeDefined();
  return { lastReadSeq: room.lastReadSeq, unread: room.unread, unreadMentions: room.unreadMentions, lastSeq: room.lastSeq };
}

function markRead(user: TestUser, roomId: string, seq: unknown) {
  return call(server.url, 'POST', `/v1/rooms/${roomId}/read`, { token: user.token, body: { seq } });
}

async function send(user: TestUser, roomId: string, text: string): Promise<number> {
  const reply = await postMessage(server.url, user, roomId, text);
  expect(reply.status).toBe(201);
  return reply.body.message.seq;
}

describe('unread counts in GET /v1/me', () => {
  it('a newcomer starts with the history before joining read', async () => {
    const room = await createRoom(server.url, owner, { name: 'Old history' });
    await send(owner, room.id, 'before anyone came');
    await send(owner, room.id, 'still alone');
    await joinRoom(server.url, member, room.id);
    const state = await readStateOf(member, room.id);
    expect(state.lastReadSeq).toBeGreaterThanOrEqual(2);
    expect(state).toMatchObject({ unread: 0, unreadMentions: 0 });
  });

  it('counts messages from others as they arrive and as the read position moves', async () => {
    const room = await createRoom(server.url, owner, { name: 'Unread' });
    await joinRoom(server.url, member, room.id);
    const start = (await readStateOf(member, room.id)).lastReadSeq;

    const first = await send(owner, room.id, 'one');
    await send(owner, room.id, 'two');
    await send(member, room.id, 'my own reply'); // not unread for its sender
    await send(owner, room.id, 'three');
    expect(await readStateOf(member, room.id)).toMatchObject({ lastReadSeq: start, unread: 3, unreadMentions: 0 });
    // The owner sees the member's one message as unread, never their own.
    expect(await readStateOf(owner, room.id)).toMatchObject({ unread: 1 });

    const mention = await send(owner, room.id, `@${member.username} can you check this?`);
    const all = await send(owner, room.id, '@all meeting at 8'); // the owner may mention everyone
    await send(owner, room.id, `@${outsider.username} is not in this room`);
    expect(await readStateOf(member, room.id)).toMatchObject({ unread: 6, unreadMentions: 2 });

    // System messages (joins, settings…) are notices, not conversation: never counted.
    expect((await call(server.url, 'PUT', `/v1/rooms/${room.id}/slow-mode`, { token: owner.token, body: { seconds: 0 } })).status).toBe(200);
    const before = await readStateOf(member, room.id);
    expect(before).toMatchObject({ unread: 6, unreadMentions: 2 });

    const afterFirst = await markRead(member, room.id, first);
    expect(afterFirst.status).toBe(200);
    expect(afterFirst.body).toEqual({ roomId: room.id, seq: first, unread: 5, unreadMentions: 2, badge: 5 });
    expect(await readStateOf(member, room.id)).toMatchObject({ lastReadSeq: first, unread: 5, unreadMentions: 2 });

    const afterMention = await markRead(member, room.id, mention);
    expect(afterMention.body).toMatchObject({ seq: mention, unreadMentions: 1 });
    const afterAll = await markRead(member, room.id, all);
    expect(afterAll.body).toMatchObject({ seq: all, unread: 1, unreadMentions: 0 });

    await send(owner, room.id, 'new after reading');
    expect(await readStateOf(member, room.id)).toMatchObject({ lastReadSeq: all, unread: 2, unreadMentions: 0 });
  });

  it('stops counting at UNREAD_COUNT_LIMIT', async () => {
    const room = await createRoom(server.url, owner, { name: 'Busy' });
    await joinRoom(server.url, member, room.id);
    const { deps } = server.app;
    // Written in one go: the group commit stores them in a few transactions.
    await Promise.all(
      Array.from({ length: UNREAD_COUNT_LIMIT + 5 }, (_, i) =>
        deps.writer.write({
          id: randomUUID(),
          roomId: room.id,
          sender: { id: owner.id, displayName: owner.displayName, kind: 'user' },
          clientMsgId: uniqueName('bulk'),
          kind: 'text',
          text: `bulk ${i}`,
          replyTo: null,
          createdAt: new Date(),
        }),
      ),
    );
    const { lastSeq, unread } = await readStateOf(member, room.id);
    expect(unread).toBe(UNREAD_COUNT_LIMIT);
    const position = lastSeq - (UNREAD_COUNT_LIMIT - 1);
    const read = await markRead(member, room.id, position);
    expect(read.body).toMatchObject({ seq: position, unread: UNREAD_COUNT_LIMIT - 1 });
  });
});

describe('moving the read position', () => {
  it('only moves forward, and a position past lastSeq is clamped to lastSeq', async () => {
    const room = await createRoom(server.url, owner, { name: 'Forward only' });
    await joinRoom(server.url, member, room.id);
    for (const text of ['a', 'b', 'c', 'd']) await send(owner, room.id, text);
    const { lastSeq } = await readStateOf(member, room.id);

    expect((await markRead(member, room.id, lastSeq - 1)).body).toMatchObject({ seq: lastSeq - 1, unread: 1 });
    // Backwards: nothing changes, the answer says where the position really is.
    expect((await markRead(member, room.id, 1)).body).toMatchObject({ seq: lastSeq - 1, unread: 1 });
    expect((await markRead(member, room.id, 0)).body).toMatchObject({ seq: lastSeq - 1 });
    // Beyond the newest message: clamped, so later messages still count as unread.
    expect((await markRead(member, room.id, lastSeq + 1000)).body).toEqual({ roomId: room.id, seq: lastSeq, unread: 0, unreadMentions: 0, badge: 0 });
    expect((await markRead(member, room.id, Number.MAX_SAFE_INTEGER)).body).toMatchObject({ seq: lastSeq });
    await send(owner, room.id, 'e');
    expect(await readStateOf(member, room.id)).toMatchObject({ lastReadSeq: lastSeq, unread: 1 });
  });

  it('refuses malformed positions, outsiders and unknown rooms', async () => {
    const room = await createRoom(server.url, owner, { name: 'Refusals' });
    for (const seq of [-1, 1.5, '3', null]) {
      const reply = await markRead(owner, room.id, seq);
      expect(reply.status, JSON.stringify(seq)).toBe(400);
      expect(reply.body.error.code).toBe('VALIDATION_FAILED');
    }
    const extra = await call(server.url, 'POST', `/v1/rooms/${room.id}/read`, { token: owner.token, body: { seq: 1, roomId: room.id } });
    expect(extra.status).toBe(400);

    const outsiderReply = await markRead(outsider, room.id, 1);
    expect(outsiderReply.status).toBe(403);
    expect(outsiderReply.body.error.code).toBe('NOT_A_MEMBER');
    const unknown = await markRead(owner, randomUUID(), 1);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('ROOM_NOT_FOUND');
    const anonymous = await call(server.url, 'POST', `/v1/rooms/${room.id}/read`, { body: { seq: 1 } });
    expect(anonymous.status).toBe(401);
  });
});

describe('read over the socket', () => {
  it('acks the stored position and tells the user’s other devices, and nobody else', async () => {
    const room = await createRoom(server.url, owner, { name: 'Two devices' });
    await joinRoom(server.url, member, room.id);
    for (const text of ['x', 'y', 'z']) await send(owner, room.id, text);
    const { lastSeq } = await readStateOf(member, room.id);

    const [phone, laptop, ownerLive] = await Promise.all([connect(server.url, member.token), connect(server.url, member.token), connect(server.url, owner.token)]);
    const heard = { phone: [] as any[], laptop: [] as any[], owner: [] as any[] };
    phone.socket.on('read', (event) => heard.phone.push(event));
    laptop.socket.on('read', (event) => heard.laptop.push(event));
    ownerLive.socket.on('read', (event) => heard.owner.push(event));

    const ack = await phone.emitAck('read', { roomId: room.id, seq: lastSeq });
    expect(ack).toEqual({ ok: true, roomId: room.id, seq: lastSeq, unread: 0, unreadMentions: 0, badge: 0 });
    await waitFor(() => heard.laptop.length === 1, 3000, 'the read event on the second device');
    expect(heard.laptop[0]).toEqual({ roomId: room.id, seq: lastSeq, unread: 0, unreadMentions: 0, badge: 0 });

    // A position that does not move is not news: no second event.
    const again = await phone.emitAck('read', { roomId: room.id, seq: lastSeq - 1 });
    expect(again).toMatchObject({ ok: true, seq: lastSeq });
    // The same move over HTTP reaches the sockets too.
    await send(owner, room.id, 'one more');
    expect((await markRead(member, room.id, lastSeq + 1)).status).toBe(200);
    await waitFor(() => heard.laptop.length === 2 && heard.phone.length === 2, 3000, 'the HTTP read to reach both devices');
    expect(heard.laptop[1]).toMatchObject({ seq: lastSeq + 1 });
    await sleep(100);
    expect(heard.owner).toEqual([]);

    const refused = await ownerLive.emitAck('read', { roomId: randomUUID(), seq: 1 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    const malformed = await phone.emitAck('read', { roomId: room.id, seq: -5 });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const outsiderLive = await connect(server.url, outsider.token);
    expect(await outsiderLive.emitAck('read', { roomId: room.id, seq: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_A_MEMBER' } });
    for (const client of [phone, laptop, ownerLive, outsiderLive]) client.close();
  });
});
