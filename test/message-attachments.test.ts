/**
 * Messages that carry attachments, through HTTP and Socket.IO: the upload is sent by id, the
 * stored message shows it everywhere a message appears (ack, live event, history, sync), every
 * refusal stores nothing, two sends racing for one upload store one message, a held message
 * keeps its photos through approval, and a recall takes the photos away from members at once
 * while staff keep them as evidence.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, messages } from '../drizzle/schema.ts';
import { call, connect, createRoom, joinRoom, signUp, uniqueName, waitFor, type TestUser } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { PNG_1X1 } from './media/fixtures.ts';
import { RELAXED } from './review/fixtures.ts';

let server: TestServer;
let mediaDir: string;

beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), 'quanzi-message-attachments-test-'));
  server = await startTestServer({ env: { MEDIA_DIR: mediaDir } });
});
afterAll(async () => {
  await server?.close();
  await rm(mediaDir, { recursive: true, force: true });
});

async function upload(user: TestUser, roomId: string, bytes: Buffer | string, name: string): Promise<any> {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  const response = await fetch(`${server.url}/v1/rooms/${roomId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body.attachment;
}

const send = (user: TestUser, roomId: string, body: Record<string, unknown>) =>
  call(server.url, 'POST', `/v1/rooms/${roomId}/messages`, { token: user.token, body: { clientMsgId: uniqueName('m'), text: '', ...body } });
const fetchBytes = (user: TestUser, id: string) => fetch(`${server.url}/v1/attachments/${id}`, { headers: { authorization: `Bearer ${user.token}` } });
const messageRows = (roomId: string) => server.app.deps.db.select().from(messages).where(eq(messages.roomId, roomId));
const attachmentRow = async (id: string) => (await server.app.deps.db.select().from(attachments).where(eq(attachments.id, id)))[0]!;

/** A room whose members are past probation, so their photos are ready at once. */
async function relaxedRoom(): Promise<{ owner: TestUser; member: TestUser; other: TestUser; roomId: string }> {
  const [owner, member, other] = await Promise.all([signUp(server.url), signUp(server.url), signUp(server.url)]);
  const room = await createRoom(server.url, owner);
  expect((await call(server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: RELAXED })).status).toBe(200);
  await joinRoom(server.url, member, room.id);
  await joinRoom(server.url, other, room.id);
  return { owner, member, other, roomId: room.id };
}

describe('sending attachments', () => {
  it('a photo without a caption reaches the room over the socket, and history and sync show it', async () => {
    const { member, other, roomId } = await relaxedRoom();
    const photo = await upload(member, roomId, PNG_1X1, 'cat.png');
    const [sender, reader] = await Promise.all([connect(server.url, member.token), connect(server.url, other.token)]);
    try {
      const ack = await sender.send({ roomId, text: '', clientMsgId: uniqueName('m'), attachments: [photo.id] });
      expect(ack).toMatchObject({ ok: true, duplicate: false, message: { text: '', attachments: [photo] } });
      await waitFor(() => reader.received.some((m) => m.seq === ack.message.seq), 5000, 'the live message');
      expect(reader.received.find((m) => m.seq === ack.message.seq)!.attachments).toEqual([photo]);

      const history = await call(server.url, 'GET', `/v1/rooms/${roomId}/messages`, { token: other.token });
      expect(history.body.messages.at(-1)).toMatchObject({ seq: ack.message.seq, attachments: [photo] });
      const sync = await reader.emitAck('sync', { cursors: { [roomId]: ack.message.seq - 1 } });
      expect(JSON.stringify(sync)).toContain(photo.id);
      expect((await attachmentRow(photo.id)).seq).toBe(ack.message.seq);
    } finally {
      sender.close();
      reader.close();
    }
  });

  it('keeps the order given, up to nine, with a caption', async () => {
    const { member, roomId } = await relaxedRoom();
    const photos = [];
    for (let i = 0; i < 9; i++) photos.push(await upload(member, roomId, `notes page ${i}`, `page-${i}.txt`));
    const order = [...photos].reverse();
    const sent = await send(member, roomId, { text: 'past papers 2025', attachments: order.map((a) => a.id) });
    expect(sent.status).toBe(201);
    expect(sent.body.message.attachments.map((a: any) => a.id)).toEqual(order.map((a) => a.id));
    expect(sent.body.message.text).toBe('past papers 2025');

    const ten = await send(member, roomId, { attachments: [...photos.map((a) => a.id), crypto.randomUUID()] });
    expect(ten.status).toBe(400);
    expect(ten.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses what may not be sent, with a code, storing nothing', async () => {
    const { owner, member, other, roomId } = await relaxedRoom();
    const elsewhere = await createRoom(server.url, member);
    const theirs = await upload(other, roomId, PNG_1X1, 'theirs.png');
    const otherRoom = await upload(member, elsewhere.id, PNG_1X1, 'elsewhere.png');
    const mine = await upload(member, roomId, 'hello', 'note.txt');
    const before = (await messageRows(roomId)).length;

    const cases: Array<[string, Record<string, unknown>, number, string]> = [
      ['someone else’s upload', { attachments: [theirs.id] }, 404, 'ATTACHMENT_NOT_FOUND'],
      ['an upload in another room', { attachments: [otherRoom.id] }, 404, 'ATTACHMENT_NOT_FOUND'],
      ['an id that does not exist', { attachments: [crypto.randomUUID()] }, 404, 'ATTACHMENT_NOT_FOUND'],
      ['nothing at all', { text: '   ' }, 400, 'MESSAGE_EMPTY'],
      ['the same id twice', { attachments: [mine.id, mine.id] }, 400, 'VALIDATION_FAILED'],
      ['mine beside someone else’s', { attachments: [mine.id, theirs.id] }, 404, 'ATTACHMENT_NOT_FOUND'],
    ];
    for (const [what, body, status, code] of cases) {
      const reply = await send(member, roomId, body);
      expect(reply.status, what).toBe(status);
      expect(reply.body.error.code, what).toBe(code);
    }
    expect(await messageRows(roomId)).toHaveLength(before);
    expect((await attachmentRow(mine.id)).seq).toBeNull();

    const first = await send(member, roomId, { attachments: [mine.id] });
    expect(first.status).toBe(201);
    const again = await send(member, roomId, { text: 'once more', attachments: [mine.id] });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ATTACHMENT_ALREADY_SENT', details: { attachmentId: mine.id, seq: first.body.message.seq } });
    expect(await messageRows(roomId)).toHaveLength(before + 1);

    // Still refused when the owner tries it: whose upload it is decides, not rank.
    expect((await send(owner, roomId, { attachments: [theirs.id] })).body.error.code).toBe('ATTACHMENT_NOT_FOUND');
  });

  it("a newcomer's photo held by probation cannot be sent until it is ready", async () => {
    const owner = await signUp(server.url);
    const newcomer = await signUp(server.url);
    const room = await createRoom(server.url, owner);
    await joinRoom(server.url, newcomer, room.id);
    const held = await upload(newcomer, room.id, PNG_1X1, 'me.png');
    expect(held.status).toBe('held');
    const reply = await send(newcomer, room.id, { attachments: [held.id] });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: 'ATTACHMENT_NOT_READY', details: { status: 'held', reasons: ['PROBATION_IMAGE'] } });
    expect(await messageRows(room.id)).toHaveLength((await messageRows(room.id)).filter((m) => m.kind === 'system').length);
  });

  it('two sends racing for one upload store one message', async () => {
    const { member, roomId } = await relaxedRoom();
    const photo = await upload(member, roomId, PNG_1X1, 'race.png');
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => send(member, roomId, { text: `take ${i}`, attachments: [photo.id] })));
    const stored = replies.filter((r) => r.status === 201);
    expect(stored).toHaveLength(1);
    for (const refused of replies.filter((r) => r.status !== 201)) expect(refused.body.error.code).toBe('ATTACHMENT_ALREADY_SENT');
    const carrying = (await messageRows(roomId)).filter((m) => JSON.stringify(m.attachments).includes(photo.id));
    expect(carrying).toHaveLength(1);
  });

  it('a retry with the same clientMsgId returns the original; with other attachments it is refused', async () => {
    const { member, roomId } = await relaxedRoom();
    const [a, b] = [await upload(member, roomId, 'a', 'a.txt'), await upload(member, roomId, 'b', 'b.txt')];
    const clientMsgId = uniqueName('m');
    const first = await send(member, roomId, { clientMsgId, attachments: [a.id] });
    const retry = await send(member, roomId, { clientMsgId, attachments: [a.id] });
    expect(retry.status).toBe(200);
    expect(retry.body.message.id).toBe(first.body.message.id);
    const reused = await send(member, roomId, { clientMsgId, attachments: [b.id] });
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('held messages and recall', () => {
  it('a held message keeps its photo: approval delivers both, and only then can members fetch it', async () => {
    const { owner, member, other, roomId } = await relaxedRoom();
    const photo = await upload(member, roomId, PNG_1X1, 'flyer.png');
    const held = await send(member, roomId, { text: '我手机号 13812345678，有事找我', attachments: [photo.id] });
    expect(held.status).toBe(202);
    const heldId = held.body.error.details.heldId;
    const queue = await call(server.url, 'GET', `/v1/rooms/${roomId}/review`, { token: owner.token });
    expect(queue.body.held.find((h: any) => h.id === heldId).attachments).toEqual([photo]);

    const approved = await call(server.url, 'POST', `/v1/rooms/${roomId}/review/${heldId}/approve`, { token: owner.token });
    expect(approved.status).toBe(200);
    expect(approved.body.message.attachments).toEqual([photo]);
    expect((await attachmentRow(photo.id)).seq).toBe(approved.body.message.seq);
    expect((await fetchBytes(other, photo.id)).status).toBe(200);
  });

  it('recall takes the photo away from members at once; the owner keeps it as evidence', async () => {
    const { owner, member, other, roomId } = await relaxedRoom();
    const photo = await upload(member, roomId, PNG_1X1, 'oops.png');
    const sent = await send(member, roomId, { text: 'wrong group', attachments: [photo.id] });
    const reader = await connect(server.url, other.token);
    try {
      expect((await fetchBytes(other, photo.id)).status).toBe(200);
      const recalled = await call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${sent.body.message.seq}/recall`, { token: member.token });
      expect(recalled.status).toBe(200);

      const gone = await fetchBytes(other, photo.id);
      expect(gone.status).toBe(404);
      expect((await gone.json()).error.code).toBe('ATTACHMENT_NOT_FOUND');
      expect((await fetchBytes(member, photo.id)).status).toBe(404);
      const history = await call(server.url, 'GET', `/v1/rooms/${roomId}/messages`, { token: other.token });
      expect(history.body.messages.find((m: any) => m.seq === sent.body.message.seq)).toMatchObject({ text: '', attachments: [] });

      expect((await fetchBytes(owner, photo.id)).status).toBe(200);
      const original = await call(server.url, 'GET', `/v1/rooms/${roomId}/messages/${sent.body.message.seq}/recalled`, { token: owner.token });
      expect(original.body).toMatchObject({ originalText: 'wrong group', originalAttachments: [photo] });
    } finally {
      reader.close();
    }
  });
});
