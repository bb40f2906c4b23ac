/** DM rooms: one room of kind 'dm' per pair of people, found by the pair. */
import { and, desc, eq, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { roomMembers, rooms, users } from '../../drizzle/schema.ts';
import type { Room } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';
import { toRoom } from './rooms.ts';

/** The pair's key: the same whoever writes first. */
export function dmKeyOf(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

export async function findDmRoom(db: Executor, a: string, b: string): Promise<Room | null> {
  const rows = await db.select().from(rooms).where(eq(rooms.dmKey, dmKeyOf(a, b))).limit(1);
  return rows[0] ? toRoom(rows[0]) : null;
}

/**
 * Creates the pair's room with both as plain members, or returns null when it exists already
 * (a first message from the other side won the race; the caller reads it back).
 */
export async function insertDmRoom(tx: Executor, values: { id: string; initiatorId: string; peerId: string }): Promise<Room | null> {
  const created = await tx
    .insert(rooms)
    .values({
      id: values.id,
      name: '',
      kind: 'dm',
      dmKey: dmKeyOf(values.initiatorId, values.peerId),
      // The column needs someone; no role follows from it: both members are plain members.
      ownerId: values.initiatorId,
      visibility: 'private',
      joinPolicy: 'invite_only',
      memberLimit: 2,
      memberCount: 2,
    })
    .onConflictDoNothing()
    .returning();
  if (!created[0]) return null;
  await tx.insert(roomMembers).values([
    { roomId: values.id, userId: values.initiatorId, role: 'member' },
    { roomId: values.id, userId: values.peerId, role: 'member' },
  ]);
  return toRoom(created[0]);
}

/** The other member of a DM room. */
export async function peerOf(db: Executor, roomId: string, userId: string): Promise<string | null> {
  const rows = await db
    .select({ userId: roomMembers.userId })
    .from(roomMembers)
    .where(and(eq(roomMembers.roomId, roomId), ne(roomMembers.userId, userId)))
    .limit(1);
  return rows[0]?.userId ?? null;
}

/** The user's DM rooms with the other person in each, newest message first. */
export async function listDmRooms(db: Executor, userId: string): Promise<Array<{ room: Room; peer: { id: string; username: string; displayName: string } }>> {
  const rows = await db
    .select({ room: rooms, peerId: users.id, peerUsername: users.username, peerName: users.displayName })
    .from(roomMembers)
    .innerJoin(rooms, eq(rooms.id, roomMembers.roomId))
    .innerJoin(peerMember, and(eq(peerMember.roomId, roomMembers.roomId), ne(peerMember.userId, userId)))
    .innerJoin(users, eq(users.id, peerMember.userId))
    .where(and(eq(roomMembers.userId, userId), eq(rooms.kind, 'dm')))
    .orderBy(desc(rooms.lastSeq), desc(rooms.createdAt));
  return rows.map((row) => ({ room: toRoom(row.room), peer: { id: row.peerId, username: row.peerUsername, displayName: row.peerName } }));
}

const peerMember = alias(roomMembers, 'peer_member');

const otherMember = alias(roomMembers, 'other_member');

/** Whether the two share at least one group room. */
export async function shareAGroupRoom(db: Executor, a: string, b: string): Promise<boolean> {
  const rows = await db
    .select({ roomId: roomMembers.roomId })
    .from(roomMembers)
    .innerJoin(otherMember, and(eq(otherMember.roomId, roomMembers.roomId), eq(otherMember.userId, b)))
    .innerJoin(rooms, eq(rooms.id, roomMembers.roomId))
    .where(and(eq(roomMembers.userId, a), eq(rooms.kind, 'group')))
    .limit(1);
  return rows.length > 0;
}
