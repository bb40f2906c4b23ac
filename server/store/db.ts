/**
 * Opens the database the configuration asks for: a real PostgreSQL through postgres.js when
 * DATABASE_URL is set, otherwise the embedded PostgreSQL (embedded-postgres.ts), a PostgreSQL
 * server this process runs itself with its files in DATA_DIR. Both are reached with the same
 * driver and the same migrations, so nothing above this file knows which one it got.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';
import * as schema from '../../drizzle/schema.ts';
import { PROJECT_ROOT } from '../project-root.ts';
import { EMBEDDED_DATABASE, EMBEDDED_USER, startDataDirCluster, throwawayCluster, type EmbeddedCluster, type EmbeddedLog } from './embedded-postgres.ts';
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
  /** 'embedded': this process's own PostgreSQL, which no other gateway writes to. */
  kind: 'embedded' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS_FOLDER = path.join(PROJECT_ROOT, 'drizzle', 'migrations');
// Any constant works; it only has to be the same in every gateway process.
const MIGRATION_LOCK_KEY = 7_210_428_901;

export interface OpenOptions {
  databaseUrl: string | null;
  dataDir: string;
  poolSize?: number;
  log?: EmbeddedLog;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, { max: options.poolSize ?? 10 });
  return options.dataDir.startsWith('memory://') ? openThrowaway(options) : openDataDir(options);
}

/**
 * One gateway and a few background jobs share it: a small pool keeps the server's processes
 * few (each connection is one), and connections idle for a minute close, so after a burst an
 * idle gateway is back to the one its timers keep busy.
 */
const EMBEDDED_POOL = { max: 4, idle_timeout: 60 };

async function openDataDir(options: OpenOptions): Promise<DatabaseHandle> {
  const cluster = await startDataDirCluster(options.dataDir, options.log);
  try {
    await withAdmin(cluster, async (admin) => {
      const [found] = await admin`select 1 from pg_database where datname = ${EMBEDDED_DATABASE}`;
      if (!found) await admin.unsafe(`create database ${EMBEDDED_DATABASE}`);
    });
    const handle = await openPostgres(embeddedTarget(cluster, EMBEDDED_DATABASE), { ...EMBEDDED_POOL, max: options.poolSize ?? EMBEDDED_POOL.max });
    return { ...handle, kind: 'embedded', close: () => handle.close().finally(() => cluster.stop()) };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/**
 * DATA_DIR=memory://: a fresh database in this process's throwaway cluster, dropped on close.
 * Databases are copied from one migrated in the same cluster, so each costs a CREATE DATABASE.
 */
async function openThrowaway(options: OpenOptions): Promise<DatabaseHandle> {
  const cluster = await throwawayCluster(options.log);
  const template = await (migratedTemplate ??= migrateTemplate(cluster).catch((error: unknown) => {
    migratedTemplate = null;
    throw error;
  }));
  const name = `quanzi_${randomBytes(6).toString('hex')}`;
  await withAdmin(cluster, (admin) => admin.unsafe(`create database ${name} template ${template}`));
  const handle = await openPostgres(embeddedTarget(cluster, name), { ...EMBEDDED_POOL, max: options.poolSize ?? EMBEDDED_POOL.max });
  return {
    ...handle,
    kind: 'embedded',
    close: async () => {
      await handle.close();
      await withAdmin(cluster, (admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}
let migratedTemplate: Promise<string> | null = null;

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

async function migrateTemplate(cluster: EmbeddedCluster): Promise<string> {
  const name = 'quanzi_template';
  await withAdmin(cluster, async (admin) => {
    await admin.unsafe(`drop database if exists ${name}`);
    await admin.unsafe(`create database ${name}`);
  });
  const { migrate, client } = await migrator(embeddedTarget(cluster, name));
  try {
    await migrate();
  } finally {
    await client.end();
  }
  return name;
}

/** Where a database is: a URL, or the embedded cluster's socket. */
type Target = string | { host: string; port: number; user: string; database: string };

function embeddedTarget(cluster: EmbeddedCluster, database: string): Target {
  return { host: cluster.socketDir, port: cluster.port, user: EMBEDDED_USER, database };
}

async function connect(target: Target, options: { max: number; idle_timeout?: number; backoff?: (attempts: number) => number; connect_timeout?: number }): Promise<Sql> {
  const { default: postgres } = await import('postgres');
  // No fetch of the server's array types on connecting: postgres.js runs it from a promise nobody
  // awaits, so a connection lost during it rejects unhandled and takes the process down (seen with
  // PostgreSQL going away under load). Drizzle reads and writes array columns in their text form
  // itself, so nothing here needs the fetched types.
  const settings = { ...options, onnotice: () => {}, fetch_types: false };
  return typeof target === 'string' ? postgres(target, settings) : postgres({ ...target, ...settings });
}

async function withAdmin<T>(cluster: EmbeddedCluster, fn: (admin: Sql) => Promise<T>): Promise<T> {
  const admin = await connect(embeddedTarget(cluster, 'postgres'), { max: 1 });
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

async function migrator(target: Target): Promise<{ client: Sql; migrate: () => Promise<void> }> {
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = await connect(target, { max: 1 });
  return { client, migrate: () => migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER }) };
}

async function openPostgres(target: Target, pool: { max: number; idle_timeout?: number }): Promise<DatabaseHandle> {
  const { drizzle } = await import('drizzle-orm/postgres-js');

  // Migrate over a single connection holding an advisory lock, so gateways that start
  // together do not race each other through the same migration.
  const migration = await migrator(target);
  try {
    await migration.client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migration.migrate();
    await migration.client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await migration.client.end();
  }

  const client = await connect(target, { ...pool, ...RECONNECTION });
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
