/**
 * Starts and stops what the load talks to, pinned to the server core: the relay baseline,
 * the Quanzi gateway(s), and private Redis instances. A `Side` is one of the two things an
 * A/B step compares, with its gateways, its CPU meter and its directory of users and rooms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { backendsOf, CpuMeter, pinProcess, postgresCluster, processTree, type CpuSource } from './cpu.ts';
import { createDatabase, dropDatabase, openEmbedded, openPostgres, type SqlRunner } from './database.ts';
import { sleep } from './limit.ts';
import { QuanziDirectory, RelayDirectory, type Directory } from './provision.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_ENTRY = path.join(ROOT, 'server/main.ts');
const RELAY_ENTRY = path.join(ROOT, 'bench/relay.ts');
const UPLOAD_SINK_ENTRY = path.join(ROOT, 'bench/upload-sink.ts');

export type Mode = 'embedded' | 'scaled';
export type SideKind = 'relay' | 'quanzi';

export interface Pinning {
  serverCore: number;
  loadCore: number;
}

export interface Launch {
  /** Cores to pin to, or null where the machine has one core or no taskset. */
  pinning: Pinning | null;
  logDir: string;
  runTag: string;
  /** Extra environment for the Quanzi gateways (`--server-env KEY=VALUE`). */
  serverEnv: Record<string, string>;
  /** `--cpu-prof DIR`: the gateways write V8 CPU profiles there when they exit. */
  cpuProfileDir: string | null;
  log: (line: string) => void;
}

export interface Side {
  kind: SideKind;
  /** e.g. "relay", "relay ×2 + Redis", "quanzi embedded". */
  label: string;
  gateways: string[];
  gatewayPids(): number[];
  cpu: CpuMeter;
  directory: Directory;
  /** Runs SQL on the side's database, beside the running gateways. */
  withDatabase?<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T>;
  /** Starts the (single, embedded) gateway afresh on the same data. */
  restart?(): Promise<void>;
  /** Pins database backends opened since the last call to the server core. */
  repin(): void;
  stop(): Promise<void>;
}

export interface ModeSides {
  mode: Mode;
  relay: Side;
  quanzi: Side | null;
  /** Seconds from spawning each side's (first) server to its /readyz answering: a cold start on fresh data. */
  startSeconds: Partial<Record<SideKind, number>>;
  stop(): Promise<void>;
}

// ---- processes ----

export interface ServerProcess {
  name: string;
  pid: number;
  port: number;
  exited: Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Last resort when the orchestrator dies: never leave a pinned server running. */
export function killAllStarted(): void {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

function spawnServer(name: string, command: string, args: string[], env: Record<string, string>, launch: Launch, port: number): ServerProcess {
  mkdirSync(launch.logDir, { recursive: true });
  const logFile = path.join(launch.logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const argv = launch.pinning ? ['-c', String(launch.pinning.serverCore), command, ...args] : args;
  const child = spawn(launch.pinning ? 'taskset' : command, argv, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  return {
    name,
    pid: child.pid,
    port,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timeout = sleep(8000).then(() => 'timeout');
      if ((await Promise.race([exited.then(() => 'done'), timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitHttpReady(proc: ServerProcess, url: string, timeoutMs: number, launch: Launch): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let dead = false;
  void proc.exited.then(() => (dead = true));
  while (performance.now() < deadline) {
    if (dead) throw new Error(`${proc.name} exited during start-up:\n${logTail(launch, proc.name)}`);
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  await proc.stop();
  throw new Error(`${proc.name} not ready after ${timeoutMs} ms:\n${logTail(launch, proc.name)}`);
}

function logTail(launch: Launch, name: string): string {
  try {
    return readFileSync(path.join(launch.logDir, `${name}.log`), 'utf8').split('\n').slice(-25).join('\n');
  } catch {
    return '(no log)';
  }
}

const NODE_ARGS = ['--import', 'tsx'];

async function startRelayProcess(name: string, launch: Launch, redisUrl?: string): Promise<ServerProcess> {
  const port = await freePort();
  const env: Record<string, string> = { PORT: String(port), HOST: '127.0.0.1' };
  if (redisUrl) env.REDIS_URL = redisUrl;
  const proc = spawnServer(name, process.execPath, [...NODE_ARGS, RELAY_ENTRY], env, launch, port);
  await waitHttpReady(proc, `http://127.0.0.1:${port}`, 30_000, launch);
  return proc;
}

/** W10's baseline (bench/upload-sink.ts), pinned beside the gateways like the relay. */
export async function startUploadSink(launch: Launch): Promise<ServerProcess> {
  const port = await freePort();
  const proc = spawnServer('upload-sink', process.execPath, [...NODE_ARGS, UPLOAD_SINK_ENTRY], { PORT: String(port), HOST: '127.0.0.1' }, launch, port);
  await waitHttpReady(proc, `http://127.0.0.1:${port}`, 30_000, launch);
  return proc;
}

function quanziEnv(port: number, launch: Launch, storage: Record<string, string>): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
    // Sign-up is not what we measure: cheap hashes let the bench create thousands of users in seconds.
    PASSWORD_SCRYPT_LOG_N: '10',
    SHUTDOWN_GRACE_MS: '1000',
    ...storage,
    ...launch.serverEnv,
  };
}

async function startQuanziProcess(name: string, launch: Launch, storage: Record<string, string>, port?: number): Promise<ServerProcess> {
  const chosen = port ?? (await freePort());
  const profiling = launch.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(launch.cpuProfileDir, name)}`] : [];
  const proc = spawnServer(name, process.execPath, [...profiling, ...NODE_ARGS, SERVER_ENTRY], quanziEnv(chosen, launch, storage), launch, chosen);
  await waitHttpReady(proc, `http://127.0.0.1:${chosen}`, 90_000, launch);
  return proc;
}

type RedisProcess = ServerProcess & { url: string };

async function startRedis(name: string, launch: Launch): Promise<RedisProcess> {
  const port = await freePort();
  const dir = path.join(launch.logDir, name);
  mkdirSync(dir, { recursive: true });
  const proc = spawnServer(
    name,
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    {},
    launch,
    port,
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return { ...proc, url };
    } catch {
      client.disconnect();
      await sleep(100);
    }
  }
  await proc.stop();
  throw new Error(`${name} did not answer PING`);
}

// ---- sides ----

export function quanziAvailable(): boolean {
  return existsSync(SERVER_ENTRY);
}

export async function startMode(mode: Mode, launch: Launch, withQuanzi: boolean): Promise<ModeSides> {
  return mode === 'embedded' ? startEmbedded(launch, withQuanzi) : startScaled(launch, withQuanzi);
}

function secondsSince(start: number): number {
  return Math.round((performance.now() - start) / 100) / 10;
}

async function startEmbedded(launch: Launch, withQuanzi: boolean): Promise<ModeSides> {
  let started = performance.now();
  const relayProc = await startRelayProcess('relay', launch);
  const startSeconds: ModeSides['startSeconds'] = { relay: secondsSince(started) };
  const relay: Side = {
    kind: 'relay',
    label: 'relay',
    gateways: [`http://127.0.0.1:${relayProc.port}`],
    gatewayPids: () => [relayProc.pid],
    cpu: new CpuMeter([processTree('relay', () => relayProc.pid)]),
    directory: new RelayDirectory(),
    repin: () => {},
    stop: () => relayProc.stop(),
  };
  if (!withQuanzi) return { mode: 'embedded', relay, quanzi: null, startSeconds, stop: () => relay.stop() };

  const dataDir = path.join(launch.logDir, 'embedded-data');
  rmSync(dataDir, { recursive: true, force: true });
  const storage = { DATA_DIR: dataDir };
  started = performance.now();
  let proc = await startQuanziProcess('quanzi-embedded', launch, storage);
  startSeconds.quanzi = secondsSince(started);
  const port = proc.port;

  const withDatabase = async <T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> => {
    const sql = openEmbedded(dataDir);
    try {
      return await fn(sql);
    } finally {
      await sql.close();
    }
  };
  const restart = async () => {
    await proc.stop();
    proc = await startQuanziProcess('quanzi-embedded', launch, storage, port);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const quanzi: Side = {
    kind: 'quanzi',
    label: 'quanzi embedded',
    gateways: [baseUrl],
    gatewayPids: () => [proc.pid],
    cpu: new CpuMeter([processTree('gateway', () => proc.pid)]),
    directory: new QuanziDirectory({
      baseUrl,
      runTag: launch.runTag,
      log: launch.log,
    }),
    withDatabase,
    restart,
    repin: () => {},
    async stop() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return {
    mode: 'embedded',
    relay,
    quanzi,
    startSeconds,
    async stop() {
      await Promise.all([relay.stop(), quanzi.stop()]);
    },
  };
}

async function startScaled(launch: Launch, withQuanzi: boolean): Promise<ModeSides> {
  const relayRedis = await startRedis('redis-relay', launch);
  let started = performance.now();
  const relays = [await startRelayProcess('relay-1', launch, relayRedis.url)];
  const startSeconds: ModeSides['startSeconds'] = { relay: secondsSince(started) };
  relays.push(await startRelayProcess('relay-2', launch, relayRedis.url));
  const relay: Side = {
    kind: 'relay',
    label: 'relay ×2 + Redis',
    gateways: relays.map((r) => `http://127.0.0.1:${r.port}`),
    gatewayPids: () => relays.map((r) => r.pid),
    cpu: new CpuMeter([...relays.map((r) => processTree(r.name, () => r.pid)), processTree('redis', () => relayRedis.pid)]),
    directory: new RelayDirectory(),
    repin: () => {},
    async stop() {
      await Promise.all(relays.map((r) => r.stop()));
      await relayRedis.stop();
    },
  };
  if (!withQuanzi) return { mode: 'scaled', relay, quanzi: null, startSeconds, stop: () => relay.stop() };

  const dbName = `qz_bench_${launch.runTag}`;
  const databaseUrl = await createDatabase(dbName);
  let quanziRedis: RedisProcess;
  let gateways: ServerProcess[];
  try {
    quanziRedis = await startRedis('redis-quanzi', launch);
    const storage = { DATABASE_URL: databaseUrl, REDIS_URL: quanziRedis.url, REDIS_PREFIX: `qzbench${launch.runTag}` };
    // One after the other: the first applies the migrations.
    started = performance.now();
    gateways = [await startQuanziProcess('quanzi-1', launch, storage)];
    startSeconds.quanzi = secondsSince(started);
    gateways.push(await startQuanziProcess('quanzi-2', launch, storage));
  } catch (error) {
    killAllStarted();
    await relay.stop();
    await dropDatabase(dbName).catch(() => {});
    throw error;
  }
  const repin = () => {
    if (!launch.pinning) return;
    for (const pid of backendsOf(dbName)) pinProcess(pid, launch.pinning.serverCore);
  };
  repin();
  const withDatabase = async <T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> => {
    const sql = openPostgres(databaseUrl);
    try {
      return await fn(sql);
    } finally {
      await sql.close();
    }
  };
  const sources: CpuSource[] = [
    ...gateways.map((g) => processTree(g.name, () => g.pid)),
    processTree('redis', () => quanziRedis.pid),
    postgresCluster(),
  ];
  const quanzi: Side = {
    kind: 'quanzi',
    label: 'quanzi ×2 + Redis + PostgreSQL',
    gateways: gateways.map((g) => `http://127.0.0.1:${g.port}`),
    gatewayPids: () => gateways.map((g) => g.pid),
    cpu: new CpuMeter(sources),
    directory: new QuanziDirectory({
      baseUrl: `http://127.0.0.1:${gateways[0]!.port}`,
      runTag: launch.runTag,
      log: launch.log,
    }),
    withDatabase,
    repin,
    async stop() {
      await Promise.all(gateways.map((g) => g.stop()));
      await quanziRedis.stop();
      await dropDatabase(dbName).catch((error: Error) => launch.log(`  could not drop ${dbName}: ${error.message}`));
    },
  };
  return {
    mode: 'scaled',
    relay,
    quanzi,
    startSeconds,
    async stop() {
      await Promise.all([relay.stop(), quanzi.stop()]);
    },
  };
}
