/**
 * The site-level review queue and suspensions: reports of a message request, a DM message, a
 * user and a room reach the site moderators (SITE_ADMINS); reporters hear the outcome, from room
 * staff as from site moderators; a suspension ends the account's sessions and sockets at once and
 * refuses sign-in and sends while it lasts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, postMessage, signUp, uniqueName, waitFor, type TestUser } from '../helpers/clients.ts';
import { castRoom } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const MODERATOR = uniqueName('mod');
let server: TestServer;
let moderator: TestUser;
beforeAll(async () => {
  server = await startTestServer({ env: { SITE_ADMINS: `${MODERATOR}, someone_else` } });
  moderator = await signUp(server.url, MODERATOR);
});
afterAll(() => server?.close());

const queue = async () => (await call(server.url, 'GET', '/v1/admin/reports', { token: moderator.token })).body.reports as any[];

describe('the site-level review queue', () => {
  it('gathers request, DM message, user and room reports; only site moderators read it', async () => {
    const [mei, lin, spammer] = [await signUp(server.url), await signUp(server.url), await signUp(server.url)];
    const request = (await call(server.url, 'POST', '/v1/dms', { token: spammer.token, body: { userId: mei.id, text: 'cheap watches here', clientMsgId: uniqueName() } })).body.request;
    expect((await call(server.url, 'POST', `/v1/dms/requests/${request.id}/report`, { token: mei.token, body: { reason: 'spam', note: 'a stranger selling' } })).status).toBe(201);

    await call(server.url, 'PUT', '/v1/me/privacy', { token: lin.token, body: { dmsFrom: 'anyone' } });
    const sent = (await call(server.url, 'POST', '/v1/dms', { token: mei.token, body: { userId: lin.id, text: 'you are awful', clientMsgId: uniqueName() } })).body;
    expect((await call(server.url, 'POST', `/v1/rooms/${sent.room.id}/messages/${sent.message.seq}/report`, { token: lin.token, body: { reason: 'harassment' } })).status).toBe(201);

    expect((await call(server.url, 'POST', `/v1/users/${spammer.id}/report`, { token: lin.token, body: { reason: 'scam' } })).body.report).toMatchObject({ kind: 'user', status: 'open' });
    const { room } = await castRoom(server.url);
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/report`, { token: lin.token, body: { reason: 'other', note: 'a fake official group' } })).body.report).toMatchObject({ kind: 'room' });

    const reports = await queue();
    const mine = reports.filter((r) => [mei.id, lin.id].includes(r.reporter.id));
    expect(mine.map((r) => r.kind)).toEqual(['request', 'dm-message', 'user', 'room']);
    expect(mine[0]).toMatchObject({ targetUser: { id: spammer.id }, text: 'cheap watches here', note: 'a stranger selling' });
    expect(mine[1]).toMatchObject({ targetUser: { id: mei.id }, roomId: sent.room.id, seq: sent.message.seq, text: 'you are awful' });
    expect(mine[3]).toMatchObject({ roomId: room.id });

    for (const outsider of [mei, lin]) {
      expect((await call(server.url, 'GET', '/v1/admin/reports', { token: outsider.token })).body.error.code).toBe('SITE_ADMIN_ONLY');
    }
  });

  it('reporters hear the outcome, from site moderators and from room staff', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 2 });
    const [reporter, other] = members as [TestUser, TestUser];
    const live = await connect(server.url, reporter.token);
    const decided: any[] = [];
    live.socket.on('report:decided', (event: any) => decided.push(event));
    try {
      const filed = (await call(server.url, 'POST', `/v1/users/${other.id}/report`, { token: reporter.token, body: { reason: 'spam' } })).body.report;
      const decision = await call(server.url, 'POST', `/v1/admin/reports/${filed.id}/decision`, { token: moderator.token, body: { outcome: 'actioned' } });
      expect(decision.body).toEqual({ reportId: filed.id, outcome: 'actioned' });
      await waitFor(() => decided.some((e) => e.reportId === filed.id), 5000, 'the site decision');
      expect(decided.find((e) => e.reportId === filed.id)).toEqual({ reportId: filed.id, outcome: 'actioned' });
      // Decided once: again, or by a non-moderator, is refused.
      expect((await call(server.url, 'POST', `/v1/admin/reports/${filed.id}/decision`, { token: moderator.token, body: { outcome: 'dismissed' } })).body.error.code).toBe('REPORT_NOT_FOUND');
      expect((await call(server.url, 'POST', `/v1/admin/reports/${filed.id}/decision`, { token: owner.token, body: { outcome: 'dismissed' } })).body.error.code).toBe('SITE_ADMIN_ONLY');
      expect((await call(server.url, 'POST', `/v1/admin/reports/${filed.id}/decision`, { token: moderator.token, body: { outcome: 'maybe' } })).body.error.code).toBe('VALIDATION_FAILED');

      // A room report decided by the room's staff.
      const seq = (await postMessage(server.url, other, room.id, 'buy followers now')).body.message.seq;
      const roomReport = (await call(server.url, 'POST', `/v1/rooms/${room.id}/messages/${seq}/report`, { token: reporter.token, body: { reason: 'spam' } })).body.report;
      expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/review/messages/${seq}/dismiss`, { token: owner.token })).status).toBe(200);
      await waitFor(() => decided.some((e) => e.reportId === roomReport.id), 5000, 'the room decision');
      expect(decided.find((e) => e.reportId === roomReport.id)).toEqual({ reportId: roomReport.id, outcome: 'dismissed' });
    } finally {
      live.close();
    }
  });

  it('suspension ends sessions and sockets at once, refuses sign-in, and changes nothing on bad input', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 2 });
    const [target, bystander] = members as [TestUser, TestUser];
    // A newcomer's mention waits for review: a send still pending when the suspension comes.
    const held = await postMessage(server.url, target, room.id, `@${bystander.username} check my shop`);
    expect(held.body.error.code).toBe('HELD_FOR_REVIEW');
    const pending = async () => (await call(server.url, 'GET', `/v1/rooms/${room.id}/review`, { token: owner.token })).body.held.map((h: any) => h.sender.id);
    expect(await pending()).toContain(target.id);
    const live = await connect(server.url, target.token);
    let reason = '';
    live.socket.on('disconnect', (r) => (reason = r));
    const bad: Array<[string, string, object, string]> = [
      [target.token, target.id, { reason: 'spam' }, 'SITE_ADMIN_ONLY'],
      [moderator.token, moderator.id, { reason: 'spam' }, 'CANNOT_TARGET_SELF'],
      [moderator.token, '00000000-0000-4000-8000-000000000000', { reason: 'spam' }, 'USER_NOT_FOUND'],
      [moderator.token, target.id, {}, 'VALIDATION_FAILED'],
      [moderator.token, target.id, { reason: 'spam', durationSeconds: 5 }, 'VALIDATION_FAILED'],
    ];
    for (const [token, userId, body, code] of bad) {
      expect((await call(server.url, 'POST', `/v1/admin/users/${userId}/suspend`, { token, body })).body.error.code, code).toBe(code);
    }
    expect((await call(server.url, 'GET', '/v1/me', { token: target.token })).status).toBe(200);

    const suspended = await call(server.url, 'POST', `/v1/admin/users/${target.id}/suspend`, { token: moderator.token, body: { reason: 'scam links', durationSeconds: 86_400 } });
    expect(suspended.status).toBe(200);
    expect(suspended.body.suspension).toMatchObject({ userId: target.id, reason: 'scam links', until: expect.any(String) });
    expect((await call(server.url, 'GET', '/v1/me', { token: target.token })).status).toBe(401);
    expect((await postMessage(server.url, target, room.id, 'still here?')).status).toBe(401);
    expect(await pending()).not.toContain(target.id);
    // The room's staff read in their audit log who suspended the member, and why.
    const audit = (await call(server.url, 'GET', `/v1/rooms/${room.id}/audit`, { token: owner.token })).body.entries;
    expect(audit[0]).toMatchObject({ action: 'account.suspend', actorId: moderator.id, targetUserId: target.id, reason: 'scam links', details: { until: suspended.body.suspension.until } });
    await waitFor(() => reason !== '', 3000, 'the socket to close');
    const signIn = await call(server.url, 'POST', '/v1/sessions', { body: { username: target.username, password: 'correct horse battery' } });
    expect(signIn.status).toBe(403);
    expect(signIn.body.error).toMatchObject({ code: 'ACCOUNT_SUSPENDED', details: { reason: 'scam links' } });
    // A wrong password says nothing of the suspension.
    expect((await call(server.url, 'POST', '/v1/sessions', { body: { username: target.username, password: 'wrong password!' } })).body.error.code).toBe('INVALID_CREDENTIALS');

    // Lifted early by a site moderator: the account signs in and speaks again; lifting twice is refused.
    expect((await call(server.url, 'DELETE', `/v1/admin/users/${target.id}/suspend`, { token: owner.token })).body.error.code).toBe('SITE_ADMIN_ONLY');
    expect((await call(server.url, 'DELETE', `/v1/admin/users/${target.id}/suspend`, { token: moderator.token })).status).toBe(204);
    expect((await call(server.url, 'DELETE', `/v1/admin/users/${target.id}/suspend`, { token: moderator.token })).body.error.code).toBe('NOT_SUSPENDED');
    const back = await call(server.url, 'POST', '/v1/sessions', { body: { username: target.username, password: 'correct horse battery' } });
    expect(back.status).toBe(200);
    expect((await postMessage(server.url, { ...target, token: back.body.token }, room.id, 'sorry, back to film talk')).status).toBe(201);
    const lifted = (await call(server.url, 'GET', `/v1/rooms/${room.id}/audit`, { token: owner.token })).body.entries;
    expect(lifted.map((e: { action: string }) => e.action)).toContain('account.unsuspend');
  });
});
