/** Staff decisions on held and reported messages, kept as the room's labelled examples. */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import { messages, safetyDecisions } from '../../drizzle/schema.ts';
import type { Executor } from './db.ts';

export type DecisionKind = 'approved' | 'rejected' | 'removed';

export interface SafetyDecision {
  roomId: string;
  senderId: string | null;
  decidedBy: string | null;
  decision: DecisionKind;
  source: 'held' | 'report';
  text: string;
  decidedAt: Date;
}

export async function insertSafetyDecision(db: Executor, decision: Omit<SafetyDecision, 'decidedAt'>): Promise<void> {
  await db.insert(safetyDecisions).values({ id: randomUUID(), ...decision });
}

/** The room's most recent decisions, newest first. */
export async function recentSafetyDecisions(db: Executor, roomId: string, limit: number): Promise<SafetyDecision[]> {
  const rows = await db.select().from(safetyDecisions).where(eq(safetyDecisions.roomId, roomId)).orderBy(desc(safetyDecisions.decidedAt)).limit(limit);
  return rows.map(toDecision);
}

/** Every decision, oldest first, for exporting training data (npm run safety:export-decisions). */
export async function allSafetyDecisions(db: Executor): Promise<SafetyDecision[]> {
  return (await db.select().from(safetyDecisions).orderBy(asc(safetyDecisions.decidedAt))).map(toDecision);
}

/** The words and author of a stored message a decision is about, as sent (hidden or not). */
export async function decidedWords(db: Executor, roomId: string, seq: number): Promise<{ senderId: string | null; text: string } | null> {
  const rows = await db.select({ senderId: messages.senderId, text: messages.text }).from(messages).where(and(eq(messages.roomId, roomId), eq(messages.seq, seq))).limit(1);
  const row = rows[0];
  return row && row.text ? { senderId: row.senderId, text: row.text } : null;
}

function toDecision(row: typeof safetyDecisions.$inferSelect): SafetyDecision {
  return {
    roomId: row.roomId,
    senderId: row.senderId,
    decidedBy: row.decidedBy,
    decision: row.decision as DecisionKind,
    source: row.source as 'held' | 'report',
    text: row.text,
    decidedAt: row.decidedAt,
  };
}
