/**
 * Nothing acknowledged is lost: data survives a restart of the embedded database, a gateway told
 * to stop (SIGTERM) in the middle of a burst finishes and acknowledges what it accepted, and one
 * killed outright (SIGKILL) had stored everything it acknowledged. On the database the suite runs
 * against (embedded by default, PostgreSQL with TEST_DATABASE_URL).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, connect, createRoom, postMessage, signUp, uniqueName, waitFor, type LiveClient } from './helpers/clients.ts';
import { createTestDatabase, TEST_DATABASE_URL } from './helpers/env.ts';
import { spawnGateway } from './helpers/process.ts';
import { startTestServer } from './helpers/server.ts';

const tempDirs: string[] = [];
function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzi-test-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('embedded database', () => {
  it('keeps users, rooms and messages across a restart', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ embedded: true, dataDir });
    const owner = await signUp(first.url);
    const room = await createRoom(first.url, owner, { name: 'Persistent' });
    const sent = await postMessage(first.url, owner, room.id, 'still here after a restart?');
    await first.close();

    const second = await startTestServer({ embedded: true, dataDir });
    const page = await call(second.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
    expect(page.status).toBe(200);
    expect(page.body.messages).toEqual([sent.body.message]);
    const next = await postMessage(second.url, owner, room.id, 'yes');
    expect(next.body.message.seq).toBe(2);
    await second.close();
  });
});

/** Sends from `client` (up to 50 in flight, like a busy client) until its socket goes away; `whileBusy` runs once 50 sends are answered. */
async function burstUntilGone(client: LiveClient, roomId: string, whileBusy: () => Promise<void>): Promise<any[]> {
  const acks: Array<Promise<any>> = [];
  let answered = 0;
  const sending = (async () => {
    for (let i = 0; i < 2000 && client.socket.connected; i++) {
      acks.push(
        client
          .send({ roomId, text: `burst ${i}`, clientMsgId: uniqueName() })
          .catch(() => null)
          .finally(() => (answered += 1)),
      );
      while (acks.length - answered >= 50 && client.socket.connected) await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  // Once the gateway is visibly busy acknowledging, with many sends still in flight.
  await waitFor(() => answered >= 50, 30_000, 'the first acknowledgements');
  await whileBusy();
  await sending;
  return Promise.all(acks);
}

/** Every stored message of the room, seq → id, read back page by page. */
async function storedMessages(baseUrl: string, token: string, roomId: string): Promise<Map<number, string>> {
  const stored = new Map<number, string>();
  for (let after = 0; ; ) {
    const page = await call(baseUrl, 'GET', `/v1/rooms/${roomId}/messages?after=${after}&limit=100`, { token });
    for (const m of page.body.messages) stored.set(m.seq, m.id);
    if (!page.body.hasMore) break;
    after = page.body.messages.at(-1).seq;
  }
  return stored;
}

/** Each acknowledged message is stored under the seq it was acknowledged with, and the seqs run 1, 2, 3… without a hole. */
function expectAllAckedStored(results: any[], stored: Map<number, string>): void {
  const acked = results.filter((r) => r?.ok).map((r) => r.message);
  expect(acked.length).toBeGreaterThan(0);
  for (const message of acked) expect(stored.get(message.seq)).toBe(message.id);
  expect([...stored.keys()]).toEqual(Array.from({ length: stored.size }, (_, i) => i + 1));
}

/**
 * A gateway on a database of its own (embedded, or PostgreSQL with TEST_DATABASE_URL) takes a
 * burst from one client and is stopped with `signal` part-way. Returns how each send ended, the
 * exit code, and what a gateway restarted on the same data has stored for the room.
 */
async function stopMidBurst(signal: NodeJS.Signals): Promise<{ results: any[]; exitCode: number | null; stored: Map<number, string> }> {
  const database = TEST_DATABASE_URL ? await createTestDatabase() : null;
  const env: Record<string, string> = database ? { DATABASE_URL: database.url } : { DATA_DIR: tempDataDir() };
  try {
    const gateway = await spawnGateway(env);
    const owner = await signUp(gateway.url);
    const room = await createRoom(gateway.url, owner, { name: `Stopped by ${signal}` });
    const client = await connect(gateway.url, owner.token);
    let exitCode: number | null = null;
    const results = await burstUntilGone(client, room.id, async () => {
      exitCode = await gateway.stop(signal);
    });
    const restarted = await spawnGateway(env);
    const stored = await storedMessages(restarted.url, owner.token, room.id);
    await restarted.stop();
    return { results, exitCode, stored };
  } finally {
    await database?.drop();
  }
}

describe('graceful shutdown', () => {
  it('on SIGTERM, every acknowledged message is stored and the process exits cleanly', async () => {
    const { results, exitCode, stored } = await stopMidBurst('SIGTERM');
    expect(exitCode).toBe(0);
    for (const r of results.filter((r) => r && !r.ok)) expect(r.error.code).toBe('SHUTTING_DOWN');
    expectAllAckedStored(results, stored);
  }, 90_000);
});

describe('a gateway killed outright', () => {
  it('loses nothing it acknowledged: SIGKILL in the middle of a burst, then a restart on the same data', async () => {
    // No chance to finish anything: whatever was acknowledged must already be in the database.
    const { results, exitCode, stored } = await stopMidBurst('SIGKILL');
    expect(exitCode).toBeNull();
    expectAllAckedStored(results, stored);
  }, 90_000);
});
