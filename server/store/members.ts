import { and, asc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { roomMembers, roomRuleAcceptances, rooms, users } from '../../drizzle/schema.ts';
import type { Member, MyRoom, Role } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';
import { toRoom } from './rooms.ts';

export interface Membership {
  role: Role;
  joinedAt: Date;
  nickname: string | null;
  mutedUntil: Date | null;
}

export async function findMembership(db: Executor, roomId: string, userId: string): Promise<Membership | null> {
  const rows = await db
    .select({ role: roomMembers.role, joinedAt: roomMembers.joinedAt, nickname: roomMembers.nickname, mutedUntil: roomMembers.mutedUntil })
    .from(roomMembers)
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
    .limit(1);
  const row = rows[0];
  return row ? { role: row.role as Role, joinedAt: row.joinedAt, nickname: row.nickname, mutedUntil: row.mutedUntil } : null;
}

export async function insertMember(db: Executor, values: { roomId: string; userId: string; role: Role }): Promise<void> {
  // A newcomer starts with the history before their arrival read, so joining a busy room does not
  // light up a badge of old messages. Joins lock the room row, as sends do, so no message
  // committed after the join can have a seq at or below this one.
  const lastReadSeq = sql`coalesce((select ${rooms.lastSeq} from ${rooms} where ${rooms.id} = ${values.roomId}), 0)`;
  await db.insert(roomMembers).values({ ...values, lastReadSeq });
}

export async function deleteMember(db: Executor, roomId: string, userId: string): Promise<boolean> {
  const rows = await db
    .delete(roomMembers)
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
    .returning({ userId: roomMembers.userId });
  return rows.length > 0;
}

export async function listMembers(db: Executor, roomId: string): Promise<Member[]> {
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      kind: users.kind,
      role: roomMembers.role,
      joinedAt: roomMembers.joinedAt,
      nickname: roomMembers.nickname,
      mutedUntil: roomMembers.mutedUntil,
    })
    .from(roomMembers)
    .innerJoin(users, eq(users.id, roomMembers.userId))
    .where(eq(roomMembers.roomId, roomId))
    .orderBy(asc(roomMembers.joinedAt));
  const now = Date.now();
  return rows.map((row) => ({
    user: { id: row.id, username: row.username, displayName: row.displayName, kind: row.kind },
    role: row.role as Role,
    joinedAt: row.joinedAt.toISOString(),
    nickname: row.nickname,
    // An expired mute is no mute: show null rather than a time in the past.
    mutedUntil: row.mutedUntil && row.mutedUntil.getTime() > now ? row.mutedUntil.toISOString() : null,
  }));
}

export async function listRoomsOfUser(db: Executor, userId: string): Promise<MyRoom[]> {
  const rows = await db
    .select({ room: rooms, role: roomMembers.role, joinedAt: roomMembers.joinedAt, notifications: roomMembers.notifications })
    .from(roomMembers)
    .innerJoin(rooms, eq(rooms.id, roomMembers.roomId))
    .where(eq(roomMembers.userId, userId))
    .orderBy(asc(roomMembers.joinedAt));
  return rows.map((row) => ({ ...toRoom(row.room), role: row.role as Role, joinedAt: row.joinedAt.toISOString(), notifications: row.notifications as MyRoom['notifications'] }));
}

export async function listRoomIdsOfUser(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.select({ roomId: roomMembers.roomId }).from(roomMembers).where(eq(roomMembers.userId, userId));
  return rows.map((row) => row.roomId);
}

/** What the send path needs to know about a sender in one round trip: membership and room rules. */
export interface SpeakerContext {
  role: Role;
  joinedAt: Date;
  nickname: string | null;
  mutedUntil: Date | null;
  /** rulesVersion: the version of the must-read rules members must accept (absent or null: none required). */
  room: { muteAll: boolean; slowModeSeconds: number; safetyPolicy: unknown; rulesVersion?: number | null; kind?: string };
  /** The version of the rules this member accepted (absent or null: none). */
  acceptedRulesVersion?: number | null;
  /** When they first accepted the room's rules (absent or null: never); probation counts from it where the rules are required (domain/probation.ts). */
  rulesFirstAcceptedAt?: Date | null;
  /** The same (sender, clientMsgId) is already stored, or already held for review. */
  alreadyStored: boolean;
  alreadyHeld: boolean;
  /** The account is suspended site-wide (site-review.ts): nothing it sends is taken. */
  suspended?: boolean;
}

/**
 * One round trip for everything the send path checks before safety: membership, the room's
 * speaking rules, and whether this clientMsgId was seen before (the common case is "no", and
 * then no further idempotency query is needed).
 */
export async function findSpeaker(db: Executor, roomId: string, userId: string, clientMsgId = ''): Promise<SpeakerContext | null> {
  const rows = await db
    .select({
      role: roomMembers.role,
      joinedAt: roomMembers.joinedAt,
      nickname: roomMembers.nickname,
      mutedUntil: roomMembers.mutedUntil,
      muteAll: rooms.muteAll,
      slowModeSeconds: rooms.slowModeSeconds,
      safetyPolicy: rooms.safetyPolicy,
      roomKind: rooms.kind,
      alreadyStored: sql<boolean>`exists (select 1 from messages m where m.sender_id = ${userId} and m.client_msg_id = ${clientMsgId})`,
      alreadyHeld: sql<boolean>`exists (select 1 from held_messages h where h.sender_id = ${userId} and h.client_msg_id = ${clientMsgId})`,
      suspended: sql<boolean>`exists (select 1 from users u where u.id = ${userId} and u.suspended_until > now())`,
      rulesVersion: sql<number | null>`(select r.version from room_rules r where r.room_id = ${roomId} and r.require_acceptance)`,
      acceptedRulesVersion: sql<number | null>`(select a.version from room_rule_acceptances a where a.room_id = ${roomId} and a.user_id = ${userId})`,
      rulesFirstAcceptedAt: sql<Date | null>`(select a.first_accepted_at from room_rule_acceptances a where a.room_id = ${roomId} and a.user_id = ${userId})`.mapWith(roomRuleAcceptances.firstAcceptedAt),
    })
    .from(roomMembers)
    .innerJoin(rooms, eq(rooms.id, roomMembers.roomId))
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return {
    role: row.role as Role,
    joinedAt: row.joinedAt,
    nickname: row.nickname,
    mutedUntil: row.mutedUntil,
    room: { muteAll: row.muteAll, slowModeSeconds: row.slowModeSeconds, safetyPolicy: row.safetyPolicy, rulesVersion: row.rulesVersion === null ? null : Number(row.rulesVersion), kind: row.roomKind },
    acceptedRulesVersion: row.acceptedRulesVersion === null ? null : Number(row.acceptedRulesVersion),
    rulesFirstAcceptedAt: row.rulesFirstAcceptedAt ?? null,
    alreadyStored: row.alreadyStored,
    alreadyHeld: row.alreadyHeld,
    suspended: row.suspended,
  };
}

export async function updateMember(
  db: Executor,
  roomId: string,
  userId: string,
  values: Partial<{ role: Role; nickname: string | null; mutedUntil: Date | null }>,
): Promise<boolean> {
  const rows = await db
    .update(roomMembers)
    .set(values)
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
    .returning({ userId: roomMembers.userId });
  return rows.length > 0;
}

export async function countWithRole(db: Executor, roomId: string, role: Role): Promise<number> {
  const rows = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(roomMembers)
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.role, role)));
  return rows[0]?.count ?? 0;
}

export async function staffIdsOf(db: Executor, roomId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: roomMembers.userId })
    .from(roomMembers)
    .where(and(eq(roomMembers.roomId, roomId), or(eq(roomMembers.role, 'owner'), eq(roomMembers.role, 'admin'))));
  return rows.map((row) => row.userId);
}

/**
 * Slow mode, atomically: records this send only if the member's previous one is at least
 * `seconds` old. Concurrent sends on several gateways cannot both pass.
 */
export async function claimSlowModeSlot(db: Executor, roomId: string, userId: string, seconds: number, now: Date): Promise<boolean> {
  const earliest = new Date(now.getTime() - seconds * 1000);
  const rows = await db
    .update(roomMembers)
    .set({ lastSentAt: now })
    .where(
      and(
        eq(roomMembers.roomId, roomId),
        eq(roomMembers.userId, userId),
        or(isNull(roomMembers.lastSentAt), lte(roomMembers.lastSentAt, earliest)),
      ),
    )
    .returning({ userId: roomMembers.userId });
  return rows.length > 0;
}

export async function lastSentAtOf(db: Executor, roomId: string, userId: string): Promise<Date | null> {
  const rows = await db
    .select({ lastSentAt: roomMembers.lastSentAt })
    .from(roomMembers)
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
    .limit(1);
  return rows[0]?.lastSentAt ?? null;
}

/** Removes these users from every room they are in; returns which memberships went, with their roles. */
export async function deleteMembershipsOfUsers(tx: Executor, userIds: string[]): Promise<Array<{ roomId: string; userId: string; role: Role }>> {
  if (userIds.length === 0) return [];
  const rows = await tx
    .delete(roomMembers)
    .where(inArray(roomMembers.userId, userIds))
    .returning({ roomId: roomMembers.roomId, userId: roomMembers.userId, role: roomMembers.role });
  return rows.map((row) => ({ roomId: row.roomId, userId: row.userId, role: row.role as Role }));
}

/** How many joined the room since `since` (members still in it). */
export async function countJoinsSince(db: Executor, roomId: string, since: Date): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(roomMembers)
    .where(and(eq(roomMembers.roomId, roomId), gte(roomMembers.joinedAt, since)));
  return rows[0]?.n ?? 0;
}

