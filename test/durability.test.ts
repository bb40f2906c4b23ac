/**
 * Nothing acknowledged is lost: data survives a restart of the embedded database, and a gateway
 * told to stop (SIGTERM) in the middle of a burst finishes and acknowledges what it accepted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, connect, createRoom, postMessage, signUp, uniqueName, waitFor } from './helpers/clients.ts';
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

describe('graceful shutdown', () => {
  it('on SIGTERM, every acknowledged message is stored and the process exits cleanly', async () => {
    const database = TEST_DATABASE_URL ? await createTestDatabase() : null;
    const env: Record<string, string> = database ? { DATABASE_URL: database.url } : { DATA_DIR: tempDataDir() };
    try {
      const gateway = await spawnGateway(env);
      const owner = await signUp(gateway.url);
      const room = await createRoom(gateway.url, owner, { name: 'Drain' });
      const client = await connect(gateway.url, owner.token);

      // Keep sending until the gateway goes away; stop it part-way through.
      const acks: Array<Promise<any>> = [];
      let answered = 0;
      const sending = (async () => {
        // Up to 50 sends in flight, like a busy client, until the gateway goes away.
        for (let i = 0; i < 2000 && client.socket.connected; i++) {
          acks.push(
            client
              .send({ roomId: room.id, text: `burst ${i}`, clientMsgId: uniqueName() })
              .catch(() => null)
              .finally(() => (answered += 1)),
          );
          while (acks.length - answered >= 50 && client.socket.connected) await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      // Stop once the gateway is visibly busy acknowledging, with many sends still in flight.
      await waitFor(() => answered >= 50, 30_000, 'the first acknowledgements');
      const exitCode = await gateway.stop('SIGTERM');
      await sending;
      const results = await Promise.all(acks);
      expect(exitCode).toBe(0);

      const acked = results.filter((r) => r?.ok).map((r) => r.message);
      const refused = results.filter((r) => r && !r.ok);
      expect(acked.length).toBeGreaterThan(0);
      for (const r of refused) expect(r.error.code).toBe('SHUTTING_DOWN');

      const restarted = await spawnGateway(env);
      const stored = new Map<number, string>();
      for (let after = 0; ; ) {
        const page = await call(restarted.url, 'GET', `/v1/rooms/${room.id}/messages?after=${after}&limit=100`, { token: owner.token });
        for (const m of page.body.messages) stored.set(m.seq, m.id);
        if (!page.body.hasMore) break;
        after = page.body.messages.at(-1).seq;
      }
      for (const message of acked) expect(stored.get(message.seq)).toBe(message.id);
      expect([...stored.keys()]).toEqual(Array.from({ length: stored.size }, (_, i) => i + 1));
      await restarted.stop();
    } finally {
      await database?.drop();
    }
  }, 90_000);
});
