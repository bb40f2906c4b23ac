import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, waitFor } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { lastChangeOf, record, say, setUpGroup, type GroupFixture } from './message-actions-fixture.ts';

let server: TestServer;
let g: GroupFixture;

beforeAll(async () => {
  server = await startTestServer();
  g = await setUpGroup(server, 'Reactions room');
});
afterAll(() => server?.close());

const path = (seq: number, emoji?: string) =>
  `/v1/rooms/${g.room.id}/messages/${seq}/reactions${emoji === undefined ? '' : `/${encodeURIComponent(emoji)}`}`;
const put = (seq: number, emoji: string, token: string) => call(server.url, 'PUT', path(seq, emoji), { token });
const del = (seq: number, emoji: string, token: string) => call(server.url, 'DELETE', path(seq, emoji), { token });

describe('reactions', () => {
  it('add and remove over REST and socket, with counts delivered live to other sockets', async () => {
    const seq = await say(server, g.owner, g.room.id, 'Summit photos are up!');
    const ownerSocket = await connect(server.url, g.owner.token);
    const memberSocket = await connect(server.url, g.member.token);
    const changes = record(ownerSocket, 'room:change');

    const added = await put(seq, '👍', g.member.token);
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ roomId: g.room.id, seq, reactions: [{ emoji: '👍', count: 1, mine: true }], changed: true });
    await waitFor(() => changes.length === 1, 3000, 'reactions change');
    expect(changes[0]).toMatchObject({
      kind: 'reactions',
      payload: { seq, counts: [{ emoji: '👍', count: 1 }], userId: g.member.id, emoji: '👍', op: 'add' },
    });

    // Text-style heart and emoji-style heart are the same reaction.
    const viaSocket = await ownerSocket.emitAck('reaction:add', { roomId: g.room.id, seq, emoji: '❤' });
    expect(viaSocket).toEqual({
      ok: true,
      roomId: g.room.id,
      seq,
      reactions: [
        { emoji: '👍', count: 1, mine: false },
        { emoji: '❤️', count: 1, mine: true },
      ],
      changed: true,
    });
    const heart = await memberSocket.emitAck('reaction:add', { roomId: g.room.id, seq, emoji: '❤️' });
    expect(heart.reactions).toEqual([
      { emoji: '👍', count: 1, mine: true },
      { emoji: '❤️', count: 2, mine: true },
    ]);
    await waitFor(() => changes.length === 3, 3000, 'three changes');
    expect(changes[2].payload.counts).toEqual([
      { emoji: '👍', count: 1 },
      { emoji: '❤️', count: 2 },
    ]);
    expect(changes.map((c) => c.position)).toEqual([changes[0].position, changes[0].position + 1, changes[0].position + 2]);

    // Repeating an add or a remove changes nothing and announces nothing.
    const before = await lastChangeOf(server, g.room.id);
    expect((await put(seq, '👍', g.member.token)).body.changed).toBe(false);
    expect((await del(seq, '🎉', g.member.token)).body.changed).toBe(false);
    expect(await lastChangeOf(server, g.room.id)).toBe(before);

    const removed = await memberSocket.emitAck('reaction:remove', { roomId: g.room.id, seq, emoji: '👍' });
    expect(removed).toMatchObject({ ok: true, changed: true, reactions: [{ emoji: '❤️', count: 2, mine: true }] });
    await waitFor(() => changes.length === 4, 3000, 'remove change');
    expect(changes[3].payload).toEqual({ seq, counts: [{ emoji: '❤️', count: 2 }], userId: g.member.id, emoji: '👍', op: 'remove' });

    const details = await call(server.url, 'GET', path(seq), { token: g.other.token });
    expect(details.body).toEqual({
      roomId: g.room.id,
      seq,
      reactions: [
        {
          emoji: '❤️',
          count: 2,
          mine: false,
          users: [
            { id: g.owner.id, displayName: g.owner.displayName },
            { id: g.member.id, displayName: g.member.displayName },
          ],
        },
      ],
    });
    ownerSocket.close();
    memberSocket.close();
  });

  it('accepts any single emoji: skin tones, ZWJ sequences, flags, keycaps', async () => {
    const seq = await say(server, g.owner, g.room.id, 'Which trail next?');
    for (const emoji of ['👍🏽', '👨‍👩‍👧', '🇨🇳', '1️⃣', '🏳️‍🌈', '😂']) {
      const reply = await put(seq, emoji, g.member.token);
      expect(reply.status, emoji).toBe(200);
      expect(reply.body.reactions.map((r: any) => r.emoji)).toContain(emoji);
    }
  });

  it('refuses anything that is not exactly one emoji, and changes nothing', async () => {
    const seq = await say(server, g.owner, g.room.id, 'React to me');
    const before = await lastChangeOf(server, g.room.id);
    for (const bad of ['a', 'ok', ':)', '👍👍', '👍a', '1', '❤️❤️', '🇨']) {
      const reply = await put(seq, bad, g.member.token);
      expect(reply.status, bad).toBe(400);
      expect(reply.body.error.code, bad).toBe('INVALID_EMOJI');
    }
    const client = await connect(server.url, g.member.token);
    const ack = await client.emitAck('reaction:add', { roomId: g.room.id, seq, emoji: 'lol' });
    expect(ack.error.code).toBe('INVALID_EMOJI');
    client.close();
    expect(await lastChangeOf(server, g.room.id)).toBe(before);
    expect((await call(server.url, 'GET', path(seq), { token: g.member.token })).body.reactions).toEqual([]);
  });

  it('is for members only, on messages that exist and are not recalled', async () => {
    const seq = await say(server, g.member, g.room.id, 'Lunch spot?');
    expect((await put(seq, '👍', g.outsider.token)).body.error.code).toBe('NOT_A_MEMBER');
    expect((await call(server.url, 'GET', path(seq), { token: g.outsider.token })).body.error.code).toBe('NOT_A_MEMBER');
    const missing = await put(99_999, '👍', g.member.token);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('MESSAGE_NOT_FOUND');
    await call(server.url, 'POST', `/v1/rooms/${g.room.id}/messages/${seq}/recall`, { token: g.member.token });
    const onRecalled = await put(seq, '👍', g.other.token);
    expect(onRecalled.status).toBe(409);
    expect(onRecalled.body.error.code).toBe('MESSAGE_RECALLED');
  });

  it('caps the number of different emoji on one message', async () => {
    const seq = await say(server, g.owner, g.room.id, 'Emoji party');
    const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗🤩'];
    for (const e of emoji.slice(0, 20)) expect((await put(seq, e, g.member.token)).status).toBe(200);
    const over = await put(seq, emoji[20]!, g.member.token);
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'REACTION_LIMIT_REACHED', details: { limit: 20 } });
    // An emoji already there can still be added by someone else.
    expect((await put(seq, emoji[0]!, g.other.token)).body.changed).toBe(true);
  });

  it('concurrent reactions end with the right counts in the newest change', async () => {
    const seq = await say(server, g.member, g.room.id, 'Who is coming on Sunday?');
    const watcher = await connect(server.url, g.member.token);
    const changes = record(watcher, 'room:change');
    const replies = await Promise.all([g.owner, g.admin, g.other].map((user) => put(seq, '🙋', user.token)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    await waitFor(() => changes.length === 3, 3000, 'three reaction changes');
    const newest = changes.reduce((a, b) => (b.position > a.position ? b : a));
    expect(newest.payload.counts).toEqual([{ emoji: '🙋', count: 3 }]);
    // Each change carries the counts as of its position: 1, 2, 3.
    expect(changes.sort((a, b) => a.position - b.position).map((c) => c.payload.counts[0].count)).toEqual([1, 2, 3]);
    watcher.close();
  });

  it('gives the counts of a whole history page in one call', async () => {
    const first = await say(server, g.owner, g.room.id, 'one');
    const second = await say(server, g.owner, g.room.id, 'two');
    await put(first, '🔥', g.member.token);
    await put(second, '🔥', g.other.token);
    await put(second, '👀', g.member.token);
    const page = await call(server.url, 'GET', `/v1/rooms/${g.room.id}/reactions?fromSeq=${first}&toSeq=${second}`, { token: g.member.token });
    expect(page.status).toBe(200);
    expect(page.body.reactions).toEqual({
      [first]: [{ emoji: '🔥', count: 1, mine: true }],
      [second]: [
        { emoji: '🔥', count: 1, mine: false },
        { emoji: '👀', count: 1, mine: true },
      ],
    });
    const tooWide = await call(server.url, 'GET', `/v1/rooms/${g.room.id}/reactions?fromSeq=1&toSeq=500`, { token: g.member.token });
    expect(tooWide.body.error.code).toBe('VALIDATION_FAILED');
  });
});
