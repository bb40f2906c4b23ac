/** The SDK against a real gateway: catch-up after reconnects, duplicates, gaps, safe retries. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuanziClient, type ConnectionState, type QuanziError } from '../../client/sdk/index.ts';
import type { Message, Room } from '../../shared/schemas.ts';
import { call, createRoom, joinRoom, postMessage, signUp, sleep, uniqueName, waitFor, type TestUser } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { PNG_1X1, zipWith } from '../media/fixtures.ts';

let server: TestServer;
let owner: TestUser;
let member: TestUser;
const clients: QuanziClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [owner, member] = await Promise.all([signUp(server.url), signUp(server.url)]);
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.close();
});

/** A client that records what it delivers, per room, and its connection states. */
function recordingClient(user: TestUser) {
  const client = new QuanziClient({ baseUrl: server.url, token: user.token, socketOptions: { reconnectionDelay: 100, reconnectionDelayMax: 300 } });
  clients.push(client);
  const delivered: Message[] = [];
  const states: ConnectionState[] = [];
  const gaps: Array<{ roomId: string; cursor: number; seq: number }> = [];
  client.on('message', (m) => delivered.push(m));
  client.on('state', (s) => states.push(s));
  client.on('gap', (g) => gaps.push(g));
  const seqsIn = (roomId: string) => delivered.filter((m) => m.roomId === roomId).map((m) => m.seq);
  return { client, delivered, states, gaps, seqsIn };
}

async function freshRoom(): Promise<Room> {
  const room = await createRoom(server.url, owner, { name: uniqueName('room') });
  await joinRoom(server.url, member, room.id);
  return room;
}

const lastSeqOf = async (roomId: string): Promise<number> => (await call(server.url, 'GET', `/v1/rooms/${roomId}`, { token: owner.token })).body.room.lastSeq;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('QuanziClient realtime', () => {
  it('after a reconnect with messages sent meanwhile, ends with exactly the stored sequence', async () => {
    const room = await freshRoom();
    const bob = recordingClient(member);
    await bob.client.start();
    await bob.client.waitUntilConnected(5_000);
    const startSeq = bob.client.cursorOf(room.id)!.seq;
    for (let i = 0; i < 3; i++) await postMessage(server.url, owner, room.id, `online ${i}`);
    await waitFor(() => bob.seqsIn(room.id).length === 3, 3_000, 'live messages');

    bob.client.disconnect();
    expect(bob.client.connectionState).toBe('offline');
    // More than one sync page (100) while Bob is away.
    for (let i = 0; i < 130; i++) await postMessage(server.url, owner, room.id, `offline ${i}`);

    const synced = new Promise((resolve) => bob.client.once('synced', resolve));
    bob.client.connect();
    // Live traffic keeps flowing while Bob catches up.
    const during = Promise.all([0, 1, 2].map((i) => postMessage(server.url, owner, room.id, `during ${i}`)));
    await synced;
    await during;
    const last = await lastSeqOf(room.id);
    await waitFor(() => bob.seqsIn(room.id).at(-1) === last, 5_000, 'catch-up');
    expect(bob.seqsIn(room.id)).toEqual(range(startSeq + 1, last));
    expect(bob.states).toContain('connected');
  });

  it('reconnects by itself when the connection drops and catches up without doubles', async () => {
    const room = await freshRoom();
    const bob = recordingClient(member);
    await bob.client.start();
    await bob.client.waitUntilConnected(5_000);
    const startSeq = bob.client.cursorOf(room.id)!.seq;

    const sender = new QuanziClient({ baseUrl: server.url, token: owner.token });
    clients.push(sender);
    const sending = (async () => {
      for (let i = 0; i < 40; i++) {
        await sender.send(room.id, `steady ${i}`);
        await sleep(5);
      }
    })();
    await sleep(40);
    // Drop the transport under the socket, as a flaky network would.
    (bob.client as unknown as { socket: { io: { engine: { close(): void } } } }).socket.io.engine.close();
    await sending;
    const last = await lastSeqOf(room.id);
    await waitFor(() => bob.seqsIn(room.id).at(-1) === last, 8_000, 'catch-up after drop');
    expect(bob.seqsIn(room.id)).toEqual(range(startSeq + 1, last));
    expect(bob.states).toContain('reconnecting');
    expect(bob.states.at(-1)).toBe('connected');
  });

  it('a live message that skips ahead of the cursor triggers a sync that fills the gap', async () => {
    const room = await freshRoom();
    for (let i = 0; i < 6; i++) await postMessage(server.url, owner, room.id, `before ${i}`);
    const bob = recordingClient(member);
    await bob.client.start();
    await bob.client.waitUntilConnected(5_000);
    await bob.client.syncNow();
    const newest = bob.client.cursorOf(room.id)!.seq;
    // Pretend Bob only has the room up to three messages ago (say, a notification was dropped).
    bob.client.track(room.id, { seq: newest - 3 });
    await postMessage(server.url, owner, room.id, 'after the gap');
    await waitFor(() => bob.seqsIn(room.id).length === 4, 3_000, 'gap to be filled');
    expect(bob.gaps).toEqual([{ roomId: room.id, cursor: newest - 3, seq: newest + 1 }]);
    expect(bob.seqsIn(room.id)).toEqual(range(newest - 2, newest + 1));
    // Nothing more arrives twice afterwards.
    await postMessage(server.url, owner, room.id, 'and one more');
    await waitFor(() => bob.seqsIn(room.id).length === 5, 3_000, 'next live message');
    expect(bob.seqsIn(room.id)).toEqual(range(newest - 2, newest + 2));
  });

  it('drops duplicates when sync and live delivery overlap', async () => {
    const room = await freshRoom();
    const bob = recordingClient(member);
    await bob.client.start();
    await bob.client.waitUntilConnected(5_000);
    const startSeq = bob.client.cursorOf(room.id)!.seq;
    const posts = Array.from({ length: 10 }, (_, i) => postMessage(server.url, owner, room.id, `burst ${i}`));
    // Syncs racing live delivery, from the same and from older cursors.
    await Promise.all([bob.client.syncNow(), bob.client.syncNow(), ...posts]);
    await bob.client.syncNow();
    const last = await lastSeqOf(room.id);
    await waitFor(() => bob.seqsIn(room.id).at(-1) === last, 3_000, 'burst');
    expect(bob.seqsIn(room.id)).toEqual(range(startSeq + 1, last));
  });

  it('a send whose ack is lost is retried with the same clientMsgId and stored once', async () => {
    const room = await freshRoom();
    const alice = recordingClient(owner);
    await alice.client.start();
    await alice.client.waitUntilConnected(5_000);
    // An ack timeout far shorter than a commit: the first attempt "times out", the retry finds the original.
    const impatient = new QuanziClient({ baseUrl: server.url, token: owner.token, ackTimeoutMs: 1 });
    clients.push(impatient);
    impatient.connect();
    await impatient.waitUntilConnected(5_000);
    const clientMsgId = uniqueName('retry');
    const sent = await impatient.send(room.id, 'said once', { clientMsgId, deadlineMs: 10_000 });
    expect(sent.message.clientMsgId).toBe(clientMsgId);
    await sleep(200);
    const history = await alice.client.history(room.id, { limit: 100 });
    expect(history.messages.filter((m) => m.text === 'said once')).toHaveLength(1);
    expect(alice.delivered.filter((m) => m.text === 'said once')).toHaveLength(1);
  });

  it('a send made while disconnected waits for the reconnection and goes through once', async () => {
    const room = await freshRoom();
    const alice = recordingClient(owner);
    await alice.client.start();
    await alice.client.waitUntilConnected(5_000);
    (alice.client as unknown as { socket: { io: { engine: { close(): void } } } }).socket.io.engine.close();
    expect(alice.client.connectionState).toBe('reconnecting');
    const result = await alice.client.send(room.id, 'sent through the outage');
    expect(result.duplicate).toBe(false);
    await waitFor(() => alice.delivered.some((m) => m.id === result.message.id), 3_000, 'own message delivered');
    expect(alice.delivered.filter((m) => m.text === 'sent through the outage')).toHaveLength(1);
  });

  it('reports refusals with the server code and removes rooms the user left', async () => {
    const room = await freshRoom();
    const bob = recordingClient(member);
    await bob.client.start();
    await bob.client.waitUntilConnected(5_000);
    await expect(bob.client.send(room.id, '   ')).rejects.toMatchObject({ code: 'MESSAGE_EMPTY' });
    await expect(bob.client.getRoom('22222222-2222-4222-8222-222222222222')).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND', status: 404 });

    const removed: string[] = [];
    bob.client.on('removed', ({ roomId }) => removed.push(roomId));
    // Left through another client: this one learns of it on its next sync.
    await call(server.url, 'POST', `/v1/rooms/${room.id}/leave`, { token: member.token });
    await bob.client.syncNow([room.id]);
    expect(removed).toEqual([room.id]);
    expect(bob.client.trackedRooms()).not.toContain(room.id);
  });

  it('goes offline and says so when the token is revoked', async () => {
    const carol = await signUp(server.url);
    const client = recordingClient(carol);
    await client.client.start();
    await client.client.waitUntilConnected(5_000);
    const refused = new Promise<QuanziError>((resolve) => client.client.once('unauthenticated', resolve));
    await call(server.url, 'DELETE', '/v1/sessions/current', { token: carol.token });
    expect((await refused).code).toBe('UNAUTHENTICATED');
    expect(client.client.connectionState).toBe('offline');
  });
});

describe('REST: answers that are outcomes', () => {
  it('a 202 held for review rejects with HELD_FOR_REVIEW instead of resolving to the error body', async () => {
    const room = await freshRoom();
    const rest = new QuanziClient({ baseUrl: server.url, token: member.token }).rest;
    // A member still on probation posting a link: held, as a message and as a 接龙 line.
    const held = rest.postMessage(room.id, { text: 'our club site: https://example.com/club', clientMsgId: uniqueName('m') });
    await expect(held).rejects.toMatchObject({ code: 'HELD_FOR_REVIEW', status: 202 });
    const { signup } = await rest.call('POST /v1/rooms/:roomId/signups', { params: { roomId: room.id }, body: { title: 'Picnic' } });
    await expect(rest.call('POST /v1/signups/:id/entries', { params: { id: signup.id }, body: { text: 'me, see https://example.com/club' } })).rejects.toMatchObject({ code: 'HELD_FOR_REVIEW', status: 202 });
  });
});

describe('REST: room export and account deletion', () => {
  it('lists a held upload in the review queue and approves it', async () => {
    const room = await freshRoom();
    const uploader = new QuanziClient({ baseUrl: server.url, token: member.token }).rest;
    const reviewer = new QuanziClient({ baseUrl: server.url, token: owner.token }).rest;
    // An Android app named like a photo, from someone who joined just now: refused.
    const apk = new Blob([new Uint8Array(zipWith('classes.dex'))]);
    await expect(uploader.uploadAttachment(room.id, apk, 'cat.jpg')).rejects.toMatchObject({ code: 'ATTACHMENT_TYPE_REFUSED', status: 415 });
    // A newcomer's photo: held for review.
    const held = await uploader.uploadAttachment(room.id, new Blob([new Uint8Array(PNG_1X1)]), 'me.png');
    expect(held).toMatchObject({ status: 'held', reasons: ['PROBATION_IMAGE'] });
    const queue = await reviewer.reviewQueue(room.id);
    expect(queue.attachments.map((a) => a.attachment.id)).toEqual([held.id]);
    const decided = await reviewer.decideHeldAttachment(room.id, held.id, 'approve');
    expect(decided.held).toMatchObject({ status: 'approved', attachment: { status: 'ready' } });
    await expect(reviewer.decideHeldAttachment(room.id, held.id, 'reject')).rejects.toMatchObject({ code: 'ALREADY_DECIDED', status: 409 });
  });

  it('reads an export line by line, and refuses with the server code', async () => {
    const room = await freshRoom();
    await postMessage(server.url, member, room.id, 'exported through the SDK');
    const rest = new QuanziClient({ baseUrl: server.url, token: owner.token }).rest;
    const lines = [];
    for await (const line of rest.exportRoom(room.id)) lines.push(line);
    expect(lines[0]).toMatchObject({ type: 'export', version: 1, roomId: room.id });
    expect(lines.some((l) => l.type === 'message' && l.text === 'exported through the SDK')).toBe(true);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'end', messages: lines.filter((l) => l.type === 'message').length });
    const asMember = new QuanziClient({ baseUrl: server.url, token: member.token }).rest;
    await expect(asMember.exportRoom(room.id).next()).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('deletes the account with the password and forgets the token', async () => {
    const dora = await signUp(server.url);
    const rest = new QuanziClient({ baseUrl: server.url, token: dora.token }).rest;
    await expect(rest.deleteAccount('not the password')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS', status: 401 });
    expect(rest.token).toBe(dora.token);
    await rest.deleteAccount('correct horse battery');
    expect(rest.token).toBeNull();
    expect((await call(server.url, 'GET', '/v1/me', { token: dora.token })).status).toBe(401);
  });
});

describe('REST: the album and the files', () => {
  it('uploads, sends and finds a photo in the album and a file by name, paging with nextBefore', async () => {
    const room = await freshRoom();
    const rest = new QuanziClient({ baseUrl: server.url, token: owner.token }).rest;
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const photos = [];
    for (const n of [1, 2]) {
      const photo = await rest.uploadAttachment(room.id, new Blob([new Uint8Array(Buffer.concat([png, Buffer.from(`sdk-${room.id}-${n}`)]))]), `p${n}.png`);
      await rest.postMessage(room.id, { text: '', clientMsgId: uniqueName('m'), attachments: [photo.id] });
      photos.push(photo);
    }
    const notes = await rest.uploadAttachment(room.id, new Blob(['meeting notes']), '会议纪要.txt');
    await rest.postMessage(room.id, { text: 'notes', clientMsgId: uniqueName('m'), attachments: [notes.id] });

    const first = await rest.album(room.id, { limit: 1 });
    expect(first.items.map((i) => i.attachment)).toEqual([photos[1]]);
    const second = await rest.album(room.id, { limit: 1, before: first.nextBefore! });
    expect(second.items.map((i) => i.attachment)).toEqual([photos[0]]);
    expect(second.nextBefore).toBeNull();
    expect((await rest.files(room.id, { q: '纪要' })).items.map((i) => i.attachment.id)).toEqual([notes.id]);
    const stranger = new QuanziClient({ baseUrl: server.url, token: (await signUp(server.url)).token }).rest;
    await expect(stranger.album(room.id)).rejects.toMatchObject({ code: 'NOT_A_MEMBER', status: 403 });
  });
});
