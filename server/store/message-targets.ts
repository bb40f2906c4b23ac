/** The facts about one stored message that actions on it (recall, react, pin) decide by. */
import { and, eq } from 'drizzle-orm';
import { messages } from '../../drizzle/schema.ts';
import type { Executor } from './db.ts';

export interface TargetMessage {
  seq: number;
  senderId: string | null;
  kind: string;
  createdAt: Date;
  recalledAt: Date | null;
}

export async function findTargetMessage(db: Executor, roomId: string, seq: number): Promise<TargetMessage | null> {
  const rows = await db
    .select({ seq: messages.seq, senderId: messages.senderId, kind: messages.kind, createdAt: messages.createdAt, recalledAt: messages.recalledAt })
    .from(messages)
    .where(and(eq(messages.roomId, roomId), eq(messages.seq, seq)))
    .limit(1);
  return rows[0] ?? null;
}
