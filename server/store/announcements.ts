/** Room announcements (群公告) and who confirmed reading them. */
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import { announcementReads, announcements, roomMembers, users } from '../../drizzle/schema.ts';
import type { Announcement } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

/** What every read of an announcement selects: the row and its author's name. */
const announcementColumns = {
  id: announcements.id,
  roomId: announcements.roomId,
  text: announcements.text,
  authorId: announcements.authorId,
  authorName: users.displayName,
  createdAt: announcements.createdAt,
};

function toAnnouncement(row: { id: string; roomId: string; text: string; authorId: string; authorName: string | null; createdAt: Date }): Announcement {
  return {
    id: row.id,
    roomId: row.roomId,
    text: row.text,
    author: { id: row.authorId, displayName: row.authorName ?? '' },
    createdAt: row.createdAt.toISOString(),
  };
}

/** The current announcement stops being current; it stays stored for the record. */
export async function retireCurrentAnnouncement(tx: Executor, roomId: string): Promise<void> {
  await tx
    .update(announcements)
    .set({ current: false })
    .where(and(eq(announcements.roomId, roomId), eq(announcements.current, true)));
}

export async function insertAnnouncement(tx: Executor, values: { id: string; roomId: string; authorId: string; text: string; createdAt: Date }): Promise<void> {
  await tx.insert(announcements).values({ ...values, current: true });
}

export async function findCurrentAnnouncement(db: Executor, roomId: string): Promise<Announcement | null> {
  const rows = await db
    .select(announcementColumns)
    .from(announcements)
    .leftJoin(users, eq(users.id, announcements.authorId))
    .where(and(eq(announcements.roomId, roomId), eq(announcements.current, true)))
    .limit(1);
  const row = rows[0];
  return row ? toAnnouncement(row) : null;
}

/** Records the confirmation once; returns when the user first confirmed. */
export async function confirmAnnouncementRead(db: Executor, announcementId: string, userId: string, at: Date): Promise<Date> {
  await db.insert(announcementReads).values({ announcementId, userId, readAt: at }).onConflictDoNothing();
  return (await findAnnouncementRead(db, announcementId, userId)) ?? at;
}

export async function findAnnouncementRead(db: Executor, announcementId: string, userId: string): Promise<Date | null> {
  const rows = await db
    .select({ readAt: announcementReads.readAt })
    .from(announcementReads)
    .where(and(eq(announcementReads.announcementId, announcementId), eq(announcementReads.userId, userId)))
    .limit(1);
  return rows[0]?.readAt ?? null;
}

/** Current members who confirmed, earliest first. Readers who have since left are not counted. */
export async function listAnnouncementReaders(
  db: Executor,
  roomId: string,
  announcementId: string,
): Promise<Array<{ user: { id: string; username: string; displayName: string }; readAt: string }>> {
  const rows = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName, readAt: announcementReads.readAt })
    .from(announcementReads)
    .innerJoin(roomMembers, and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, announcementReads.userId)))
    .innerJoin(users, eq(users.id, announcementReads.userId))
    .where(eq(announcementReads.announcementId, announcementId))
    .orderBy(asc(announcementReads.readAt), asc(users.username));
  return rows.map((row) => ({ user: { id: row.id, username: row.username, displayName: row.displayName }, readAt: row.readAt.toISOString() }));
}

export async function countMembersWhoHaveNotRead(db: Executor, roomId: string, announcementId: string): Promise<number> {
  const rows = await db
    .select({ n: count() })
    .from(roomMembers)
    .leftJoin(announcementReads, and(eq(announcementReads.announcementId, announcementId), eq(announcementReads.userId, roomMembers.userId)))
    .where(and(eq(roomMembers.roomId, roomId), isNull(announcementReads.userId)));
  return Number(rows[0]?.n ?? 0);
}

/** Every announcement the room ever had, oldest first (a room posts a handful, so one read). */
export async function listAllAnnouncements(db: Executor, roomId: string): Promise<Array<Announcement & { current: boolean }>> {
  const rows = await db
    .select({ ...announcementColumns, current: announcements.current })
    .from(announcements)
    .leftJoin(users, eq(users.id, announcements.authorId))
    .where(eq(announcements.roomId, roomId))
    .orderBy(asc(announcements.createdAt), asc(announcements.id));
  return rows.map((row) => ({ ...toAnnouncement(row), current: row.current }));
}
