/** Recalled messages: marking them, reading the original text back (staff), erasing it later. */
import { and, eq, isNotNull, lte, ne, sql } from 'drizzle-orm';
import { messageEdits, messages, users } from '../../drizzle/schema.ts';
import type { Attachment } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

export async function markRecalled(tx: Executor, roomId: string, seq: number, recalledBy: string, recalledAt: Date): Promise<void> {
  await tx
    .update(messages)
    .set({ recalledAt, recalledBy })
    .where(and(eq(messages.roomId, roomId), eq(messages.seq, seq)));
}

export interface RecalledOriginal {
  text: string;
  attachments: Attachment[];
  recalledAt: Date | null;
  recalledBy: { id: string; displayName: string } | null;
}

/** The stored text and who recalled it; `recalledAt` is null when the message was not recalled. */
export async function findRecalledOriginal(db: Executor, roomId: string, seq: number): Promise<RecalledOriginal | null> {
  const rows = await db
    .select({ text: messages.text, attachments: messages.attachments, recalledAt: messages.recalledAt, recalledBy: messages.recalledBy, recalledByName: users.displayName })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.recalledBy))
    .where(and(eq(messages.roomId, roomId), eq(messages.seq, seq)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return {
    text: row.text,
    attachments: (row.attachments as Attachment[] | null) ?? [],
    recalledAt: row.recalledAt,
    recalledBy: row.recalledBy ? { id: row.recalledBy, displayName: row.recalledByName ?? '' } : null,
  };
}

/**
 * Erases the text (and mentions) of messages recalled at or before `cutoff`. The row, its seq
 * and the tombstone stay; only the words go. Returns how many messages were erased.
 */
export async function eraseRecalledText(db: Executor, cutoff: Date, where?: { roomId: string; seq: number }): Promise<number> {
  const conditions = [isNotNull(messages.recalledAt), lte(messages.recalledAt, cutoff), ne(messages.text, '')];
  if (where) conditions.push(eq(messages.roomId, where.roomId), eq(messages.seq, where.seq));
  const rows = await db
    .update(messages)
    .set({ text: '', searchDocument: null, mentions: [], mentionsAll: false })
    .where(and(...conditions))
    .returning({ roomId: messages.roomId, seq: messages.seq });
  // An edited message's earlier texts go with it.
  if (rows.length > 0) {
    await db.execute(sql`delete from ${messageEdits} e using jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ room_id: r.roomId, seq: r.seq })))}::text::jsonb) as r(room_id uuid, seq bigint)
      where e.room_id = r.room_id and e.seq = r.seq`);
  }
  return rows.length;
}
