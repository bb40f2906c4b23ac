import { and, arrayContains, asc, desc, eq, ilike, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { rooms } from '../../drizzle/schema.ts';
import type { Room } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

type RoomRow = typeof rooms.$inferSelect;

export function toRoom(row: RoomRow): Room {
  return {
    id: row.id,
    name: row.name,
    topic: row.topic,
    tags: row.tags,
    ownerId: row.ownerId,
    visibility: row.visibility as Room['visibility'],
    kind: row.kind as Room['kind'],
    preview: row.preview,
    membersCanForward: row.membersCanForward,
    memberCount: row.memberCount,
    memberLimit: row.memberLimit,
    lastSeq: row.lastSeq,
    lastChange: row.lastChange,
    joinPolicy: row.joinPolicy as Room['joinPolicy'],
    joinQuestion: row.joinQuestion,
    membersCanInvite: row.membersCanInvite,
    muteAll: row.muteAll,
    slowModeSeconds: row.slowModeSeconds,
    keepImageOriginals: row.keepImageOriginals,
    membersProposeEvents: row.membersProposeEvents,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function insertRoom(
  db: Executor,
  values: { id: string; name: string; topic: string; tags: string[]; ownerId: string; memberLimit: number; visibility: Room['visibility']; preview: boolean },
): Promise<Room> {
  const rows = await db.insert(rooms).values(values).returning();
  return toRoom(rows[0]!);
}

export async function findRoom(db: Executor, roomId: string): Promise<Room | null> {
  const rows = await db.select().from(rooms).where(eq(rooms.id, roomId)).limit(1);
  return rows[0] ? toRoom(rows[0]) : null;
}

/** Reads the room and locks its row until the transaction ends: membership changes go one at a time. */
export async function findRoomForUpdate(tx: Executor, roomId: string): Promise<Room | null> {
  const rows = await tx.select().from(rooms).where(eq(rooms.id, roomId)).limit(1).for('update');
  return rows[0] ? toRoom(rows[0]) : null;
}

export async function adjustMemberCount(tx: Executor, roomId: string, delta: number): Promise<Room> {
  const rows = await tx
    .update(rooms)
    .set({ memberCount: sql`${rooms.memberCount} + ${delta}` })
    .where(eq(rooms.id, roomId))
    .returning();
  return toRoom(rows[0]!);
}

export async function lastSeqOf(db: Executor, roomId: string): Promise<number | null> {
  const rows = await db.select({ lastSeq: rooms.lastSeq }).from(rooms).where(eq(rooms.id, roomId)).limit(1);
  return rows[0]?.lastSeq ?? null;
}

export async function discoverRooms(
  db: Executor,
  filter: { q?: string; tag?: string; limit: number; offset: number },
): Promise<Room[]> {
  // Only public group rooms are ever listed: unlisted and private ones are found by link, QR or
  // invite, and a DM room never, whatever its other settings say.
  const conditions: SQL[] = [eq(rooms.visibility, 'public'), eq(rooms.kind, 'group')];
  if (filter.tag) conditions.push(arrayContains(rooms.tags, [filter.tag]));
  // Every word must appear somewhere (name, topic or a tag), in any order: "photo club" finds
  // "Film Photography Club". Words are at most eight, so a pasted paragraph stays a cheap query.
  const words = (filter.q ?? '').trim().split(/\s+/).filter((w) => w !== '').slice(0, 8);
  for (const word of words) {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(ilike(rooms.name, pattern), ilike(rooms.topic, pattern), sql`exists (select 1 from unnest(${rooms.tags}) as t where t ilike ${pattern})`)!,
    );
  }
  const rows = await db
    .select()
    .from(rooms)
    .where(and(...conditions))
    .orderBy(desc(rooms.memberCount), desc(rooms.createdAt))
    .limit(filter.limit)
    .offset(filter.offset);
  return rows.map(toRoom);
}

export async function updateRoomSettings(
  db: Executor,
  roomId: string,
  values: Partial<{
    name: string;
    topic: string;
    tags: string[];
    joinPolicy: string;
    joinQuestion: string;
    memberLimit: number;
    membersCanInvite: boolean;
    keepImageOriginals: boolean;
    visibility: Room['visibility'];
    preview: boolean;
    membersCanForward: boolean;
    membersProposeEvents: boolean;
    muteAll: boolean;
    slowModeSeconds: number;
    safetyPolicy: unknown;
    ownerId: string;
  }>,
): Promise<Room | null> {
  const rows = await db.update(rooms).set(values).where(eq(rooms.id, roomId)).returning();
  return rows[0] ? toRoom(rows[0]) : null;
}

export async function deleteRoom(db: Executor, roomId: string): Promise<void> {
  await db.delete(rooms).where(eq(rooms.id, roomId));
}

export async function safetyPolicyOf(db: Executor, roomId: string): Promise<unknown> {
  const rows = await db.select({ policy: rooms.safetyPolicy }).from(rooms).where(eq(rooms.id, roomId)).limit(1);
  return rows[0]?.policy ?? null;
}

/** Ids of the group rooms this user owns (dissolved rooms are deleted, so every one is live; a DM has no owner in effect). */
export async function roomIdsOwnedBy(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.select({ id: rooms.id }).from(rooms).where(and(eq(rooms.ownerId, userId), eq(rooms.kind, 'group'))).orderBy(asc(rooms.id));
  return rows.map((row) => row.id);
}

/**
 * Locks the rooms' rows in id order until the transaction ends: the order every multi-room
 * writer (append_messages included) takes them in, so two of them wait instead of deadlocking.
 */
export async function lockRoomsInOrder(tx: Executor, roomIds: string[]): Promise<string[]> {
  if (roomIds.length === 0) return [];
  const rows = await tx.select({ id: rooms.id }).from(rooms).where(inArray(rooms.id, roomIds)).orderBy(asc(rooms.id)).for('update');
  return rows.map((row) => row.id);
}

/** What the raid shield decides on, with the room's row locked. */
export async function lockRoomForShield(
  tx: Executor,
  roomId: string,
): Promise<{ joinPolicy: string; slowModeSeconds: number; shieldedUntil: Date | null; lastShieldEndedAt: Date | null; safetyPolicy: unknown } | null> {
  const rows = await tx
    .select({ joinPolicy: rooms.joinPolicy, slowModeSeconds: rooms.slowModeSeconds, shieldedUntil: rooms.raidShieldUntil, lastShieldEndedAt: rooms.raidShieldEndedAt, safetyPolicy: rooms.safetyPolicy })
    .from(rooms)
    .where(eq(rooms.id, roomId))
    .limit(1)
    .for('update');
  return rows[0] ?? null;
}

/** Raises a raid shield on a locked room: approval to join and slow mode until `until`, remembering what they replace. */
export async function raiseRaidShield(tx: Executor, roomId: string, until: Date, shieldSlowModeSeconds: number, replaced: { joinPolicy: string; slowModeSeconds: number }): Promise<Room> {
  const rows = await tx
    .update(rooms)
    .set({
      joinPolicy: 'approval',
      slowModeSeconds: Math.max(replaced.slowModeSeconds, shieldSlowModeSeconds),
      raidShieldUntil: until,
      raidRestore: { ...replaced, shieldSlowModeSeconds: Math.max(replaced.slowModeSeconds, shieldSlowModeSeconds) },
    })
    .where(eq(rooms.id, roomId))
    .returning();
  return toRoom(rows[0]!);
}

/**
 * Ends the raid shields due by `now`, at most `limit` of them, each claimed by this update alone
 * (so one gateway lifts each). A setting staff changed while the shield held is theirs and stays;
 * one the shield set returns to what it replaced.
 */
export async function liftDueRaidShields(db: Executor, now: Date, limit: number): Promise<Room[]> {
  const due = db
    .select({ id: rooms.id })
    .from(rooms)
    .where(lte(rooms.raidShieldUntil, now))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(rooms)
    .set({
      joinPolicy: sql`case when ${rooms.joinPolicy} = 'approval' then ${rooms.raidRestore} ->> 'joinPolicy' else ${rooms.joinPolicy} end`,
      slowModeSeconds: sql`case when ${rooms.slowModeSeconds} = (${rooms.raidRestore} ->> 'shieldSlowModeSeconds')::int then (${rooms.raidRestore} ->> 'slowModeSeconds')::int else ${rooms.slowModeSeconds} end`,
      raidShieldUntil: null,
      raidRestore: null,
      raidShieldEndedAt: now,
    })
    .where(inArray(rooms.id, due))
    .returning();
  return rows.map(toRoom);
}

