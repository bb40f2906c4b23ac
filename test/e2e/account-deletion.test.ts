/**
 * Account deletion across gateway processes: deleted through gateway A, the user's socket on
 * gateway B is closed and B refuses the token it had remembered, before A answers. Always runs
 * against a real PostgreSQL and Redis (TEST_DATABASE_URL / TEST_REDIS_URL, or the local defaults).
 */
import { describe, expect, it } from 'vitest';
import { call, connect, createRoom, joinRoom, signUp, waitFor } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';

describe('account deletion across two gateway processes', () => {
  const gateways = twoGatewaysPerSuite();

  it('closes the socket on the other gateway and that gateway forgets the session at once', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const owner = await signUp(a);
    const room = await createRoom(a, owner);
    const user = await signUp(a);
    await joinRoom(a, user, room.id);
    // Gateway B remembers the session (fact cache) and holds the user's socket.
    expect((await call(b, 'GET', '/v1/me', { token: user.token })).status).toBe(200);
    const live = await connect(b, user.token);
    let reason = '';
    live.socket.on('disconnect', (r) => (reason = r));

    const deleted = await call(a, 'DELETE', '/v1/me', { token: user.token, body: { password: 'correct horse battery' } });
    expect(deleted.status).toBe(204);
    expect((await call(b, 'GET', '/v1/me', { token: user.token })).status).toBe(401);
    await waitFor(() => reason !== '', 3000, 'the socket on gateway B to be closed');
    expect(reason).toBe('io server disconnect');
    const members = await call(b, 'GET', `/v1/rooms/${room.id}/members`, { token: owner.token });
    expect(members.body.members.map((m: any) => m.user.id)).toEqual([owner.id]);
  }, 60_000);
});
