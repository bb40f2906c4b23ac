/** 打卡 challenges and their check-ins. */
import { and, desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { challengeCheckins, challenges, messages, users } from '../../drizzle/schema.ts';
import type { Challenge, Checkin } from '../../shared/community.ts';
import type { Attachment } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

export type ChallengeRow = typeof challenges.$inferSelect;

export async function insertChallenge(tx: Executor, values: ChallengeRow): Promise<void> {
  await tx.insert(challenges).values(values);
}

export async function findChallengeRow(db: Executor, id: string): Promise<ChallengeRow | null> {
  const rows = await db.select().from(challenges).where(eq(challenges.id, id)).limit(1);
  return rows[0] ?? null;
}

/** One per member per period, on every gateway (the key); false when that period is already checked in. */
export async function insertCheckin(
  tx: Executor,
  values: { challengeId: string; userId: string; period: string; text: string; at: Date; messageId: string | null },
): Promise<boolean> {
  const rows = await tx
    .insert(challengeCheckins)
    .values({ challengeId: values.challengeId, userId: values.userId, period: values.period, text: values.text, checkedAt: values.at, messageId: values.messageId })
    .onConflictDoNothing()
    .returning({ period: challengeCheckins.period });
  return rows.length > 0;
}

export async function periodsOf(db: Executor, challengeId: string, userId: string): Promise<string[]> {
  const rows = await db
    .select({ period: challengeCheckins.period })
    .from(challengeCheckins)
    .where(and(eq(challengeCheckins.challengeId, challengeId), eq(challengeCheckins.userId, userId)))
    .orderBy(desc(challengeCheckins.period));
  return rows.map((r) => r.period);
}

/** Every check-in's member and period (a challenge has a few thousand at most). */
export async function allCheckins(db: Executor, challengeId: string): Promise<Array<{ userId: string; displayName: string; period: string }>> {
  return db
    .select({ userId: challengeCheckins.userId, displayName: users.displayName, period: challengeCheckins.period })
    .from(challengeCheckins)
    .innerJoin(users, eq(users.id, challengeCheckins.userId))
    .where(eq(challengeCheckins.challengeId, challengeId));
}

export async function readChallenge(db: Executor, row: ChallengeRow): Promise<Challenge> {
  const counts = await db
    .select({ checkins: sql<number>`count(*)::int`, participants: sql<number>`count(distinct ${challengeCheckins.userId})::int` })
    .from(challengeCheckins)
    .where(eq(challengeCheckins.challengeId, row.id));
  const author = await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, row.authorId)).limit(1);
  return {
    id: row.id,
    roomId: row.roomId,
    messageId: row.messageId,
    title: row.title,
    cadence: row.cadence as Challenge['cadence'],
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    timezone: row.timeZone,
    participants: Number(counts[0]?.participants ?? 0),
    checkins: Number(counts[0]?.checkins ?? 0),
    createdBy: { id: row.authorId, displayName: author[0]?.displayName ?? '' },
    createdAt: row.createdAt.toISOString(),
  };
}

export interface CheckinPage {
  period: string;
  photosOnly: boolean;
  /** Older than this check-in (the key order is checked_at, then user id, both descending). */
  before?: { at: Date; userId: string };
  limit: number;
}

/**
 * One page of a period's check-ins, newest first. A photo check-in shows its message's photos
 * and words (edited, if they were) only while members may see that message: once recalled or hidden by reports,
 * the check-in still counts but shows nothing.
 */
export async function pageCheckins(db: Executor, challengeId: string, page: CheckinPage): Promise<Checkin[]> {
  const visible = and(isNull(messages.recalledAt), isNull(messages.hiddenAt));
  const conditions: Array<SQL | undefined> = [eq(challengeCheckins.challengeId, challengeId), eq(challengeCheckins.period, page.period)];
  if (page.photosOnly) conditions.push(isNotNull(challengeCheckins.messageId), isNotNull(messages.id), visible);
  if (page.before) conditions.push(sql`(${challengeCheckins.checkedAt}, ${challengeCheckins.userId}) < (${page.before.at.toISOString()}::timestamptz, ${page.before.userId}::uuid)`);
  const rows = await db
    .select({
      userId: challengeCheckins.userId,
      displayName: users.displayName,
      period: challengeCheckins.period,
      text: challengeCheckins.text,
      checkedAt: challengeCheckins.checkedAt,
      messageId: messages.id,
      seq: messages.seq,
      messageText: messages.text,
      attachments: messages.attachments,
      recalledAt: messages.recalledAt,
      hiddenAt: messages.hiddenAt,
    })
    .from(challengeCheckins)
    .innerJoin(users, eq(users.id, challengeCheckins.userId))
    .leftJoin(messages, eq(messages.id, challengeCheckins.messageId))
    .where(and(...conditions))
    .orderBy(desc(challengeCheckins.checkedAt), desc(challengeCheckins.userId))
    .limit(page.limit);
  return rows.map((r) => {
    const gone = r.messageId !== null && (r.recalledAt !== null || r.hiddenAt !== null);
    return {
      challengeId,
      user: { id: r.userId, displayName: r.displayName },
      period: r.period,
      // A photo check-in's words are its message's, as the member may have edited them since.
      text: gone ? '' : (r.messageText ?? r.text),
      checkedAt: r.checkedAt.toISOString(),
      attachments: r.messageId === null || gone ? [] : ((r.attachments as Attachment[] | null) ?? []),
      message: r.messageId === null || r.seq === null ? null : { id: r.messageId, seq: Number(r.seq) },
    };
  });
}
