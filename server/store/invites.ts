import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { invites } from '../../drizzle/schema.ts';
import type { Invite } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

type Row = typeof invites.$inferSelect;

function toInvite(row: Row): Invite {
  return {
    id: row.id,
    roomId: row.roomId,
    code: row.code,
    createdBy: row.createdBy,
    expiresAt: row.expiresAt ? row.expiresAt.toISOString() : null,
    maxUses: row.maxUses,
    uses: row.uses,
    revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function insertInvite(db: Executor, values: { id: string; roomId: string; code: string; createdBy: string; expiresAt: Date | null; maxUses: number | null }): Promise<Invite> {
  const rows = await db.insert(invites).values(values).returning();
  return toInvite(rows[0]!);
}

export async function findInviteByCode(db: Executor, code: string): Promise<Invite | null> {
  const rows = await db.select().from(invites).where(eq(invites.code, code)).limit(1);
  return rows[0] ? toInvite(rows[0]) : null;
}

export async function findInvite(db: Executor, roomId: string, inviteId: string): Promise<Invite | null> {
  const rows = await db.select().from(invites).where(and(eq(invites.roomId, roomId), eq(invites.id, inviteId))).limit(1);
  return rows[0] ? toInvite(rows[0]) : null;
}

export async function listInvites(db: Executor, roomId: string): Promise<Invite[]> {
  const rows = await db.select().from(invites).where(eq(invites.roomId, roomId)).orderBy(desc(invites.createdAt));
  return rows.map(toInvite);
}

export async function revokeInvite(db: Executor, inviteId: string): Promise<boolean> {
  const rows = await db
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(and(eq(invites.id, inviteId), isNull(invites.revokedAt)))
    .returning({ id: invites.id });
  return rows.length > 0;
}

/** Counts one use, only while the invite still has uses left; false when it has just run out. */
export async function consumeInviteUse(db: Executor, inviteId: string): Promise<boolean> {
  const rows = await db
    .update(invites)
    .set({ uses: sql`${invites.uses} + 1` })
    .where(and(eq(invites.id, inviteId), sql`(${invites.maxUses} is null or ${invites.uses} < ${invites.maxUses})`))
    .returning({ id: invites.id });
  return rows.length > 0;
}
