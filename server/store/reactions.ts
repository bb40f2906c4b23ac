/** Emoji reactions: one row per (message, user, emoji). */
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { reactions, users } from '../../drizzle/schema.ts';
import type { ReactionCount } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

interface ReactionKey {
  roomId: string;
  seq: number;
  userId: string;
  emoji: string;
}

/** False when this user already reacted with this emoji. */
export async function insertReaction(db: Executor, key: ReactionKey): Promise<boolean> {
  const rows = await db.insert(reactions).values(key).onConflictDoNothing().returning({ seq: reactions.seq });
  return rows.length > 0;
}

/** False when there was nothing to remove. */
export async function deleteReaction(db: Executor, key: ReactionKey): Promise<boolean> {
  const rows = await db
    .delete(reactions)
    .where(and(eq(reactions.roomId, key.roomId), eq(reactions.seq, key.seq), eq(reactions.userId, key.userId), eq(reactions.emoji, key.emoji)))
    .returning({ seq: reactions.seq });
  return rows.length > 0;
}

export async function emojiOnMessage(db: Executor, roomId: string, seq: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ emoji: reactions.emoji })
    .from(reactions)
    .where(and(eq(reactions.roomId, roomId), eq(reactions.seq, seq)));
  return rows.map((row) => row.emoji);
}

/** Counts per message and emoji for a seq range in one grouped query; emoji in order of first use. */
export async function reactionCounts(db: Executor, roomId: string, fromSeq: number, toSeq: number, viewerId: string): Promise<Map<number, ReactionCount[]>> {
  const rows = await db
    .select({
      seq: reactions.seq,
      emoji: reactions.emoji,
      count: sql<number>`count(*)::int`,
      mine: sql<boolean>`bool_or(${reactions.userId} = ${viewerId})`,
    })
    .from(reactions)
    .where(and(eq(reactions.roomId, roomId), gte(reactions.seq, fromSeq), lte(reactions.seq, toSeq)))
    .groupBy(reactions.seq, reactions.emoji)
    .orderBy(asc(reactions.seq), sql`min(${reactions.createdAt})`, asc(reactions.emoji));
  const bySeq = new Map<number, ReactionCount[]>();
  for (const row of rows) {
    const list = bySeq.get(row.seq) ?? [];
    list.push({ emoji: row.emoji, count: Number(row.count), mine: row.mine === true });
    bySeq.set(row.seq, list);
  }
  return bySeq;
}

export async function reactionUsers(db: Executor, roomId: string, seq: number): Promise<Array<{ emoji: string; userId: string; displayName: string }>> {
  return db
    .select({ emoji: reactions.emoji, userId: reactions.userId, displayName: users.displayName })
    .from(reactions)
    .innerJoin(users, eq(users.id, reactions.userId))
    .where(and(eq(reactions.roomId, roomId), eq(reactions.seq, seq)))
    .orderBy(asc(reactions.createdAt), asc(reactions.userId));
}
