import { and, asc, eq } from 'drizzle-orm';
import { roomMembers, rooms, users } from '../../drizzle/schema.ts';
import type { Member, MyRoom, Role } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';
import { toRoom } from './rooms.ts';

export interface Membership {
  role: Role;
  joinedAt: Date;
}

export async function findMembership(db: Executor, roomId: string, userId: string): Promise<Membership | null> {
  const rows = await db
    .select({ role: roomMembers.role, joinedAt: roomMembers.joinedAt })
    .from(roomMembers)
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
    .limit(1);
  const row = rows[0];
  return row ? { role: row.role as Role, joinedAt: row.joinedAt } : null;
}

export async function insertMember(db: Executor, values: { roomId: string; userId: string; role: Role }): Promise<void> {
  await db.insert(roomMembers).values(values);
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
    })
    .from(roomMembers)
    .innerJoin(users, eq(users.id, roomMembers.userId))
    .where(eq(roomMembers.roomId, roomId))
    .orderBy(asc(roomMembers.joinedAt));
  return rows.map((row) => ({
    user: { id: row.id, username: row.username, displayName: row.displayName, kind: row.kind },
    role: row.role as Role,
    joinedAt: row.joinedAt.toISOString(),
  }));
}

export async function listRoomsOfUser(db: Executor, userId: string): Promise<MyRoom[]> {
  const rows = await db
    .select({ room: rooms, role: roomMembers.role, joinedAt: roomMembers.joinedAt })
    .from(roomMembers)
    .innerJoin(rooms, eq(rooms.id, roomMembers.roomId))
    .where(eq(roomMembers.userId, userId))
    .orderBy(asc(roomMembers.joinedAt));
  return rows.map((row) => ({ ...toRoom(row.room), role: row.role as Role, joinedAt: row.joinedAt.toISOString() }));
}

export async function listRoomIdsOfUser(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.select({ roomId: roomMembers.roomId }).from(roomMembers).where(eq(roomMembers.userId, userId));
  return rows.map((row) => row.roomId);
}
