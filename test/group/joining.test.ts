import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, joinRoom, probeFreshSocket, signUp, waitFor, type LiveClient, type TestUser } from '../helpers/clients.ts';
import { castRoom } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { MEMBER_LIMIT_MAX: '1000' } });
});
afterAll(() => server?.close());

describe('join policies', () => {
  it('approval rooms take a request with an answer; admins see it live and approve or reject', async () => {
    const { room, owner, admins } = await castRoom(server.url, { admins: 1 });
    await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { joinPolicy: 'approval', joinQuestion: 'Which camera do you shoot with?' } });
    const adminLive = await connect(server.url, admins[0]!.token);
    const requested: any[] = [];
    adminLive.socket.on('join:requested', (e) => requested.push(e));

    const applicant = await signUp(server.url);
    const info = await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: applicant.token });
    expect(info.body.room).toMatchObject({ joinPolicy: 'approval', joinQuestion: 'Which camera do you shoot with?' });
    const ask = await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: applicant.token, body: { answer: 'Fujifilm X100V' } });
    expect(ask.status).toBe(202);
    expect(ask.body).toMatchObject({ status: 'requested', request: { status: 'pending', answer: 'Fujifilm X100V', user: { id: applicant.id } } });
    await waitFor(() => requested.length === 1, 3000, 'join request notice');
    const again = await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: applicant.token, body: { answer: 'again' } });
    expect(again.body.error.code).toBe('JOIN_REQUEST_PENDING');
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: applicant.token })).body.error.code).toBe('NOT_A_MEMBER');

    const pending = await call(server.url, 'GET', `/v1/rooms/${room.id}/join-requests`, { token: admins[0]!.token });
    expect(pending.body.requests.map((r: any) => r.user.id)).toEqual([applicant.id]);
    const applicantLive = await connect(server.url, applicant.token);
    const decided: any[] = [];
    applicantLive.socket.on('join:decided', (e) => decided.push(e));
    const approve = await call(server.url, 'POST', `/v1/rooms/${room.id}/join-requests/${ask.body.request.id}/approve`, { token: admins[0]!.token });
    expect(approve.body.request.status).toBe('approved');
    await waitFor(() => decided.length === 1 && applicantLive.received.length > 0, 3000, 'approval to reach the applicant');
    expect(decided[0]).toMatchObject({ roomId: room.id, status: 'approved' });
    expect(applicantLive.received.at(-1)!.data).toMatchObject({ event: 'member.joined', userId: applicant.id });
    const twice = await call(server.url, 'POST', `/v1/rooms/${room.id}/join-requests/${ask.body.request.id}/reject`, { token: admins[0]!.token });
    expect(twice.body.error.code).toBe('JOIN_REQUEST_NOT_FOUND');

    const rejected = await signUp(server.url);
    const second = await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: rejected.token, body: { answer: 'phone' } });
    await call(server.url, 'POST', `/v1/rooms/${room.id}/join-requests/${second.body.request.id}/reject`, { token: owner.token });
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: rejected.token })).body.error.code).toBe('NOT_A_MEMBER');
    adminLive.close();
    applicantLive.close();
  });

  it('invite-only rooms need an invite link', async () => {
    const { room, owner } = await castRoom(server.url);
    await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { joinPolicy: 'invite_only' } });
    const outsider = await signUp(server.url);
    const refused = await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: outsider.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('INVITE_REQUIRED');
    const invite = await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: owner.token, body: { maxUses: 5 } });
    const preview = await call(server.url, 'GET', `/v1/invites/${invite.body.invite.code}`, { token: outsider.token });
    expect(preview.body.room.id).toBe(room.id);
    const accepted = await call(server.url, 'POST', `/v1/invites/${invite.body.invite.code}/accept`, { token: outsider.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'joined', role: 'member', room: { id: room.id } });
  });
});

describe('invite links', () => {
  it('honour max uses, expiry and revocation', async () => {
    const { room, owner } = await castRoom(server.url);
    const once = (await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: owner.token, body: { maxUses: 1, expiresInSeconds: 3600 } })).body.invite;
    expect(once).toMatchObject({ maxUses: 1, uses: 0 });
    const [first, second] = [await signUp(server.url), await signUp(server.url)];
    expect((await call(server.url, 'POST', `/v1/invites/${once.code}/accept`, { token: first.token })).status).toBe(200);
    const usedUp = await call(server.url, 'POST', `/v1/invites/${once.code}/accept`, { token: second.token });
    expect(usedUp.status).toBe(404);
    expect(usedUp.body.error.code).toBe('INVITE_INVALID');

    const expiring = (await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: owner.token, body: { expiresInSeconds: 60 } })).body.invite;
    // Move the expiry into the past instead of waiting a minute.
    await server.app.database.db.execute(sql`update invites set expires_at = now() - interval '1 second' where id = ${expiring.id}`);
    expect((await call(server.url, 'POST', `/v1/invites/${expiring.code}/accept`, { token: second.token })).body.error.code).toBe('INVITE_INVALID');

    const revocable = (await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: owner.token, body: {} })).body.invite;
    expect((await call(server.url, 'DELETE', `/v1/rooms/${room.id}/invites/${revocable.id}`, { token: owner.token })).status).toBe(204);
    expect((await call(server.url, 'GET', `/v1/invites/${revocable.code}`, { token: second.token })).body.error.code).toBe('INVITE_INVALID');
    expect((await call(server.url, 'GET', '/v1/invites/doesnotexist', { token: second.token })).body.error.code).toBe('INVITE_INVALID');

    const listed = await call(server.url, 'GET', `/v1/rooms/${room.id}/invites`, { token: owner.token });
    expect(listed.body.invites.find((i: any) => i.id === once.id).uses).toBe(1);
    expect(listed.body.invites.find((i: any) => i.id === revocable.id).revokedAt).not.toBeNull();
  });

  it('members create invites only when the room allows it', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const refused = await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: members[0]!.token, body: {} });
    expect(refused.body.error.code).toBe('FORBIDDEN');
    await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { membersCanInvite: true } });
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: members[0]!.token, body: {} })).status).toBe(201);
  });
});

describe('member limit', () => {
  it('a full room refuses joins clearly, and the limit cannot go below the member count or above the server maximum', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const lowered = await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { memberLimit: 2 } });
    expect(lowered.body.room.memberLimit).toBe(2);
    const late = await signUp(server.url);
    const full = await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: late.token });
    expect(full.status).toBe(409);
    expect(full.body.error).toMatchObject({ code: 'ROOM_FULL', details: { memberLimit: 2 } });
    const invite = (await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: owner.token, body: {} })).body.invite;
    expect((await call(server.url, 'POST', `/v1/invites/${invite.code}/accept`, { token: late.token })).body.error.code).toBe('ROOM_FULL');

    expect((await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { memberLimit: 1 } })).status).toBe(400);
    await call(server.url, 'POST', `/v1/rooms/${room.id}/leave`, { token: members[0]!.token });
    const tooHigh = await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { memberLimit: 5000 } });
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.body.error.message).toMatch(/at most 1000/);
    const unchanged = await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token });
    expect(unchanged.body.room.memberLimit).toBe(2);
  });

  it('refuses a limit below the current member count', async () => {
    const { room, owner } = await castRoom(server.url, { members: 2 });
    const reply = await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { memberLimit: 2 } });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: 'MEMBER_LIMIT_TOO_LOW', details: { memberCount: 3 } });
  });
});

describe('the rooms a reconnecting socket lands in', () => {
  const probe = (user: TestUser, ownerLive: LiveClient, roomId: string) => probeFreshSocket(server.url, user.token, ownerLive, roomId);

  it('follows every join, leave and kick, even when the user has connected since (the list is remembered)', async () => {
    const { room, owner } = await castRoom(server.url);
    const ownerLive = await connect(server.url, owner.token);
    const user = await signUp(server.url);

    // Connected once before joining: this gateway has read (and may remember) an empty list.
    expect(await probe(user, ownerLive, room.id)).toEqual({ hears: false, member: false });
    await joinRoom(server.url, user, room.id);
    expect(await probe(user, ownerLive, room.id)).toEqual({ hears: true, member: true });

    await call(server.url, 'POST', `/v1/rooms/${room.id}/leave`, { token: user.token });
    expect(await probe(user, ownerLive, room.id)).toEqual({ hears: false, member: false });

    await joinRoom(server.url, user, room.id);
    expect((await probe(user, ownerLive, room.id)).hears).toBe(true);
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/members/${user.id}/kick`, { token: owner.token, body: {} })).status).toBe(204);
    expect(await probe(user, ownerLive, room.id)).toEqual({ hears: false, member: false });
    ownerLive.close();
  });

  it('forgets a dissolved room: a member reconnecting afterwards is told it is not theirs', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const member = members[0]!;
    const before = await connect(server.url, member.token);
    expect((await before.emitAck('sync', { cursors: { [room.id]: 0 } })).notMember).toEqual([]);
    before.close();
    expect((await call(server.url, 'DELETE', `/v1/rooms/${room.id}`, { token: owner.token })).status).toBe(204);
    const after = await connect(server.url, member.token);
    const sync = await after.emitAck('sync', { cursors: { [room.id]: 0 } });
    expect(sync).toMatchObject({ ok: true, notMember: [room.id] });
    after.close();
  });
});
