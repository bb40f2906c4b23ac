/**
 * Presence across two gateway processes on one PostgreSQL and one Redis: a user with sockets on
 * both gateways is online once and stays online until both are gone, and when a gateway process
 * is killed outright (no shutdown code runs) the survivor announces its users offline once their
 * heartbeat expires. Always runs against a real PostgreSQL and Redis (TEST_DATABASE_URL / TEST_REDIS_URL, or the local defaults).
 */
import { describe, expect, it } from 'vitest';
import type { PresenceEvent } from '../../shared/schemas.ts';
import { call, connect, createRoom, signUp, sleep, waitFor, type LiveClient, type TestUser, joinRoom } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';


const HEARTBEAT_MS = 200;
const TTL_MS = 1000;

describe('presence across gateway processes', () => {
  const gateways = twoGatewaysPerSuite({ PRESENCE_HEARTBEAT_MS: String(HEARTBEAT_MS), PRESENCE_TTL_MS: String(TTL_MS) });

  function presenceHeard(client: LiveClient, observer: TestUser): PresenceEvent[] {
    const heard: PresenceEvent[] = [];
    client.socket.on('presence', (event: PresenceEvent) => {
      if (event.userId !== observer.id) heard.push(event);
    });
    return heard;
  }

  async function onlineIds(url: string, user: TestUser, roomId: string): Promise<string[]> {
    const reply = await call(url, 'GET', `/v1/rooms/${roomId}/presence`, { token: user.token });
    expect(reply.status).toBe(200);
    expect(reply.body.count).toBe(reply.body.online.length);
    return reply.body.online.map((u: { id: string }) => u.id).sort();
  }

  it('counts a user on both gateways once, and cleans up after a killed gateway', async () => {
    const [a, b] = gateways();
    const [watcher, both, onlyOnA, alsoOnA] = [await signUp(a.url), await signUp(a.url), await signUp(b.url), await signUp(b.url)];
    const room = await createRoom(a.url, watcher, { name: 'Across gateways' });
    for (const user of [both, onlyOnA, alsoOnA]) await joinRoom(b.url, user, room.id);

    const watcherLive = await connect(b.url, watcher.token);
    const heard = presenceHeard(watcherLive, watcher);

    // Online once, whichever gateway the sockets are on.
    const bothOnA = await connect(a.url, both.token);
    await waitFor(() => heard.length === 1, 5000, 'online from gateway A');
    expect(heard[0]).toEqual({ roomId: room.id, userId: both.id, online: true });
    const bothOnB = await connect(b.url, both.token);
    await sleep(300);
    expect(heard).toHaveLength(1);
    for (const url of [a.url, b.url]) expect(await onlineIds(url, watcher, room.id)).toEqual([watcher.id, both.id].sort());

    // Leaving one gateway is not going offline.
    bothOnB.close();
    await sleep(300);
    expect(heard).toHaveLength(1);
    expect(await onlineIds(b.url, watcher, room.id)).toContain(both.id);
    const bothOnBAgain = await connect(b.url, both.token);

    const onA = await Promise.all([connect(a.url, onlyOnA.token), connect(a.url, onlyOnA.token), connect(a.url, alsoOnA.token)]);
    await waitFor(() => heard.length === 3, 5000, 'the A-only users online');
    expect(await onlineIds(b.url, watcher, room.id)).toEqual([watcher.id, both.id, onlyOnA.id, alsoOnA.id].sort());

    // SIGKILL: no shutdown code runs on A, so nothing there can say goodbye for its users.
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await waitFor(() => heard.length === 5, TTL_MS + 5_000, 'offline events for the dead gateway’s users');
    const elapsed = Date.now() - killedAt;
    expect(heard.slice(3).map((e) => e.userId).sort()).toEqual([onlyOnA.id, alsoOnA.id].sort());
    expect(heard.slice(3).every((e) => e.roomId === room.id && e.online === false)).toBe(true);
    expect(elapsed).toBeLessThan(TTL_MS + 3 * HEARTBEAT_MS + 2_000);

    // `both` still has a socket on B: online, and no offline event was sent for them.
    await sleep(3 * HEARTBEAT_MS);
    expect(heard).toHaveLength(5);
    expect(await onlineIds(b.url, watcher, room.id)).toEqual([watcher.id, both.id].sort());

    bothOnBAgain.close();
    await waitFor(() => heard.length === 6, 5000, 'the last socket of `both` going');
    expect(heard[5]).toEqual({ roomId: room.id, userId: both.id, online: false });
    expect(await onlineIds(b.url, watcher, room.id)).toEqual([watcher.id]);
    for (const client of [watcherLive, bothOnA, ...onA]) client.close();
  }, 60_000);
});
