/** Typing indicators: relayed to the room's other members, never stored, throttled, members only. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TYPING_INTERVAL_MS, type Room, type TypingEvent } from '../../shared/schemas.ts';
import { call, connect, createRoom, signUp, sleep, waitFor, type LiveClient, type TestUser, joinRoom } from '../helpers/clients.ts';
import { castRoom } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';


let server: TestServer;
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
let room: Room;

beforeAll(async () => {
  server = await startTestServer();
  ({ room, owner, members: [member] } = await castRoom(server.url, { members: 1 }, { name: 'Typists' }));
  outsider = await signUp(server.url);
});
afterAll(() => server?.close());

function typingHeard(client: LiveClient): TypingEvent[] {
  const heard: TypingEvent[] = [];
  client.socket.on('typing', (event: TypingEvent) => heard.push(event));
  return heard;
}

describe('typing', () => {
  it('reaches the other members, not the typist’s own devices, and is never stored', async () => {
    const [ownerPhone, ownerLaptop, memberLive, outsiderLive] = await Promise.all([
      connect(server.url, owner.token),
      connect(server.url, owner.token),
      connect(server.url, member.token),
      connect(server.url, outsider.token),
    ]);
    const heard = { ownerPhone: typingHeard(ownerPhone), ownerLaptop: typingHeard(ownerLaptop), member: typingHeard(memberLive), outsider: typingHeard(outsiderLive) };

    const lastSeqBefore = (await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token })).body.room.lastSeq;
    const ack = await ownerPhone.emitAck('typing', { roomId: room.id });
    expect(ack).toEqual({ ok: true, relayed: true });
    await waitFor(() => heard.member.length === 1, 3000, 'the typing event');
    expect(heard.member[0]).toEqual({ roomId: room.id, user: { id: owner.id, displayName: owner.displayName } });
    await sleep(150);
    expect(heard.ownerPhone).toEqual([]);
    expect(heard.ownerLaptop).toEqual([]);
    expect(heard.outsider).toEqual([]);

    const after = await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token });
    expect(after.body.room.lastSeq).toBe(lastSeqBefore);
    for (const client of [ownerPhone, ownerLaptop, memberLive, outsiderLive]) client.close();
  });

  it(`relays at most one indicator per user and room every ${TYPING_INTERVAL_MS} ms`, async () => {
    // Fresh rooms: the indicator sent in the test above may still hold the slot in `room`.
    const [busyRoom, otherRoom] = [await createRoom(server.url, owner, { name: 'Busy typists' }), await createRoom(server.url, owner, { name: 'Second room' })];
    await joinRoom(server.url, member, busyRoom.id);
    await joinRoom(server.url, member, otherRoom.id);
    const [ownerLive, memberLive] = await Promise.all([connect(server.url, owner.token), connect(server.url, member.token)]);
    const heardByMember = typingHeard(memberLive);
    const heardByOwner = typingHeard(ownerLive);

    const acks = [];
    for (let i = 0; i < 5; i++) acks.push(await ownerLive.emitAck('typing', { roomId: busyRoom.id }));
    expect(acks.map((ack) => ack.relayed)).toEqual([true, false, false, false, false]);
    expect(acks.every((ack) => ack.ok)).toBe(true);
    // The throttle is per user and per room: another room, or another typist, is not held back.
    expect(await ownerLive.emitAck('typing', { roomId: otherRoom.id })).toEqual({ ok: true, relayed: true });
    expect(await memberLive.emitAck('typing', { roomId: busyRoom.id })).toEqual({ ok: true, relayed: true });
    await waitFor(() => heardByMember.length === 2 && heardByOwner.length === 1, 3000, 'the relayed indicators');
    await sleep(200);
    expect(heardByMember.map((e) => e.roomId).sort()).toEqual([busyRoom.id, otherRoom.id].sort());
    expect(heardByOwner).toEqual([{ roomId: busyRoom.id, user: { id: member.id, displayName: member.displayName } }]);

    await sleep(TYPING_INTERVAL_MS);
    expect(await ownerLive.emitAck('typing', { roomId: busyRoom.id })).toEqual({ ok: true, relayed: true });
    await waitFor(() => heardByMember.length === 3, 3000, 'the indicator after the interval');
    ownerLive.close();
    memberLive.close();
  });

  it('refuses non-members every time, and malformed payloads', async () => {
    const [outsiderLive, memberLive] = await Promise.all([connect(server.url, outsider.token), connect(server.url, member.token)]);
    const heardByMember = typingHeard(memberLive);
    for (let i = 0; i < 3; i++) {
      expect(await outsiderLive.emitAck('typing', { roomId: room.id })).toMatchObject({ ok: false, error: { code: 'NOT_A_MEMBER' } });
    }
    expect(await outsiderLive.emitAck('typing', { roomId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    for (const payload of [null, { roomId: 'nope' }, { roomId: room.id, text: 'extra' }, {}]) {
      expect(await memberLive.emitAck('typing', payload)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    // Without an ack there is nobody to answer; the gateway says so and keeps serving.
    const complaints: unknown[] = [];
    memberLive.socket.on('error:event', (event) => complaints.push(event));
    memberLive.socket.emit('typing', { roomId: room.id });
    await waitFor(() => complaints.length === 1, 3000, 'the error:event');
    await sleep(100);
    expect(heardByMember).toEqual([]);
    outsiderLive.close();
    memberLive.close();
  });
});
