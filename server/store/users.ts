import { eq } from 'drizzle-orm';
import { users } from '../../drizzle/schema.ts';
import type { User } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

export interface UserRecord extends User {
  passwordHash: string | null;
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
  };
}

export function toPublicUser(record: UserRecord): User {
  const { passwordHash: _omitted, ...user } = record;
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
