import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createRoom, joinRoom, postMessage, signUp, type TestUser } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import type { Room } from '../shared/schemas.ts';

let server: TestServer;
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
let room: Room;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server.url);
  member = await signUp(server.url);
  outsider = await signUp(server.url);
  room = await createRoom(server.url, owner, { name: 'Pet owners' });
  await joinRoom(server.url, member, room.id);
});
afterAll(() => server?.close());

describe('sending and reading messages over HTTP', () => {
  it('stores a message with the next seq and returns the full message', async () => {
    const before = (await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token })).body.room.lastSeq;
    const reply = await postMessage(server.url, member, room.id, 'Anyone walking dogs in the park on Saturday?', 'walk-1');
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({
      roomId: room.id,
      seq: before + 1,
      sender: { id: member.id, displayName: member.displayName },
      kind: 'text',
      text: 'Anyone walking dogs in the park on Saturday?',
      replyTo: null,
      clientMsgId: 'walk-1',
    });
    expect(new Date(reply.body.message.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('returns the original on a retry with the same clientMsgId and stores nothing new', async () => {
    const first = await postMessage(server.url, owner, room.id, 'Feeding tips thread', 'retry-me');
    const retry = await postMessage(server.url, owner, room.id, 'Feeding tips thread', 'retry-me');
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body.message).toEqual(first.body.message);
    const reused = await postMessage(server.url, owner, room.id, 'A different text', 'retry-me');
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages?after=0&limit=100`, { token: owner.token });
    expect(history.body.messages.filter((m: any) => m.clientMsgId === 'retry-me')).toHaveLength(1);
  });

  it('quotes an earlier message by seq, and refuses a reply to one that does not exist', async () => {
    const target = await postMessage(server.url, owner, room.id, 'Vet recommendations?');
    const reply = await call(server.url, 'POST', `/v1/rooms/${room.id}/messages`, {
      token: member.token,
      body: { text: 'Dr. Li on 5th street', clientMsgId: 'reply-1', replyTo: target.body.message.seq },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.message.replyTo).toBe(target.body.message.seq);
    const dangling = await call(server.url, 'POST', `/v1/rooms/${room.id}/messages`, {
      token: member.token,
      body: { text: 'hm', clientMsgId: 'reply-2', replyTo: 99_999 },
    });
    expect(dangling.status).toBe(404);
    expect(dangling.body.error.code).toBe('REPLY_TARGET_NOT_FOUND');
  });

  it('pages history by seq in both directions with hasMore', async () => {
    const fresh = await createRoom(server.url, owner, { name: 'Paging' });
    for (let i = 1; i <= 25; i++) expect((await postMessage(server.url, owner, fresh.id, `line ${i}`)).status).toBe(201);

    const newest = await call(server.url, 'GET', `/v1/rooms/${fresh.id}/messages?limit=10`, { token: owner.token });
    expect(newest.body.messages.map((m: any) => m.seq)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(newest.body.hasMore).toBe(true);

    const older = await call(server.url, 'GET', `/v1/rooms/${fresh.id}/messages?before=16&limit=10`, { token: owner.token });
    expect(older.body.messages.map((m: any) => m.seq)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const oldest = await call(server.url, 'GET', `/v1/rooms/${fresh.id}/messages?before=6&limit=10`, { token: owner.token });
    expect(oldest.body.messages.map((m: any) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(oldest.body.hasMore).toBe(false);

    const forward = await call(server.url, 'GET', `/v1/rooms/${fresh.id}/messages?after=20&limit=3`, { token: owner.token });
    expect(forward.body.messages.map((m: any) => m.seq)).toEqual([21, 22, 23]);
    expect(forward.body.hasMore).toBe(true);
    const tail = await call(server.url, 'GET', `/v1/rooms/${fresh.id}/messages?after=23`, { token: owner.token });
    expect(tail.body.messages.map((m: any) => m.seq)).toEqual([24, 25]);
    expect(tail.body.hasMore).toBe(false);
  });

  it('refuses bad input with a stable code and stores nothing', async () => {
    const before = await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token });
    const cases: Array<[unknown, number, string]> = [
      [{ text: '', clientMsgId: 'b1' }, 400, 'MESSAGE_EMPTY'],
      [{ text: '   \n ', clientMsgId: 'b2' }, 400, 'MESSAGE_EMPTY'],
      [{ text: 'x'.repeat(4001), clientMsgId: 'b3' }, 400, 'MESSAGE_TOO_LONG'],
      [{ text: 42, clientMsgId: 'b4' }, 400, 'VALIDATION_FAILED'],
      [{ text: 'hi' }, 400, 'VALIDATION_FAILED'],
      [{ text: 'hi', clientMsgId: 'b5', sticky: true }, 400, 'VALIDATION_FAILED'],
      [{ text: 'hi', clientMsgId: 'b6', replyTo: 'one' }, 400, 'VALIDATION_FAILED'],
      [{ text: 'hi', clientMsgId: 'b7', replyTo: 0 }, 400, 'VALIDATION_FAILED'],
      [['hi'], 400, 'VALIDATION_FAILED'],
      // Text PostgreSQL cannot store: a NUL character, an unpaired surrogate half.
      [{ text: 'before\u0000after', clientMsgId: 'b8' }, 400, 'VALIDATION_FAILED'],
      [{ text: 'broken \ud83d emoji', clientMsgId: 'b9' }, 400, 'VALIDATION_FAILED'],
      [{ text: 'fine', clientMsgId: 'b10\u0000' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const reply = await call(server.url, 'POST', `/v1/rooms/${room.id}/messages`, { token: member.token, body });
      expect(reply.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(reply.body.error.code).toBe(code);
      expect(reply.body.error.message.length).toBeGreaterThan(0);
    }
    const nul = await call(server.url, 'POST', `/v1/rooms/${room.id}/messages`, { token: member.token, body: { text: 'a\u0000b', clientMsgId: 'b11' } });
    expect(nul.body.error.message).toBe('body.text must not contain NUL characters or unpaired surrogates');
    const sentence = '今天在公园拍到了很好看的晚霞，大家周末一起去吗？';
    const exactly = await postMessage(server.url, member, room.id, sentence.repeat(Math.ceil(4000 / sentence.length)).slice(0, 4000));
    expect(exactly.status).toBe(201);

    for (const [query, field] of [
      ['limit=101', 'querystring.limit'],
      ['limit=0', 'querystring.limit'],
      ['before=1&after=2', 'querystring.after'],
      ['limit=abc', 'querystring.limit'],
      ['before=-3', 'querystring.before'],
      ['sort=desc', 'querystring'],
    ]) {
      const reply = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages?${query}`, { token: member.token });
      expect(reply.status, query).toBe(400);
      expect(reply.body.error.code).toBe('VALIDATION_FAILED');
      expect(reply.body.error.details, query).toEqual({ field });
    }
    const after = await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token });
    expect(after.body.room.lastSeq).toBe(before.body.room.lastSeq + 1);
  });

  it('keeps non-members out: no reading, no sending', async () => {
    const read = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: outsider.token });
    expect(read.status).toBe(403);
    expect(read.body.error.code).toBe('NOT_A_MEMBER');
    const send = await postMessage(server.url, outsider, room.id, 'let me in');
    expect(send.status).toBe(403);
    expect(send.body.error.code).toBe('NOT_A_MEMBER');
    const unknown = await postMessage(server.url, member, '11111111-1111-4111-8111-111111111111', 'hello?');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('ROOM_NOT_FOUND');
    const anonymous = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`);
    expect(anonymous.status).toBe(401);
  });

  it('gives concurrent senders gap-free, unique seqs', async () => {
    const busy = await createRoom(server.url, owner, { name: 'Busy' });
    await joinRoom(server.url, member, busy.id);
    // Owner and an admin: exempt from the per-member rate limit, which is not what this tests.
    expect((await call(server.url, 'PUT', `/v1/rooms/${busy.id}/members/${member.id}/role`, { token: owner.token, body: { role: 'admin' } })).status).toBe(204);
    const start = (await call(server.url, 'GET', `/v1/rooms/${busy.id}`, { token: owner.token })).body.room.lastSeq;
    const senders = [owner, member];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => postMessage(server.url, senders[i % 2]!, busy.id, `burst ${i}`).then((r) => expect(r.status).toBe(201))),
    );
    const page = await call(server.url, 'GET', `/v1/rooms/${busy.id}/messages?after=${start}&limit=100`, { token: owner.token });
    expect(page.body.messages.map((m: any) => m.seq)).toEqual(Array.from({ length: 60 }, (_, i) => start + i + 1));
    expect(new Set(page.body.messages.map((m: any) => m.text)).size).toBe(60);
  });
});
