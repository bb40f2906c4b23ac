/** The profile, privacy and suspension columns of a user. */
import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import { users } from '../../drizzle/schema.ts';
import type { DmsFrom, Privacy } from '../../shared/people.ts';
import type { Executor } from './db.ts';

export interface ProfileRecord {
  id: string;
  username: string;
  displayName: string;
  kind: 'user' | 'bot';
  bio: string;
  avatarAttachmentId: string | null;
  dmsFrom: DmsFrom;
  showPresence: boolean;
  suspendedUntil: Date | null;
  suspensionReason: string | null;
  deletedAt: Date | null;
}

const profileColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  kind: users.kind,
  bio: users.bio,
  avatarAttachmentId: users.avatarAttachmentId,
  dmsFrom: users.dmsFrom,
  showPresence: users.showPresence,
  suspendedUntil: users.suspendedUntil,
  suspensionReason: users.suspensionReason,
  deletedAt: users.deletedAt,
};

export async function findProfile(db: Executor, userId: string): Promise<ProfileRecord | null> {
  const rows = await db.select(profileColumns).from(users).where(eq(users.id, userId)).limit(1);
  const row = rows[0];
  return row ? { ...row, kind: row.kind as ProfileRecord['kind'], dmsFrom: row.dmsFrom as DmsFrom } : null;
}

export async function updateProfile(db: Executor, userId: string, values: Partial<{ displayName: string; bio: string; avatarAttachmentId: string | null }>): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await db.update(users).set(values).where(eq(users.id, userId));
}

export async function updatePrivacy(db: Executor, userId: string, values: Partial<Privacy>): Promise<Privacy> {
  const rows =
    Object.keys(values).length === 0
      ? await db.select({ dmsFrom: users.dmsFrom, showPresence: users.showPresence }).from(users).where(eq(users.id, userId))
      : await db.update(users).set(values).where(eq(users.id, userId)).returning({ dmsFrom: users.dmsFrom, showPresence: users.showPresence });
  const row = rows[0]!;
  return { dmsFrom: row.dmsFrom as DmsFrom, showPresence: row.showPresence };
}

/** Which of these users hide their presence. */
export async function presenceHiddenAmong(db: Executor, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, [...userIds]), eq(users.showPresence, false)));
  return new Set(rows.map((row) => row.id));
}

export async function suspendUser(db: Executor, userId: string, until: Date, reason: string): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ suspendedUntil: until, suspensionReason: reason })
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .returning({ id: users.id });
  return rows.length > 0;
}

/** Ends a suspension early; false when the account is not suspended now (or does not exist). */
export async function liftSuspension(db: Executor, userId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ suspendedUntil: null, suspensionReason: null })
    .where(and(eq(users.id, userId), gt(users.suspendedUntil, now)))
    .returning({ id: users.id });
  return rows.length > 0;
}

/** The suspension in force now, if any. */
export async function activeSuspensionOf(db: Executor, userId: string, now: Date): Promise<{ until: Date; reason: string } | null> {
  const rows = await db
    .select({ until: users.suspendedUntil, reason: users.suspensionReason })
    .from(users)
    .where(and(eq(users.id, userId), gt(users.suspendedUntil, now)))
    .limit(1);
  const row = rows[0];
  return row?.until ? { until: row.until, reason: row.reason ?? '' } : null;
}

/** Whether this attachment is its uploader's avatar now (anyone signed in may then load it). */
export async function isCurrentAvatar(db: Executor, attachmentId: string): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.avatarAttachmentId, attachmentId)).limit(1);
  return rows.length > 0;
}
