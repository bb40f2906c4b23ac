/** A room's must-read rules and who accepted which version. */
import { and, eq, sql } from 'drizzle-orm';
import { roomRuleAcceptances, roomRules, users } from '../../drizzle/schema.ts';
import type { RoomRules } from '../../shared/community.ts';
import type { Executor } from './db.ts';

export async function findRules(db: Executor, roomId: string): Promise<RoomRules | null> {
  const rows = await db
    .select({ rules: roomRules, updaterName: users.displayName })
    .from(roomRules)
    .leftJoin(users, eq(users.id, roomRules.updatedBy))
    .where(eq(roomRules.roomId, roomId))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return {
    roomId,
    text: row.rules.text,
    requireAcceptance: row.rules.requireAcceptance,
    version: row.rules.version,
    updatedBy: { id: row.rules.updatedBy, displayName: row.updaterName ?? '' },
    updatedAt: row.rules.updatedAt.toISOString(),
  };
}

/** Writes the rules as the next version (1 for a room's first). */
export async function saveRules(tx: Executor, values: { roomId: string; text: string; requireAcceptance: boolean; updatedBy: string; at: Date }): Promise<number> {
  const rows = await tx
    .insert(roomRules)
    .values({ ...values, version: 1, updatedAt: values.at })
    .onConflictDoUpdate({
      target: roomRules.roomId,
      set: { text: values.text, requireAcceptance: values.requireAcceptance, updatedBy: values.updatedBy, updatedAt: values.at, version: sql`${roomRules.version} + 1` },
    })
    .returning({ version: roomRules.version });
  return rows[0]!.version;
}

export async function acceptedVersionOf(db: Executor, roomId: string, userId: string): Promise<number | null> {
  const rows = await db
    .select({ version: roomRuleAcceptances.version })
    .from(roomRuleAcceptances)
    .where(and(eq(roomRuleAcceptances.roomId, roomId), eq(roomRuleAcceptances.userId, userId)))
    .limit(1);
  return rows[0]?.version ?? null;
}

export async function recordAcceptance(tx: Executor, values: { roomId: string; userId: string; version: number; at: Date }): Promise<void> {
  await tx
    .insert(roomRuleAcceptances)
    .values({ roomId: values.roomId, userId: values.userId, version: values.version, acceptedAt: values.at, firstAcceptedAt: values.at })
    // firstAcceptedAt stays: probation counts from it (domain/probation.ts).
    .onConflictDoUpdate({ target: [roomRuleAcceptances.roomId, roomRuleAcceptances.userId], set: { version: values.version, acceptedAt: values.at } });
}
