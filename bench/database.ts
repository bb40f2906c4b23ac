/**
 * Direct SQL access to a side's database, for what REST cannot do fast enough (W6's million
 * messages): postgres.js, on the scaled mode's PostgreSQL or the embedded gateway's own.
 */
import postgres from 'postgres';
import { dataDirConnection } from '../server/store/embedded-postgres.ts';

export const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface SqlRunner {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function openPostgres(url: string): SqlRunner {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  return {
    query: async <T>(text: string, params: unknown[] = []) => (await sql.unsafe(text, params as never[])) as unknown as T[],
    close: () => sql.end({ timeout: 5 }),
  };
}

/** The embedded gateway's own PostgreSQL, over its Unix socket, while the gateway runs. */
export function openEmbedded(dataDir: string): SqlRunner {
  const sql = postgres({ ...dataDirConnection(dataDir), max: 1, onnotice: () => {} });
  return {
    query: async <T>(text: string, params: unknown[] = []) => (await sql.unsafe(text, params as never[])) as unknown as T[],
    close: () => sql.end({ timeout: 5 }),
  };
}

/** A fresh database for one scaled-mode run, so runs never see each other's rooms. */
export async function createDatabase(name: string): Promise<string> {
  assertIdentifier(name);
  const admin = openPostgres(ADMIN_URL);
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.close();
  }
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

export async function dropDatabase(name: string): Promise<void> {
  assertIdentifier(name);
  const admin = openPostgres(ADMIN_URL);
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.close();
  }
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a safe database name: ${name}`);
}
