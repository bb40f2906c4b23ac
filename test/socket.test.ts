import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, connectError, createRoom, joinRoom, postMessage, signUp, sleep, uniqueName, waitFor, type TestUser } from './helpers/clients.ts';
import { castRoom } from './helpers/rooms.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import type { Room } from '../shared/schemas.ts';

let server: TestServer;
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
let room: Room;

beforeAll(async () => {
  server = await startTestServer();
  ({ room, owner, members: [member] } = await castRoom(server.url, { members: 1 }, { name: 'Go study group' }));
  outsider = await signUp(server.url);
});
afterAll(() => server?.close());

describe('socket handshake', () => {
  it('refuses a missing or bad token with a clear reason', async () => {
    for (const token of [undefined, 'qzs_forged']) {
      const error = await connectError(server.url, token);
      expect(error.message).toMatch(/sign in/i);
      expect(error.data).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });
});

describe('live messages', () => {
  it('acks a send with the stored message and delivers it to every member, not to outsiders', async () => {
    const [alice, bob, eve] = await Promise.all([connect(server.url, owner.token), connect(server.url, member.token), connect(server.url, outsider.token)]);
    const ack = await alice.send({ roomId: room.id, text: 'Who is doing the concurrency chapter?', clientMsgId: uniqueName() });
    expect(ack.ok).toBe(true);
    expect(ack.message).toMatchObject({ roomId: room.id, text: 'Who is doing the concurrency chapter?', sender: { id: owner.id } });
    await waitFor(() => bob.received.length === 1 && alice.received.length === 1, 3000, 'delivery');
    expect(bob.received[0]).toEqual(ack.message);
    expect(alice.received[0]).toEqual(ack.message);

    // An HTTP send takes the same path and reaches sockets too.
    const viaHttp = await postMessage(server.url, member, room.id, 'Me! Channels and select.');
    await waitFor(() => alice.received.length === 2, 3000, 'HTTP send to reach sockets');
    expect(alice.received[1]).toEqual(viaHttp.body.message);

    const denied = await eve.send({ roomId: room.id, text: 'hi all', clientMsgId: uniqueName() });
    expect(denied).toEqual({ ok: false, error: { code: 'NOT_A_MEMBER', message: expect.any(String) } });
    await sleep(100);
    expect(eve.received).toEqual([]);
    for (const c of [alice, bob, eve]) c.close();
  });

  it('retrying a send with the same clientMsgId returns the original and broadcasts nothing new', async () => {
    const [alice, bob] = await Promise.all([connect(server.url, owner.token), connect(server.url, member.token)]);
    const payload = { roomId: room.id, text: 'Meetup at the library, 7pm', clientMsgId: uniqueName() };
    const [first, second] = await Promise.all([alice.send(payload), alice.send(payload)]);
    const third = await alice.send(payload);
    expect(first.ok && second.ok && third.ok).toBe(true);
    expect(second.message).toEqual(first.message);
    expect(third.message).toEqual(first.message);
    await sleep(200);
    expect(bob.received.filter((m) => m.text === payload.text)).toHaveLength(1);
    alice.close();
    bob.close();
  });

  it('answers malformed payloads with an error ack and keeps serving', async () => {
    const alice = await connect(server.url, owner.token);
    const bad: Array<[unknown, string]> = [
      [null, 'VALIDATION_FAILED'],
      ['text', 'VALIDATION_FAILED'],
      [{ roomId: 'nope', text: 'x', clientMsgId: 'a' }, 'VALIDATION_FAILED'],
      [{ roomId: room.id, text: 7, clientMsgId: 'a' }, 'VALIDATION_FAILED'],
      [{ roomId: room.id, text: 'x', clientMsgId: 'a', admin: true }, 'VALIDATION_FAILED'],
      [{ roomId: room.id, text: '', clientMsgId: 'a' }, 'MESSAGE_EMPTY'],
      [{ roomId: room.id, text: ' \t ', clientMsgId: 'a' }, 'MESSAGE_EMPTY'],
      [{ roomId: room.id, text: 'y'.repeat(4001), clientMsgId: 'a' }, 'MESSAGE_TOO_LONG'],
      [{ roomId: room.id, text: 'nul\u0000inside', clientMsgId: 'a' }, 'VALIDATION_FAILED'],
      [{ roomId: room.id, text: 'half \udc00 a pair', clientMsgId: 'a' }, 'VALIDATION_FAILED'],
      [{ roomId: '22222222-2222-4222-8222-222222222222', text: 'x', clientMsgId: 'a' }, 'ROOM_NOT_FOUND'],
    ];
    for (const [payload, code] of bad) {
      const ack = await alice.send(payload);
      expect(ack.ok, JSON.stringify(payload)?.slice(0, 60)).toBe(false);
      expect(ack.error.code).toBe(code);
    }
    // Without an ack callback there is nobody to answer; the gateway must not fall over.
    alice.socket.emit('message:send', { roomId: room.id, text: 'no ack', clientMsgId: uniqueName() });
    alice.socket.emit('sync', 'garbage');
    const badSync = await alice.emitAck('sync', { cursors: { 'not-a-uuid': 1 } });
    expect(badSync.error.code).toBe('VALIDATION_FAILED');
    const ok = await alice.send({ roomId: room.id, text: 'still here', clientMsgId: uniqueName() });
    expect(ok.ok).toBe(true);
    const page = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages?limit=100`, { token: owner.token });
    expect(page.body.messages.some((m: any) => m.text === 'no ack')).toBe(false);
    alice.close();
  });

  it('joining and leaving over HTTP updates the live sockets of that user at once', async () => {
    const newcomer = await signUp(server.url);
    const [alice, carol] = await Promise.all([connect(server.url, owner.token), connect(server.url, newcomer.token)]);
    await alice.send({ roomId: room.id, text: 'before carol joined', clientMsgId: uniqueName() });
    await joinRoom(server.url, newcomer, room.id);
    const afterJoin = await alice.send({ roomId: room.id, text: 'welcome carol', clientMsgId: uniqueName() });
    await waitFor(() => carol.received.some((m) => m.id === afterJoin.message.id), 3000, 'carol to receive');
    expect(carol.received.map((m) => m.text)).not.toContain('before carol joined');
    expect(carol.received.some((m) => m.kind === 'system' && m.data?.event === 'member.joined')).toBe(true);

    await call(server.url, 'POST', `/v1/rooms/${room.id}/leave`, { token: newcomer.token });
    const countAtLeave = carol.received.length;
    await alice.send({ roomId: room.id, text: 'carol left', clientMsgId: uniqueName() });
    await sleep(200);
    expect(carol.received).toHaveLength(countAtLeave);
    alice.close();
    carol.close();
  });
});

describe('catch-up with sync', () => {
  it('a reconnecting client syncs exactly what it missed: no gap, no duplicate', async () => {
    const syncRoom = await createRoom(server.url, owner, { name: 'Sync room' });
    await joinRoom(server.url, member, syncRoom.id);
    const bob = await connect(server.url, member.token);
    const alice = await connect(server.url, owner.token);
    for (let i = 0; i < 5; i++) await alice.send({ roomId: syncRoom.id, text: `online ${i}`, clientMsgId: uniqueName() });
    await waitFor(() => bob.received.length === 5, 3000, 'live messages');
    const lastSeen = bob.received.at(-1)!.seq;
    bob.close();

    // 230 messages while Bob is away: more than one sync page.
    for (let i = 0; i < 230; i++) await alice.send({ roomId: syncRoom.id, text: `offline ${i}`, clientMsgId: uniqueName() });

    const back = await connect(server.url, member.token);
    // Live traffic keeps flowing while Bob catches up; the client merges by seq.
    const concurrent = alice.send({ roomId: syncRoom.id, text: 'during sync', clientMsgId: uniqueName() });
    const seen = new Map<number, string>(bob.received.map((m) => [m.seq, m.text]));
    let cursor = lastSeen;
    for (;;) {
      const ack = await back.emitAck('sync', { cursors: { [syncRoom.id]: cursor } });
      expect(ack.ok).toBe(true);
      const page = ack.rooms[syncRoom.id];
      for (const m of page.messages) {
        expect(seen.has(m.seq)).toBe(false);
        seen.set(m.seq, m.text);
      }
      if (page.messages.length) cursor = page.messages.at(-1).seq;
      if (!page.hasMore) break;
    }
    await concurrent;
    await sleep(100);
    for (const m of back.received) seen.set(m.seq, m.text);
    const stored = await call(server.url, 'GET', `/v1/rooms/${syncRoom.id}`, { token: owner.token });
    const first = Math.min(...seen.keys());
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: stored.body.room.lastSeq - first + 1 }, (_, i) => first + i));
    alice.close();
    back.close();
  });

  it('reports rooms the user does not belong to instead of leaking them', async () => {
    const eve = await connect(server.url, outsider.token);
    const ack = await eve.emitAck('sync', { cursors: { [room.id]: 0 } });
    expect(ack).toEqual({ ok: true, rooms: {}, notMember: [room.id] });
    eve.close();
  });
});
