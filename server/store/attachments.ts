/** Queries on attachments: the rows that say which stored bytes were posted where, by whom. */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { attachments, users } from '../../drizzle/schema.ts';
import type { Attachment, AttachmentExif, HeldAttachment } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

export type AttachmentRow = typeof attachments.$inferSelect;
export type NewAttachment = Omit<typeof attachments.$inferInsert, 'createdAt' | 'seq' | 'removedAt' | 'decidedBy' | 'decidedAt'>;

export function toAttachment(row: AttachmentRow): Attachment {
  const attachment: Attachment = {
    id: row.id,
    roomId: row.roomId,
    kind: row.kind as Attachment['kind'],
    name: row.name,
    mime: row.mime,
    size: row.size,
    sha256: row.sha256,
    status: row.status as Attachment['status'],
    createdAt: row.createdAt.toISOString(),
  };
  if (row.width !== null) attachment.width = row.width;
  if (row.height !== null) attachment.height = row.height;
  if (row.durationSeconds !== null) attachment.durationSeconds = row.durationSeconds;
  if (row.thumbhash !== null) attachment.thumbhash = row.thumbhash;
  if (row.exif !== null) attachment.exif = row.exif as AttachmentExif;
  if (row.thumbSha256 !== null) attachment.thumb = { width: row.thumbWidth!, height: row.thumbHeight! };
  if (row.displaySha256 !== null) attachment.display = { width: row.displayWidth!, height: row.displayHeight! };
  if (row.original) attachment.original = true;
  if (Array.isArray(row.reasons) && row.reasons.length > 0) attachment.reasons = row.reasons as string[];
  return attachment;
}

export async function insertAttachment(db: Executor, values: NewAttachment): Promise<AttachmentRow> {
  const rows = await db.insert(attachments).values(values).returning();
  return rows[0]!;
}

/**
 * Every key of the media storage a row refers to: its bytes and the pictures derived from them.
 * Stored bytes may be erased only when no live row refers to them under any of these.
 */
export function mediaKeysOf(row: AttachmentRow): string[] {
  return [row.sha256, row.thumbSha256, row.displaySha256].filter((key): key is string => key !== null);
}

/** A removed attachment is gone for everyone: it is not found. */
export async function findAttachment(db: Executor, id: string): Promise<AttachmentRow | null> {
  const rows = await db
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, id), isNull(attachments.removedAt)))
    .limit(1);
  return rows[0] ?? null;
}

/**
 * Bytes counted against the room's and the uploader's quotas. Every row counts, even when its
 * bytes are shared with another upload: sharing is a saving of the storage, not of the quota.
 */
export async function storageUsedBy(db: Executor, roomId: string, uploaderId: string): Promise<{ room: number; user: number }> {
  const rows = await db
    .select({
      room: sql<string>`coalesce(sum(${attachments.size}) filter (where ${attachments.roomId} = ${roomId}), 0)`,
      user: sql<string>`coalesce(sum(${attachments.size}) filter (where ${attachments.uploaderId} = ${uploaderId}), 0)`,
    })
    .from(attachments)
    .where(and(sql`(${attachments.roomId} = ${roomId} or ${attachments.uploaderId} = ${uploaderId})`, isNull(attachments.removedAt)));
  return { room: Number(rows[0]?.room ?? 0), user: Number(rows[0]?.user ?? 0) };
}

/** The rows of these ids that still exist (not removed), in no particular order. */
export async function findAttachmentsByIds(db: Executor, ids: string[]): Promise<AttachmentRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(attachments)
    .where(and(inArray(attachments.id, ids), isNull(attachments.removedAt)));
}

/** A recalled message's attachments go with it for members (staff keep them until retention ends). */
export async function markAttachmentsRecalled(db: Executor, roomId: string, seq: number, at: Date): Promise<void> {
  await db
    .update(attachments)
    .set({ recalledAt: at })
    .where(and(eq(attachments.roomId, roomId), eq(attachments.seq, seq), isNull(attachments.recalledAt)));
}

/**
 * Pictures posted since `since` whose perceptual hash is within `maxDistance` bits of `phash`.
 * The partial index on created_at keeps this to the recent rows; the distance is computed on
 * those (a few thousand an hour on a busy server, a bit count each).
 */
export async function findLookalikes(db: Executor, phash: bigint, since: Date, maxDistance: number): Promise<Array<{ roomId: string; uploaderId: string }>> {
  return db
    .select({ roomId: attachments.roomId, uploaderId: attachments.uploaderId })
    .from(attachments)
    .where(
      and(
        isNotNull(attachments.phash),
        gte(attachments.createdAt, since),
        isNull(attachments.removedAt),
        // Stored signed (bigint is); the same 64 bits either way, so the distance is the same.
        sql`bit_count((${attachments.phash} # ${BigInt.asIntN(64, phash).toString()}::bigint)::bit(64)) <= ${maxDistance}`,
      ),
    )
    .limit(1000);
}

function toHeldAttachment(row: AttachmentRow, uploader: { displayName: string }): HeldAttachment {
  return {
    attachment: toAttachment(row),
    uploader: { id: row.uploaderId, displayName: uploader.displayName },
    reasons: (Array.isArray(row.safetyReasons) ? row.safetyReasons : []) as HeldAttachment['reasons'],
    status: row.status === 'held' ? 'pending' : row.status === 'blocked' ? 'rejected' : 'approved',
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt ? row.decidedAt.toISOString() : null,
  };
}

const withUploader = { row: attachments, displayName: users.displayName };

/** Held attachments of a room waiting for review, oldest first (or the newest decisions). */
export async function listHeldAttachments(db: Executor, roomId: string, open: boolean, limit: number): Promise<HeldAttachment[]> {
  const rows = await db
    .select(withUploader)
    .from(attachments)
    .innerJoin(users, eq(users.id, attachments.uploaderId))
    .where(and(eq(attachments.roomId, roomId), isNull(attachments.removedAt), open ? eq(attachments.status, 'held') : isNotNull(attachments.decidedAt)))
    .orderBy(open ? asc(attachments.createdAt) : desc(attachments.decidedAt))
    .limit(limit);
  return rows.map((r) => toHeldAttachment(r.row, r));
}

export async function findHeldAttachment(db: Executor, roomId: string, id: string): Promise<HeldAttachment | null> {
  const rows = await db
    .select(withUploader)
    .from(attachments)
    .innerJoin(users, eq(users.id, attachments.uploaderId))
    .where(and(eq(attachments.roomId, roomId), eq(attachments.id, id), isNull(attachments.removedAt)))
    .limit(1);
  return rows[0] ? toHeldAttachment(rows[0].row, rows[0]) : null;
}

/** Moves a held attachment to ready or blocked; false when it is no longer held (someone decided first). */
export async function decideAttachment(db: Executor, id: string, status: 'ready' | 'blocked', decidedBy: string): Promise<boolean> {
  const rows = await db
    .update(attachments)
    .set({ status, decidedBy, decidedAt: new Date() })
    .where(and(eq(attachments.id, id), eq(attachments.status, 'held')))
    .returning({ id: attachments.id });
  return rows.length > 0;
}
