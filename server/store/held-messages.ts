import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { heldMessages, users } from '../../drizzle/schema.ts';
import type { HeldMessage } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

type Row = typeof heldMessages.$inferSelect;

function toHeld(row: Row, sender: { displayName: string }): HeldMessage {
  return {
    id: row.id,
    roomId: row.roomId,
    sender: { id: row.senderId, displayName: sender.displayName },
    clientMsgId: row.clientMsgId,
    text: row.text,
    replyTo: row.replyTo,
    reasons: row.reasons as HeldMessage['reasons'],
    attachments: (row.attachments as HeldMessage['attachments'] | null) ?? [],
    status: row.status as HeldMessage['status'],
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt ? row.decidedAt.toISOString() : null,
    messageId: row.messageId,
    createdAt: row.createdAt.toISOString(),
  };
}

const withSender = { held: heldMessages, displayName: users.displayName };

export async function insertHeld(
  db: Executor,
  values: { id: string; roomId: string; senderId: string; clientMsgId: string; text: string; replyTo: number | null; reasons: unknown; attachments: unknown[] },
): Promise<boolean> {
  const rows = await db
    .insert(heldMessages)
    .values(values)
    .onConflictDoNothing({ target: [heldMessages.senderId, heldMessages.clientMsgId] })
    .returning({ id: heldMessages.id });
  return rows.length > 0;
}

export async function findHeldByClientMsgId(db: Executor, senderId: string, clientMsgId: string): Promise<HeldMessage | null> {
  const rows = await db
    .select(withSender)
    .from(heldMessages)
    .innerJoin(users, eq(users.id, heldMessages.senderId))
    .where(and(eq(heldMessages.senderId, senderId), eq(heldMessages.clientMsgId, clientMsgId)))
    .limit(1);
  return rows[0] ? toHeld(rows[0].held, rows[0]) : null;
}

export async function findHeld(db: Executor, roomId: string, heldId: string): Promise<HeldMessage | null> {
  const rows = await db
    .select(withSender)
    .from(heldMessages)
    .innerJoin(users, eq(users.id, heldMessages.senderId))
    .where(and(eq(heldMessages.roomId, roomId), eq(heldMessages.id, heldId)))
    .limit(1);
  return rows[0] ? toHeld(rows[0].held, rows[0]) : null;
}

export async function listHeld(db: Executor, roomId: string, status: HeldMessage['status']): Promise<HeldMessage[]> {
  const rows = await db
    .select(withSender)
    .from(heldMessages)
    .innerJoin(users, eq(users.id, heldMessages.senderId))
    .where(and(eq(heldMessages.roomId, roomId), eq(heldMessages.status, status)))
    .orderBy(asc(heldMessages.createdAt));
  return rows.map((row) => toHeld(row.held, row));
}

/** Moves a pending held message to its decision; false if someone else decided first. */
export async function decideHeld(db: Executor, heldId: string, status: 'approved' | 'rejected', decidedBy: string, messageId: string | null): Promise<boolean> {
  const rows = await db
    .update(heldMessages)
    .set({ status, decidedBy, decidedAt: new Date(), messageId })
    .where(and(eq(heldMessages.id, heldId), eq(heldMessages.status, 'pending')))
    .returning({ id: heldMessages.id });
  return rows.length > 0;
}

/** Undoes an approval whose delivery failed, so the message is back in the queue. */
export async function reopenHeld(db: Executor, heldId: string, messageId: string): Promise<void> {
  await db
    .update(heldMessages)
    .set({ status: 'pending', decidedBy: null, decidedAt: null, messageId: null })
    .where(and(eq(heldMessages.id, heldId), eq(heldMessages.status, 'approved'), eq(heldMessages.messageId, messageId)));
}

/** The newest decisions (approved or rejected), newest first. */
export async function listDecidedHeld(db: Executor, roomId: string, limit: number): Promise<HeldMessage[]> {
  const rows = await db
    .select(withSender)
    .from(heldMessages)
    .innerJoin(users, eq(users.id, heldMessages.senderId))
    .where(and(eq(heldMessages.roomId, roomId), ne(heldMessages.status, 'pending')))
    .orderBy(desc(heldMessages.decidedAt))
    .limit(limit);
  return rows.map((row) => toHeld(row.held, row));
}

/** Drops the senders' messages still waiting for review: nobody should approve a deleted author's words into a room. */
export async function deletePendingHeldOf(tx: Executor, senderIds: string[]): Promise<void> {
  if (senderIds.length === 0) return;
  await tx.delete(heldMessages).where(and(inArray(heldMessages.senderId, senderIds), eq(heldMessages.status, 'pending')));
}
