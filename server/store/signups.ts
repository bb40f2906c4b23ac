/** 接龙 sign-up lists and their lines. */
import { and, asc, count, eq } from 'drizzle-orm';
import { signupEntries, signups, users } from '../../drizzle/schema.ts';
import type { Signup, SignupEntry } from '../../shared/community.ts';
import type { Executor } from './db.ts';

export type SignupRow = typeof signups.$inferSelect;

export async function insertSignup(tx: Executor, values: typeof signups.$inferInsert): Promise<void> {
  await tx.insert(signups).values(values);
}

export async function findSignupRow(db: Executor, id: string): Promise<SignupRow | null> {
  const rows = await db.select().from(signups).where(eq(signups.id, id)).limit(1);
  return rows[0] ?? null;
}

/** Locks the list until the transaction ends: appends to one list go one at a time, on every gateway. */
export async function lockSignup(tx: Executor, id: string): Promise<SignupRow | null> {
  const rows = await tx.select().from(signups).where(eq(signups.id, id)).limit(1).for('update');
  return rows[0] ?? null;
}

export async function closeSignupRow(tx: Executor, id: string, at: Date): Promise<void> {
  await tx.update(signups).set({ closedAt: at }).where(eq(signups.id, id));
}

/** The listed lines, numbered 1..n by append order (held lines are neither shown nor numbered). */
export async function listedEntries(db: Executor, signupId: string): Promise<SignupEntry[]> {
  const rows = await db
    .select({ userId: signupEntries.userId, displayName: users.displayName, text: signupEntries.text, addedAt: signupEntries.addedAt })
    .from(signupEntries)
    .innerJoin(users, eq(users.id, signupEntries.userId))
    .where(and(eq(signupEntries.signupId, signupId), eq(signupEntries.status, 'listed')))
    .orderBy(asc(signupEntries.ord));
  return rows.map((row, i) => ({ position: i + 1, user: { id: row.userId, displayName: row.displayName }, text: row.text, addedAt: row.addedAt.toISOString() }));
}

/** Lines the safety rules held, oldest first, for the staff deciding on them. */
export async function heldEntries(db: Executor, signupId: string): Promise<Array<{ userId: string; displayName: string; text: string; reasons: unknown; addedAt: Date }>> {
  return db
    .select({ userId: signupEntries.userId, displayName: users.displayName, text: signupEntries.text, reasons: signupEntries.reasons, addedAt: signupEntries.addedAt })
    .from(signupEntries)
    .innerJoin(users, eq(users.id, signupEntries.userId))
    .where(and(eq(signupEntries.signupId, signupId), eq(signupEntries.status, 'held')))
    .orderBy(asc(signupEntries.ord));
}

export async function countListed(tx: Executor, signupId: string): Promise<number> {
  const rows = await tx
    .select({ n: count() })
    .from(signupEntries)
    .where(and(eq(signupEntries.signupId, signupId), eq(signupEntries.status, 'listed')));
  return Number(rows[0]?.n ?? 0);
}

export async function findEntry(db: Executor, signupId: string, userId: string): Promise<{ status: string; text: string } | null> {
  const rows = await db
    .select({ status: signupEntries.status, text: signupEntries.text })
    .from(signupEntries)
    .where(and(eq(signupEntries.signupId, signupId), eq(signupEntries.userId, userId)))
    .limit(1);
  return rows[0] ?? null;
}

/** Appends a line (its `ord` is taken now, under the list's lock); false when the member already has one. */
export async function insertEntry(tx: Executor, values: { signupId: string; userId: string; text: string; status: 'listed' | 'held'; reasons?: unknown }): Promise<boolean> {
  const rows = await tx
    .insert(signupEntries)
    .values({ ...values, reasons: values.reasons ?? null })
    .onConflictDoNothing()
    .returning({ userId: signupEntries.userId });
  return rows.length > 0;
}

export async function updateEntryText(tx: Executor, signupId: string, userId: string, text: string): Promise<boolean> {
  const rows = await tx
    .update(signupEntries)
    .set({ text })
    .where(and(eq(signupEntries.signupId, signupId), eq(signupEntries.userId, userId), eq(signupEntries.status, 'listed')))
    .returning({ userId: signupEntries.userId });
  return rows.length > 0;
}

export async function deleteEntry(tx: Executor, signupId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .delete(signupEntries)
    .where(and(eq(signupEntries.signupId, signupId), eq(signupEntries.userId, userId)))
    .returning({ userId: signupEntries.userId });
  return rows.length > 0;
}

/** The list as every member sees it. */
export async function readSignup(db: Executor, row: SignupRow, now: Date): Promise<Signup> {
  const entries = await listedEntries(db, row.id);
  const author = await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, row.authorId)).limit(1);
  return {
    id: row.id,
    roomId: row.roomId,
    messageId: row.messageId,
    title: row.title,
    template: row.template,
    capacity: row.capacity,
    closesAt: row.closesAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    closed: isSignupClosed(row, now),
    createdBy: { id: row.authorId, displayName: author[0]?.displayName ?? '' },
    entries,
    createdAt: row.createdAt.toISOString(),
  };
}

export function isSignupClosed(row: Pick<SignupRow, 'closedAt' | 'closesAt'>, now: Date): boolean {
  return row.closedAt !== null || (row.closesAt !== null && row.closesAt.getTime() <= now.getTime());
}

/** A held line approved: listed at the end, as if appended now (a fresh row takes a fresh `ord`). */
export async function listHeldEntry(tx: Executor, signupId: string, userId: string, at: Date): Promise<boolean> {
  const rows = await tx
    .delete(signupEntries)
    .where(and(eq(signupEntries.signupId, signupId), eq(signupEntries.userId, userId), eq(signupEntries.status, 'held')))
    .returning({ text: signupEntries.text });
  if (!rows[0]) return false;
  await tx.insert(signupEntries).values({ signupId, userId, text: rows[0].text, status: 'listed', addedAt: at });
  return true;
}

export async function deleteHeldEntry(tx: Executor, signupId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .delete(signupEntries)
    .where(and(eq(signupEntries.signupId, signupId), eq(signupEntries.userId, userId), eq(signupEntries.status, 'held')))
    .returning({ userId: signupEntries.userId });
  return rows.length > 0;
}
