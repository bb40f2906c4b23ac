/** Queries on attachments: the rows that say which stored bytes were posted where, by whom. */
import { and, asc, desc, eq, getTableColumns, gte, inArray, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { attachments, heldMessages, messages, users } from '../../drizzle/schema.ts';
import type { Attachment, AttachmentExif, HeldAttachment, Message } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';
import { senderOf } from './messages.ts';

export type AttachmentRow = typeof attachments.$inferSelect;
export type NewAttachment = Omit<typeof attachments.$inferInsert, 'createdAt' | 'seq' | 'removedAt' | 'releasedAt' | 'decidedBy' | 'decidedAt'>;

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

/** Only for a row nobody has seen yet (its upload failed after the insert). */
export async function deleteAttachmentRow(db: Executor, id: string): Promise<void> {
  await db.delete(attachments).where(eq(attachments.id, id));
}

/**
 * Every key of the media storage a row refers to: its bytes and the pictures derived from them
 * (the columns of MEDIA_KEY_COLUMNS). Stored bytes may be erased only when no live row refers to
 * them under any of these.
 */
export function mediaKeysOf(row: AttachmentRow): string[] {
  const values = row as unknown as Record<string, unknown>;
  return MEDIA_KEY_FIELDS.map((field) => values[field]).filter((key): key is string => typeof key === 'string' && key !== '');
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

/** Moves a held attachment to ready or blocked; false when it is no longer held (someone decided first). Null `decidedBy`: nobody decided in time. */
export async function decideAttachment(db: Executor, id: string, status: 'ready' | 'blocked', decidedBy: string | null): Promise<boolean> {
  const rows = await db
    .update(attachments)
    .set({ status, decidedBy, decidedAt: new Date() })
    .where(and(eq(attachments.id, id), eq(attachments.status, 'held')))
    .returning({ id: attachments.id });
  return rows.length > 0;
}

/**
 * Held attachments uploaded at or before `cutoff`, oldest first: those nobody decided on in time.
 * A held upload is never sent, so this reads off the unsent index.
 */
export async function heldUploadedBefore(db: Executor, cutoff: Date, limit: number): Promise<Array<{ id: string; roomId: string }>> {
  return db
    .select({ id: attachments.id, roomId: attachments.roomId })
    .from(attachments)
    .where(and(sql`${attachments.seq} is null and ${attachments.removedAt} is null`, eq(attachments.status, 'held'), lte(attachments.createdAt, cutoff)))
    .orderBy(asc(attachments.createdAt))
    .limit(limit);
}

// ---- 群相册 and 群文件 ----

/** Which kinds each view shows; written out in SQL as the partial indexes' own predicates are. */
const VIEW_KINDS = { album: sql.raw(`'image', 'video'`), files: sql.raw(`'audio', 'file'`) } as const;
export type RoomMediaView = keyof typeof VIEW_KINDS;

export interface RoomMediaEntry {
  row: AttachmentRow;
  seq: number;
  sender: Message['sender'];
  sentAt: Date;
}

export interface RoomMediaFilter {
  view: RoomMediaView;
  /** Older than this message, or than this attachment of it (the key order is seq, then id, both descending). */
  before?: { seq: number; id?: string };
  limit: number;
  /** Part of the name, matched in any case; LIKE's wildcards in it are plain characters. */
  nameContains?: string;
}

/**
 * One page of a room's sent attachments, newest message first. Only what a member may see:
 * status ready, not removed, and the carrying message neither recalled nor hidden by reports.
 * The conditions on the attachment itself are the partial index's (literal, so the planner
 * proves the index applies to every plan); the message is one unique-index probe per row.
 */
export async function listRoomMedia(db: Executor, roomId: string, filter: RoomMediaFilter): Promise<RoomMediaEntry[]> {
  const conditions: SQL[] = [
    sql`${attachments.roomId} = ${roomId}`,
    sql`${attachments.seq} is not null and ${attachments.removedAt} is null and ${attachments.kind} in (${VIEW_KINDS[filter.view]})`,
    sql`${attachments.status} = 'ready'`,
    sql`${messages.recalledAt} is null and ${messages.hiddenAt} is null`,
  ];
  // The bound is said of the message's seq too: PostgreSQL carries equalities across a join but
  // not ranges, and a plan that walks the messages would otherwise start at the newest one.
  const { before } = filter;
  if (before?.id) conditions.push(sql`(${attachments.seq}, ${attachments.id}) < (${before.seq}, ${before.id}::uuid) and ${messages.seq} <= ${before.seq}`);
  else if (before) conditions.push(sql`${attachments.seq} < ${before.seq} and ${messages.seq} < ${before.seq}`);
  if (filter.nameContains !== undefined) conditions.push(sql`${attachments.name} ilike ${`%${escapeLike(filter.nameContains)}%`}`);
  const rows = await db
    .select({ row: attachments, senderId: messages.senderId, senderName: users.displayName, senderKind: users.kind, senderDeletedAt: users.deletedAt, sentAt: messages.createdAt })
    .from(attachments)
    .innerJoin(messages, and(eq(messages.roomId, attachments.roomId), eq(messages.seq, attachments.seq)))
    .leftJoin(users, eq(users.id, messages.senderId))
    .where(and(...conditions))
    .orderBy(desc(attachments.seq), desc(attachments.id))
    .limit(filter.limit);
  return rows.map((r) => ({
    row: r.row,
    seq: r.row.seq!,
    sender: r.senderId ? senderOf(r.senderId, r.senderName, r.senderKind, r.senderDeletedAt) : null,
    sentAt: r.sentAt,
  }));
}

/** `\` is LIKE's default escape character: it goes first, so the escapes added after it stay escapes. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// ---- lifecycle: which stored files rows still use (server/domain/media-lifecycle.ts) ----

/**
 * Every column of attachments that names a file in the media storage: by convention the ones
 * called `sha256` or `…_sha256` (the served bytes, and each derived file such as a thumbnail;
 * `original_sha256` only records the hash of an upload that was not kept). The
 * reference check, the keys a removed row lets go of and a room's keys all read this list, so a
 * new derived file needs only its column (and an index on it, for the reference check). Read
 * from the table, not written out, so that a column added without touching this file can never
 * be missed — a missed one would have its files deleted as unreferenced.
 */
/** Hashes of bytes that are not kept (a photo's upload before its metadata was removed): not keys. */
const NOT_STORED: ReadonlySet<string> = new Set(['original_sha256']);
const MEDIA_KEY_ENTRIES = Object.entries(getTableColumns(attachments)).filter(
  ([, column]) => (column.name === 'sha256' || column.name.endsWith('_sha256')) && !NOT_STORED.has(column.name),
);
export const MEDIA_KEY_COLUMNS: readonly PgColumn[] = MEDIA_KEY_ENTRIES.map(([, column]) => column);
/** The same columns by their names on a selected row. */
const MEDIA_KEY_FIELDS: readonly string[] = MEDIA_KEY_ENTRIES.map(([field]) => field);

/** Two-key advisory locks in their own space: the first number says "a media key", the second which. */
const MEDIA_KEY_LOCK_SPACE = 0x514d4b; // "QMK"

/**
 * Whoever is about to make a row name a key takes this (shared) in the transaction that writes
 * the row, and writes the key's bytes only after it commits. Deleting a key's bytes takes it
 * exclusively, around the reference check and the delete, so the two never interleave (see
 * server/domain/media-lifecycle.ts). Locks are taken in the order of their lock numbers, so two
 * lockers of several keys never wait on each other in a circle.
 */
export function lockMediaKeysForUse(tx: Executor, keys: readonly string[]): Promise<void> {
  return lockKeys(tx, keys, sql`pg_advisory_xact_lock_shared`);
}

export function lockMediaKeysForDelete(tx: Executor, keys: readonly string[]): Promise<void> {
  return lockKeys(tx, keys, sql`pg_advisory_xact_lock`);
}

async function lockKeys(tx: Executor, keys: readonly string[], lock: SQL): Promise<void> {
  if (keys.length === 0) return;
  await tx.execute(
    sql`select ${lock}(${MEDIA_KEY_LOCK_SPACE}, s.n) from (select distinct hashtext(k) as n from unnest(${textArray(keys)}) as k order by 1) as s`,
  );
}

/** Those of `keys` some live (not removed) row still names, in any key column. */
export async function keysInUse(db: Executor, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const named = sql.join(
    MEDIA_KEY_COLUMNS.map((column) => sql`exists (select 1 from ${attachments} where ${column} = k.key and ${attachments.removedAt} is null)`),
    sql` or `,
  );
  const rows = await db.execute<{ key: string }>(sql`select k.key from unnest(${textArray(keys)}) as k(key) where ${named}`);
  return new Set(rowsOf<{ key: string }>(rows).map((row) => row.key));
}

function keysOf(row: Record<string, unknown>): string[] {
  return MEDIA_KEY_COLUMNS.map((column) => row[column.name]).filter((key): key is string => typeof key === 'string' && key !== '');
}

const keyColumnsSql = () => sql.join(MEDIA_KEY_COLUMNS.map((column) => sql`${sql.identifier(column.name)}`), sql`, `);

/** Every key a room's rows name, removed or not: what its dissolution may leave unreferenced. */
export async function keysOfRoom(db: Executor, roomId: string): Promise<string[]> {
  const rows = await db.execute<Record<string, unknown>>(sql`select ${keyColumnsSql()} from ${attachments} where ${attachments.roomId} = ${roomId}`);
  return [...new Set(rowsOf<Record<string, unknown>>(rows).flatMap(keysOf))];
}

/** Removed rows whose keys are still to be let go of, oldest removal first. */
export async function unreleasedRemoved(db: Executor, limit: number): Promise<RemovedRows> {
  const rows = await db.execute<Record<string, unknown>>(
    sql`select ${attachments.id} as id, ${keyColumnsSql()} from ${attachments}
        where ${attachments.removedAt} is not null and ${attachments.releasedAt} is null
        order by ${attachments.removedAt} limit ${limit}`,
  );
  return removedRowsOf(rowsOf<Record<string, unknown>>(rows));
}

export async function markReleased(db: Executor, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.update(attachments).set({ releasedAt: now }).where(and(inArray(attachments.id, [...ids]), isNull(attachments.releasedAt)));
}

/**
 * Removes the attachments of messages recalled at or before `cutoff` (the staff's evidence has
 * passed RECALL_RETENTION_DAYS). Returns how many rows it removed.
 */
export async function removeRecalledBefore(db: Executor, cutoff: Date, now: Date): Promise<number> {
  const rows = await db
    .update(attachments)
    .set({ removedAt: now })
    .where(and(lte(attachments.recalledAt, cutoff), isNull(attachments.removedAt)))
    .returning({ id: attachments.id });
  return rows.length;
}

/**
 * Removes uploads that were never sent and are older than `cutoff`. Held and blocked uploads
 * are the review queue's to decide on, so only ready ones go, and none a pending held message carries. A send that sets `seq` at the
 * same moment wins or loses on the row lock: the UPDATE re-checks `seq is null` after waiting.
 */
export async function removeUnsentBefore(db: Executor, cutoff: Date, now: Date): Promise<number> {
  const rows = await db
    .update(attachments)
    .set({ removedAt: now })
    .where(
      and(
        sql`${attachments.seq} is null and ${attachments.removedAt} is null`,
        lte(attachments.createdAt, cutoff),
        eq(attachments.status, 'ready'),
        // A message held for review keeps its uploads unsent until it is decided on.
        sql`not exists (select 1 from ${heldMessages} where ${heldMessages.roomId} = ${attachments.roomId} and ${heldMessages.status} = 'pending'
              and ${heldMessages.attachments} @> jsonb_build_array(jsonb_build_object('id', ${attachments.id}::text)))`,
      ),
    )
    .returning({ id: attachments.id });
  return rows.length;
}

/**
 * Removes uploads a reviewer rejected (status blocked) at or before `cutoff`: staff kept them as
 * evidence as long as a recalled message's, and nobody else could ever fetch them.
 */
export async function removeRejectedBefore(db: Executor, cutoff: Date, now: Date): Promise<number> {
  const rows = await db
    .update(attachments)
    .set({ removedAt: now })
    .where(and(eq(attachments.status, 'blocked'), sql`${attachments.seq} is null and ${attachments.removedAt} is null`, lte(attachments.decidedAt, cutoff)))
    .returning({ id: attachments.id });
  return rows.length;
}

/** An account's uploads that no message carries: they go with the account. Returns the rows removed and their keys. */
export async function removeUnsentOf(db: Executor, uploaderIds: readonly string[], now: Date): Promise<RemovedRows> {
  if (uploaderIds.length === 0) return { ids: [], keys: [] };
  const rows = await db.execute<Record<string, unknown>>(
    sql`update ${attachments} set ${sql.identifier(attachments.removedAt.name)} = ${now.toISOString()}::timestamptz
        where ${attachments.seq} is null and ${attachments.removedAt} is null and ${attachments.uploaderId} in (${sql.join(
          uploaderIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
        returning ${attachments.id} as id, ${keyColumnsSql()}`,
  );
  return removedRowsOf(rowsOf<Record<string, unknown>>(rows));
}

export interface RemovedRows {
  ids: string[];
  keys: string[];
}

function removedRowsOf(list: Record<string, unknown>[]): RemovedRows {
  return { ids: list.map((row) => String(row.id)), keys: [...new Set(list.flatMap(keysOf))] };
}

function textArray(values: readonly string[]): SQL {
  return sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;
}

/** postgres.js answers execute() with the rows array itself; other drivers wrap it in `rows`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}
