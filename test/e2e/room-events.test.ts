/**
 * Every kind of room event with its whole set of effects, seen from outside: the action is taken
 * through gateway A; the audit row is read back over HTTP; the system message (typed, with names)
 * or the change-feed entry, and the notice to the member concerned, arrive on sockets connected
 * to gateway B; and what the member may do next is tried on gateway B, so that the cache forgets
 * reached the other process. Real PostgreSQL and Redis, two gateway processes.
 */
import { describe, expect, it } from 'vitest';
import type { Message, RoomChange } from '../../shared/schemas.ts';
import { call, connect, postMessage, signUp, uniqueName, waitFor, type LiveClient, type TestUser } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';
import { castRoom } from '../helpers/rooms.ts';

interface Watch {
  live: LiveClient;
  notices: Array<{ name: string; payload: any }>;
  changes: RoomChange[];
}

async function watch(url: string, user: TestUser): Promise<Watch> {
  const live = await connect(url, user.token);
  const watched: Watch = { live, notices: [], changes: [] };
  live.socket.onAny((name: string, payload: any) => {
    if (name === 'room:change') watched.changes.push(payload);
    else if (name !== 'message') watched.notices.push({ name, payload });
  });
  return watched;
}

const systemMessages = (w: Watch, roomId: string): Message[] => w.live.received.filter((m) => m.roomId === roomId && m.kind === 'system');
const lastSystem = (w: Watch, roomId: string) => systemMessages(w, roomId).at(-1)?.data;

async function auditActions(url: string, staff: TestUser, roomId: string): Promise<any[]> {
  const reply = await call(url, 'GET', `/v1/rooms/${roomId}/audit`, { token: staff.token });
  expect(reply.status).toBe(200);
  return reply.body.entries;
}

describe('room events: each kind and all its effects, across two gateway processes', () => {
  const gateways = twoGatewaysPerSuite();

  it('member events: muted, unmuted, role changed, kicked, banned, unbanned, joined, left', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner, members } = await castRoom(a, { members: 3 });
    const [mei, lin, kai] = members as [TestUser, TestUser, TestUser];
    const [meiOnB, ownerOnB, linOnB] = await Promise.all([watch(b, mei), watch(b, owner), watch(b, lin)]);
    const send = (w: Watch, text = uniqueName('t')) => w.live.send({ roomId: room.id, text, clientMsgId: uniqueName() });
    const systemCount = () => systemMessages(ownerOnB, room.id).length;
    try {
      // member.muted (after a send, so gateway B holds the member's speaking facts in its cache)
      expect((await send(meiOnB)).ok).toBe(true);
      let before = systemCount();
      expect((await call(a, 'POST', `/v1/rooms/${room.id}/members/${mei.id}/mute`, { token: owner.token, body: { durationSeconds: 600, reason: 'cool down' } })).status).toBe(200);
      await waitFor(() => systemCount() > before && meiOnB.notices.some((n) => n.name === 'member:muted'), 5000, 'mute system message and notice');
      expect(lastSystem(ownerOnB, room.id)).toMatchObject({ event: 'member.muted', userId: mei.id, displayName: mei.displayName, by: owner.id, byName: owner.displayName, automatic: false, until: expect.any(String) });
      expect(meiOnB.notices.find((n) => n.name === 'member:muted')!.payload).toMatchObject({ roomId: room.id, reason: 'cool down' });
      expect((await send(meiOnB)).error.code).toBe('MUTED');
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'member.mute', actorId: owner.id, targetUserId: mei.id, reason: 'cool down' });

      // member.unmuted
      before = systemCount();
      expect((await call(a, 'DELETE', `/v1/rooms/${room.id}/members/${mei.id}/mute`, { token: owner.token })).status).toBe(204);
      await waitFor(() => systemCount() > before && meiOnB.notices.some((n) => n.name === 'member:unmuted'), 5000, 'unmute');
      expect(lastSystem(ownerOnB, room.id)).toMatchObject({ event: 'member.unmuted', userId: mei.id, displayName: mei.displayName, byName: owner.displayName });
      expect((await send(meiOnB)).ok).toBe(true);
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'member.unmute', targetUserId: mei.id });

      // role.changed: an admin speaks through mute-all
      expect((await call(a, 'PUT', `/v1/rooms/${room.id}/mute-all`, { token: owner.token, body: { enabled: true } })).status).toBe(200);
      await waitFor(() => lastSystem(ownerOnB, room.id)?.event === 'room.muteAll', 5000, 'mute-all');
      expect((await send(linOnB)).error.code).toBe('MUTE_ALL_ACTIVE');
      before = systemCount();
      expect((await call(a, 'PUT', `/v1/rooms/${room.id}/members/${lin.id}/role`, { token: owner.token, body: { role: 'admin' } })).status).toBe(204);
      await waitFor(() => systemCount() > before, 5000, 'role change');
      expect(lastSystem(ownerOnB, room.id)).toMatchObject({ event: 'role.changed', userId: lin.id, displayName: lin.displayName, role: 'admin', by: owner.id, byName: owner.displayName });
      expect((await send(linOnB)).ok).toBe(true);
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'admin.appoint', targetUserId: lin.id });
      expect((await call(a, 'PUT', `/v1/rooms/${room.id}/mute-all`, { token: owner.token, body: { enabled: false } })).status).toBe(200);
      await waitFor(() => (lastSystem(ownerOnB, room.id) as { enabled?: boolean } | null)?.enabled === false, 5000, 'mute-all off');

      // member.kicked
      before = systemCount();
      expect((await call(a, 'POST', `/v1/rooms/${room.id}/members/${mei.id}/kick`, { token: owner.token, body: { reason: 'spam' } })).status).toBe(204);
      await waitFor(() => systemCount() > before && meiOnB.notices.some((n) => n.name === 'room:removed'), 5000, 'kick');
      expect(lastSystem(ownerOnB, room.id)).toMatchObject({ event: 'member.kicked', userId: mei.id, displayName: mei.displayName, by: owner.id, byName: owner.displayName });
      expect(meiOnB.notices.find((n) => n.name === 'room:removed')!.payload).toEqual({ roomId: room.id, reason: 'kicked' });
      expect((await send(meiOnB)).error.code).toBe('NOT_A_MEMBER');
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'member.kick', targetUserId: mei.id, reason: 'spam' });

      // member.banned, then member.unbanned (audit only), then member.joined again
      const kaiOnB = await watch(b, kai);
      before = systemCount();
      expect((await call(a, 'POST', `/v1/rooms/${room.id}/bans`, { token: owner.token, body: { userId: kai.id, reason: 'scam' } })).status).toBe(204);
      await waitFor(() => systemCount() > before && kaiOnB.notices.some((n) => n.name === 'room:removed'), 5000, 'ban');
      expect(lastSystem(ownerOnB, room.id)).toMatchObject({ event: 'member.banned', userId: kai.id, displayName: kai.displayName, byName: owner.displayName, until: null });
      expect((await send(kaiOnB)).error.code).toBe('NOT_A_MEMBER');
      expect((await call(b, 'POST', `/v1/rooms/${room.id}/join`, { token: kai.token, body: {} })).body.error.code).toBe('BANNED');
      expect((await call(a, 'DELETE', `/v1/rooms/${room.id}/bans/${kai.id}`, { token: owner.token })).status).toBe(204);
      expect((await auditActions(a, owner, room.id)).slice(0, 2).map((e) => e.action)).toEqual(['member.unban', 'member.ban']);
      before = systemCount();
      expect((await call(b, 'POST', `/v1/rooms/${room.id}/join`, { token: kai.token, body: {} })).status).toBe(200);
      await waitFor(() => systemCount() > before, 5000, 'join');
      expect(lastSystem(ownerOnB, room.id)).toMatchObject({ event: 'member.joined', userId: kai.id, displayName: kai.displayName, via: 'open' });
      // The joined member's open socket on B hears the room at once.
      await waitFor(() => kaiOnB.live.received.some((m) => m.roomId === room.id && m.data?.event === 'member.joined'), 5000, 'the join on the joiner socket');
      expect((await send(kaiOnB)).ok).toBe(true);

      // member.left
      before = systemCount();
      expect((await call(a, 'POST', `/v1/rooms/${room.id}/leave`, { token: kai.token })).status).toBe(204);
      await waitFor(() => systemCount() > before, 5000, 'leave');
      expect(lastSystem(ownerOnB, room.id)).toMatchObject({ event: 'member.left', userId: kai.id, displayName: kai.displayName });
      expect((await send(kaiOnB)).error.code).toBe('NOT_A_MEMBER');
      kaiOnB.live.close();
    } finally {
      for (const w of [meiOnB, ownerOnB, linOnB]) w.live.close();
    }
  }, 90_000);

  it('room events: mute-all, slow mode, owner transferred, announcement, safety policy', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner, admins, members } = await castRoom(a, { admins: 1, members: 1 });
    const [admin] = admins as [TestUser];
    const [member] = members as [TestUser];
    const [memberOnB, adminOnB] = await Promise.all([watch(b, member), watch(b, admin)]);
    const send = (w: Watch) => w.live.send({ roomId: room.id, text: uniqueName('t'), clientMsgId: uniqueName() });
    try {
      expect((await call(a, 'PUT', `/v1/rooms/${room.id}/mute-all`, { token: admin.token, body: { enabled: true } })).status).toBe(200);
      await waitFor(() => lastSystem(memberOnB, room.id)?.event === 'room.muteAll' && memberOnB.changes.some((c) => c.kind === 'room'), 5000, 'mute-all');
      expect(lastSystem(memberOnB, room.id)).toMatchObject({ event: 'room.muteAll', enabled: true, by: admin.id, byName: admin.displayName });
      expect(memberOnB.changes.find((c) => c.kind === 'room')!.payload).toMatchObject({ muteAll: true, slowModeSeconds: 0 });
      expect((await send(memberOnB)).error.code).toBe('MUTE_ALL_ACTIVE');
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'room.muteAll.on', actorId: admin.id });
      expect((await call(a, 'PUT', `/v1/rooms/${room.id}/mute-all`, { token: admin.token, body: { enabled: false } })).status).toBe(200);

      expect((await call(a, 'PUT', `/v1/rooms/${room.id}/slow-mode`, { token: admin.token, body: { seconds: 60 } })).status).toBe(200);
      await waitFor(() => lastSystem(memberOnB, room.id)?.event === 'room.slowMode', 5000, 'slow mode');
      expect(lastSystem(memberOnB, room.id)).toMatchObject({ event: 'room.slowMode', seconds: 60, byName: admin.displayName });
      expect((await send(memberOnB)).ok).toBe(true);
      expect((await send(memberOnB)).error.code).toBe('SLOW_MODE');
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'room.slowMode', details: { seconds: 60 } });

      expect((await call(a, 'POST', `/v1/rooms/${room.id}/announcement`, { token: admin.token, body: { text: '周六爬山，早上八点集合' } })).status).toBe(201);
      await waitFor(() => lastSystem(memberOnB, room.id)?.event === 'announcement.posted' && memberOnB.changes.some((c) => c.kind === 'announcement'), 5000, 'announcement');
      expect(lastSystem(memberOnB, room.id)).toMatchObject({ event: 'announcement.posted', actorId: admin.id, actorName: admin.displayName });
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'announcement.post', actorId: admin.id });

      const changesBefore = memberOnB.changes.length;
      expect((await call(a, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { rules: { rate: 'off' } } })).status).toBe(200);
      await waitFor(() => memberOnB.changes.length > changesBefore, 5000, 'policy change');
      expect(memberOnB.changes.at(-1)).toMatchObject({ kind: 'room', payload: { fields: ['safetyPolicy'], updatedBy: owner.id } });
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'room.safetyPolicy', actorId: owner.id });

      expect((await call(a, 'POST', `/v1/rooms/${room.id}/transfer`, { token: owner.token, body: { userId: admin.id } })).status).toBe(204);
      await waitFor(() => lastSystem(memberOnB, room.id)?.event === 'owner.transferred', 5000, 'transfer');
      expect(lastSystem(memberOnB, room.id)).toMatchObject({ event: 'owner.transferred', from: owner.id, fromName: owner.displayName, to: admin.id, toName: admin.displayName });
      // The new owner's rights hold on the other gateway at once: they may dissolve-level act, e.g. transfer back.
      expect((await call(b, 'POST', `/v1/rooms/${room.id}/transfer`, { token: admin.token, body: { userId: owner.id } })).status).toBe(204);
      expect((await auditActions(b, owner, room.id)).slice(0, 2).map((e) => e.action)).toEqual(['owner.transfer', 'owner.transfer']);
    } finally {
      memberOnB.live.close();
      adminOnB.live.close();
    }
  }, 90_000);

  it('message events: recall (with unpin), pin, reactions, report hiding and dismissal', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner, members } = await castRoom(a, { members: 3 });
    const [author, r1, r2] = members as [TestUser, TestUser, TestUser];
    const readerOnB = await watch(b, r1);
    try {
      const first = (await postMessage(a, author, room.id, 'pin me then take me back')).body.message;
      expect((await call(a, 'PUT', `/v1/rooms/${room.id}/pins/${first.seq}`, { token: owner.token })).status).toBe(200);
      await waitFor(() => readerOnB.changes.some((c) => c.kind === 'pin'), 5000, 'pin');
      expect(readerOnB.changes.find((c) => c.kind === 'pin')!.payload).toMatchObject({ seq: first.seq, pinnedBy: owner.id });

      expect((await call(a, 'PUT', `/v1/rooms/${room.id}/messages/${first.seq}/reactions/${encodeURIComponent('👍')}`, { token: r2.token })).status).toBe(200);
      await waitFor(() => readerOnB.changes.some((c) => c.kind === 'reactions'), 5000, 'reactions');
      expect(readerOnB.changes.find((c) => c.kind === 'reactions')!.payload).toEqual({ seq: first.seq, counts: [{ emoji: '👍', count: 1 }], userId: r2.id, emoji: '👍', op: 'add' });

      expect((await call(a, 'POST', `/v1/rooms/${room.id}/messages/${first.seq}/recall`, { token: owner.token })).status).toBe(200);
      await waitFor(() => readerOnB.changes.some((c) => c.kind === 'unpin') && readerOnB.notices.some((n) => n.name === 'message:recalled'), 5000, 'recall');
      const kinds = readerOnB.changes.map((c) => c.kind);
      expect(kinds.slice(kinds.indexOf('recall'))).toEqual(['recall', 'unpin']);
      expect(readerOnB.changes.find((c) => c.kind === 'recall')!.payload).toMatchObject({ seq: first.seq, recalledBy: owner.id, recalledByName: owner.displayName });
      expect(readerOnB.changes.find((c) => c.kind === 'unpin')!.payload).toMatchObject({ seq: first.seq, reason: 'recalled' });
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'message.recall', targetSeq: first.seq, targetUserId: author.id });

      // A member recalling their own message is not moderation: no audit row.
      const own = (await postMessage(a, author, room.id, 'typo')).body.message;
      const auditBefore = (await auditActions(a, owner, room.id)).length;
      expect((await call(b, 'POST', `/v1/rooms/${room.id}/messages/${own.seq}/recall`, { token: author.token })).status).toBe(200);
      expect((await auditActions(a, owner, room.id)).length).toBe(auditBefore);

      const reported = (await postMessage(a, author, room.id, 'a message two members report')).body.message;
      for (const reporter of [r1, r2]) {
        expect((await call(a, 'POST', `/v1/rooms/${room.id}/messages/${reported.seq}/report`, { token: reporter.token, body: { reason: 'spam' } })).status).toBe(201);
      }
      const hideThreshold = readerOnB.changes.some((c) => c.kind === 'hidden');
      if (hideThreshold) expect(readerOnB.changes.find((c) => c.kind === 'hidden')!.payload).toMatchObject({ seq: reported.seq, hiddenAt: expect.any(String) });
      const actions = (await auditActions(a, owner, room.id)).map((e) => e.action);
      expect(actions.filter((x) => x === 'message.report')).toHaveLength(2);
      expect((await call(a, 'POST', `/v1/rooms/${room.id}/review/messages/${reported.seq}/dismiss`, { token: owner.token })).status).toBe(200);
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'review.dismiss', targetSeq: reported.seq });
    } finally {
      readerOnB.live.close();
    }
  }, 90_000);

  it('the safety auto-mute is the same event: the member is told, and muted on the other gateway', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner, members } = await castRoom(a, { members: 1 });
    const [spammer] = members as [TestUser];
    // One refusal is enough to be muted for a minute in this room.
    expect((await call(a, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { rules: { rate: 'off' }, probationSeconds: 0, autoMute: { offences: 1, windowSeconds: 600, muteSeconds: 60 } } })).status).toBe(200);
    const [spammerOnB, ownerOnB] = await Promise.all([watch(b, spammer), watch(b, owner)]);
    try {
      expect((await spammerOnB.live.send({ roomId: room.id, text: 'hi all', clientMsgId: uniqueName() })).ok).toBe(true);
      const refused = await spammerOnB.live.send({ roomId: room.id, text: '加我微信 vx: fa_cai888 日赚三千 稳赚不赔', clientMsgId: uniqueName() });
      expect(refused.ok).toBe(false);
      await waitFor(() => spammerOnB.notices.some((n) => n.name === 'member:muted'), 5000, 'the automatic mute notice');
      expect(spammerOnB.notices.find((n) => n.name === 'member:muted')!.payload).toMatchObject({ roomId: room.id, automatic: true, until: expect.any(String) });
      await waitFor(() => lastSystem(ownerOnB, room.id)?.event === 'member.muted', 5000, 'the mute system message');
      expect(lastSystem(ownerOnB, room.id)).toMatchObject({ event: 'member.muted', userId: spammer.id, displayName: spammer.displayName, by: null, byName: null, automatic: true });
      expect((await spammerOnB.live.send({ roomId: room.id, text: 'hello', clientMsgId: uniqueName() })).error.code).toBe('MUTED');
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'member.mute', actorId: null, targetUserId: spammer.id, details: { automatic: true } });
    } finally {
      spammerOnB.live.close();
      ownerOnB.live.close();
    }
  }, 60_000);

  it('bot events: added and removed, heard by the room, audited', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const owner = await signUp(a);
    const room = (await call(a, 'POST', '/v1/rooms', { token: owner.token, body: { name: 'Bot room' } })).body.room;
    const ownerOnB = await watch(b, owner);
    try {
      const bot = (await call(a, 'POST', '/v1/bots', { token: owner.token, body: { name: 'Weather Bot' } })).body.bot;
      expect((await call(a, 'POST', `/v1/rooms/${room.id}/bots`, { token: owner.token, body: { botId: bot.id } })).status).toBe(204);
      await waitFor(() => lastSystem(ownerOnB, room.id)?.event === 'member.joined', 5000, 'bot joined');
      expect(lastSystem(ownerOnB, room.id)).toMatchObject({ event: 'member.joined', userId: bot.id, displayName: 'Weather Bot', via: 'bot', by: owner.id, byName: owner.displayName });
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'bot.add', targetUserId: bot.id });
      expect((await call(b, 'DELETE', `/v1/rooms/${room.id}/bots/${bot.id}`, { token: owner.token })).status).toBe(204);
      await waitFor(() => lastSystem(ownerOnB, room.id)?.event === 'member.left', 5000, 'bot left');
      expect(lastSystem(ownerOnB, room.id)).toMatchObject({ event: 'member.left', userId: bot.id, displayName: 'Weather Bot', by: owner.id, byName: owner.displayName });
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'bot.remove', targetUserId: bot.id });
    } finally {
      ownerOnB.live.close();
    }
  }, 60_000);

  it('settings, nicknames, join requests and held messages: changes, notices and audit across gateways', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner, members } = await castRoom(a, { members: 1 });
    const [member] = members as [TestUser];
    const applicant = await signUp(a);
    const [memberOnB, ownerOnB, applicantOnB] = await Promise.all([watch(b, member), watch(b, owner), watch(b, applicant)]);
    try {
      // room.updated: the whole room on the change feed, audited with the fields
      expect((await call(a, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { topic: 'Night sky photography', joinPolicy: 'approval' } })).status).toBe(200);
      await waitFor(() => memberOnB.changes.some((c) => c.kind === 'room'), 5000, 'room change');
      expect(memberOnB.changes.find((c) => c.kind === 'room')!.payload).toMatchObject({ room: { id: room.id, topic: 'Night sky photography', joinPolicy: 'approval' } });
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'room.update', details: { topic: 'Night sky photography', joinPolicy: 'approval' } });

      // nickname.changed: the room hears it; the sender's name in the next message follows on B
      expect((await call(a, 'PUT', `/v1/rooms/${room.id}/members/me/nickname`, { token: member.token, body: { nickname: '星空小王' } })).status).toBe(204);
      await waitFor(() => ownerOnB.notices.some((n) => n.name === 'member:updated'), 5000, 'nickname notice');
      expect(ownerOnB.notices.find((n) => n.name === 'member:updated')!.payload).toEqual({ roomId: room.id, userId: member.id, nickname: '星空小王' });
      const named = await memberOnB.live.send({ roomId: room.id, text: 'new name', clientMsgId: uniqueName() });
      expect(named.message.sender.displayName).toBe('星空小王');

      // joinRequest.created → staff notice; joinRequest.decided → applicant notice, audit, system message
      const asked = await call(b, 'POST', `/v1/rooms/${room.id}/join`, { token: applicant.token, body: { answer: 'I shoot the Milky Way' } });
      expect(asked.body.status).toBe('requested');
      await waitFor(() => ownerOnB.notices.some((n) => n.name === 'join:requested'), 5000, 'join request notice');
      expect((await call(a, 'POST', `/v1/rooms/${room.id}/join-requests/${asked.body.request.id}/approve`, { token: owner.token })).status).toBe(200);
      await waitFor(() => applicantOnB.notices.some((n) => n.name === 'join:decided'), 5000, 'decision notice');
      expect(applicantOnB.notices.find((n) => n.name === 'join:decided')!.payload).toEqual({ roomId: room.id, requestId: asked.body.request.id, status: 'approved' });
      await waitFor(() => lastSystem(ownerOnB, room.id)?.event === 'member.joined', 5000, 'joined');
      expect(lastSystem(ownerOnB, room.id)).toMatchObject({ event: 'member.joined', userId: applicant.id, displayName: applicant.displayName, via: 'approval' });
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'joinRequest.approve', targetUserId: applicant.id });

      // message.held → staff notice, audit; held.approved → the sender and staff told, audit
      const held = await memberOnB.live.send({ roomId: room.id, text: '我手机号 13812345678，有事找我', clientMsgId: uniqueName() });
      expect(held.error.code).toBe('HELD_FOR_REVIEW');
      await waitFor(() => ownerOnB.notices.some((n) => n.name === 'review:new'), 5000, 'review notice');
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'safety.hold', targetUserId: member.id });
      expect((await call(a, 'POST', `/v1/rooms/${room.id}/review/${held.error.details.heldId}/approve`, { token: owner.token })).status).toBe(200);
      await waitFor(() => memberOnB.notices.some((n) => n.name === 'review:decided') && ownerOnB.notices.some((n) => n.name === 'review:decided'), 5000, 'decision to sender and staff');
      expect(memberOnB.notices.find((n) => n.name === 'review:decided')!.payload).toMatchObject({ kind: 'held', status: 'approved', message: { text: '我手机号 13812345678，有事找我' } });
      expect((await auditActions(a, owner, room.id))[0]).toMatchObject({ action: 'review.approve', targetUserId: member.id });
    } finally {
      for (const w of [memberOnB, ownerOnB, applicantOnB]) w.live.close();
    }
  }, 90_000);

  it('presence: a member who joins while online is announced online to the room, and offline when they leave', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const [watcher, newcomer] = [await signUp(a), await signUp(b)];
    const room = (await call(a, 'POST', '/v1/rooms', { token: watcher.token, body: { name: 'Joins while online' } })).body.room;
    const watcherOnA = await watch(a, watcher);
    // Online before joining: their first socket was announced to their rooms then, not to this one.
    const newcomerOnB = await watch(b, newcomer);
    const presence = () => watcherOnA.notices.filter((n) => n.name === 'presence' && n.payload.userId === newcomer.id).map((n) => n.payload.online);
    const onlineIds = async () => (await call(a, 'GET', `/v1/rooms/${room.id}/presence`, { token: watcher.token })).body.online.map((u: { id: string }) => u.id).sort();
    try {
      expect((await call(b, 'POST', `/v1/rooms/${room.id}/join`, { token: newcomer.token, body: {} })).status).toBe(200);
      await waitFor(() => presence().includes(true), 5000, 'online after joining');
      expect(await onlineIds()).toEqual([newcomer.id, watcher.id].sort());
      expect((await call(b, 'POST', `/v1/rooms/${room.id}/leave`, { token: newcomer.token })).status).toBe(204);
      await waitFor(() => presence().at(-1) === false, 5000, 'offline here after leaving');
      expect(await onlineIds()).toEqual([watcher.id]);
    } finally {
      watcherOnA.live.close();
      newcomerOnB.live.close();
    }
  }, 60_000);
});

