/**
 * The review queue through the real interfaces: held messages (approve with a new seq, reject),
 * members' reports (hiding at the threshold, dismiss, remove), live events to staff and senders,
 * and who may read or decide.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, postMessage, sleep, uniqueName, waitFor, type TestUser } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { RELAXED, auditActions, history, listen, makeAdmin, newGroup, putPolicy } from './fixtures.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const review = (user: TestUser, roomId: string, query = '') => call(server.url, 'GET', `/v1/rooms/${roomId}/review${query}`, { token: user.token });
const decide = (user: TestUser, roomId: string, heldId: string, decision: 'approve' | 'reject') =>
  call(server.url, 'POST', `/v1/rooms/${roomId}/review/${heldId}/${decision}`, { token: user.token });
const report = (user: TestUser, roomId: string, seq: number, body: unknown = { reason: 'spam' }) =>
  call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${seq}/report`, { token: user.token, body });
const decideReports = (user: TestUser, roomId: string, seq: number, decision: 'dismiss' | 'remove') =>
  call(server.url, 'POST', `/v1/rooms/${roomId}/review/messages/${seq}/${decision}`, { token: user.token });

describe('held messages', () => {
  it('are held, reach the staff live, and on approval are delivered with a new seq', async () => {
    const { room, owner, members } = await newGroup(server, 3);
    const [admin, sender, reader] = members as [TestUser, TestUser, TestUser];
    await makeAdmin(server, room.id, admin);
    await putPolicy(server, owner, room.id, RELAXED);
    const [adminSocket, senderSocket, readerSocket] = await Promise.all([
      listen(server, admin, ['review:new', 'review:decided']),
      listen(server, sender, ['review:new', 'review:decided']),
      listen(server, reader, ['review:new', 'review:decided']),
    ]);

    const clientMsgId = uniqueName('m');
    const text = '我手机号 13812345678，有事找我';
    const held = await postMessage(server.url, sender, room.id, text, clientMsgId);
    expect(held.status).toBe(202);
    expect(held.body.error).toMatchObject({ code: 'HELD_FOR_REVIEW', details: { heldId: expect.any(String), reasons: [{ code: 'PRIVACY_PHONE', message: expect.any(String) }] } });
    const heldId = held.body.error.details.heldId;

    await waitFor(() => adminSocket.events['review:new']!.length === 1, 3000, 'review:new');
    expect(adminSocket.events['review:new']![0]).toMatchObject({ roomId: room.id, kind: 'held', heldId, reasons: [expect.objectContaining({ code: 'PRIVACY_PHONE' })] });
    // A retry is not held twice and gets the same answer.
    const retry = await postMessage(server.url, sender, room.id, text, clientMsgId);
    expect(retry.status).toBe(202);
    expect(retry.body.error.details.heldId).toBe(heldId);

    const queue = await review(admin, room.id);
    expect(queue.status).toBe(200);
    expect(queue.body.held).toEqual([expect.objectContaining({ id: heldId, text, status: 'pending', sender: { id: sender.id, displayName: sender.displayName } })]);
    expect(queue.body.held[0].reasons[0]).toMatchObject({ code: 'PRIVACY_PHONE', rule: 'privacy' });

    // The room moves on while the message waits.
    const later = await postMessage(server.url, reader, room.id, '今晚谁去打球');
    expect(later.status).toBe(201);
    await sleep(100);
    expect(readerSocket.received.map((m) => m.text)).toEqual(['今晚谁去打球']);

    const approved = await decide(admin, room.id, heldId, 'approve');
    expect(approved.status).toBe(200);
    const message = approved.body.message;
    expect(message).toMatchObject({ roomId: room.id, text, clientMsgId, sender: { id: sender.id }, seq: later.body.message.seq + 1 });
    expect(message.createdAt).toBe(queue.body.held[0].createdAt);
    expect(approved.body.held).toMatchObject({ id: heldId, status: 'approved', decidedBy: admin.id, messageId: message.id });

    await waitFor(() => readerSocket.received.length === 2, 3000, 'approved message delivered');
    expect(readerSocket.received[1]).toEqual(message);
    await waitFor(() => senderSocket.events['review:decided']!.length === 1, 3000, 'review:decided to sender');
    expect(senderSocket.events['review:decided']![0]).toEqual({ roomId: room.id, kind: 'held', heldId, clientMsgId, status: 'approved', message });
    await waitFor(() => adminSocket.events['review:decided']!.length === 1, 3000, 'review:decided to staff');
    expect(readerSocket.events['review:new']).toEqual([]);
    expect(readerSocket.events['review:decided']).toEqual([]);

    // The sender's retry now returns the delivered message.
    const afterApproval = await postMessage(server.url, sender, room.id, text, clientMsgId);
    expect(afterApproval.status).toBe(200);
    expect(afterApproval.body.message).toEqual(message);

    for (const [who, decision] of [[owner, 'approve'], [admin, 'reject']] as const) {
      const twice = await decide(who, room.id, heldId, decision);
      expect(twice.status).toBe(409);
      expect(twice.body.error).toMatchObject({ code: 'ALREADY_DECIDED', details: { status: 'approved', decidedBy: admin.id } });
    }
    expect((await review(owner, room.id)).body.held).toEqual([]);
    expect((await review(owner, room.id, '?status=decided&kind=held')).body.held).toEqual([expect.objectContaining({ id: heldId, status: 'approved' })]);
    expect(await auditActions(server, room.id)).toEqual(expect.arrayContaining(['safety.hold', 'review.approve']));
    for (const s of [adminSocket, senderSocket, readerSocket]) s.close();
  });

  it('on rejection deliver nothing, and the sender learns it', async () => {
    const { room, owner, members } = await newGroup(server, 2);
    const [sender, reader] = members as [TestUser, TestUser];
    await putPolicy(server, owner, room.id, RELAXED);
    const [senderSocket, readerSocket] = await Promise.all([listen(server, sender, ['review:decided']), listen(server, reader, [])]);

    const clientMsgId = uniqueName('m');
    const ack = await senderSocket.send({ roomId: room.id, text: '我的手机 13812345678 有事打我', clientMsgId });
    expect(ack).toMatchObject({ ok: false, error: { code: 'HELD_FOR_REVIEW', details: { reasons: [{ code: 'PRIVACY_PHONE' }] } } });
    const heldId = ack.error.details.heldId;

    const rejected = await decide(owner, room.id, heldId, 'reject');
    expect(rejected.status).toBe(200);
    expect(rejected.body.held).toMatchObject({ id: heldId, status: 'rejected', decidedBy: owner.id, messageId: null });
    expect(rejected.body.message).toBeUndefined();
    await waitFor(() => senderSocket.events['review:decided']!.length === 1, 3000, 'review:decided');
    expect(senderSocket.events['review:decided']![0]).toEqual({ roomId: room.id, kind: 'held', heldId, clientMsgId, status: 'rejected' });

    const again = await decide(owner, room.id, heldId, 'approve');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_DECIDED');
    const retry = await senderSocket.send({ roomId: room.id, text: '我的手机 13812345678 有事打我', clientMsgId });
    expect(retry).toMatchObject({ ok: false, error: { code: 'REJECTED_IN_REVIEW' } });

    await sleep(100);
    expect(readerSocket.received).toEqual([]);
    expect((await history(server, owner, room.id)).filter((m) => m.kind === 'text')).toEqual([]);
    expect(await auditActions(server, room.id)).toContain('review.reject');
    const unknown = await decide(owner, room.id, '00000000-0000-4000-8000-000000000000', 'approve');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('HELD_MESSAGE_NOT_FOUND');
    senderSocket.close();
    readerSocket.close();
  });

  it('take exactly one decision when reviewers race', async () => {
    const { room, owner, members } = await newGroup(server, 2);
    const [admin, sender] = members as [TestUser, TestUser];
    await makeAdmin(server, room.id, admin);
    await putPolicy(server, owner, room.id, RELAXED);
    const held = await postMessage(server.url, sender, room.id, '我手机号 13812345678');
    const heldId = held.body.error.details.heldId;

    const replies = await Promise.all([decide(owner, room.id, heldId, 'approve'), decide(admin, room.id, heldId, 'approve'), decide(admin, room.id, heldId, 'reject')]);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['ALREADY_DECIDED', 'ALREADY_DECIDED']);
    const delivered = (await history(server, owner, room.id)).filter((m) => m.kind === 'text');
    const winner = replies.find((r) => r.status === 200)!.body.held.status;
    expect(delivered).toHaveLength(winner === 'approved' ? 1 : 0);
  });

  it('only owner and admins may read or decide the queue', async () => {
    const { room, owner, members } = await newGroup(server, 1);
    const member = members[0]!;
    await putPolicy(server, owner, room.id, RELAXED);
    const held = await postMessage(server.url, member, room.id, '我手机号 13812345678');
    const heldId = held.body.error.details.heldId;

    const outsider = (await newGroup(server, 0)).owner;
    for (const [who, code, status] of [[member, 'FORBIDDEN', 403], [outsider, 'NOT_A_MEMBER', 403]] as const) {
      const read = await review(who, room.id);
      expect(read.status).toBe(status);
      expect(read.body.error.code).toBe(code);
      for (const decision of ['approve', 'reject'] as const) {
        const denied = await decide(who, room.id, heldId, decision);
        expect(denied.status).toBe(status);
        expect(denied.body.error.code).toBe(code);
      }
      expect((await decideReports(who, room.id, 1, 'dismiss')).body.error.code).toBe(code);
    }
    expect((await review(owner, room.id)).body.held).toHaveLength(1);
  });
});

describe('reports', () => {
  it('hide a message at the threshold; members see a placeholder until staff dismiss them', async () => {
    const { room, owner, members } = await newGroup(server, 4);
    const [author, ...reporters] = members as [TestUser, TestUser, TestUser, TestUser];
    await putPolicy(server, owner, room.id, RELAXED);
    const [ownerSocket, readerSocket] = await Promise.all([listen(server, owner, ['review:new', 'review:decided']), listen(server, reporters[0]!, ['room:change', 'review:new'])]);

    const text = '你们这群人真是烦死了，都给我闭嘴';
    const sent = await postMessage(server.url, author, room.id, text);
    expect(sent.status).toBe(201);
    const seq = sent.body.message.seq;

    const first = await report(reporters[0]!, room.id, seq, { reason: 'harassment', note: '骂人' });
    expect(first.status).toBe(201);
    expect(first.body.report).toMatchObject({ roomId: room.id, seq, reason: 'harassment', note: '骂人', status: 'open' });
    const repeat = await report(reporters[0]!, room.id, seq, { reason: 'spam' });
    expect(repeat.status).toBe(409);
    expect(repeat.body.error.code).toBe('ALREADY_REPORTED');
    expect((await report(author, room.id, seq)).body.error.code).toBe('CANNOT_TARGET_SELF');
    expect((await report(reporters[1]!, room.id, seq, { reason: 'rude' })).status).toBe(400);
    expect((await report(reporters[1]!, room.id, 9999)).body.error.code).toBe('MESSAGE_NOT_FOUND');

    await waitFor(() => ownerSocket.events['review:new']!.length === 1, 3000, 'review:new for a report');
    expect(ownerSocket.events['review:new']![0]).toMatchObject({ roomId: room.id, kind: 'report', seq, reason: 'harassment', openReports: 1, hidden: false });
    expect((await history(server, reporters[0]!, room.id)).find((m) => m.seq === seq)).toMatchObject({ text, hiddenAt: null });

    expect((await report(reporters[1]!, room.id, seq, { reason: 'harassment' })).status).toBe(201);
    expect((await report(reporters[2]!, room.id, seq, { reason: 'other' })).status).toBe(201);

    await waitFor(() => readerSocket.events['room:change']!.length === 1, 3000, 'hidden change');
    expect(readerSocket.events['room:change']![0]).toMatchObject({ roomId: room.id, kind: 'hidden', payload: { seq, hiddenAt: expect.any(String) } });
    const placeholder = (await history(server, reporters[0]!, room.id)).find((m) => m.seq === seq);
    expect(placeholder).toMatchObject({ seq, text: '', hiddenAt: expect.any(String), recalledAt: null });
    await waitFor(() => ownerSocket.events['review:new']!.length === 3, 3000, 'third review:new');
    expect(ownerSocket.events['review:new']![2]).toMatchObject({ openReports: 3, hidden: true });
    expect(readerSocket.events['review:new']).toEqual([]);

    const queue = await review(owner, room.id, '?kind=reports');
    expect(queue.status).toBe(200);
    expect(queue.body.held).toEqual([]);
    expect(queue.body.reported).toHaveLength(1);
    expect(queue.body.reported[0]).toMatchObject({ seq, text, status: 'open', openReports: 3, hiddenAt: expect.any(String), sender: { id: author.id } });
    expect(queue.body.reported[0].reports.map((r: any) => r.reporter.id)).toEqual(reporters.map((r) => r.id));
    expect((await review(reporters[0]!, room.id, '?kind=reports')).body.error.code).toBe('FORBIDDEN');

    const dismissed = await decideReports(owner, room.id, seq, 'dismiss');
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toEqual({ roomId: room.id, seq, status: 'dismissed', reportsClosed: 3 });
    expect((await history(server, reporters[0]!, room.id)).find((m) => m.seq === seq)).toMatchObject({ text, hiddenAt: null });
    await waitFor(() => readerSocket.events['room:change']!.length === 2, 3000, 'unhidden change');
    expect(readerSocket.events['room:change']![1]).toMatchObject({ kind: 'hidden', payload: { seq, hiddenAt: null, message: { seq, text } } });
    await waitFor(() => ownerSocket.events['review:decided']!.length === 1, 3000, 'review:decided');
    expect(ownerSocket.events['review:decided']![0]).toEqual({ roomId: room.id, kind: 'report', seq, status: 'dismissed' });

    const twice = await decideReports(owner, room.id, seq, 'dismiss');
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('ALREADY_DECIDED');
    expect((await review(owner, room.id)).body.reported).toEqual([]);
    expect((await review(owner, room.id, '?status=decided')).body.reported).toEqual([expect.objectContaining({ seq, status: 'dismissed', openReports: 0 })]);
    expect(await auditActions(server, room.id)).toEqual(expect.arrayContaining(['message.report', 'message.hide', 'review.dismiss']));
    ownerSocket.close();
    readerSocket.close();
  });

  it('staff can remove a reported message, which recalls it', async () => {
    const { room, owner, members } = await newGroup(server, 2);
    const [author, reporter] = members as [TestUser, TestUser];
    await putPolicy(server, owner, room.id, RELAXED);
    const sent = await postMessage(server.url, author, room.id, '这个群主就是个骗子');
    const seq = sent.body.message.seq;

    expect((await decideReports(owner, room.id, seq, 'remove')).body.error.code).toBe('NOTHING_TO_REVIEW');
    expect((await report(reporter, room.id, seq, { reason: 'harassment' })).status).toBe(201);
    const removed = await decideReports(owner, room.id, seq, 'remove');
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ roomId: room.id, seq, status: 'removed', reportsClosed: 1 });
    expect((await history(server, reporter, room.id)).find((m) => m.seq === seq)).toMatchObject({ text: '', recalledAt: expect.any(String) });
    expect((await decideReports(owner, room.id, seq, 'remove')).body.error.code).toBe('ALREADY_DECIDED');
    expect((await report(members[0]!, room.id, seq)).status).toBe(400); // own message
    expect(await auditActions(server, room.id)).toEqual(expect.arrayContaining(['message.recall', 'review.remove']));
  });

  it("never hides the staff's messages, but still queues the reports", async () => {
    const { room, owner, members } = await newGroup(server, 3);
    await putPolicy(server, owner, room.id, RELAXED);
    const sent = await postMessage(server.url, owner, room.id, '本周六活动取消，大家别来了');
    const seq = sent.body.message.seq;
    for (const member of members) expect((await report(member, room.id, seq, { reason: 'other' })).status).toBe(201);
    expect((await history(server, members[0]!, room.id)).find((m) => m.seq === seq)).toMatchObject({ text: '本周六活动取消，大家别来了', hiddenAt: null });
    expect((await review(owner, room.id)).body.reported).toEqual([expect.objectContaining({ seq, openReports: 3, hiddenAt: null })]);
  });
});
