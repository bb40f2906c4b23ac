/** Message requests: one per sender and recipient until accepted. */
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { dmRequests, userBlocks, users } from '../../drizzle/schema.ts';
import type { DmRequest } from '../../shared/people.ts';
import type { Executor } from './db.ts';

export interface DmRequestRecord {
  id: string;
  senderId: string;
  recipientId: string;
  clientMsgId: string;
  text: string;
  status: DmRequest['status'];
  roomId: string | null;
  createdAt: Date;
}

const sender = alias(users, 'request_sender');
const recipient = alias(users, 'request_recipient');

function selectRequests(db: Executor) {
  return db
    .select({
      request: dmRequests,
      senderUsername: sender.username,
      senderName: sender.displayName,
      recipientUsername: recipient.username,
      recipientName: recipient.displayName,
    })
    .from(dmRequests)
    .innerJoin(sender, eq(sender.id, dmRequests.senderId))
    .innerJoin(recipient, eq(recipient.id, dmRequests.recipientId));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectRequests>['execute']>>[number];

/** As the viewer may see it: a sender is never shown that their request was ignored or reported. */
function toDmRequest(row: Row, viewerId: string): DmRequest {
  const r = row.request;
  const status = r.senderId === viewerId && r.status !== 'accepted' ? 'pending' : (r.status as DmRequest['status']);
  return {
    id: r.id,
    sender: { id: r.senderId, username: row.senderUsername, displayName: row.senderName },
    recipient: { id: r.recipientId, username: row.recipientUsername, displayName: row.recipientName },
    text: r.text,
    status,
    roomId: r.senderId === viewerId && r.status !== 'accepted' ? null : r.roomId,
    createdAt: r.createdAt.toISOString(),
  };
}

function toRecord(row: typeof dmRequests.$inferSelect): DmRequestRecord {
  return { ...row, status: row.status as DmRequest['status'] };
}

/** Stores the request; null when this sender already has one to this recipient. */
export async function insertDmRequest(db: Executor, values: { id: string; senderId: string; recipientId: string; clientMsgId: string; text: string }): Promise<DmRequestRecord | null> {
  const rows = await db.insert(dmRequests).values(values).onConflictDoNothing().returning();
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findDmRequestBetween(db: Executor, senderId: string, recipientId: string): Promise<DmRequestRecord | null> {
  const rows = await db.select().from(dmRequests).where(and(eq(dmRequests.senderId, senderId), eq(dmRequests.recipientId, recipientId))).limit(1);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Reads the request and locks it until the transaction ends, so two decisions cannot both pass. */
export async function findDmRequestForUpdate(tx: Executor, id: string): Promise<DmRequestRecord | null> {
  const rows = await tx.select().from(dmRequests).where(eq(dmRequests.id, id)).limit(1).for('update');
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function viewDmRequest(db: Executor, id: string, viewerId: string): Promise<DmRequest | null> {
  const rows = await selectRequests(db).where(eq(dmRequests.id, id)).limit(1);
  return rows[0] ? toDmRequest(rows[0], viewerId) : null;
}

export async function decideDmRequest(tx: Executor, id: string, status: 'accepted' | 'ignored' | 'reported', roomId: string | null): Promise<void> {
  await tx.update(dmRequests).set({ status, roomId, decidedAt: new Date() }).where(eq(dmRequests.id, id));
}

/** Pending requests to the user, newest first, leaving out those from people they blocked. */
export async function incomingDmRequests(db: Executor, userId: string): Promise<DmRequest[]> {
  const rows = await selectRequests(db)
    .where(
      and(
        eq(dmRequests.recipientId, userId),
        eq(dmRequests.status, 'pending'),
        sql`not exists (select 1 from ${userBlocks} where ${userBlocks.blockerId} = ${userId} and ${userBlocks.blockedId} = ${dmRequests.senderId})`,
      ),
    )
    .orderBy(desc(dmRequests.createdAt));
  return rows.map((row) => toDmRequest(row, userId));
}

/** The user's requests not yet accepted, newest first. */
export async function outgoingDmRequests(db: Executor, userId: string): Promise<DmRequest[]> {
  const rows = await selectRequests(db)
    .where(and(eq(dmRequests.senderId, userId), ne(dmRequests.status, 'accepted')))
    .orderBy(desc(dmRequests.createdAt));
  return rows.map((row) => toDmRequest(row, userId));
}

export async function findDmRequest(db: Executor, id: string): Promise<DmRequestRecord | null> {
  const rows = await db.select().from(dmRequests).where(eq(dmRequests.id, id)).limit(1);
  return rows[0] ? toRecord(rows[0]) : null;
}
