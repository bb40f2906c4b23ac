/**
 * Where the tests' databases and Redis come from. By default every server gets a fresh embedded
 * PostgreSQL in memory; with TEST_DATABASE_URL / TEST_REDIS_URL set, each gets a fresh database
 * on the real server and its own Redis key prefix. A real server that cannot be reached fails
 * the test: it is never silently skipped.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

// The test runner is the one place besides config.ts that reads the environment: it decides
// which environment the servers under test get.
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null;
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || null;
export const realServers = TEST_DATABASE_URL !== null && TEST_REDIS_URL !== null;

/**
 * Tests of several gateway processes cannot share an embedded database, so they always use a
 * real PostgreSQL and Redis: the configured ones, else the local defaults every development and CI
 * machine runs. A server they cannot reach fails them; they are never skipped.
 */
export const MULTI_GATEWAY_DATABASE_URL = TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MULTI_GATEWAY_REDIS_URL = TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the real PostgreSQL server. */
export async function createTestDatabase(baseUrl: string | null = TEST_DATABASE_URL): Promise<TestDatabase> {
  if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `qz_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleaner = postgres(baseUrl, { max: 1, onnotice: () => {} });
      try {
        await cleaner.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleaner.end();
      }
    },
  };
}

export function uniqueRedisPrefix(): string {
  return `qztest_${randomBytes(5).toString('hex')}`;
}
