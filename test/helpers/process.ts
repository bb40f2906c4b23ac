/** Runs a gateway as its own OS process, as `npm start` would, for restart and multi-process tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, MULTI_GATEWAY_DATABASE_URL, MULTI_GATEWAY_REDIS_URL, uniqueRedisPrefix, type TestDatabase } from './env.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface GatewayProcess {
  url: string;
  /** The PostgreSQL it stores into (null: the embedded database). */
  databaseUrl: string | null;
  child: ChildProcess;
  /** stdout and stderr as they came. */
  output: () => string;
  /** stderr alone: the log goes to stdout, so anything here was printed outside it. */
  errorOutput: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** How the gateway is started: by default its TypeScript entry point through tsx, in this checkout. */
export interface GatewayCommand {
  command: string;
  args: string[];
  cwd: string;
}

const FROM_SOURCE: GatewayCommand = { command: process.execPath, args: ['--import', 'tsx', 'server/main.ts'], cwd: ROOT };

export async function spawnGateway(env: Record<string, string>, timeoutMs = 90_000, how: GatewayCommand = FROM_SOURCE): Promise<GatewayProcess> {
  const child = spawn(how.command, how.args, {
    cwd: how.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      PASSWORD_SCRYPT_LOG_N: '10',
      RATE_LIMIT_AUTH_PER_MINUTE: '100000',
      // As in server.ts: tests that watch "offline" arrive do not wait out the grace.
      PRESENCE_OFFLINE_GRACE_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errorOutput = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start in time:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The ready line, in the JSON log or a pretty one (LOG_FORMAT).
      const match = /Quanzi is ready on (http:\/\/[^\s"]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      errorOutput += chunk.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    url,
    databaseUrl: env.DATABASE_URL ?? null,
    child,
    output: () => output,
    errorOutput: () => errorOutput,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Two gateway processes on one fresh PostgreSQL database and one Redis (under a key prefix of
 * their own), started before the suite's tests and stopped after them; `extraEnv` adds settings.
 * Always the real servers (TEST_DATABASE_URL / TEST_REDIS_URL, or the local defaults): a suite
 * that cannot reach them fails.
 */
export function twoGatewaysPerSuite(extraEnv: Record<string, string> = {}): () => [GatewayProcess, GatewayProcess] {
  let database: TestDatabase | undefined;
  let gateways: GatewayProcess[] = [];
  beforeAll(async () => {
    database = await createTestDatabase(MULTI_GATEWAY_DATABASE_URL);
    const env = { ...extraEnv, DATABASE_URL: database.url, REDIS_URL: MULTI_GATEWAY_REDIS_URL, REDIS_PREFIX: uniqueRedisPrefix() };
    gateways = await Promise.all([spawnGateway(env), spawnGateway(env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await database?.drop();
  });
  return () => gateways as [GatewayProcess, GatewayProcess];
}
