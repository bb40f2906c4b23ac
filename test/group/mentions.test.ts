import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, postMessage, uniqueName } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { historyOf, setUpGroup, type GroupFixture } from './message-actions-fixture.ts';

let server: TestServer;
let g: GroupFixture;

beforeAll(async () => {
  server = await startTestServer();
  g = await setUpGroup(server, 'Mentions room');
});
afterAll(() => server?.close());

describe('@username mentions', () => {
  it('resolve to the ids of room members only', async () => {
    const text = `@${g.other.username} and @${g.outsider.username}, see you at @nobody_here tomorrow`;
    const reply = await postMessage(server.url, g.member, g.room.id, text);
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ text, mentions: [g.other.id], mentionsAll: false });
    const stored = (await historyOf(server, g.owner, g.room.id)).find((m) => m.seq === reply.body.message.seq);
    expect(stored.mentions).toEqual([g.other.id]);
  });

  it('ignore case, repeats, e-mail addresses and the sender themself', async () => {
    const text = `@${g.owner.username.toUpperCase()} @${g.owner.username} write to someone@${g.other.username}.example and cc @${g.member.username}`;
    const reply = await postMessage(server.url, g.member, g.room.id, text);
    expect(reply.body.message.mentions).toEqual([g.owner.id]);
  });

  it('work right after CJK text', async () => {
    const reply = await postMessage(server.url, g.member, g.room.id, `周六爬山@${g.admin.username}一起吗`);
    expect(reply.body.message.mentions).toEqual([g.admin.id]);
  });
});

describe('@all', () => {
  it('is refused for members with a clear reason, and nothing is stored', async () => {
    const before = (await historyOf(server, g.owner, g.room.id)).length;
    for (const text of ['@all hike is cancelled', '@所有人 明天不去了', '大家@ALL看一下']) {
      const reply = await postMessage(server.url, g.member, g.room.id, text);
      expect(reply.status, text).toBe(403);
      expect(reply.body.error.code).toBe('FORBIDDEN');
      expect(reply.body.error.message).toMatch(/@all/);
    }
    const client = await connect(server.url, g.member.token);
    const ack = await client.send({ roomId: g.room.id, text: '@all via socket', clientMsgId: uniqueName() });
    expect(ack.ok).toBe(false);
    expect(ack.error.code).toBe('FORBIDDEN');
    client.close();
    expect((await historyOf(server, g.owner, g.room.id)).length).toBe(before);
  });

  it('is allowed for the owner and admins and sets mentionsAll', async () => {
    const byOwner = await postMessage(server.url, g.owner, g.room.id, '@所有人 明天早上8点集合');
    expect(byOwner.status).toBe(201);
    expect(byOwner.body.message).toMatchObject({ mentionsAll: true, mentions: [] });
    const byAdmin = await postMessage(server.url, g.admin, g.room.id, `@all bring water, and @${g.member.username} the map`);
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.message).toMatchObject({ mentionsAll: true, mentions: [g.member.id] });
  });

  it('has a daily allowance per room: one more is refused with when the next is free, and nothing is stored', async () => {
    const room = (await call(server.url, 'POST', '/v1/rooms', { token: g.owner.token, body: { name: uniqueName('announcements') } })).body.room;
    expect((await call(server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: g.owner.token, body: { mentionAllPerDay: 2 } })).status).toBe(200);
    for (const text of ['@all 周六活动改到下午', '@所有人 记得带伞']) expect((await postMessage(server.url, g.owner, room.id, text)).status).toBe(201);
    const before = (await historyOf(server, g.owner, room.id)).length;
    const third = await postMessage(server.url, g.owner, room.id, '@all one more thing');
    expect(third.status).toBe(429);
    expect(third.body.error).toMatchObject({ code: 'MENTION_ALL_LIMIT', details: { limit: 2 } });
    expect(third.body.error.details.retryAfterSeconds).toBeGreaterThan(86_000);
    expect(third.body.error.details.retryAfterSeconds).toBeLessThanOrEqual(86_400);
    const client = await connect(server.url, g.owner.token);
    const ack = await client.send({ roomId: room.id, text: '@所有人 over the socket', clientMsgId: uniqueName() });
    expect(ack.error?.code).toBe('MENTION_ALL_LIMIT');
    client.close();
    // Without @all the owner speaks as before; with the allowance at 0 there is no @all at all.
    expect((await postMessage(server.url, g.owner, room.id, 'one more thing: bring snacks')).status).toBe(201);
    expect((await historyOf(server, g.owner, room.id)).length).toBe(before + 1);
    expect((await call(server.url, 'PUT', `/v1/rooms/${g.room.id}/safety`, { token: g.owner.token, body: { mentionAllPerDay: 0 } })).status).toBe(200);
    expect((await postMessage(server.url, g.admin, g.room.id, '@all hello')).body.error).toMatchObject({ code: 'MENTION_ALL_LIMIT', details: { limit: 0 } });
    expect((await call(server.url, 'PUT', `/v1/rooms/${g.room.id}/safety`, { token: g.owner.token, body: { mentionAllPerDay: 500 } })).body.error.code).toBe('VALIDATION_FAILED');
    await call(server.url, 'PUT', `/v1/rooms/${g.room.id}/safety`, { token: g.owner.token, body: {} });
  });

  it('does not match longer words that start with "all"', async () => {
    const reply = await postMessage(server.url, g.member, g.room.id, 'I am @allergic to pollen');
    expect(reply.status).toBe(201);
    expect(reply.body.message.mentionsAll).toBe(false);
  });
});
