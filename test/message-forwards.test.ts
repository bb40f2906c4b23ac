/**
 * Forwarding (转发) a message into another room: attribution, attachments that members of the
 * destination can open, the destination's speaking and safety rules, the source owner's switch,
 * and idempotent retries.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png, sendAttachments, upload } from './helpers/attachments.ts';
import { call, connect, joinRoom, postMessage, signUp, uniqueName, waitFor, type TestUser } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function newRoom(owner: TestUser, body: Record<string, unknown> = {}): Promise<string> {
  const reply = await call(server.url, 'POST', '/v1/rooms', { token: owner.token, body: { name: 'Forward room', ...body } });
  return reply.body.room.id;
}

const forward = (user: TestUser, roomId: string, seq: number, toRoomId: string, clientMsgId = uniqueName('f')) =>
  call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${seq}/forward`, { token: user.token, body: { toRoomId, clientMsgId } });

describe('forwarding a message', () => {
  it('posts it in the destination with "forwarded from", its photo openable by the destination only, live and once per clientMsgId', async () => {
    const owner = await signUp(server.url);
    const forwarder = await signUp(server.url);
    const reader = await signUp(server.url);
    const source = await newRoom(owner, { name: 'Darkroom' });
    const destination = await newRoom(owner, { name: 'Photo walk' });
    await joinRoom(server.url, forwarder, source);
    await joinRoom(server.url, forwarder, destination);
    await joinRoom(server.url, reader, destination);
    const bytes = png('forwarded photo');
    const photo = await upload(server.url, owner, source, bytes, 'roll.png');
    const original = await sendAttachments(server.url, owner, source, [photo.id], 'Portra 400, first roll');

    const live = await connect(server.url, reader.token);
    try {
      const clientMsgId = uniqueName('f');
      const reply = await forward(forwarder, source, original.seq, destination, clientMsgId);
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      const message = reply.body.message;
      expect(message).toMatchObject({
        roomId: destination,
        text: 'Portra 400, first roll',
        sender: { id: forwarder.id },
        forwardedFrom: { roomId: source, roomName: 'Darkroom', seq: original.seq, sender: { id: owner.id, displayName: owner.displayName }, createdAt: original.message.createdAt },
      });
      expect(message.attachments).toHaveLength(1);
      expect(message.attachments[0]).toMatchObject({ roomId: destination, name: 'roll.png', sha256: photo.sha256, kind: 'image' });
      expect(message.attachments[0].id).not.toBe(photo.id);
      await waitFor(() => live.received.some((m) => m.id === message.id), 5000, 'the forward to arrive live');

      // The reader is not in the source room, yet opens the forwarded photo; the original stays theirs.
      const bytesSeen = await fetch(`${server.url}/v1/attachments/${message.attachments[0].id}`, { headers: { authorization: `Bearer ${reader.token}` } });
      expect(bytesSeen.status).toBe(200);
      expect(createHash('sha256').update(Buffer.from(await bytesSeen.arrayBuffer())).digest('hex')).toBe(photo.sha256);
      expect((await fetch(`${server.url}/v1/attachments/${photo.id}`, { headers: { authorization: `Bearer ${reader.token}` } })).status).not.toBe(200);

      const retry = await forward(forwarder, source, original.seq, destination, clientMsgId);
      expect(retry.status).toBe(200);
      expect(retry.body.message.id).toBe(message.id);
      const reused = await forward(forwarder, source, original.seq, source, clientMsgId);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const inDestination = (await call(server.url, 'GET', `/v1/rooms/${destination}/messages`, { token: reader.token })).body.messages.filter((m: any) => m.forwardedFrom);
      expect(inDestination.map((m: any) => m.id)).toEqual([message.id]);

      // Forwarded on, it still names where it was written.
      const third = await newRoom(forwarder, { name: 'Elsewhere' });
      const again = await forward(forwarder, destination, message.seq, third);
      expect(again.body.message.forwardedFrom).toMatchObject({ roomId: source, seq: original.seq, sender: { id: owner.id } });

      // The source room's staff can see what left it, and where to.
      const audit = await call(server.url, 'GET', `/v1/rooms/${source}/audit`, { token: owner.token });
      expect(audit.body.entries[0]).toMatchObject({ action: 'message.forward', actorId: forwarder.id, targetSeq: original.seq, details: { toRoomId: destination, toSeq: message.seq } });
    } finally {
      live.close();
    }
  });

  it("applies the destination's speaking and safety rules", async () => {
    const owner = await signUp(server.url);
    const member = await signUp(server.url);
    const source = await newRoom(owner);
    const destination = await newRoom(owner);
    await joinRoom(server.url, member, source);
    await joinRoom(server.url, member, destination);
    const phone = (await postMessage(server.url, owner, source, '我手机号 13812345678，有事找我')).body.message.seq;
    const plain = (await postMessage(server.url, owner, source, 'plain words')).body.message.seq;

    // The owner may post a phone number; a member forwarding it is judged as a member.
    const held = await forward(member, source, phone, destination);
    expect(held.status).toBe(202);
    expect(held.body.error.code).toBe('HELD_FOR_REVIEW');

    await call(server.url, 'POST', `/v1/rooms/${destination}/members/${member.id}/mute`, { token: owner.token, body: { durationSeconds: 600 } });
    const muted = await forward(member, source, plain, destination);
    expect(muted.status).toBe(403);
    expect(muted.body.error.code).toBe('MUTED');

    const outsider = await signUp(server.url);
    await joinRoom(server.url, outsider, source);
    const notMember = await forward(outsider, source, plain, destination);
    expect(notMember.status).toBe(403);
    expect(notMember.body.error.code).toBe('NOT_A_MEMBER');
    const noRoom = await forward(member, source, plain, '33333333-3333-4333-8333-333333333333');
    expect(noRoom.body.error.code).toBe('ROOM_NOT_FOUND');
    expect((await forward(outsider, destination, 1, source)).body.error.code).toBe('NOT_A_MEMBER');

    const messages = (await call(server.url, 'GET', `/v1/rooms/${destination}/messages`, { token: owner.token })).body.messages;
    expect(messages.filter((m: any) => m.kind === 'text')).toEqual([]);
  });

  it('is refused from a private room whose owner turned forwarding off, and for what members cannot read', async () => {
    const owner = await signUp(server.url);
    const member = await signUp(server.url);
    const priv = await newRoom(owner, { visibility: 'private' });
    const destination = await newRoom(member);
    const invite = (await call(server.url, 'POST', `/v1/rooms/${priv}/invites`, { token: owner.token, body: {} })).body.invite;
    await call(server.url, 'POST', `/v1/invites/${invite.code}/accept`, { token: member.token });
    const seq = (await postMessage(server.url, owner, priv, 'family only')).body.message.seq;
    const recalled = (await postMessage(server.url, owner, priv, 'oops')).body.message.seq;
    await call(server.url, 'POST', `/v1/rooms/${priv}/messages/${recalled}/recall`, { token: owner.token });

    expect((await forward(member, priv, recalled, destination)).body.error.code).toBe('MESSAGE_RECALLED');
    expect((await forward(member, priv, 9999, destination)).body.error.code).toBe('MESSAGE_NOT_FOUND');
    const systemSeq = (await call(server.url, 'GET', `/v1/rooms/${priv}/messages`, { token: owner.token })).body.messages.find((m: any) => m.kind === 'system').seq;
    expect((await forward(member, priv, systemSeq, destination)).body.error.code).toBe('FORBIDDEN');

    // Only the owner chooses.
    const byMember = await call(server.url, 'PATCH', `/v1/rooms/${priv}`, { token: member.token, body: { membersCanForward: false } });
    expect(byMember.status).toBe(403);
    const off = await call(server.url, 'PATCH', `/v1/rooms/${priv}`, { token: owner.token, body: { membersCanForward: false } });
    expect(off.body.room.membersCanForward).toBe(false);
    const refused = await forward(member, priv, seq, destination);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORWARDING_DISABLED');

    await call(server.url, 'PATCH', `/v1/rooms/${priv}`, { token: owner.token, body: { membersCanForward: true } });
    expect((await forward(member, priv, seq, destination)).status).toBe(201);
  });
});
