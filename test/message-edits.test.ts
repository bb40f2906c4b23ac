/**
 * Editing your own message, over HTTP and the socket: members see the new text live (change feed
 * kind `edit`) and after a sync; the safety rules judge the new text; staff read earlier versions;
 * every wrong move is refused with a code and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomChange } from '../shared/schemas.ts';
import { call, connect, joinRoom, postMessage, signUp, sleep, waitFor, type TestUser } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function setUp() {
  const owner = await signUp(server.url);
  const member = await signUp(server.url);
  const roomId = (await call(server.url, 'POST', '/v1/rooms', { token: owner.token, body: { name: 'Edits' } })).body.room.id as string;
  await joinRoom(server.url, member, roomId);
  return { owner, member, roomId };
}

async function post(user: TestUser, roomId: string, text: string): Promise<number> {
  const reply = await postMessage(server.url, user, roomId, text);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.message.seq;
}

const edit = (user: TestUser, roomId: string, seq: number, text: string) => call(server.url, 'PATCH', `/v1/rooms/${roomId}/messages/${seq}`, { token: user.token, body: { text } });
const history = async (user: TestUser, roomId: string) => (await call(server.url, 'GET', `/v1/rooms/${roomId}/messages`, { token: user.token })).body.messages;

describe('editing a message', () => {
  it('changes the text for everyone: live on the change feed, in history, in sync and in search', async () => {
    const { owner, member, roomId } = await setUp();
    const watcher = await connect(server.url, member.token);
    const changes: RoomChange[] = [];
    watcher.socket.on('room:change', (change: RoomChange) => changes.push(change));
    try {
      const seq = await post(owner, roomId, 'Meet at the station at 9');
      const lastChange = (await call(server.url, 'GET', `/v1/rooms/${roomId}`, { token: member.token })).body.room.lastChange;

      const reply = await edit(owner, roomId, seq, `Meet at the station at 10, @${member.username}`);
      expect(reply.status).toBe(200);
      expect(reply.body.message).toMatchObject({ seq, text: `Meet at the station at 10, @${member.username}`, editedAt: expect.any(String), mentions: [member.id] });

      await waitFor(() => changes.some((c) => c.kind === 'edit'), 5000, 'the edit on the change feed');
      const live = changes.find((c) => c.kind === 'edit')!;
      expect(live).toMatchObject({ roomId, kind: 'edit', payload: { seq, editedAt: reply.body.message.editedAt, message: { seq, text: reply.body.message.text } } });

      expect((await history(member, roomId)).find((m: any) => m.seq === seq)).toMatchObject({ text: reply.body.message.text, editedAt: reply.body.message.editedAt });
      const sync = await watcher.emitAck('sync', { cursors: { [roomId]: { seq, change: lastChange } } });
      expect(sync.ok).toBe(true);
      expect(sync.rooms[roomId].changes).toEqual([live]);

      const found = await call(server.url, 'GET', `/v1/rooms/${roomId}/search?q=10`, { token: member.token });
      expect(found.body.results.map((r: any) => r.message.seq)).toEqual([seq]);
      expect((await call(server.url, 'GET', `/v1/rooms/${roomId}/search?q=9`, { token: member.token })).body.results).toEqual([]);
    } finally {
      watcher.close();
    }
  });

  it('edits over the socket with an ack, with the same rules', async () => {
    const { owner, member, roomId } = await setUp();
    const live = await connect(server.url, member.token);
    try {
      const seq = await post(member, roomId, 'typo hree');
      const ack = await live.emitAck('message:edit', { roomId, seq, text: 'typo here' });
      expect(ack).toMatchObject({ ok: true, message: { seq, text: 'typo here', editedAt: expect.any(String) } });
      const theirs = await post(owner, roomId, 'owner words');
      const refused = await live.emitAck('message:edit', { roomId, seq: theirs, text: 'mine now' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_YOUR_MESSAGE' } });
      const malformed = await live.emitAck('message:edit', { roomId, seq, text: 42 });
      expect(malformed).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect((await history(owner, roomId)).find((m: any) => m.seq === theirs).text).toBe('owner words');
    } finally {
      live.close();
    }
  });

  it("refuses someone else's, a recalled, an empty, a system message, and a stranger, changing nothing", async () => {
    const { owner, member, roomId } = await setUp();
    const mine = await post(member, roomId, 'my words');
    const theirs = await post(owner, roomId, 'owner words');
    const recalled = await post(member, roomId, 'take it back');
    await call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${recalled}/recall`, { token: member.token });
    const system = (await history(owner, roomId)).find((m: any) => m.kind === 'system').seq;
    const stranger = await signUp(server.url);

    const cases: Array<[TestUser, number, string, number, string]> = [
      [member, theirs, 'hijacked', 403, 'NOT_YOUR_MESSAGE'],
      // Staff may recall anything, but not put words in someone's mouth.
      [owner, mine, 'hijacked', 403, 'NOT_YOUR_MESSAGE'],
      [member, recalled, 'again', 409, 'MESSAGE_RECALLED'],
      [member, mine, '   ', 400, 'MESSAGE_EMPTY'],
      [member, system, 'no', 403, 'NOT_YOUR_MESSAGE'],
      [member, 99_999, 'no', 404, 'MESSAGE_NOT_FOUND'],
      [stranger, mine, 'no', 403, 'NOT_A_MEMBER'],
    ];
    for (const [who, seq, text, status, code] of cases) {
      const reply = await edit(who, roomId, seq, text);
      expect(reply.status, code).toBe(status);
      expect(reply.body.error.code).toBe(code);
    }
    const tooLong = await edit(member, roomId, mine, 'x'.repeat(4001));
    expect(tooLong.status).toBe(400);
    const after = await history(owner, roomId);
    expect(after.find((m: any) => m.seq === mine)).toMatchObject({ text: 'my words', editedAt: null });
    expect(after.find((m: any) => m.seq === theirs)).toMatchObject({ text: 'owner words', editedAt: null });
  });

  it('passes the new text through the safety rules: a blocked or held edit changes nothing', async () => {
    const { owner, member, roomId } = await setUp();
    const seq = await post(member, roomId, 'selling my old lens');
    // What would be held as a message (a phone number) and what would be blocked (a scam).
    for (const text of ['call me on 13812345678', '加V xiutu888 日入三百 稳赚不赔']) {
      const reply = await edit(member, roomId, seq, text);
      expect(reply.status, text).toBe(422);
      expect(reply.body.error.code).toBe('BLOCKED_BY_SAFETY');
      expect(reply.body.error.details.reasons.length).toBeGreaterThan(0);
    }
    expect((await history(owner, roomId)).find((m: any) => m.seq === seq)).toMatchObject({ text: 'selling my old lens', editedAt: null });
    const versions = await call(server.url, 'GET', `/v1/rooms/${roomId}/messages/${seq}/versions`, { token: owner.token });
    expect(versions.body.versions).toEqual([]);
  });

  it('keeps earlier versions for owner and admins only', async () => {
    const { owner, member, roomId } = await setUp();
    const seq = await post(member, roomId, 'first draft');
    expect((await edit(member, roomId, seq, 'second draft')).status).toBe(200);
    expect((await edit(member, roomId, seq, 'final')).status).toBe(200);
    const versions = await call(server.url, 'GET', `/v1/rooms/${roomId}/messages/${seq}/versions`, { token: owner.token });
    expect(versions.status).toBe(200);
    expect(versions.body.message).toMatchObject({ seq, text: 'final' });
    expect(versions.body.versions.map((v: any) => [v.version, v.text])).toEqual([
      [1, 'first draft'],
      [2, 'second draft'],
    ]);
    const refused = await call(server.url, 'GET', `/v1/rooms/${roomId}/messages/${seq}/versions`, { token: member.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
  });
});

describe('the edit window', () => {
  let short: TestServer;
  beforeAll(async () => {
    short = await startTestServer({ env: { EDIT_WINDOW_SECONDS: '1' } });
  });
  afterAll(() => short?.close());

  it('refuses an edit past EDIT_WINDOW_SECONDS', async () => {
    const owner = await signUp(short.url);
    const roomId = (await call(short.url, 'POST', '/v1/rooms', { token: owner.token, body: { name: 'Quick' } })).body.room.id;
    const seq = (await postMessage(short.url, owner, roomId, 'quick')).body.message.seq;
    expect((await call(short.url, 'PATCH', `/v1/rooms/${roomId}/messages/${seq}`, { token: owner.token, body: { text: 'quick fix' } })).status).toBe(200);
    await sleep(1200);
    const late = await call(short.url, 'PATCH', `/v1/rooms/${roomId}/messages/${seq}`, { token: owner.token, body: { text: 'too late' } });
    expect(late.status).toBe(403);
    expect(late.body.error).toMatchObject({ code: 'EDIT_WINDOW_PASSED', details: { windowSeconds: 1 } });
  });
});
