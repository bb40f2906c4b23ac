import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, joinRoom, postMessage, signUp, sleep, uniqueName, waitFor } from '../helpers/clients.ts';
import { castRoom } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { ADMIN_LIMIT: '2' } });
});
afterAll(() => server?.close());

const lastSystem = async (roomId: string, token: string) => {
  const page = await call(server.url, 'GET', `/v1/rooms/${roomId}/messages?limit=5`, { token });
  return page.body.messages.filter((m: any) => m.kind === 'system').at(-1);
};

describe('mutes', () => {
  it('a muted member is told when the mute ends, others are not affected, and unmute lifts it', async () => {
    const { room, owner, admins, members } = await castRoom(server.url, { admins: 1, members: 2 });
    const [muted, other] = members as [any, any];
    const live = await connect(server.url, muted.token);
    const notices: any[] = [];
    live.socket.on('member:muted', (n) => notices.push(n));

    const mute = await call(server.url, 'POST', `/v1/rooms/${room.id}/members/${muted.id}/mute`, {
      token: admins[0]!.token,
      body: { durationSeconds: 600, reason: 'cool down' },
    });
    expect(mute.status).toBe(200);
    const until = new Date(mute.body.until).getTime();
    expect(until).toBeGreaterThan(Date.now() + 590_000);
    await waitFor(() => notices.length === 1, 3000, 'mute notice');
    expect(notices[0]).toMatchObject({ roomId: room.id, until: mute.body.until });

    const refused = await live.send({ roomId: room.id, text: 'can I still talk?', clientMsgId: uniqueName() });
    expect(refused.ok).toBe(false);
    expect(refused.error.code).toBe('MUTED');
    expect(refused.error.details.until).toBe(mute.body.until);
    expect(refused.error.message).toContain(mute.body.until);
    expect((await postMessage(server.url, muted, room.id, 'over http?')).body.error.code).toBe('MUTED');
    expect((await postMessage(server.url, other, room.id, 'I can talk')).status).toBe(201);
    expect((await lastSystem(room.id, owner.token)).data).toMatchObject({ event: 'member.muted', userId: muted.id });

    const list = await call(server.url, 'GET', `/v1/rooms/${room.id}/members`, { token: owner.token });
    expect(list.body.members.find((m: any) => m.user.id === muted.id).mutedUntil).toBe(mute.body.until);

    expect((await call(server.url, 'DELETE', `/v1/rooms/${room.id}/members/${muted.id}/mute`, { token: owner.token })).status).toBe(204);
    expect((await live.send({ roomId: room.id, text: 'thanks', clientMsgId: uniqueName() })).ok).toBe(true);
    live.close();
  });

  it('a short mute expires by itself; a mute without duration lasts until unmuted', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 2 });
    await call(server.url, 'POST', `/v1/rooms/${room.id}/members/${members[0]!.id}/mute`, { token: owner.token, body: { durationSeconds: 1 } });
    expect((await postMessage(server.url, members[0]!, room.id, 'muted?')).body.error.code).toBe('MUTED');
    await sleep(1100);
    expect((await postMessage(server.url, members[0]!, room.id, 'free again')).status).toBe(201);

    const forever = await call(server.url, 'POST', `/v1/rooms/${room.id}/members/${members[1]!.id}/mute`, { token: owner.token });
    expect(forever.body.until).toBeNull();
    const refused = await postMessage(server.url, members[1]!, room.id, 'hello?');
    expect(refused.body.error).toMatchObject({ code: 'MUTED', details: { until: null } });
    expect(refused.body.error.message).toMatch(/until an admin unmutes you/);
  });

  it('mute-all lets only owner and admins speak', async () => {
    const { room, owner, admins, members } = await castRoom(server.url, { admins: 1, members: 1 });
    const on = await call(server.url, 'PUT', `/v1/rooms/${room.id}/mute-all`, { token: admins[0]!.token, body: { enabled: true } });
    expect(on.body.room.muteAll).toBe(true);
    const refused = await postMessage(server.url, members[0]!, room.id, 'hi');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('MUTE_ALL_ACTIVE');
    expect((await postMessage(server.url, admins[0]!, room.id, 'announcement time')).status).toBe(201);
    expect((await postMessage(server.url, owner, room.id, 'me too')).status).toBe(201);
    await call(server.url, 'PUT', `/v1/rooms/${room.id}/mute-all`, { token: owner.token, body: { enabled: false } });
    expect((await postMessage(server.url, members[0]!, room.id, 'hi again')).status).toBe(201);
  });

  it('slow mode spaces out a member’s messages and says when to retry; staff are exempt', async () => {
    const { room, admins, members } = await castRoom(server.url, { admins: 1, members: 1 });
    await call(server.url, 'PUT', `/v1/rooms/${room.id}/slow-mode`, { token: admins[0]!.token, body: { seconds: 30 } });
    const first = await postMessage(server.url, members[0]!, room.id, 'first', 'slow-first');
    expect(first.status).toBe(201);
    // A retry of the same send is not a second message: it gets the original, not SLOW_MODE.
    const retry = await postMessage(server.url, members[0]!, room.id, 'first', 'slow-first');
    expect(retry.status).toBe(200);
    expect(retry.body.message.id).toBe(first.body.message.id);
    const second = await postMessage(server.url, members[0]!, room.id, 'second');
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('SLOW_MODE');
    expect(second.body.error.details.retryAfterSeconds).toBeGreaterThan(25);
    expect((await postMessage(server.url, admins[0]!, room.id, 'staff 1')).status).toBe(201);
    expect((await postMessage(server.url, admins[0]!, room.id, 'staff 2')).status).toBe(201);
    await call(server.url, 'PUT', `/v1/rooms/${room.id}/slow-mode`, { token: admins[0]!.token, body: { seconds: 0 } });
    expect((await postMessage(server.url, members[0]!, room.id, 'third')).status).toBe(201);
  });
});

describe('kick and ban', () => {
  it('a kicked member is removed live, stops receiving, and may rejoin', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const target = members[0]!;
    const live = await connect(server.url, target.token);
    const removed: any[] = [];
    live.socket.on('room:removed', (e) => removed.push(e));
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/members/${target.id}/kick`, { token: owner.token, body: { reason: 'off-topic' } })).status).toBe(204);
    await waitFor(() => removed.length === 1, 3000, 'removal notice');
    expect(removed[0]).toEqual({ roomId: room.id, reason: 'kicked' });
    const count = live.received.length;
    await postMessage(server.url, owner, room.id, 'after the kick');
    await sleep(200);
    expect(live.received.length).toBe(count);
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: target.token })).body.error.code).toBe('NOT_A_MEMBER');
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: target.token })).status).toBe(200);
    live.close();
  });

  it('a banned user cannot come back by any path until unbanned', async () => {
    const { room, owner, admins, members } = await castRoom(server.url, { admins: 1, members: 1 });
    const target = members[0]!;
    const invite = await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: owner.token, body: {} });
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/bans`, { token: admins[0]!.token, body: { userId: target.id, reason: 'scam links' } })).status).toBe(204);

    const direct = await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: target.token });
    expect(direct.status).toBe(403);
    expect(direct.body.error).toMatchObject({ code: 'BANNED', details: { until: null } });
    const viaInvite = await call(server.url, 'POST', `/v1/invites/${invite.body.invite.code}/accept`, { token: target.token });
    expect(viaInvite.body.error.code).toBe('BANNED');
    await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { joinPolicy: 'approval' } });
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: target.token, body: { answer: 'please' } })).body.error.code).toBe('BANNED');

    const bans = await call(server.url, 'GET', `/v1/rooms/${room.id}/bans`, { token: owner.token });
    expect(bans.body.bans).toEqual([expect.objectContaining({ user: expect.objectContaining({ id: target.id }), reason: 'scam links', until: null })]);

    expect((await call(server.url, 'DELETE', `/v1/rooms/${room.id}/bans/${target.id}`, { token: owner.token })).status).toBe(204);
    expect((await call(server.url, 'POST', `/v1/invites/${invite.body.invite.code}/accept`, { token: target.token })).status).toBe(200);
  });

  it('a ban with a duration ends by itself; a non-member can be banned ahead of time', async () => {
    const { room, owner } = await castRoom(server.url);
    const stranger = await signUp(server.url);
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/bans`, { token: owner.token, body: { userId: stranger.id, durationSeconds: 60 } })).status).toBe(204);
    const refused = await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: stranger.token });
    expect(refused.body.error.code).toBe('BANNED');
    expect(new Date(refused.body.error.details.until).getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Move the end of the ban into the past instead of waiting a minute.
    await server.app.database.db.execute(
      (await import('drizzle-orm')).sql`update room_bans set until = now() - interval '1 second' where user_id = ${stranger.id}`,
    );
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: stranger.token })).status).toBe(200);
  });
});

describe('roles, ownership and nicknames', () => {
  it('the owner appoints admins up to the limit and can hand the room over', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 3 });
    for (const m of members.slice(0, 2)) {
      expect((await call(server.url, 'PUT', `/v1/rooms/${room.id}/members/${m.id}/role`, { token: owner.token, body: { role: 'admin' } })).status).toBe(204);
    }
    const third = await call(server.url, 'PUT', `/v1/rooms/${room.id}/members/${members[2]!.id}/role`, { token: owner.token, body: { role: 'admin' } });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('ADMIN_LIMIT_REACHED');

    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/leave`, { token: owner.token })).body.error.code).toBe('OWNER_CANNOT_LEAVE');
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/transfer`, { token: owner.token, body: { userId: members[2]!.id } })).status).toBe(204);
    const list = await call(server.url, 'GET', `/v1/rooms/${room.id}/members`, { token: owner.token });
    const roleOf = (id: string) => list.body.members.find((m: any) => m.user.id === id).role;
    expect(roleOf(members[2]!.id)).toBe('owner');
    expect(roleOf(owner.id)).toBe('admin');
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token })).body.room.ownerId).toBe(members[2]!.id);
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/leave`, { token: owner.token })).status).toBe(204);
    expect((await lastSystem(room.id, members[2]!.token)).data.event).toBe('member.left');
  });

  it('a per-room nickname shows on new messages and in the member list', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    expect((await call(server.url, 'PUT', `/v1/rooms/${room.id}/members/me/nickname`, { token: members[0]!.token, body: { nickname: '摄影小白' } })).status).toBe(204);
    const sent = await postMessage(server.url, members[0]!, room.id, '大家好');
    expect(sent.body.message.sender.displayName).toBe('摄影小白');
    const list = await call(server.url, 'GET', `/v1/rooms/${room.id}/members`, { token: owner.token });
    expect(list.body.members.find((m: any) => m.user.id === members[0]!.id).nickname).toBe('摄影小白');
    const tooLong = await call(server.url, 'PUT', `/v1/rooms/${room.id}/members/me/nickname`, { token: members[0]!.token, body: { nickname: 'x'.repeat(33) } });
    expect(tooLong.status).toBe(400);
  });

  it('dissolving removes the room for everyone', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const live = await connect(server.url, members[0]!.token);
    const removed: any[] = [];
    live.socket.on('room:removed', (e) => removed.push(e));
    expect((await call(server.url, 'DELETE', `/v1/rooms/${room.id}`, { token: owner.token })).status).toBe(204);
    await waitFor(() => removed.length === 1, 3000, 'dissolve notice');
    expect(removed[0]).toEqual({ roomId: room.id, reason: 'dissolved' });
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token })).status).toBe(404);
    live.close();
  });
});

describe('audit log', () => {
  it('records who did what to whom and why, for owner and admins only', async () => {
    const { room, owner, admins, members } = await castRoom(server.url, { admins: 1, members: 2 });
    await call(server.url, 'POST', `/v1/rooms/${room.id}/members/${members[0]!.id}/mute`, { token: admins[0]!.token, body: { durationSeconds: 60, reason: 'spamming stickers' } });
    await call(server.url, 'POST', `/v1/rooms/${room.id}/members/${members[1]!.id}/kick`, { token: owner.token, body: { reason: 'ads' } });
    const log = await call(server.url, 'GET', `/v1/rooms/${room.id}/audit`, { token: admins[0]!.token });
    expect(log.status).toBe(200);
    const [kick, mute] = log.body.entries;
    expect(kick).toMatchObject({ action: 'member.kick', actorId: owner.id, targetUserId: members[1]!.id, reason: 'ads' });
    expect(mute).toMatchObject({ action: 'member.mute', actorId: admins[0]!.id, targetUserId: members[0]!.id, reason: 'spamming stickers' });
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/audit`, { token: members[0]!.token })).body.error.code).toBe('FORBIDDEN');
  });
});

void joinRoom;
