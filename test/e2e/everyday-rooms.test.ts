/**
 * Visibility, preview, search, edit and forward across two gateway processes on real PostgreSQL
 * and Redis: what one gateway changes, a member connected to the other sees live, and what a room
 * hides stays hidden on both.
 */
import { describe, expect, it } from 'vitest';
import type { RoomChange } from '../../shared/schemas.ts';
import { call, connect, joinRoom, postMessage, signUp, uniqueName, waitFor } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';

describe('everyday group life across two gateways', () => {
  const gateways = twoGatewaysPerSuite();

  it('an edit made through one gateway reaches a member on the other, live and by sync, and search finds the new text', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const owner = await signUp(a);
    const member = await signUp(a);
    const roomId = (await call(a, 'POST', '/v1/rooms', { token: owner.token, body: { name: 'Across' } })).body.room.id;
    await joinRoom(a, member, roomId);
    const onB = await connect(b, member.token);
    const changes: RoomChange[] = [];
    onB.socket.on('room:change', (change: RoomChange) => changes.push(change));
    try {
      const sent = (await postMessage(a, owner, roomId, '今天去拍胶片')).body.message;
      const lastChange = (await call(b, 'GET', `/v1/rooms/${roomId}`, { token: member.token })).body.room.lastChange;
      const edited = await call(a, 'PATCH', `/v1/rooms/${roomId}/messages/${sent.seq}`, { token: owner.token, body: { text: '明天去拍胶片摄影' } });
      expect(edited.status).toBe(200);
      await waitFor(() => changes.some((c) => c.kind === 'edit'), 5000, 'the edit on gateway B');
      expect(changes.find((c) => c.kind === 'edit')).toMatchObject({ kind: 'edit', payload: { seq: sent.seq, message: { text: '明天去拍胶片摄影', editedAt: expect.any(String) } } });
      const sync = await onB.emitAck('sync', { cursors: { [roomId]: { seq: sent.seq, change: lastChange } } });
      expect(sync.rooms[roomId].changes.map((c: RoomChange) => c.kind)).toEqual(['edit']);

      const found = await call(b, 'GET', `/v1/rooms/${roomId}/search?q=${encodeURIComponent('摄影')}`, { token: member.token });
      expect(found.body.results.map((r: any) => r.message.text)).toEqual(['明天去拍胶片摄影']);
      expect((await call(b, 'GET', `/v1/rooms/${roomId}/search?q=${encodeURIComponent('今天')}`, { token: member.token })).body.results).toEqual([]);

      // And the other way: edited over B's socket, seen in A's history.
      const mine = (await postMessage(a, member, roomId, 'see you thre')).body.message;
      const ack = await onB.emitAck('message:edit', { roomId, seq: mine.seq, text: 'see you there' });
      expect(ack.ok).toBe(true);
      const history = (await call(a, 'GET', `/v1/rooms/${roomId}/messages`, { token: owner.token })).body.messages;
      expect(history.find((m: any) => m.seq === mine.seq)).toMatchObject({ text: 'see you there', editedAt: expect.any(String) });
    } finally {
      onB.close();
    }
  });

  it('a forward through one gateway is delivered to the destination on the other', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const owner = await signUp(a);
    const reader = await signUp(b);
    const source = (await call(a, 'POST', '/v1/rooms', { token: owner.token, body: { name: 'Source' } })).body.room.id;
    const destination = (await call(a, 'POST', '/v1/rooms', { token: owner.token, body: { name: 'Destination' } })).body.room.id;
    await joinRoom(b, reader, destination);
    const onB = await connect(b, reader.token);
    try {
      const original = (await postMessage(a, owner, source, 'worth passing on')).body.message;
      const reply = await call(a, 'POST', `/v1/rooms/${source}/messages/${original.seq}/forward`, { token: owner.token, body: { toRoomId: destination, clientMsgId: uniqueName('f') } });
      expect(reply.status).toBe(201);
      await waitFor(() => onB.received.some((m) => m.id === reply.body.message.id), 5000, 'the forward on gateway B');
      expect(onB.received.find((m) => m.id === reply.body.message.id)).toMatchObject({ text: 'worth passing on', forwardedFrom: { roomId: source, roomName: 'Source', seq: original.seq } });
    } finally {
      onB.close();
    }
  });

  it('a room hidden through one gateway is listed on neither, and its preview follows its settings', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const owner = await signUp(a);
    const stranger = await signUp(b);
    const marker = uniqueName('club');
    const roomId = (await call(a, 'POST', '/v1/rooms', { token: owner.token, body: { name: `Club ${marker}`, tags: [marker], preview: true } })).body.room.id;
    await postMessage(a, owner, roomId, 'welcome, have a look');
    expect((await call(b, 'GET', `/v1/rooms?tag=${marker}`, { token: stranger.token })).body.rooms.map((r: any) => r.id)).toEqual([roomId]);
    expect((await call(b, 'GET', `/v1/rooms/${roomId}/preview`, { token: stranger.token })).body.messages.map((m: any) => m.text)).toEqual(['welcome, have a look']);

    expect((await call(a, 'PATCH', `/v1/rooms/${roomId}`, { token: owner.token, body: { visibility: 'private' } })).status).toBe(200);
    for (const url of [a, b]) {
      expect((await call(url, 'GET', `/v1/rooms?tag=${marker}`, { token: stranger.token })).body.rooms).toEqual([]);
      expect((await call(url, 'GET', `/v1/rooms?q=${marker}`, { token: owner.token })).body.rooms).toEqual([]);
      expect((await call(url, 'GET', `/v1/rooms/${roomId}/preview`, { token: stranger.token })).body.error.code).toBe('ROOM_NOT_FOUND');
      expect((await call(url, 'GET', `/v1/rooms/${roomId}`, { token: stranger.token })).body.error.code).toBe('ROOM_NOT_FOUND');
    }
  });
});
