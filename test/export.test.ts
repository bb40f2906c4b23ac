/**
 * Room export through HTTP: what an owner downloads (the version line first, members,
 * announcements, messages in seq order with tombstones, the end line), who may download it, and
 * that a refusal changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, postMessage, signUp, uniqueName, type TestUser } from './helpers/clients.ts';
import { castRoom } from './helpers/rooms.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  // One report hides a message, so the test can show what a hidden one exports as.
  server = await startTestServer({ env: { REPORT_HIDE_THRESHOLD: '1' } });
});
afterAll(() => server?.close());

async function download(roomId: string, token?: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${server.url}/v1/rooms/${roomId}/export`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function linesOf(text: string): any[] {
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((line) => JSON.parse(line));
}

async function auditActions(owner: TestUser, roomId: string): Promise<string[]> {
  const reply = await call(server.url, 'GET', `/v1/rooms/${roomId}/audit`, { token: owner.token });
  expect(reply.status).toBe(200);
  return reply.body.entries.map((e: any) => e.action);
}

describe('room export', () => {
  it('gives the owner the whole room as NDJSON: version line, room, members, announcements, messages in seq order, end line', async () => {
    const { room, owner, admins, members } = await castRoom(server.url, { admins: 1, members: 2 });
    const [admin] = admins as [TestUser];
    const [alice, bob] = members as [TestUser, TestUser];
    const relaxed = await call(server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { rules: { rate: 'off' }, probationSeconds: 0 } });
    expect(relaxed.status).toBe(200);

    const first = await call(server.url, 'POST', `/v1/rooms/${room.id}/announcement`, { token: owner.token, body: { text: '群规：友善交流' } });
    expect(first.status).toBe(201);
    const second = await call(server.url, 'POST', `/v1/rooms/${room.id}/announcement`, { token: admin.token, body: { text: 'Meetup on Saturday' } });
    expect(second.status).toBe(201);

    const hello = await postMessage(server.url, alice, room.id, '大家好 @' + bob.username);
    expect(hello.status).toBe(201);
    const regret = await postMessage(server.url, bob, room.id, 'something I regret saying');
    const reply = await call(server.url, 'POST', `/v1/rooms/${room.id}/messages`, { token: bob.token, body: { text: 'welcome!', clientMsgId: uniqueName(), replyTo: hello.body.message.seq } });
    expect(reply.status).toBe(201);
    const reported = await postMessage(server.url, alice, room.id, 'a message someone reports');
    const held = await postMessage(server.url, alice, room.id, '我手机号 13812345678，有事找我');
    expect(held.status).toBe(202);

    const reacted = await call(server.url, 'PUT', `/v1/rooms/${room.id}/messages/${hello.body.message.seq}/reactions/${encodeURIComponent('👍')}`, { token: bob.token });
    expect(reacted.status).toBe(200);
    const recall = await call(server.url, 'POST', `/v1/rooms/${room.id}/messages/${regret.body.message.seq}/recall`, { token: bob.token });
    expect(recall.status).toBe(200);
    const report = await call(server.url, 'POST', `/v1/rooms/${room.id}/messages/${reported.body.message.seq}/report`, { token: bob.token, body: { reason: 'spam' } });
    expect(report.status).toBe(201);

    const { status, headers, text } = await download(room.id, owner.token);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(headers.get('content-disposition')).toBe(`attachment; filename="quanzi-${room.id}-${new Date().toISOString().slice(0, 10)}.ndjson"`);
    const lines = linesOf(text);

    const roomNow = (await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token })).body.room;
    expect(lines[0]).toEqual({
      type: 'export',
      format: 'quanzi.room-export',
      version: 1,
      roomId: room.id,
      roomName: room.name,
      exportedAt: expect.any(String),
      exportedBy: { id: owner.id, displayName: owner.displayName },
      throughSeq: roomNow.lastSeq,
    });
    expect(lines[1]).toEqual({ type: 'room', room: roomNow });
    expect(lines.map((l) => l.type)).toEqual([
      'export',
      'room',
      ...Array(4).fill('member'),
      ...Array(2).fill('announcement'),
      ...Array(roomNow.lastSeq).fill('message'),
      'end',
    ]);

    const memberLines = lines.filter((l) => l.type === 'member');
    expect(memberLines.map((m) => [m.user.id, m.role]).sort()).toEqual(
      [[owner.id, 'owner'], [admin.id, 'admin'], [alice.id, 'member'], [bob.id, 'member']].sort(),
    );
    const announcementLines = lines.filter((l) => l.type === 'announcement');
    expect(announcementLines.map((a) => [a.text, a.author.id, a.current])).toEqual([
      ['群规：友善交流', owner.id, false],
      ['Meetup on Saturday', admin.id, true],
    ]);

    const messages = lines.filter((l) => l.type === 'message');
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: roomNow.lastSeq }, (_, i) => i + 1));
    const bySeq = new Map(messages.map((m) => [m.seq, m]));
    expect(bySeq.get(hello.body.message.seq)).toMatchObject({
      kind: 'text',
      text: '大家好 @' + bob.username,
      sender: { id: alice.id, displayName: alice.displayName, kind: 'user' },
      mentions: [bob.id],
      replyTo: null,
      reactions: [{ emoji: '👍', count: 1 }],
      attachments: [],
    });
    expect(bySeq.get(reply.body.message.seq)).toMatchObject({ text: 'welcome!', replyTo: hello.body.message.seq });
    // A recalled message is a tombstone: who recalled it and when, never its words.
    const tombstone = bySeq.get(regret.body.message.seq);
    expect(tombstone).toEqual({
      type: 'message',
      seq: regret.body.message.seq,
      id: regret.body.message.id,
      kind: 'text',
      sender: { id: bob.id, displayName: bob.displayName, kind: 'user' },
      createdAt: regret.body.message.createdAt,
      recalled: true,
      recalledAt: expect.any(String),
      recalledBy: { id: bob.id, displayName: bob.displayName },
    });
    expect(bySeq.get(reported.body.message.seq)).toMatchObject({ hidden: true, hiddenAt: expect.any(String) });
    expect(bySeq.get(reported.body.message.seq).text).toBeUndefined();
    expect(text).not.toContain('regret');
    expect(text).not.toContain('someone reports');
    // A held message has no seq and is not in the timeline.
    expect(text).not.toContain('13812345678');
    // System messages come with their event and facts.
    expect(messages.find((m) => m.kind === 'system' && m.data?.event === 'member.joined' && m.data.userId === alice.id)).toMatchObject({ sender: null, text: expect.any(String) });

    expect(lines[lines.length - 1]).toEqual({ type: 'end', messages: roomNow.lastSeq, recalled: 1, hidden: 1, members: 4, announcements: 2, throughSeq: roomNow.lastSeq });
    expect(await auditActions(owner, room.id)).toContain('room.export');
  });

  it('streams a room longer than one page in seq order without gaps', async () => {
    const { room, owner } = await castRoom(server.url);
    // More than one page of 1000 goes in straight through the store's batch insert.
    const drafts = Array.from({ length: 2300 }, (_, i) => ({
      id: crypto.randomUUID(),
      roomId: room.id,
      sender: { id: owner.id, displayName: owner.displayName, kind: 'user' },
      clientMsgId: `bulk-${i}`,
      kind: 'text' as const,
      text: `line ${i}`,
      replyTo: null,
      createdAt: new Date(),
    }));
    const { insertMessageBatch } = await import('../server/store/messages.ts');
    for (let i = 0; i < drafts.length; i += 500) await insertMessageBatch(server.app.database.raw, drafts.slice(i, i + 500), { lockRoomsInOrder: false });
    const { status, text } = await download(room.id, owner.token);
    expect(status).toBe(200);
    const lines = linesOf(text);
    const messages = lines.filter((l) => l.type === 'message');
    expect(messages.length).toBe(2300);
    expect(messages.every((m, i) => m.seq === i + 1 && m.text === `line ${i}`)).toBe(true);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'end', messages: 2300, throughSeq: 2300 });
  });

  it('is for the owner and admins only; members, outsiders, bots, strangers and unknown rooms are refused and nothing is written', async () => {
    const { room, owner, admins, members } = await castRoom(server.url, { admins: 1, members: 1 });
    const outsider = await signUp(server.url);
    const asAdmin = await download(room.id, admins[0]!.token);
    expect(asAdmin.status).toBe(200);
    expect(linesOf(asAdmin.text)[0]).toMatchObject({ type: 'export', exportedBy: { id: admins[0]!.id } });
    const auditBefore = await auditActions(owner, room.id);

    const asMember = await download(room.id, members[0]!.token);
    expect(asMember.status).toBe(403);
    expect(JSON.parse(asMember.text).error).toMatchObject({ code: 'FORBIDDEN', details: { action: 'room.export', role: 'member' } });
    const asOutsider = await download(room.id, outsider.token);
    expect(asOutsider.status).toBe(403);
    expect(JSON.parse(asOutsider.text).error.code).toBe('NOT_A_MEMBER');
    const unknown = await download(crypto.randomUUID(), owner.token);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error.code).toBe('ROOM_NOT_FOUND');
    const anonymous = await download(room.id);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text).error.code).toBe('UNAUTHENTICATED');
    const badId = await download('not-a-uuid', owner.token);
    expect(badId.status).toBe(400);
    expect(JSON.parse(badId.text).error.code).toBe('VALIDATION_FAILED');

    const bot = await call(server.url, 'POST', '/v1/bots', { token: owner.token, body: { name: 'Helper', roomId: room.id } });
    expect(bot.status).toBe(201);
    const botToken = await call(server.url, 'POST', `/v1/bots/${bot.body.bot.id}/tokens`, { token: owner.token, body: { scopes: ['messages:read'] } });
    expect(botToken.status).toBe(201);
    const asBot = await fetch(`${server.url}/v1/rooms/${room.id}/export`, { headers: { authorization: `Bot ${botToken.body.secret}` } });
    expect(asBot.status).toBe(403);
    expect(((await asBot.json()) as any).error.code).toBe('FORBIDDEN');

    // Refusals leave no trace in the audit log (adding the bot wrote its own entry).
    expect((await auditActions(owner, room.id)).filter((a) => a === 'room.export')).toEqual(auditBefore.filter((a) => a === 'room.export'));
  });

  it('is described in the OpenAPI document', async () => {
    const openapi = await call(server.url, 'GET', '/docs/json');
    const route = openapi.body.paths['/v1/rooms/{roomId}/export'].get;
    expect(Object.keys(route.responses['200'].content)).toEqual(['application/x-ndjson']);
    expect(route.responses['403']?.content ?? route.responses['4XX']?.content).toBeDefined();
  });
});

