import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import { roomBans, users } from '../../drizzle/schema.ts';
import type { Ban } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

export async function upsertBan(db: Executor, values: { roomId: string; userId: string; bannedBy: string; reason: string; until: Date | null }): Promise<void> {
  await db
    .insert(roomBans)
    .values(values)
    .onConflictDoUpdate({ target: [roomBans.roomId, roomBans.userId], set: { bannedBy: values.bannedBy, reason: values.reason, until: values.until, createdAt: new Date() } });
}

export async function deleteBan(db: Executor, roomId: string, userId: string): Promise<boolean> {
  const rows = await db
    .delete(roomBans)
    .where(and(eq(roomBans.roomId, roomId), eq(roomBans.userId, userId)))
    .returning({ userId: roomBans.userId });
  return rows.length > 0;
}

/** The ban in force now, if any: an expired ban no longer counts. */
export async function activeBan(db: Executor, roomId: string, userId: string, now: Date): Promise<{ until: Date | null; reason: string } | null> {
  const rows = await db
    .select({ until: roomBans.until, reason: roomBans.reason })
    .from(roomBans)
    .where(and(eq(roomBans.roomId, roomId), eq(roomBans.userId, userId), or(isNull(roomBans.until), gt(roomBans.until, now))))
    .limit(1);
  return rows[0] ?? null;
}

export async function listActiveBans(db: Executor, roomId: string, now: Date): Promise<Ban[]> {
  const rows = await db
    .select({ userId: roomBans.userId, username: users.username, displayName: users.displayName, bannedBy: roomBans.bannedBy, reason: roomBans.reason, until: roomBans.until, createdAt: roomBans.createdAt })
    .from(roomBans)
    .innerJoin(users, eq(users.id, roomBans.userId))
    .where(and(eq(roomBans.roomId, roomId), or(isNull(roomBans.until), gt(roomBans.until, now))))
    .orderBy(asc(roomBans.createdAt));
  return rows.map((row) => ({
    user: { id: row.userId, username: row.username, displayName: row.displayName },
    bannedBy: row.bannedBy,
    reason: row.reason,
    until: row.until ? row.until.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  }));
}
