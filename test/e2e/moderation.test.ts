/**
 * Moderation across gateway processes: a mute or kick made through gateway A holds at once for
 * the member's socket on gateway B. Always runs against a real PostgreSQL and Redis (TEST_DATABASE_URL / TEST_REDIS_URL, or the local defaults).
 */
import { describe, expect, it } from 'vitest';
import { call, connect, sleep, uniqueName, waitFor } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';
import { castRoom } from '../helpers/rooms.ts';

describe('moderation across two gateway processes', () => {
  const gateways = twoGatewaysPerSuite();

  it('mute, mute-all and kick made on one gateway hold for a socket on the other', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner, admins, members } = await castRoom(a, { admins: 1, members: 1 });
    const member = members[0]!;
    const memberLive = await connect(b, member.token);
    const notices: string[] = [];
    memberLive.socket.on('member:muted', () => notices.push('muted'));
    memberLive.socket.on('room:removed', (e) => notices.push(`removed:${e.reason}`));

    expect((await memberLive.send({ roomId: room.id, text: 'hello from B', clientMsgId: uniqueName() })).ok).toBe(true);

    await call(a, 'POST', `/v1/rooms/${room.id}/members/${member.id}/mute`, { token: admins[0]!.token, body: { durationSeconds: 300 } });
    await waitFor(() => notices.includes('muted'), 5000, 'the mute notice on gateway B');
    const muted = await memberLive.send({ roomId: room.id, text: 'still here?', clientMsgId: uniqueName() });
    expect(muted.error.code).toBe('MUTED');
    await call(a, 'DELETE', `/v1/rooms/${room.id}/members/${member.id}/mute`, { token: owner.token });

    await call(a, 'PUT', `/v1/rooms/${room.id}/mute-all`, { token: owner.token, body: { enabled: true } });
    expect((await memberLive.send({ roomId: room.id, text: 'and now?', clientMsgId: uniqueName() })).error.code).toBe('MUTE_ALL_ACTIVE');
    await call(a, 'PUT', `/v1/rooms/${room.id}/mute-all`, { token: owner.token, body: { enabled: false } });

    await call(a, 'POST', `/v1/rooms/${room.id}/members/${member.id}/kick`, { token: owner.token, body: { reason: 'test' } });
    await waitFor(() => notices.includes('removed:kicked'), 5000, 'the removal notice on gateway B');
    const countAfterKick = memberLive.received.length;
    const ownerLive = await connect(a, owner.token);
    await ownerLive.send({ roomId: room.id, text: 'after the kick', clientMsgId: uniqueName() });
    await sleep(400);
    expect(memberLive.received.length).toBe(countAfterKick);
    expect((await memberLive.send({ roomId: room.id, text: 'let me back', clientMsgId: uniqueName() })).error.code).toBe('NOT_A_MEMBER');
    memberLive.close();
    ownerLive.close();
  }, 60_000);
});
