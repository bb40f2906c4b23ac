import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, messages } from '../../drizzle/schema.ts';
import { purgeRecalledText } from '../../server/domain/recall.ts';
import { call, connect, sleep, waitFor } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { historyOf, lastChangeOf, record, say, setUpGroup, type GroupFixture } from './message-actions-fixture.ts';

let server: TestServer;
let g: GroupFixture;

beforeAll(async () => {
  server = await startTestServer();
  g = await setUpGroup(server, 'Recall room');
});
afterAll(() => server?.close());

const recall = (roomId: string, seq: number, token: string) => call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${seq}/recall`, { token });
const recalled = (roomId: string, seq: number, token: string) => call(server.url, 'GET', `/v1/rooms/${roomId}/messages/${seq}/recalled`, { token });

describe('recalling your own message', () => {
  it('leaves a tombstone in history and tells live clients with message:recalled and room:change', async () => {
    const watcher = await connect(server.url, g.other.token);
    const recalls = record(watcher, 'message:recalled');
    const changes = record(watcher, 'room:change');
    const seq = await say(server, g.member, g.room.id, 'oops, wrong group');

    const reply = await recall(g.room.id, seq, g.member.token);
    expect(reply.status).toBe(200);
    expect(reply.body.recall).toEqual({ roomId: g.room.id, seq, recalledAt: expect.any(String), recalledBy: g.member.id });

    await waitFor(() => recalls.length === 1 && changes.length === 1, 3000, 'live recall events');
    expect(recalls[0]).toEqual(reply.body.recall);
    expect(changes[0]).toMatchObject({
      roomId: g.room.id,
      kind: 'recall',
      payload: { seq, recalledAt: reply.body.recall.recalledAt, recalledBy: g.member.id },
    });

    const tombstone = (await historyOf(server, g.other, g.room.id)).find((m) => m.seq === seq);
    expect(tombstone).toMatchObject({ seq, text: '', recalledAt: reply.body.recall.recalledAt, sender: { id: g.member.id } });

    const again = await recall(g.room.id, seq, g.member.token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_RECALLED');
    watcher.close();
  });

  it('works over the socket too, through the same domain call', async () => {
    const client = await connect(server.url, g.member.token);
    const seq = await say(server, g.member, g.room.id, 'typo');
    const ack = await client.emitAck('message:recall', { roomId: g.room.id, seq });
    expect(ack).toEqual({ ok: true, recall: { roomId: g.room.id, seq, recalledAt: expect.any(String), recalledBy: g.member.id } });
    const bad = await client.emitAck('message:recall', { roomId: g.room.id, seq: 0 });
    expect(bad.error.code).toBe('VALIDATION_FAILED');
    const missing = await client.emitAck('message:recall', { roomId: g.room.id, seq: 99_999 });
    expect(missing.error.code).toBe('MESSAGE_NOT_FOUND');
    client.close();
  });

  it("refuses a member recalling someone else's message, and changes nothing", async () => {
    const seq = await say(server, g.other, g.room.id, 'my words stay');
    const before = await lastChangeOf(server, g.room.id);
    const reply = await recall(g.room.id, seq, g.member.token);
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe('FORBIDDEN');
    expect((await historyOf(server, g.owner, g.room.id)).find((m) => m.seq === seq)).toMatchObject({ text: 'my words stay', recalledAt: null });
    expect(await lastChangeOf(server, g.room.id)).toBe(before);
  });

  it('keeps outsiders out', async () => {
    const seq = await say(server, g.member, g.room.id, 'members only');
    const reply = await recall(g.room.id, seq, g.outsider.token);
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe('NOT_A_MEMBER');
  });
});

describe('recall by owner and admins', () => {
  it("an admin recalls a member's message at any time, and it is audited", async () => {
    const seq = await say(server, g.member, g.room.id, 'off-topic rant about parking');
    const reply = await recall(g.room.id, seq, g.admin.token);
    expect(reply.status).toBe(200);
    expect(reply.body.recall.recalledBy).toBe(g.admin.id);
    const entries = await server.app.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.roomId, g.room.id), eq(auditLog.targetSeq, seq)));
    expect(entries).toMatchObject([{ action: 'message.recall', actorId: g.admin.id, targetUserId: g.member.id }]);
  });

  it("an admin cannot recall the owner's or another admin's message, and nothing changes", async () => {
    const ownerSeq = await say(server, g.owner, g.room.id, 'Welcome, everyone');
    const before = await lastChangeOf(server, g.room.id);
    const denied = await recall(g.room.id, ownerSeq, g.admin.token);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'FORBIDDEN', details: { action: 'message.recallAny', role: 'admin', targetRole: 'owner' } });
    expect((await historyOf(server, g.member, g.room.id)).find((m) => m.seq === ownerSeq)).toMatchObject({ text: 'Welcome, everyone', recalledAt: null });
    expect(await lastChangeOf(server, g.room.id)).toBe(before);

    const adminSeq = await say(server, g.admin, g.room.id, 'Admin notice');
    // The owner outranks admins.
    expect((await recall(g.room.id, adminSeq, g.owner.token)).status).toBe(200);
  });

  it('owner and admins recall their own messages with no time limit', async () => {
    const seq = await say(server, g.owner, g.room.id, 'never mind');
    expect((await recall(g.room.id, seq, g.owner.token)).status).toBe(200);
  });

  it('staff can read what a recalled message said; members cannot', async () => {
    const seq = await say(server, g.member, g.room.id, 'my phone number is secret');
    await recall(g.room.id, seq, g.member.token);

    for (const staff of [g.owner, g.admin]) {
      const reply = await recalled(g.room.id, seq, staff.token);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        message: expect.objectContaining({ seq, text: '', recalledAt: expect.any(String) }),
        originalText: 'my phone number is secret',
        originalAttachments: [],
        recalledBy: { id: g.member.id, displayName: g.member.displayName },
      });
    }
    for (const user of [g.member, g.other]) {
      const reply = await recalled(g.room.id, seq, user.token);
      expect(reply.status).toBe(403);
      expect(reply.body.error.code).toBe('FORBIDDEN');
    }
    const notRecalled = await say(server, g.member, g.room.id, 'still here');
    expect((await recalled(g.room.id, notRecalled, g.owner.token)).body.error.code).toBe('MESSAGE_NOT_FOUND');
  });

  it('system messages cannot be recalled', async () => {
    const post = await call(server.url, 'POST', `/v1/rooms/${g.room.id}/announcement`, { token: g.owner.token, body: { text: 'Trail map updated' } });
    expect(post.status).toBe(201);
    const system = (await historyOf(server, g.owner, g.room.id)).filter((m) => m.kind === 'system').at(-1)!;
    const reply = await recall(g.room.id, system.seq, g.owner.token);
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe('FORBIDDEN');
  });
});

describe('recall window and retention', () => {
  let short: TestServer;
  let h: GroupFixture;
  beforeAll(async () => {
    short = await startTestServer({ env: { RECALL_WINDOW_SECONDS: '1', RECALL_RETENTION_DAYS: '0' } });
    h = await setUpGroup(short, 'Short window');
  });
  afterAll(() => short?.close());

  it('a member cannot recall after the window; the owner still can', async () => {
    const seq = await say(short, h.member, h.room.id, 'too late to take back');
    await sleep(1_200);
    const late = await call(short.url, 'POST', `/v1/rooms/${h.room.id}/messages/${seq}/recall`, { token: h.member.token });
    expect(late.status).toBe(403);
    expect(late.body.error).toMatchObject({ code: 'RECALL_WINDOW_PASSED', details: { windowSeconds: 1 } });
    const stored = await call(short.url, 'GET', `/v1/rooms/${h.room.id}/messages?limit=10`, { token: h.member.token });
    expect(stored.body.messages.find((m: any) => m.seq === seq)).toMatchObject({ text: 'too late to take back', recalledAt: null });

    const byOwner = await call(short.url, 'POST', `/v1/rooms/${h.room.id}/messages/${seq}/recall`, { token: h.owner.token });
    expect(byOwner.status).toBe(200);
  });

  it('after the retention period the text is gone, for staff too', async () => {
    const seq = await say(short, h.member, h.room.id, 'gone soon');
    await call(short.url, 'POST', `/v1/rooms/${h.room.id}/messages/${seq}/recall`, { token: h.member.token });
    const reply = await call(short.url, 'GET', `/v1/rooms/${h.room.id}/messages/${seq}/recalled`, { token: h.owner.token });
    expect(reply.status).toBe(200);
    expect(reply.body.originalText).toBeNull();
    const rows = await short.app.database.db.select({ text: messages.text }).from(messages).where(and(eq(messages.roomId, h.room.id), eq(messages.seq, seq)));
    expect(rows[0]!.text).toBe('');
  });

  it('the periodic purge erases recalled text nobody looked at', async () => {
    const seq = await say(short, h.member, h.room.id, 'erase me in the sweep');
    await call(short.url, 'POST', `/v1/rooms/${h.room.id}/messages/${seq}/recall`, { token: h.member.token });
    expect(await purgeRecalledText(short.app.deps)).toBeGreaterThanOrEqual(1);
    const rows = await short.app.database.db.select({ text: messages.text }).from(messages).where(and(eq(messages.roomId, h.room.id), eq(messages.seq, seq)));
    expect(rows[0]!.text).toBe('');
    expect(await purgeRecalledText(short.app.deps)).toBe(0);
  });
});
