/**
 * Opens the database the configuration asks for: a real PostgreSQL through postgres.js when
 * DATABASE_URL is set, otherwise the embedded PostgreSQL (PGlite) in DATA_DIR. Both speak
 * the same SQL and the same Drizzle API, so nothing above this file knows which one it got.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from '../../drizzle/schema.ts';
import { PROJECT_ROOT } from '../project-root.ts';
import { isConnectionLost } from './unavailable.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Either the database or an open transaction: store functions accept both. */
export type Executor = Database | Transaction;

/** A parameter of a raw statement, as PostgreSQL's text form would spell it. */
export type TextParam = string | number | boolean | null;

/**
 * A parameterised statement sent as written, past the query builder, with its rows back. Kept for
 * the statement every message pays for: building it costs nothing, and each driver keeps it as a
 * named prepared statement, parsed and planned once. Column values may come back in their text
 * form (a bigint as a string): convert what you read.
 */
export type RawQuery = <T>(text: string, params: readonly TextParam[]) => Promise<T[]>;

export interface DatabaseHandle {
  db: Database;
  raw: RawQuery;
  kind: 'embedded' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS_FOLDER = path.join(PROJECT_ROOT, 'drizzle', 'migrations');
// Any constant works; it only has to be the same in every gateway process.
const MIGRATION_LOCK_KEY = 7_210_428_901;

export async function openDatabase(options: { databaseUrl: string | null; dataDir: string; poolSize?: number }): Promise<DatabaseHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openEmbedded(options.dataDir);
}

async function openEmbedded(dataDir: string): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true });
  const { EmbeddedStatements } = await import('./embedded-statements.ts');
  const client = await PGlite.create(dataDir);
  await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  // Statements outside a transaction run as named prepared statements in one pass
  // (embedded-statements.ts); Drizzle's transactions keep PGlite's own path (client.transaction).
  const statements = new EmbeddedStatements(client);
  const fastClient = {
    query: statements.query.bind(statements),
    transaction: client.transaction.bind(client),
  };
  const db = drizzle({ client: fastClient as unknown as typeof client, schema }) as unknown as Database;
  return {
    db,
    raw: async <T>(text: string, params: readonly TextParam[]) => (await statements.query<T>(text, params, { rowMode: 'object' })).rows,
    kind: 'embedded',
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}

/**
 * While PostgreSQL is away every query waits for its connection's next attempt and then fails
 * (answered UNAVAILABLE, store/unavailable.ts). postgres.js's own pause between attempts grows to
 * 20 s, which would hold every answer that long and keep a recovered database unused as long;
 * ours stops at 1 s (UNAVAILABLE_RETRY_AFTER_MS matches it). A database that does not answer a
 * connection attempt at all (a dropped network) is given up on after 5 s instead of 30.
 */
const RECONNECTION = {
  backoff: (attempts: number) => Math.min(0.05 * 2 ** attempts, 1),
  connect_timeout: 5,
};

/**
 * postgres.js (3.4.9, the newest) takes the whole process down when a transaction's connection
 * drops in the middle: the transaction then sends ROLLBACK on the dead connection, the write runs
 * on a later tick against a socket that is gone, and throws where nothing can catch it
 * (porsager/postgres#1154, #1208; a fix is proposed upstream, not released). By then the
 * transaction has already failed: the connection's close rejected it. And PostgreSQL rolls back
 * by itself a transaction whose connection is gone. So when the work fails because its connection
 * is lost, and the transaction has already been rejected for it, the work is left unsettled
 * instead of failing: no ROLLBACK is sent, and the caller gets the close error all the same.
 */
function withoutRollbackOnLostConnection<Begin extends (...args: any[]) => Promise<unknown>>(begin: Begin): Begin {
  return ((...args: unknown[]) => {
    const work = args.pop() as (tx: unknown) => Promise<unknown>;
    let rejected = false;
    const transaction = begin(...args, async (tx: unknown) => {
      try {
        return await work(tx);
      } catch (error) {
        if (!isConnectionLost(error)) throw error;
        // The close rejects the transaction synchronously, its handlers run as microtasks: all
        // done by the next turn of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
        if (!rejected) throw error;
        return new Promise(() => {});
      }
    });
    transaction.catch(() => (rejected = true));
    return transaction;
  }) as Begin;
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');

  // Migrate over a single connection holding an advisory lock, so gateways that start
  // together do not race each other through the same migration.
  const migrationClient = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrationClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle({ client: migrationClient }), { migrationsFolder: MIGRATIONS_FOLDER });
    await migrationClient`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await migrationClient.end();
  }

  const client = postgres(url, { max: poolSize, onnotice: () => {}, ...RECONNECTION });
  client.begin = withoutRollbackOnLostConnection(client.begin.bind(client));
  const db = drizzle({ client, schema }) as unknown as Database;
  return {
    db,
    raw: async <T>(text: string, params: readonly TextParam[]) => (await client.unsafe(text, params as never[], { prepare: true })) as unknown as T[],
    kind: 'postgres',
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.end({ timeout: 5 }),
  };
}
