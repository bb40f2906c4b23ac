/**
 * The whole role × action × target matrix, through HTTP. The expected table is written out here
 * independently of server/domain/permissions.ts, so a change to either shows up as a failure.
 * Every refused action must answer FORBIDDEN and change nothing; every allowed one must succeed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type TestUser } from '../helpers/clients.ts';
import { castRoom, membersSnapshot, type Cast } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

type Actor = 'owner' | 'admin' | 'member';
type Target = 'owner' | 'otherAdmin' | 'otherMember';
type Action = 'mute' | 'kick' | 'ban' | 'appointAdmin' | 'dismissAdmin' | 'transfer';

const RANK = { owner: 3, admin: 2, member: 1 } as const;
const targetRole = { owner: 'owner', otherAdmin: 'admin', otherMember: 'member' } as const;

/** Who may do what to whom, as a WeChat or QQ group owner would expect. */
function expectedAllowed(actor: Actor, action: Action, target: Target): boolean {
  const t = targetRole[target];
  switch (action) {
    case 'mute':
    case 'kick':
    case 'ban':
      return actor !== 'member' && RANK[actor] > RANK[t];
    // Only the owner sets roles; setting the role someone already has is a no-op that succeeds.
    case 'appointAdmin':
    case 'dismissAdmin':
      return actor === 'owner' && t !== 'owner';
    case 'transfer':
      return actor === 'owner' && t !== 'owner';
  }
}

function perform(baseUrl: string, cast: Cast, actor: TestUser, action: Action, target: TestUser) {
  const room = cast.room.id;
  switch (action) {
    case 'mute':
      return call(baseUrl, 'POST', `/v1/rooms/${room}/members/${target.id}/mute`, { token: actor.token, body: { durationSeconds: 600 } });
    case 'kick':
      return call(baseUrl, 'POST', `/v1/rooms/${room}/members/${target.id}/kick`, { token: actor.token, body: {} });
    case 'ban':
      return call(baseUrl, 'POST', `/v1/rooms/${room}/bans`, { token: actor.token, body: { userId: target.id } });
    case 'appointAdmin':
      return call(baseUrl, 'PUT', `/v1/rooms/${room}/members/${target.id}/role`, { token: actor.token, body: { role: 'admin' } });
    case 'dismissAdmin':
      return call(baseUrl, 'PUT', `/v1/rooms/${room}/members/${target.id}/role`, { token: actor.token, body: { role: 'member' } });
    case 'transfer':
      return call(baseUrl, 'POST', `/v1/rooms/${room}/transfer`, { token: actor.token, body: { userId: target.id } });
  }
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const actors: Actor[] = ['owner', 'admin', 'member'];
const targets: Target[] = ['owner', 'otherAdmin', 'otherMember'];
const actions: Action[] = ['mute', 'kick', 'ban', 'appointAdmin', 'dismissAdmin', 'transfer'];

function pick(cast: Cast, who: Actor | Target): TestUser {
  return { owner: cast.owner, admin: cast.admins[0]!, otherAdmin: cast.admins[1]!, member: cast.members[0]!, otherMember: cast.members[1]! }[who];
}

describe('permission matrix: actions on members', () => {
  it('refuses every forbidden combination with FORBIDDEN and changes nothing', async () => {
    const cast = await castRoom(server.url, { admins: 2, members: 2 });
    let refused = 0;
    for (const actor of actors) {
      for (const action of actions) {
        for (const target of targets) {
          if (expectedAllowed(actor, action, target) || (actor === 'owner' && target === 'owner')) continue;
          const before = await membersSnapshot(server.url, cast.owner, cast.room.id);
          const reply = await perform(server.url, cast, pick(cast, actor), action, pick(cast, target));
          expect(reply.status, `${actor} ${action} ${target}`).toBe(403);
          expect(reply.body.error.code).toBe('FORBIDDEN');
          expect(reply.body.error.message).toMatch(/not allowed/i);
          expect(await membersSnapshot(server.url, cast.owner, cast.room.id), `${actor} ${action} ${target} changed state`).toBe(before);
          refused += 1;
        }
      }
    }
    expect(refused).toBeGreaterThan(30);
  }, 120_000);

  it('allows every permitted combination', async () => {
    for (const actor of actors) {
      for (const action of actions) {
        for (const target of targets) {
          if (!expectedAllowed(actor, action, target)) continue;
          // A fresh room per allowed action: each one changes the room.
          const cast = await castRoom(server.url, { admins: 2, members: 2 });
          const reply = await perform(server.url, cast, pick(cast, actor), action, pick(cast, target));
          expect(reply.status, `${actor} ${action} ${target}: ${JSON.stringify(reply.body)}`).toBeLessThan(300);
        }
      }
    }
  }, 180_000);

  it('refuses acting on yourself with CANNOT_TARGET_SELF', async () => {
    const cast = await castRoom(server.url, { admins: 1 });
    const admin = cast.admins[0]!;
    for (const reply of [
      await call(server.url, 'POST', `/v1/rooms/${cast.room.id}/members/${admin.id}/mute`, { token: admin.token, body: {} }),
      await call(server.url, 'POST', `/v1/rooms/${cast.room.id}/members/${admin.id}/kick`, { token: admin.token, body: {} }),
      await call(server.url, 'POST', `/v1/rooms/${cast.room.id}/transfer`, { token: cast.owner.token, body: { userId: cast.owner.id } }),
    ]) {
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('CANNOT_TARGET_SELF');
    }
  });
});

describe('permission matrix: room-wide actions', () => {
  it('lets owner and admins run the room and refuses members', async () => {
    const cast = await castRoom(server.url, { admins: 1, members: 1 });
    const room = cast.room.id;
    const staffOnly: Array<[string, string, unknown]> = [
      ['PATCH', `/v1/rooms/${room}`, { topic: 'new topic' }],
      ['PUT', `/v1/rooms/${room}/mute-all`, { enabled: false }],
      ['PUT', `/v1/rooms/${room}/slow-mode`, { seconds: 0 }],
      ['GET', `/v1/rooms/${room}/audit`, undefined],
      ['GET', `/v1/rooms/${room}/join-requests`, undefined],
      ['GET', `/v1/rooms/${room}/invites`, undefined],
      ['POST', `/v1/rooms/${room}/invites`, {}],
      ['GET', `/v1/rooms/${room}/bans`, undefined],
    ];
    for (const [method, path, body] of staffOnly) {
      const refused = await call(server.url, method, path, { token: cast.members[0]!.token, body });
      expect(refused.status, `member ${method} ${path}`).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      for (const staff of [cast.owner, cast.admins[0]!]) {
        const allowed = await call(server.url, method, path, { token: staff.token, body });
        expect(allowed.status, `${method} ${path}`).toBeLessThan(300);
      }
    }
    const dissolveByAdmin = await call(server.url, 'DELETE', `/v1/rooms/${room}`, { token: cast.admins[0]!.token });
    expect(dissolveByAdmin.status).toBe(403);
    expect((await call(server.url, 'GET', `/v1/rooms/${room}`, { token: cast.owner.token })).status).toBe(200);
  });
});
