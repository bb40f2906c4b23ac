import { and, asc, eq, inArray } from 'drizzle-orm';
import { joinRequests, users } from '../../drizzle/schema.ts';
import type { JoinRequest } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

type Row = typeof joinRequests.$inferSelect;

function toJoinRequest(row: Row, user: { username: string; displayName: string }): JoinRequest {
  return {
    id: row.id,
    roomId: row.roomId,
    user: { id: row.userId, username: user.username, displayName: user.displayName },
    answer: row.answer,
    status: row.status as JoinRequest['status'],
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt ? row.decidedAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  };
}

const withUser = { request: joinRequests, username: users.username, displayName: users.displayName };

export async function findPendingRequest(db: Executor, roomId: string, userId: string): Promise<JoinRequest | null> {
  const rows = await db
    .select(withUser)
    .from(joinRequests)
    .innerJoin(users, eq(users.id, joinRequests.userId))
    .where(and(eq(joinRequests.roomId, roomId), eq(joinRequests.userId, userId), eq(joinRequests.status, 'pending')))
    .limit(1);
  return rows[0] ? toJoinRequest(rows[0].request, rows[0]) : null;
}

export async function findRequest(db: Executor, roomId: string, requestId: string): Promise<JoinRequest | null> {
  const rows = await db
    .select(withUser)
    .from(joinRequests)
    .innerJoin(users, eq(users.id, joinRequests.userId))
    .where(and(eq(joinRequests.roomId, roomId), eq(joinRequests.id, requestId)))
    .limit(1);
  return rows[0] ? toJoinRequest(rows[0].request, rows[0]) : null;
}

export async function insertRequest(db: Executor, values: { id: string; roomId: string; userId: string; answer: string }): Promise<void> {
  await db.insert(joinRequests).values(values);
}

export async function decideRequest(db: Executor, requestId: string, status: 'approved' | 'rejected', decidedBy: string): Promise<boolean> {
  const rows = await db
    .update(joinRequests)
    .set({ status, decidedBy, decidedAt: new Date() })
    .where(and(eq(joinRequests.id, requestId), eq(joinRequests.status, 'pending')))
    .returning({ id: joinRequests.id });
  return rows.length > 0;
}

export async function listRequests(db: Executor, roomId: string, status: JoinRequest['status']): Promise<JoinRequest[]> {
  const rows = await db
    .select(withUser)
    .from(joinRequests)
    .innerJoin(users, eq(users.id, joinRequests.userId))
    .where(and(eq(joinRequests.roomId, roomId), eq(joinRequests.status, status)))
    .orderBy(asc(joinRequests.createdAt));
  return rows.map((row) => toJoinRequest(row.request, row));
}

/** Withdraws the users' pending requests to join (decided ones stay for the record). */
export async function deletePendingRequestsOf(tx: Executor, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await tx.delete(joinRequests).where(and(inArray(joinRequests.userId, userIds), eq(joinRequests.status, 'pending')));
}
