/**
 * The room events whose effects are records and notices rather than speaking rights (those are
 * covered across two gateways in test/e2e/room-events.test.ts): invites, hooks, schedules, the
 * export, safety blocks, review rejections and removals, and dissolving a room. Each action is
 * taken over HTTP; its audit row is read back over HTTP and its notice arrives on the sockets of
 * the users the table names, and of no one else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, postMessage, uniqueName, waitFor, type LiveClient, type TestUser } from './helpers/clients.ts';
import { castRoom } from './helpers/rooms.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

interface Watch {
  live: LiveClient;
  notices: Array<{ name: string; payload: any }>;
}

async function watch(user: TestUser): Promise<Watch> {
  const live = await connect(server.url, user.token);
  const watched: Watch = { live, notices: [] };
  live.socket.onAny((name: string, payload: any) => {
    if (name !== 'message' && name !== 'room:change' && !name.startsWith('presence')) watched.notices.push({ name, payload });
  });
  return watched;
}

async function latestAudit(staff: TestUser, roomId: string): Promise<any> {
  const reply = await call(server.url, 'GET', `/v1/rooms/${roomId}/audit`, { token: staff.token });
  expect(reply.status).toBe(200);
  return reply.body.entries[0];
}

describe('room events recorded and told', () => {
  it('invites, hooks and schedules: created and revoked, each audited with what it names', async () => {
    const { room, owner } = await castRoom(server.url);

    const invite = await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: owner.token, body: { maxUses: 5 } });
    expect(invite.status).toBe(201);
    const inviteId = invite.body.invite.id;
    expect(await latestAudit(owner, room.id)).toMatchObject({ action: 'invite.create', actorId: owner.id, details: { inviteId, maxUses: 5 } });
    expect((await call(server.url, 'DELETE', `/v1/rooms/${room.id}/invites/${inviteId}`, { token: owner.token })).status).toBe(204);
    expect(await latestAudit(owner, room.id)).toMatchObject({ action: 'invite.revoke', actorId: owner.id, details: { inviteId } });

    const hook = await call(server.url, 'POST', `/v1/rooms/${room.id}/hooks`, { token: owner.token, body: { name: 'Gallery feed' } });
    expect(hook.status).toBe(201);
    const hookId = hook.body.hook.id;
    expect(await latestAudit(owner, room.id)).toMatchObject({ action: 'hook.create', actorId: owner.id, details: { hookId, botId: expect.any(String) } });
    expect((await call(server.url, 'DELETE', `/v1/rooms/${room.id}/hooks/${hookId}`, { token: owner.token })).status).toBe(204);
    expect(await latestAudit(owner, room.id)).toMatchObject({ action: 'hook.revoke', details: { hookId } });

    const at = new Date(Date.now() + 3_600_000).toISOString();
    const schedule = await call(server.url, 'POST', `/v1/rooms/${room.id}/schedules`, {
      token: owner.token,
      body: { kind: 'message', text: 'Photo walk tomorrow at nine', schedule: { type: 'once', at } },
    });
    expect(schedule.status).toBe(201);
    const scheduleId = schedule.body.schedule.id;
    expect(await latestAudit(owner, room.id)).toMatchObject({ action: 'schedule.create', details: { scheduleId, kind: 'message', schedule: { type: 'once', at } } });
    expect((await call(server.url, 'DELETE', `/v1/rooms/${room.id}/schedules/${scheduleId}`, { token: owner.token })).status).toBe(204);
    expect(await latestAudit(owner, room.id)).toMatchObject({ action: 'schedule.cancel', details: { scheduleId } });
  });

  it('an export is audited with how far it read', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const sent = await postMessage(server.url, members[0]!, room.id, 'first frame');
    expect(sent.status).toBe(201);
    const lastSeq = sent.body.message.seq;
    const exported = await fetch(`${server.url}/v1/rooms/${room.id}/export`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(exported.status).toBe(200);
    const lines = (await exported.text()).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ type: 'export', throughSeq: lastSeq });
    expect(await latestAudit(owner, room.id)).toMatchObject({ action: 'room.export', actorId: owner.id, details: { throughSeq: lastSeq } });
  });

  it('a blocked message is audited with its reasons; a rejected held one tells its sender and staff, no one else', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 2 });
    const [sender, bystander] = members as [TestUser, TestUser];
    const [senderLive, ownerLive, bystanderLive] = await Promise.all([watch(sender), watch(owner), watch(bystander)]);
    try {
      const blocked = await senderLive.live.send({ roomId: room.id, text: '刷单返利，日结300，加V：qq778899', clientMsgId: uniqueName() });
      expect(blocked.error.code).toBe('BLOCKED_BY_SAFETY');
      expect(await latestAudit(owner, room.id)).toMatchObject({
        action: 'safety.block',
        actorId: null,
        targetUserId: sender.id,
        details: { reasons: expect.arrayContaining([expect.objectContaining({ code: expect.any(String) })]) },
      });

      const held = await senderLive.live.send({ roomId: room.id, text: '我手机号 13812345678，有事找我', clientMsgId: uniqueName() });
      expect(held.error.code).toBe('HELD_FOR_REVIEW');
      const heldId = held.error.details.heldId;
      await waitFor(() => ownerLive.notices.some((n) => n.name === 'review:new'), 5000, 'review notice to staff');
      expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/review/${heldId}/reject`, { token: owner.token })).status).toBe(200);
      await waitFor(
        () => senderLive.notices.some((n) => n.name === 'review:decided') && ownerLive.notices.some((n) => n.name === 'review:decided'),
        5000,
        'decision to sender and staff',
      );
      expect(senderLive.notices.find((n) => n.name === 'review:decided')!.payload).toEqual({ roomId: room.id, kind: 'held', heldId, clientMsgId: expect.any(String), status: 'rejected' });
      expect(await latestAudit(owner, room.id)).toMatchObject({ action: 'review.reject', actorId: owner.id, targetUserId: sender.id, details: { heldId } });
      expect(bystanderLive.notices.filter((n) => n.name.startsWith('review:'))).toEqual([]);
    } finally {
      for (const w of [senderLive, ownerLive, bystanderLive]) w.live.close();
    }
  });

  it('a reported message removed in review is audited and staff are told', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 2 });
    const [author, reporter] = members as [TestUser, TestUser];
    const ownerLive = await watch(owner);
    try {
      const sent = await postMessage(server.url, author, room.id, 'selling my old tripod, DM me');
      const seq = sent.body.message.seq;
      expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/messages/${seq}/report`, { token: reporter.token, body: { reason: 'spam' } })).status).toBe(201);
      expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/review/messages/${seq}/remove`, { token: owner.token })).status).toBe(200);
      await waitFor(() => ownerLive.notices.some((n) => n.name === 'review:decided' && n.payload.kind === 'report'), 5000, 'removal told to staff');
      expect(ownerLive.notices.find((n) => n.name === 'review:decided' && n.payload.kind === 'report')!.payload).toEqual({ roomId: room.id, kind: 'report', seq, status: 'removed' });
      expect(await latestAudit(owner, room.id)).toMatchObject({ action: 'review.remove', actorId: owner.id, targetSeq: seq, details: { reportsClosed: 1 } });
    } finally {
      ownerLive.live.close();
    }
  });

  it('dissolving a room tells every member it is gone', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 2 });
    const [mei, lin] = members as [TestUser, TestUser];
    const [meiLive, linLive] = await Promise.all([watch(mei), watch(lin)]);
    try {
      expect((await call(server.url, 'DELETE', `/v1/rooms/${room.id}`, { token: owner.token })).status).toBe(204);
      await waitFor(() => [meiLive, linLive].every((w) => w.notices.some((n) => n.name === 'room:removed')), 5000, 'dissolution notices');
      for (const w of [meiLive, linLive]) expect(w.notices.find((n) => n.name === 'room:removed')!.payload).toEqual({ roomId: room.id, reason: 'dissolved' });
      expect((await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: mei.token })).status).toBe(404);
    } finally {
      for (const w of [meiLive, linLive]) w.live.close();
    }
  });
});
