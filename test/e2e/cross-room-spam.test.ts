/**
 * Cross-room spam across two gateway processes (real PostgreSQL and Redis): each gateway's flood
 * memory sees only the rooms it served, so an account spreading one text over rooms through
 * different gateways is caught by the sightings both share in Redis (server/safety/sightings.ts).
 */
import { describe, expect, it } from 'vitest';
import { createRoom, joinRoom, postMessage, signUp } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';

describe('cross-room spam across gateways', () => {
  const gateways = twoGatewaysPerSuite();

  it('refuses the third room even when no gateway saw more than two of them', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const owner = await signUp(a);
    const rooms = await Promise.all([1, 2, 3].map((i) => createRoom(a, owner, { name: `Camping ${i}` })));
    const [spammer, bystander] = await Promise.all([signUp(a), signUp(a)]);
    for (const room of rooms) await Promise.all([joinRoom(a, spammer, room.id), joinRoom(a, bystander, room.id)]);

    expect((await postMessage(a, spammer, rooms[0]!.id, '周末露营活动报名开始了，感兴趣的看群公告')).status).toBe(201);
    expect((await postMessage(b, spammer, rooms[1]!.id, '周末露营活动报名开始了！感兴趣的看群公告')).status).toBe(201);
    const third = await postMessage(b, spammer, rooms[2]!.id, '周末露营活动报名开始了，感兴趣的看看群公告');
    expect(third.status).toBe(422);
    expect(third.body.error).toMatchObject({ code: 'BLOCKED_BY_SAFETY', details: { reasons: expect.arrayContaining([expect.objectContaining({ code: 'FLOOD_CROSS_ROOM' })]) } });

    // Other accounts' copies, on either gateway, are theirs alone.
    expect((await postMessage(a, bystander, rooms[0]!.id, '周末露营活动报名开始了，感兴趣的看群公告')).status).toBe(201);
    expect((await postMessage(b, bystander, rooms[1]!.id, '周末露营活动报名开始了，感兴趣的看群公告')).status).toBe(201);
  });
});
