/** Who blocked whom. */
import { and, desc, eq, or } from 'drizzle-orm';
import { userBlocks, users } from '../../drizzle/schema.ts';
import type { Executor } from './db.ts';

/** Returns false when the block was already there. */
export async function insertBlock(db: Executor, blockerId: string, blockedId: string): Promise<boolean> {
  const rows = await db.insert(userBlocks).values({ blockerId, blockedId }).onConflictDoNothing().returning({ blockedId: userBlocks.blockedId });
  return rows.length > 0;
}

/** Returns false when there was no such block. */
export async function deleteBlock(db: Executor, blockerId: string, blockedId: string): Promise<boolean> {
  const rows = await db
    .delete(userBlocks)
    .where(and(eq(userBlocks.blockerId, blockerId), eq(userBlocks.blockedId, blockedId)))
    .returning({ blockedId: userBlocks.blockedId });
  return rows.length > 0;
}

export async function blockedIdsOf(db: Executor, blockerId: string): Promise<string[]> {
  const rows = await db.select({ id: userBlocks.blockedId }).from(userBlocks).where(eq(userBlocks.blockerId, blockerId));
  return rows.map((row) => row.id);
}

export async function listBlocks(db: Executor, blockerId: string): Promise<Array<{ id: string; username: string; displayName: string; blockedAt: string }>> {
  const rows = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName, blockedAt: userBlocks.createdAt })
    .from(userBlocks)
    .innerJoin(users, eq(users.id, userBlocks.blockedId))
    .where(eq(userBlocks.blockerId, blockerId))
    .orderBy(desc(userBlocks.createdAt));
  return rows.map((row) => ({ ...row, blockedAt: row.blockedAt.toISOString() }));
}

/** Whether `blockerId` blocked `blockedId`. */
export async function isBlocked(db: Executor, blockerId: string, blockedId: string): Promise<boolean> {
  const rows = await db
    .select({ id: userBlocks.blockedId })
    .from(userBlocks)
    .where(and(eq(userBlocks.blockerId, blockerId), eq(userBlocks.blockedId, blockedId)))
    .limit(1);
  return rows.length > 0;
}

/** Both directions between two people, in one read. */
export async function blocksBetween(db: Executor, a: string, b: string): Promise<{ aBlockedB: boolean; bBlockedA: boolean }> {
  const rows = await db
    .select({ blockerId: userBlocks.blockerId })
    .from(userBlocks)
    .where(or(and(eq(userBlocks.blockerId, a), eq(userBlocks.blockedId, b)), and(eq(userBlocks.blockerId, b), eq(userBlocks.blockedId, a))));
  return { aBlockedB: rows.some((row) => row.blockerId === a), bBlockedA: rows.some((row) => row.blockerId === b) };
}
