/**
 * Scheduled posts. Due rows are claimed inside a transaction with `FOR UPDATE SKIP LOCKED` and
 * moved to their next run before the transaction commits, so with several gateways ticking at
 * once each run is taken by exactly one of them.
 */
import { and, asc, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import { scheduledPosts } from '../../drizzle/schema.ts';
import type { ScheduledPost, ScheduleSpec } from '../../shared/schemas.ts';
import type { Database, Executor } from './db.ts';

type Row = typeof scheduledPosts.$inferSelect;

function toScheduledPost(row: Row): ScheduledPost {
  return {
    id: row.id,
    roomId: row.roomId,
    authorId: row.authorId,
    kind: row.kind as ScheduledPost['kind'],
    text: row.text,
    schedule: row.schedule as ScheduleSpec,
    timeZone: row.timeZone,
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    runs: row.runs,
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function insertScheduledPost(
  db: Executor,
  values: { id: string; roomId: string; authorId: string; kind: string; text: string; schedule: ScheduleSpec; timeZone: string; nextRunAt: Date | null },
): Promise<ScheduledPost> {
  const rows = await db.insert(scheduledPosts).values(values).returning();
  return toScheduledPost(rows[0]!);
}

export async function listScheduledPosts(db: Executor, roomId: string): Promise<ScheduledPost[]> {
  const rows = await db.select().from(scheduledPosts).where(eq(scheduledPosts.roomId, roomId)).orderBy(asc(scheduledPosts.createdAt));
  return rows.map(toScheduledPost);
}

export async function findScheduledPost(db: Executor, roomId: string, id: string): Promise<ScheduledPost | null> {
  const rows = await db.select().from(scheduledPosts).where(and(eq(scheduledPosts.roomId, roomId), eq(scheduledPosts.id, id))).limit(1);
  return rows[0] ? toScheduledPost(rows[0]) : null;
}

export async function deleteScheduledPost(db: Executor, id: string): Promise<void> {
  await db.delete(scheduledPosts).where(eq(scheduledPosts.id, id));
}

export interface ClaimedRun {
  post: ScheduledPost;
  /** The instant this run was due: with the schedule id it names the run (idempotency key). */
  dueAt: Date;
}

/** Claims due runs and advances each schedule to `next(post, dueAt)` (null: no more runs) in one transaction. */
export async function claimDueRuns(db: Database, now: Date, limit: number, next: (post: ScheduledPost, dueAt: Date) => Date | null): Promise<ClaimedRun[]> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(scheduledPosts)
      .where(and(isNotNull(scheduledPosts.nextRunAt), lte(scheduledPosts.nextRunAt, now)))
      .orderBy(asc(scheduledPosts.nextRunAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    const claimed: ClaimedRun[] = [];
    for (const row of rows) {
      const post = toScheduledPost(row);
      const dueAt = row.nextRunAt!;
      let following: Date | null;
      try {
        following = next(post, dueAt);
      } catch {
        following = null;
      }
      await tx.update(scheduledPosts).set({ nextRunAt: following, runs: row.runs + 1, lastRunAt: now }).where(eq(scheduledPosts.id, row.id));
      claimed.push({ post: { ...post, nextRunAt: following?.toISOString() ?? null, runs: row.runs + 1 }, dueAt });
    }
    return claimed;
  });
}

export async function recordRunError(db: Executor, id: string, error: string | null): Promise<void> {
  await db.update(scheduledPosts).set({ lastError: error }).where(eq(scheduledPosts.id, id));
}

/** Cancels every post these authors scheduled (their account is going). */
export async function deleteScheduledPostsBy(tx: Executor, authorIds: string[]): Promise<void> {
  if (authorIds.length === 0) return;
  await tx.delete(scheduledPosts).where(inArray(scheduledPosts.authorId, authorIds));
}
