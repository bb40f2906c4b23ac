/** Edited messages: the new text on the message row, the replaced ones kept for staff. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { messageEdits, messages } from '../../drizzle/schema.ts';
import type { Executor } from './db.ts';
import { searchDocumentOf } from './search-terms.ts';

/** What an edit decides by: the message as stored, whatever members are shown. */
export interface EditTarget {
  senderId: string | null;
  kind: string;
  text: string;
  attachmentCount: number;
  forwarded: boolean;
  createdAt: Date;
  recalledAt: Date | null;
  hiddenAt: Date | null;
}

export async function findEditTarget(db: Executor, roomId: string, seq: number): Promise<EditTarget | null> {
  const rows = await db
    .select({
      senderId: messages.senderId,
      kind: messages.kind,
      text: messages.text,
      attachmentCount: sql<number>`jsonb_array_length(${messages.attachments})`,
      forwarded: sql<boolean>`${messages.forwardedFrom} is not null`,
      createdAt: messages.createdAt,
      recalledAt: messages.recalledAt,
      hiddenAt: messages.hiddenAt,
    })
    .from(messages)
    .where(and(eq(messages.roomId, roomId), eq(messages.seq, seq)))
    .limit(1);
  const row = rows[0];
  return row ? { ...row, attachmentCount: Number(row.attachmentCount) } : null;
}

/** Keeps the current text as the next earlier version, then writes the new one. */
export async function replaceText(
  tx: Executor,
  target: { roomId: string; seq: number; previousText: string },
  edit: { text: string; mentions: string[]; mentionsAll: boolean; editedBy: string; editedAt: Date },
): Promise<void> {
  await tx.execute(sql`insert into ${messageEdits} (room_id, seq, version, text, edited_by, replaced_at)
    select ${target.roomId}, ${target.seq}, coalesce(max(version), 0) + 1, ${target.previousText}, ${edit.editedBy}, ${edit.editedAt.toISOString()}::timestamptz
    from ${messageEdits} where room_id = ${target.roomId} and seq = ${target.seq}`);
  await tx
    .update(messages)
    .set({ text: edit.text, searchDocument: searchDocumentOf(edit.text), mentions: edit.mentions, mentionsAll: edit.mentionsAll, editedAt: edit.editedAt })
    .where(and(eq(messages.roomId, target.roomId), eq(messages.seq, target.seq)));
}

export async function listEarlierVersions(db: Executor, roomId: string, seq: number): Promise<Array<{ version: number; text: string; replacedAt: string }>> {
  const rows = await db
    .select({ version: messageEdits.version, text: messageEdits.text, replacedAt: messageEdits.replacedAt })
    .from(messageEdits)
    .where(and(eq(messageEdits.roomId, roomId), eq(messageEdits.seq, seq)))
    .orderBy(asc(messageEdits.version));
  return rows.map((row) => ({ version: row.version, text: row.text, replacedAt: row.replacedAt.toISOString() }));
}
