/** Resolving typed @usernames to the room members they name. */
import { and, eq, inArray } from 'drizzle-orm';
import { roomMembers, users } from '../../drizzle/schema.ts';
import type { Executor } from './db.ts';

export async function memberIdsByUsername(db: Executor, roomId: string, usernames: string[]): Promise<string[]> {
  if (usernames.length === 0) return [];
  const rows = await db
    .select({ id: users.id })
    .from(roomMembers)
    .innerJoin(users, eq(users.id, roomMembers.userId))
    .where(and(eq(roomMembers.roomId, roomId), inArray(users.username, usernames)));
  return rows.map((row) => row.id);
}
