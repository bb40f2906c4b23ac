/** Members' read positions and the unread counts that follow from them. */
import { and, eq, lt, sql, type SQL } from 'drizzle-orm';
import { roomMembers, rooms } from '../../drizzle/schema.ts';
import { UNREAD_COUNT_LIMIT, type RoomReadState } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

/**
 * Moves the member's read position forward to `seq`, clamped to the room's lastSeq. Returns the
 * new position, or null when it did not move (already there or further, or not a member).
 * The comparison happens in the UPDATE, so two devices racing cannot move it backwards.
 */
export async function advanceReadPosition(db: Executor, roomId: string, userId: string, seq: number): Promise<number | null> {
  const target = sql`least(${seq}::bigint, (select ${rooms.lastSeq} from ${rooms} where ${rooms.id} = ${roomId}))`;
  const rows = await db
    .update(roomMembers)
    .set({ lastReadSeq: target })
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId), lt(roomMembers.lastReadSeq, target)))
    .returning({ lastReadSeq: roomMembers.lastReadSeq });
  return rows[0]?.lastReadSeq ?? null;
}

/**
 * Unread text messages after each read position, not sent by the member nor by anyone they
 * blocked: all of them, and the ones that alert (mentioning the member or @all; the member only
 * when they set 'none'). The badge follows the member's notifications setting (消息免打扰); the
 * unread count stays the true one. Each count reads at most UNREAD_COUNT_LIMIT index entries,
 * so a member back from a long holiday costs no more than a few pages per room.
 */
export async function readStatesOfUser(db: Executor, userId: string, roomId?: string): Promise<Map<string, RoomReadState>> {
  // The blocked senders as one array, computed once per statement (it depends on no row, so
  // PostgreSQL runs it as an InitPlan), rather than a lookup per unread message.
  const hidden = sql`and m.sender_id <> all(coalesce((select array_agg(b.blocked_id) from user_blocks b where b.blocker_id = ${userId}), '{}'::uuid[]))`;
  const rows = await db
    .select({
      roomId: roomMembers.roomId,
      lastReadSeq: roomMembers.lastReadSeq,
      notifications: roomMembers.notifications,
      unread: countUnread(hidden),
      unreadMentions: countUnread(sql`${hidden} and ((m.mentions_all and room_members.notifications <> 'none') or room_members.user_id = any(m.mentions))`),
    })
    .from(roomMembers)
    .where(roomId === undefined ? eq(roomMembers.userId, userId) : and(eq(roomMembers.userId, userId), eq(roomMembers.roomId, roomId)));
  return new Map(
    rows.map((row) => [
      row.roomId,
      { lastReadSeq: row.lastReadSeq, unread: row.unread, unreadMentions: row.unreadMentions, badge: badgeOf(row.notifications, row.unread, row.unreadMentions) },
    ]),
  );
}

function badgeOf(mode: string, unread: number, alerts: number): number {
  if (mode === 'none') return 0;
  return mode === 'mentions' ? alerts : unread;
}

// Written out by hand: in a one-table select Drizzle leaves column names unqualified, which
// would let the correlated subquery compare messages.room_id with itself.
function countUnread(extra: SQL) {
  return sql<number>`(select count(*)::int from (
    select 1 from messages m
    where m.room_id = room_members.room_id
      and m.seq > room_members.last_read_seq
      and m.kind = 'text'
      and m.recalled_at is null
      and m.hidden_at is null
      and m.sender_id is distinct from room_members.user_id
      ${extra}
    limit ${UNREAD_COUNT_LIMIT}
  ) as counted)`.mapWith(Number);
}
