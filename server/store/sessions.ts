import { eq, inArray } from 'drizzle-orm';
import { sessions, users } from '../../drizzle/schema.ts';
import type { Executor } from './db.ts';
import type { UserRecord } from './users.ts';

export async function insertSession(db: Executor, values: { id: string; userId: string; tokenHash: string }): Promise<void> {
  await db.insert(sessions).values(values);
}

export async function findSessionByTokenHash(
  db: Executor,
  tokenHash: string,
): Promise<{ sessionId: string; user: Pick<UserRecord, 'id' | 'username' | 'displayName' | 'kind'> } | null> {
  const rows = await db
    .select({ sessionId: sessions.id, id: users.id, username: users.username, displayName: users.displayName, kind: users.kind })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return { sessionId: row.sessionId, user: { id: row.id, username: row.username, displayName: row.displayName, kind: row.kind as 'user' | 'bot' } };
}

export async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Every session of these users, gone; returns their ids so their sockets can be closed. */
export async function deleteSessionsOfUsers(tx: Executor, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await tx.delete(sessions).where(inArray(sessions.userId, userIds)).returning({ id: sessions.id });
  return rows.map((row) => row.id);
}
