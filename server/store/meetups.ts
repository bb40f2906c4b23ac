/** Meetups, their RSVPs, reminders and the meeting-safety checklist. */
import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { meetupChecklistSeen, meetupChecklists, meetupReminders, meetupRsvps, meetups, messages, users } from '../../drizzle/schema.ts';
import type { Meetup } from '../../shared/community.ts';
import type { Executor } from './db.ts';

export type MeetupRow = typeof meetups.$inferSelect;
export type RsvpRow = typeof meetupRsvps.$inferSelect;

export async function insertMeetup(tx: Executor, values: typeof meetups.$inferInsert): Promise<void> {
  await tx.insert(meetups).values(values);
}

export async function insertReminders(tx: Executor, rows: Array<{ meetupId: string; which: '24h' | '1h'; dueAt: Date; messageId: string }>): Promise<void> {
  if (rows.length > 0) await tx.insert(meetupReminders).values(rows);
}

export async function findMeetupRow(db: Executor, id: string): Promise<MeetupRow | null> {
  const rows = await db.select().from(meetups).where(eq(meetups.id, id)).limit(1);
  return rows[0] ?? null;
}

/** Locks the meetup until the transaction ends: RSVPs to one meetup go one at a time, on every gateway. */
export async function lockMeetup(tx: Executor, id: string): Promise<MeetupRow | null> {
  const rows = await tx.select().from(meetups).where(eq(meetups.id, id)).limit(1).for('update');
  return rows[0] ?? null;
}

export async function cancelMeetupRow(tx: Executor, id: string, at: Date): Promise<void> {
  await tx.update(meetups).set({ cancelledAt: at }).where(eq(meetups.id, id));
}

/** A room's meetups of one status, soonest first; `authorId` keeps only that member's (their own proposals). */
export async function listMeetupRows(db: Executor, roomId: string, filter: { upcomingAfter: Date | null; status: 'scheduled' | 'proposed'; authorId?: string }): Promise<MeetupRow[]> {
  const { upcomingAfter } = filter;
  const where = and(
    eq(meetups.roomId, roomId),
    eq(meetups.status, filter.status),
    filter.authorId ? eq(meetups.authorId, filter.authorId) : undefined,
    upcomingAfter ? and(isNull(meetups.cancelledAt), or(gt(meetups.startsAt, upcomingAfter), gt(meetups.endsAt, upcomingAfter))) : undefined,
  );
  return db.select().from(meetups).where(where).orderBy(asc(meetups.startsAt), asc(meetups.id)).limit(200);
}

/** Staff decided a proposal: scheduled (approved) or rejected, by whom, when, and why. */
export async function decideMeetupRow(tx: Executor, id: string, values: { status: 'scheduled' | 'rejected'; by: string; at: Date; reason: string | null }): Promise<void> {
  await tx.update(meetups).set({ status: values.status, decidedBy: values.by, decidedAt: values.at, rejectReason: values.reason }).where(eq(meetups.id, id));
}

export async function findRsvp(db: Executor, meetupId: string, userId: string): Promise<RsvpRow | null> {
  const rows = await db
    .select()
    .from(meetupRsvps)
    .where(and(eq(meetupRsvps.meetupId, meetupId), eq(meetupRsvps.userId, userId)))
    .limit(1);
  return rows[0] ?? null;
}

/** Sets a member's answer; a new place in line (`ord`) only when they join the line afresh. */
export async function putRsvp(tx: Executor, values: { meetupId: string; userId: string; status: string; freshOrd: boolean; at: Date }): Promise<void> {
  const ord = values.freshOrd ? sql`nextval('meetup_rsvp_ord')` : sql`coalesce((select r.ord from meetup_rsvps r where r.meetup_id = ${values.meetupId} and r.user_id = ${values.userId}), nextval('meetup_rsvp_ord'))`;
  await tx
    .insert(meetupRsvps)
    .values({ meetupId: values.meetupId, userId: values.userId, status: values.status, ord, respondedAt: values.at })
    .onConflictDoUpdate({
      target: [meetupRsvps.meetupId, meetupRsvps.userId],
      set: { status: values.status, respondedAt: values.at, ...(values.freshOrd ? { ord: sql`nextval('meetup_rsvp_ord')` } : {}) },
    });
}

/** The first on the waitlist (first come first served), if any. */
export async function firstWaiting(tx: Executor, meetupId: string): Promise<string | null> {
  const rows = await tx
    .select({ userId: meetupRsvps.userId })
    .from(meetupRsvps)
    .where(and(eq(meetupRsvps.meetupId, meetupId), eq(meetupRsvps.status, 'waitlisted')))
    .orderBy(asc(meetupRsvps.ord))
    .limit(1);
  return rows[0]?.userId ?? null;
}

export async function setHomeSafe(tx: Executor, meetupId: string, userId: string, at: Date): Promise<void> {
  await tx
    .update(meetupRsvps)
    .set({ homeSafeAt: at })
    .where(and(eq(meetupRsvps.meetupId, meetupId), eq(meetupRsvps.userId, userId), isNull(meetupRsvps.homeSafeAt)));
}

export interface AttendeeRow {
  userId: string;
  displayName: string;
  status: string;
  homeSafeAt: Date | null;
}

/** Confirmed first, then the waitlist, each in the order they answered. */
export async function listAttendees(db: Executor, meetupId: string): Promise<AttendeeRow[]> {
  return db
    .select({ userId: meetupRsvps.userId, displayName: users.displayName, status: meetupRsvps.status, homeSafeAt: meetupRsvps.homeSafeAt })
    .from(meetupRsvps)
    .innerJoin(users, eq(users.id, meetupRsvps.userId))
    .where(and(eq(meetupRsvps.meetupId, meetupId), inArray(meetupRsvps.status, ['confirmed', 'waitlisted'])))
    .orderBy(sql`case when ${meetupRsvps.status} = 'confirmed' then 0 else 1 end`, asc(meetupRsvps.ord));
}

/** The meetup as every member sees it: the exact place left out. */
export async function readMeetup(db: Executor, row: MeetupRow): Promise<Meetup> {
  const counts = await db
    .select({ status: meetupRsvps.status, n: sql<number>`count(*)::int` })
    .from(meetupRsvps)
    .where(eq(meetupRsvps.meetupId, row.id))
    .groupBy(meetupRsvps.status);
  const countOf = (status: string) => Number(counts.find((c) => c.status === status)?.n ?? 0);
  const author = await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, row.authorId)).limit(1);
  return {
    id: row.id,
    roomId: row.roomId,
    messageId: row.messageId,
    title: row.title,
    description: row.description,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt?.toISOString() ?? null,
    place: { name: row.placeName, area: row.placeArea },
    capacity: row.capacity,
    rsvpClosesAt: row.rsvpClosesAt?.toISOString() ?? null,
    going: countOf('confirmed'),
    waiting: countOf('waitlisted'),
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    createdBy: { id: row.authorId, displayName: author[0]?.displayName ?? '' },
    createdAt: row.createdAt.toISOString(),
    status: row.status as Meetup['status'],
    ...(row.status === 'rejected' ? { rejectReason: row.rejectReason } : {}),
  };
}

export async function checklistLinesOf(db: Executor, roomId: string): Promise<string[]> {
  const rows = await db.select({ lines: meetupChecklists.lines }).from(meetupChecklists).where(eq(meetupChecklists.roomId, roomId)).limit(1);
  return (rows[0]?.lines as string[] | undefined) ?? [];
}

export async function saveChecklistLines(tx: Executor, roomId: string, lines: string[]): Promise<void> {
  await tx.insert(meetupChecklists).values({ roomId, lines }).onConflictDoUpdate({ target: meetupChecklists.roomId, set: { lines } });
}

export async function hasSeenChecklist(db: Executor, roomId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ userId: meetupChecklistSeen.userId })
    .from(meetupChecklistSeen)
    .where(and(eq(meetupChecklistSeen.roomId, roomId), eq(meetupChecklistSeen.userId, userId)))
    .limit(1);
  return rows.length > 0;
}

export async function recordChecklistSeen(tx: Executor, roomId: string, userId: string, at: Date): Promise<void> {
  await tx.insert(meetupChecklistSeen).values({ roomId, userId, seenAt: at }).onConflictDoNothing();
}

export interface ClaimedReminder {
  meetupId: string;
  which: '24h' | '1h';
  messageId: string;
}

/**
 * Claims due reminders for `leaseMs`: a reminder another gateway claimed is skipped until its
 * lease runs out (that gateway may have died between claiming and posting), and SKIP LOCKED keeps
 * two gateways from claiming the same row at once.
 */
export async function claimDueReminders(db: Executor, now: Date, leaseMs: number, limit: number): Promise<ClaimedReminder[]> {
  const until = new Date(now.getTime() + leaseMs);
  const due = db
    .select({ meetupId: meetupReminders.meetupId, which: meetupReminders.which })
    .from(meetupReminders)
    .where(and(isNull(meetupReminders.postedAt), lte(meetupReminders.dueAt, now), or(isNull(meetupReminders.claimedUntil), lte(meetupReminders.claimedUntil, now))))
    .orderBy(asc(meetupReminders.dueAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(meetupReminders)
    .set({ claimedUntil: until })
    .where(sql`(${meetupReminders.meetupId}, ${meetupReminders.which}) in (${due})`)
    .returning({ meetupId: meetupReminders.meetupId, which: meetupReminders.which, messageId: meetupReminders.messageId });
  return rows as ClaimedReminder[];
}

export async function markReminderPosted(db: Executor, meetupId: string, which: string, at: Date): Promise<void> {
  await db
    .update(meetupReminders)
    .set({ postedAt: at })
    .where(and(eq(meetupReminders.meetupId, meetupId), eq(meetupReminders.which, which)));
}

export async function messageExists(db: Executor, id: string): Promise<boolean> {
  const rows = await db.select({ id: messages.id }).from(messages).where(eq(messages.id, id)).limit(1);
  return rows.length > 0;
}
