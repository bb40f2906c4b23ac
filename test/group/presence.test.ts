/**
 * Who is online in a room: `GET /v1/rooms/:roomId/presence` and the live `presence` events when a
 * member's first socket connects or last socket goes. One gateway here (in-process presence, or
 * Redis when the real servers are configured); test/e2e/presence.test.ts covers several.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceEvent, Room } from '../../shared/schemas.ts';
import { call, connect, createRoom, signUp, sleep, waitFor, type LiveClient, type TestUser, joinRoom } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';


let server: TestServer;
/** A gateway with a grace before "offline" (the default server has none, so the tests above need not wait). */
let graceServer: TestServer;
const GRACE_MS = 1_000;

beforeAll(async () => {
  [server, graceServer] = await Promise.all([startTestServer(), startTestServer({ env: { PRESENCE_OFFLINE_GRACE_MS: String(GRACE_MS) } })]);
});
afterAll(async () => {
  await Promise.all([server?.close(), graceServer?.close()]);
});

/** Presence events the observer's socket hears about other users (its own arrival is also announced). */
function presenceHeard(client: LiveClient, observer: TestUser): PresenceEvent[] {
  const heard: PresenceEvent[] = [];
  client.socket.on('presence', (event: PresenceEvent) => {
    if (event.userId !== observer.id) heard.push(event);
  });
  return heard;
}

async function presenceOf(user: TestUser, roomId: string, url = server.url) {
  const reply = await call(url, 'GET', `/v1/rooms/${roomId}/presence`, { token: user.token });
  expect(reply.status).toBe(200);
  return reply.body as { online: Array<{ id: string; displayName: string }>; count: number };
}

async function roomWith(owner: TestUser, members: TestUser[], name = 'Presence room', url = server.url): Promise<Room> {
  const room = await createRoom(url, owner, { name });
  for (const member of members) await joinRoom(url, member, room.id);
  return room;
}

describe('presence', () => {
  it('lists the online members and announces the first socket in and the last one out', async () => {
    const [alice, bob, carol] = await Promise.all([signUp(server.url), signUp(server.url), signUp(server.url)]);
    const room = await roomWith(alice, [bob, carol]);
    expect(await presenceOf(alice, room.id)).toEqual({ online: [], count: 0 });

    const aliceLive = await connect(server.url, alice.token);
    const heard = presenceHeard(aliceLive, alice);
    expect(await presenceOf(bob, room.id)).toEqual({ online: [{ id: alice.id, displayName: alice.displayName }], count: 1 });

    const bobPhone = await connect(server.url, bob.token);
    await waitFor(() => heard.length === 1, 3000, 'bob online');
    expect(heard[0]).toEqual({ roomId: room.id, userId: bob.id, online: true });

    // A second device is not news, and neither is closing one of two.
    const bobLaptop = await connect(server.url, bob.token);
    const listed = await presenceOf(carol, room.id);
    expect(listed.count).toBe(2);
    expect(listed.online.map((u) => u.id).sort()).toEqual([alice.id, bob.id].sort());
    bobPhone.close();
    await sleep(300);
    expect(heard).toHaveLength(1);
    expect((await presenceOf(alice, room.id)).count).toBe(2);

    bobLaptop.close();
    await waitFor(() => heard.length === 2, 3000, 'bob offline');
    expect(heard[1]).toEqual({ roomId: room.id, userId: bob.id, online: false });
    expect(await presenceOf(alice, room.id)).toEqual({ online: [{ id: alice.id, displayName: alice.displayName }], count: 1 });
    aliceLive.close();
  });

  it('tells each of the user’s rooms, and only them', async () => {
    const [alice, bob, dave] = await Promise.all([signUp(server.url), signUp(server.url), signUp(server.url)]);
    const first = await roomWith(alice, [bob], 'First');
    const second = await roomWith(alice, [bob], 'Second');
    const elsewhere = await roomWith(dave, [], 'Elsewhere');
    const [aliceLive, daveLive] = await Promise.all([connect(server.url, alice.token), connect(server.url, dave.token)]);
    const heardByAlice = presenceHeard(aliceLive, alice);
    const heardByDave = presenceHeard(daveLive, dave);

    const bobLive = await connect(server.url, bob.token);
    await waitFor(() => heardByAlice.length === 2, 3000, 'bob online in both rooms');
    expect(heardByAlice.map((e) => e.roomId).sort()).toEqual([first.id, second.id].sort());
    expect(heardByAlice.every((e) => e.userId === bob.id && e.online)).toBe(true);
    await sleep(150);
    expect(heardByDave).toEqual([]);
    expect((await presenceOf(dave, elsewhere.id)).online.map((u) => u.id)).toEqual([dave.id]);

    // Signing out closes the session's sockets: bob goes offline everywhere.
    expect((await call(server.url, 'DELETE', '/v1/sessions/current', { token: bob.token })).status).toBe(204);
    await waitFor(() => heardByAlice.length === 4, 3000, 'bob offline in both rooms');
    expect(heardByAlice.slice(2).every((e) => e.userId === bob.id && !e.online)).toBe(true);
    bobLive.close();
    aliceLive.close();
    daveLive.close();
  });

  it('is for members only', async () => {
    const [alice, eve] = await Promise.all([signUp(server.url), signUp(server.url)]);
    const room = await roomWith(alice, []);
    const refused = await call(server.url, 'GET', `/v1/rooms/${room.id}/presence`, { token: eve.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('NOT_A_MEMBER');
    const unknown = await call(server.url, 'GET', `/v1/rooms/${randomUUID()}/presence`, { token: eve.token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('ROOM_NOT_FOUND');
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/presence`)).status).toBe(401);
    expect((await call(server.url, 'GET', '/v1/rooms/not-a-uuid/presence', { token: alice.token })).status).toBe(400);
  });

  /** On the grace server: alice in a room with bob, listening, and bob's arrival heard. */
  async function bobOnlineForAlice(name: string) {
    const url = graceServer.url;
    const [alice, bob] = await Promise.all([signUp(url), signUp(url)]);
    const room = await roomWith(alice, [bob], name, url);
    const aliceLive = await connect(url, alice.token);
    const heard = presenceHeard(aliceLive, alice);
    const bobLive = await connect(url, bob.token);
    await waitFor(() => heard.length === 1, 3000, 'bob online');
    return { url, alice, bob, room, aliceLive, heard, bobLive };
  }

  it('does not announce a dropped connection that is back within the grace, and announces one that is not once the grace is over', async () => {
    const { url, alice, bob, room, aliceLive, heard, bobLive: firstSocket } = await bobOnlineForAlice('Grace room');
    let bobLive = firstSocket;

    // A reload: the socket closes and another opens a moment later. Nobody hears anything.
    bobLive.close();
    await sleep(200);
    bobLive = await connect(url, bob.token);
    await sleep(GRACE_MS + 500);
    expect(heard).toHaveLength(1);
    expect((await presenceOf(alice, room.id, url)).count).toBe(2);

    // Gone for good: still online during the grace, offline after it.
    bobLive.close();
    const closedAt = Date.now();
    await sleep(GRACE_MS / 2);
    expect(heard).toHaveLength(1);
    expect((await presenceOf(alice, room.id, url)).count).toBe(2);
    await waitFor(() => heard.length === 2, GRACE_MS + 3000, 'bob offline after the grace');
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(heard[1]).toEqual({ roomId: room.id, userId: bob.id, online: false });
    expect((await presenceOf(alice, room.id, url)).online.map((u) => u.id)).toEqual([alice.id]);
    aliceLive.close();
  });

  it('announces signing out at once, grace or not', async () => {
    const { url, bob, room, aliceLive, heard, bobLive } = await bobOnlineForAlice('Sign-out room');
    const signedOutAt = Date.now();
    expect((await call(url, 'DELETE', '/v1/sessions/current', { token: bob.token })).status).toBe(204);
    await waitFor(() => heard.length === 2, 3000, 'bob offline');
    expect(Date.now() - signedOutAt).toBeLessThan(GRACE_MS);
    expect(heard[1]).toEqual({ roomId: room.id, userId: bob.id, online: false });
    bobLive.close();
    aliceLive.close();
  });
});
