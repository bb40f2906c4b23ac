/**
 * The environment, parsed and validated once. Nothing else in the server reads process.env:
 * everything downstream receives the typed Config.
 */
import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Where the embedded PostgreSQL keeps its files; `memory://` keeps nothing (tests). */
  dataDir: string;
  /** Real PostgreSQL; when absent the embedded one (PGlite) is used. */
  databaseUrl: string | null;
  /** Redis for cross-process fan-out; when absent fan-out stays in-process. */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  logLevel: LogLevel;
  /** Sign-up and log-in attempts allowed per client IP per minute. */
  authRateLimitPerMinute: number;
  /** log2 of scrypt's cost N for new password hashes; stored hashes keep their own parameters. */
  passwordScryptLogN: number;
  /** How long SIGTERM waits for in-flight sends before closing sockets anyway. */
  shutdownGraceMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = <T>(name: string, parse: (raw: string) => T, fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    try {
      return parse(raw);
    } catch (err) {
      problems.push(`${name}=${JSON.stringify(raw)}: ${(err as Error).message}`);
      return fallback;
    }
  };

  const config: Config = {
    port: read('PORT', integerIn(0, 65535), 3000),
    host: read('HOST', nonEmpty, '0.0.0.0'),
    dataDir: read('DATA_DIR', (raw) => (raw.startsWith('memory://') ? raw : path.resolve(raw)), path.resolve('data')),
    databaseUrl: read('DATABASE_URL', urlWithScheme(['postgres:', 'postgresql:']), null),
    redisUrl: read('REDIS_URL', urlWithScheme(['redis:', 'rediss:']), null),
    redisPrefix: read('REDIS_PREFIX', matching(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _.:- only'), 'quanzi'),
    logLevel: read('LOG_LEVEL', oneOf(LOG_LEVELS), 'info'),
    authRateLimitPerMinute: read('RATE_LIMIT_AUTH_PER_MINUTE', integerIn(1, 1_000_000_000), 30),
    passwordScryptLogN: read('PASSWORD_SCRYPT_LOG_N', integerIn(10, 20), 15),
    shutdownGraceMs: read('SHUTDOWN_GRACE_MS', integerIn(0, 600_000), 10_000),
  };

  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return config;
}

function nonEmpty(raw: string): string {
  if (raw.trim() === '') throw new Error('must not be empty');
  return raw;
}

function integerIn(min: number, max: number) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw)) throw new Error('must be a whole number');
    const value = Number(raw);
    if (value < min || value > max) throw new Error(`must be between ${min} and ${max}`);
    return value;
  };
}

function oneOf<T extends string>(allowed: readonly T[]) {
  return (raw: string): T => {
    if (!(allowed as readonly string[]).includes(raw)) throw new Error(`must be one of ${allowed.join(', ')}`);
    return raw as T;
  };
}

function matching(pattern: RegExp, hint: string) {
  return (raw: string): string => {
    if (!pattern.test(raw)) throw new Error(hint);
    return raw;
  };
}

function urlWithScheme(schemes: string[]) {
  return (raw: string): string => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error('is not a URL');
    }
    if (!schemes.includes(url.protocol)) throw new Error(`must start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
    return raw;
  };
}
