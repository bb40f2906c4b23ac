import { and, eq, inArray, isNull } from 'drizzle-orm';
import { users } from '../../drizzle/schema.ts';
import type { User } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

export interface UserRecord extends User {
  passwordHash: string | null;
  /** Set once the account was deleted (the row stays as a tombstone). */
  deletedAt: Date | null;
}

type UserRow = typeof users.$inferSelect;

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    kind: row.kind as User['kind'],
    createdAt: row.createdAt.toISOString(),
    passwordHash: row.passwordHash,
    deletedAt: row.deletedAt,
  };
}

export function toPublicUser(record: UserRecord): User {
  const { passwordHash: _omitted, deletedAt: _tombstone, ...user } = record;
  return user;
}

export async function insertUser(
  db: Executor,
  values: { id: string; username: string; displayName: string; passwordHash: string | null; kind?: User['kind'] },
): Promise<UserRecord | null> {
  const rows = await db
    .insert(users)
    .values({ ...values, kind: values.kind ?? 'user' })
    .onConflictDoNothing({ target: users.username })
    .returning();
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findUserByUsername(db: Executor, username: string): Promise<UserRecord | null> {
  const rows = await db.select().from(users).where(eq(users.username, username)).limit(1);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findUserById(db: Executor, id: string): Promise<UserRecord | null> {
  const rows = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return rows[0] ? toRecord(rows[0]) : null;
}

/**
 * Turns accounts into tombstones: the rows stay (messages keep their sender, the username stays
 * taken) but the password and, when `displayName` is given, the name are gone. Returns the ids
 * that were still live.
 */
export async function markUsersDeleted(tx: Executor, ids: string[], at: Date, displayName?: string): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .update(users)
    .set({ deletedAt: at, passwordHash: null, ...(displayName !== undefined ? { displayName } : {}) })
    .where(and(inArray(users.id, ids), isNull(users.deletedAt)))
    .returning({ id: users.id });
  return rows.map((row) => row.id);
}

/** Reads the user row and locks it until the transaction ends, so two deletions cannot interleave. */
export async function findUserForUpdate(tx: Executor, id: string): Promise<UserRecord | null> {
  const rows = await tx.select().from(users).where(eq(users.id, id)).limit(1).for('update');
  return rows[0] ? toRecord(rows[0]) : null;
}
