/**
 * Direct SQL access to a side's database, for what REST cannot do fast enough (W6's million
 * messages): one small interface over PostgreSQL (postgres.js) and a PGlite data directory.
 */
import postgres from 'postgres';

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

/**
 * Opens a PGlite directory the gateway is not using (PGlite is single-process). Extensions the
 * server installed are loaded too, or inserts into tables indexed through them would fail.
 */
export async function openPglite(dataDir: string): Promise<SqlRunner> {
  const { PGlite } = await import('@electric-sql/pglite');
  let db = await PGlite.create(dataDir);
  const installed = (await db.query<{ extname: string }>(`select extname from pg_extension where extname <> 'plpgsql'`)).rows.map((r) => r.extname);
  if (installed.length > 0) {
    await db.close();
    const extensions: Record<string, unknown> = {};
    for (const name of installed) {
      const mod = (await import(`@electric-sql/pglite/contrib/${name}`)) as Record<string, unknown>;
      extensions[name] = mod[name];
    }
    db = await PGlite.create(dataDir, { extensions: extensions as never });
  }
  return {
    query: async <T>(text: string, params: unknown[] = []) => (await db.query<T>(text, params)).rows,
    close: () => db.close(),
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
