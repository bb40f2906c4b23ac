/**
 * Raids (issue #18): a wave of joins into an open room shields it — new members must ask, slow
 * mode holds, everyone reads why — and the shield lifts by itself, leaving what staff changed
 * meanwhile as they set it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createRoom, postMessage, signUp, type TestUser } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { RAID_SHIELD_TICK_MS: '100' } });
});
afterAll(() => server?.close());

/** The owner counts as the first join: four joins in a minute raise it here. */
const RAID = { joins: 4, windowSeconds: 60, shieldSeconds: 5, slowModeSeconds: 30 };

async function shieldedRoom(): Promise<{ owner: TestUser; joiners: TestUser[]; roomId: string }> {
  const owner = await signUp(server.url);
  const room = await createRoom(server.url, owner, { name: 'Open gaming squad' });
  expect((await call(server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { raid: RAID, probationSeconds: 0 } })).status).toBe(200);
  const joiners = await Promise.all([1, 2, 3, 4].map(() => signUp(server.url)));
  for (const joiner of joiners.slice(0, 3)) expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: joiner.token, body: {} })).status).toBe(200);
  return { owner, joiners, roomId: room.id };
}

const roomOf = async (user: TestUser, roomId: string) => (await call(server.url, 'GET', `/v1/rooms/${roomId}`, { token: user.token })).body.room;
const systemEvents = async (user: TestUser, roomId: string): Promise<Array<Record<string, unknown>>> =>
  (await call(server.url, 'GET', `/v1/rooms/${roomId}/messages`, { token: user.token })).body.messages.filter((m: { kind: string }) => m.kind === 'system').map((m: { data: Record<string, unknown> }) => m.data);

describe('a wave of joins', () => {
  it('turns the room to approval with slow mode, says so in the timeline and the audit, and lifts by itself', async () => {
    const { owner, joiners, roomId } = await shieldedRoom();
    expect(await roomOf(owner, roomId)).toMatchObject({ joinPolicy: 'approval', slowModeSeconds: 30 });
    const raised = (await systemEvents(owner, roomId)).find((d) => d.event === 'room.raidShield');
    expect(raised).toMatchObject({ joins: 4, windowSeconds: 60, slowModeSeconds: 30, until: expect.any(String) });
    const audit = (await call(server.url, 'GET', `/v1/rooms/${roomId}/audit`, { token: owner.token })).body.entries;
    expect(audit[0]).toMatchObject({ action: 'room.raidShield', actorId: null, details: { joins: 4 } });

    // The next stranger asks; those already in speak at slow-mode pace.
    const late = await call(server.url, 'POST', `/v1/rooms/${roomId}/join`, { token: joiners[3]!.token, body: { answer: 'friend of Mei' } });
    expect(late.status).toBe(202);
    expect(late.body.status).toBe('requested');
    expect((await postMessage(server.url, joiners[0]!, roomId, 'gg, who is in for ranked tonight?')).status).toBe(201);
    expect((await postMessage(server.url, joiners[0]!, roomId, 'anyone?')).body.error.code).toBe('SLOW_MODE');

    await expect.poll(async () => (await roomOf(owner, roomId)).joinPolicy, { timeout: 15_000, interval: 200 }).toBe('open');
    expect(await roomOf(owner, roomId)).toMatchObject({ joinPolicy: 'open', slowModeSeconds: 0 });
    expect((await systemEvents(owner, roomId)).filter((d) => d.event === 'room.raidShieldLifted')).toEqual([{ event: 'room.raidShieldLifted', joinPolicy: 'open', slowModeSeconds: 0 }]);
    // Raised once, lifted once: the room is open again and the next join is ordinary.
    const newcomer = await signUp(server.url);
    expect((await call(server.url, 'POST', `/v1/rooms/${roomId}/join`, { token: newcomer.token, body: {} })).status).toBe(200);
    expect((await systemEvents(owner, roomId)).filter((d) => d.event === 'room.raidShield')).toHaveLength(1);
  }, 30_000);

  it('leaves a setting staff changed during the shield as they set it', async () => {
    const { owner, roomId } = await shieldedRoom();
    expect((await roomOf(owner, roomId)).joinPolicy).toBe('approval');
    expect((await call(server.url, 'PUT', `/v1/rooms/${roomId}/slow-mode`, { token: owner.token, body: { seconds: 60 } })).status).toBe(200);
    await expect.poll(async () => (await roomOf(owner, roomId)).joinPolicy, { timeout: 15_000, interval: 200 }).toBe('open');
    expect((await roomOf(owner, roomId)).slowModeSeconds).toBe(60);
  }, 30_000);

  it('is not raised by ordinary growth, nor in a room that turned it off', async () => {
    const owner = await signUp(server.url);
    const room = await createRoom(server.url, owner, { name: 'Book club' });
    await call(server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { raid: { ...RAID, joins: 0 } } });
    for (let i = 0; i < 5; i++) expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: (await signUp(server.url)).token, body: {} })).status).toBe(200);
    expect(await roomOf(owner, room.id)).toMatchObject({ joinPolicy: 'open', slowModeSeconds: 0 });
    // Below the default threshold (20 in a minute) nothing happens either.
    const other = await createRoom(server.url, owner, { name: 'Pet owners' });
    for (let i = 0; i < 5; i++) await call(server.url, 'POST', `/v1/rooms/${other.id}/join`, { token: (await signUp(server.url)).token, body: {} });
    expect((await roomOf(owner, other.id)).joinPolicy).toBe('open');
  }, 30_000);
});
