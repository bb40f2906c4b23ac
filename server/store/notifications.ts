/** A member's do-not-disturb setting per room (消息免打扰). */
import { and, eq } from 'drizzle-orm';
import { roomMembers } from '../../drizzle/schema.ts';
import type { NotificationMode } from '../../shared/people.ts';
import type { Executor } from './db.ts';

/** Returns false when the user is not a member. */
export async function setNotificationMode(db: Executor, roomId: string, userId: string, mode: NotificationMode): Promise<boolean> {
  const rows = await db
    .update(roomMembers)
    .set({ notifications: mode })
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
    .returning({ userId: roomMembers.userId });
  return rows.length > 0;
}
