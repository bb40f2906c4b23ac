/**
 * The embedded PostgreSQL as `npm start` runs it: a child process of the gateway with its files
 * in DATA_DIR/pg. It goes when the gateway goes, however the gateway ends; one left running
 * (its watchdog killed along with the gateway) is stopped by the next start; a DATA_DIR another
 * gateway is using is refused, and so is an earlier version's PGlite directory, each with a plain
 * message and no stack trace.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, createRoom, postMessage, signUp, waitFor } from './helpers/clients.ts';
import { spawnGateway, type GatewayProcess } from './helpers/process.ts';

const tempDirs: string[] = [];
const gateways: GatewayProcess[] = [];
function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzi-embedded-'));
  tempDirs.push(dir);
  return dir;
}
async function startOn(dataDir: string): Promise<GatewayProcess> {
  const gateway = await spawnGateway({ DATA_DIR: dataDir });
  gateways.push(gateway);
  return gateway;
}
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop('SIGKILL')));
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Parent of each live process, from /proc. */
function parents(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      byPid.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  return byPid;
}

/** A gateway that will not start: its exit code and everything it printed. */
async function refusedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const error = await spawnGateway(env, 60_000).then(
    (gateway) => {
      gateways.push(gateway);
      throw new Error('the gateway started');
    },
    (error: Error) => error,
  );
  const match = /^gateway exited with (\S+) before it was ready:\n([\s\S]*)$/.exec(error.message);
  if (!match) throw error;
  return { code: match[1] === 'null' ? null : Number(match[1]), output: match[2]! };
}

async function seedMessage(gateway: GatewayProcess, text: string) {
  const owner = await signUp(gateway.url);
  const room = await createRoom(gateway.url, owner, { name: 'Embedded' });
  const sent = await postMessage(gateway.url, owner, room.id, text);
  expect(sent.status).toBe(201);
  return { owner, room, message: sent.body.message };
}

describe('the embedded PostgreSQL', () => {
  it('stops when its gateway is killed outright, and the next start has every message', async () => {
    const dataDir = tempDataDir();
    const first = await startOn(dataDir);
    expect((await call(first.url, 'GET', '/readyz')).status).toBe(200);
    const { owner, room, message } = await seedMessage(first, 'stored before the kill');
    const postgres = postmasterPid(dataDir);
    expect(isAlive(postgres)).toBe(true);

    await first.stop('SIGKILL');
    // The watchdog saw the gateway's pipe close and asked PostgreSQL to shut down.
    await waitFor(() => !isAlive(postgres), 20_000, 'the embedded PostgreSQL to stop after its gateway was killed');

    const second = await startOn(dataDir);
    const page = await call(second.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
    expect(page.body.messages).toEqual([message]);
    await second.stop();
  }, 120_000);

  it('left running by a gateway killed along with its watchdog, it is stopped by the next start', async () => {
    const dataDir = tempDataDir();
    const first = await startOn(dataDir);
    const { owner, room, message } = await seedMessage(first, 'stored before the orphan');
    const postgres = postmasterPid(dataDir);
    const parentOf = parents();
    const watchdog = parentOf.get(postgres)!;
    expect(parentOf.get(watchdog)).toBe(first.child.pid);
    // The watchdog, the subshell it reads the pipe in, and the gateway: nothing is left to stop PostgreSQL.
    const watchers = [...parentOf].filter(([pid, parent]) => parent === watchdog && pid !== postgres).map(([pid]) => pid);
    for (const pid of [watchdog, ...watchers]) process.kill(pid, 'SIGKILL');
    await first.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(isAlive(postgres)).toBe(true);

    const second = await startOn(dataDir);
    expect(isAlive(postgres)).toBe(false);
    expect(postmasterPid(dataDir)).not.toBe(postgres);
    const page = await call(second.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
    expect(page.body.messages).toEqual([message]);
    await second.stop();
  }, 120_000);

  it('stops with its gateway on SIGTERM, leaving no server and no lock behind', async () => {
    const dataDir = tempDataDir();
    const gateway = await startOn(dataDir);
    const postgres = postmasterPid(dataDir);
    expect(await gateway.stop('SIGTERM')).toBe(0);
    expect(isAlive(postgres)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'gateway.pid'))).toBe(false);
  }, 120_000);

  it('refuses a DATA_DIR that another running gateway uses, and leaves that gateway serving', async () => {
    const dataDir = tempDataDir();
    const first = await startOn(dataDir);
    const { owner, room } = await seedMessage(first, 'the first gateway keeps its database');

    const refused = await refusedStart({ DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`DATA_DIR ${dataDir} is in use by another Quanzi gateway (pid ${first.child.pid}`);
    expect(refused.output).not.toMatch(/^\s+at /m);

    expect((await postMessage(first.url, owner, room.id, 'still serving')).status).toBe(201);
    await first.stop();
  }, 120_000);

  it("refuses an earlier version's PGlite directory, says what to do, and changes nothing in it", async () => {
    const dataDir = tempDataDir();
    // PGlite wrote a PostgreSQL 17 data directory straight into DATA_DIR.
    fs.writeFileSync(path.join(dataDir, 'PG_VERSION'), '17\n');
    fs.mkdirSync(path.join(dataDir, 'base'));
    const before = fs.readdirSync(dataDir).sort();

    const refused = await refusedStart({ DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`DATA_DIR ${dataDir} holds the database of an earlier Quanzi version (PGlite`);
    expect(refused.output).toContain(`mv ${dataDir} ${dataDir}-pglite`);
    expect(refused.output).not.toMatch(/^\s+at /m);
    expect(fs.readdirSync(dataDir).sort()).toEqual(before);
  }, 120_000);
});
