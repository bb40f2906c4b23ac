/**
 * Cross-room spam through HTTP on one gateway: the same (or near-same) text from one account in
 * several rooms within minutes is refused in the third room (FLOOD_CROSS_ROOM), while the same
 * words from other accounts, and other words from the same account, pass. Across two gateways:
 * test/e2e/cross-room-spam.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoom, joinRoom, postMessage, signUp } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { reasonCodes } from './fixtures.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('cross-room spam', () => {
  it('refuses the third room of one account posting near-identical text, and no one else', async () => {
    const owner = await signUp(server.url);
    const rooms = await Promise.all([1, 2, 3].map((i) => createRoom(server.url, owner, { name: `Hiking ${i}` })));
    const [spammer, bystander] = await Promise.all([signUp(server.url), signUp(server.url)]);
    for (const room of rooms) await Promise.all([joinRoom(server.url, spammer, room.id), joinRoom(server.url, bystander, room.id)]);

    expect((await postMessage(server.url, spammer, rooms[0]!.id, '周末露营活动报名开始了，感兴趣的看群公告')).status).toBe(201);
    expect((await postMessage(server.url, spammer, rooms[1]!.id, '周末露营活动报名开始了！感兴趣的看群公告 2')).status).toBe(201);
    const third = await postMessage(server.url, spammer, rooms[2]!.id, '周末露营活动报名开始了，感兴趣的看看群公告');
    expect(third.status).toBe(422);
    expect(third.body.error.code).toBe('BLOCKED_BY_SAFETY');
    expect(reasonCodes(third.body)).toContain('FLOOD_CROSS_ROOM');

    // Another account's copy is theirs alone (their own third room would be refused too).
    expect((await postMessage(server.url, bystander, rooms[2]!.id, '周末露营活动报名开始了，感兴趣的看群公告')).status).toBe(201);
    expect((await postMessage(server.url, spammer, rooms[2]!.id, '我周六可以带两顶帐篷')).status).toBe(201);
  });
});
