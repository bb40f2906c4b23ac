/**
 * Finding messages by their words (search-terms.ts says how text becomes terms). The
 * index finds a superset; each needle is then checked in the text itself, so a Chinese phrase
 * matches only where its characters stand together. Only what members can read is found: text
 * messages neither recalled nor hidden (held messages are not in this table until approved).
 */
import { and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { messages, roomMembers } from '../../drizzle/schema.ts';
import type { Message } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';
import { selectMessages, toMessage } from './messages.ts';

function matching(query: string, needles: readonly string[]): SQL {
  // Literals, not parameters, in the conditions the index is partial on: a generic plan could
  // not prove them and would leave the index out.
  return and(
    sql`${messages.kind} = 'text'`,
    isNull(messages.recalledAt),
    isNull(messages.hiddenAt),
    sql`${messages.searchDocument} @@ ${query}::tsquery`,
    ...needles.map((needle) => sql`strpos(lower(${messages.text}), lower(${needle})) > 0`),
  )!;
}

/** One room's matches, newest first, below `before` (a seq). */
export async function searchRoom(
  db: Executor,
  roomId: string,
  search: { query: string; needles: readonly string[] },
  page: { before?: number; limit: number },
): Promise<{ messages: Message[]; hasMore: boolean }> {
  const conditions = [eq(messages.roomId, roomId), matching(search.query, search.needles)];
  if (page.before !== undefined) conditions.push(lt(messages.seq, page.before));
  const rows = await selectMessages(db)
    .where(and(...conditions))
    .orderBy(desc(messages.seq))
    .limit(page.limit + 1);
  return { messages: rows.slice(0, page.limit).map(toMessage), hasMore: rows.length > page.limit };
}

export interface AcrossCursor {
  createdAt: string;
  id: string;
}

/** Matches in every room `userId` is a member of, newest first, after `cursor`. */
export async function searchRoomsOf(
  db: Executor,
  userId: string,
  search: { query: string; needles: readonly string[] },
  page: { cursor?: AcrossCursor; limit: number },
): Promise<{ messages: Message[]; hasMore: boolean }> {
  const myRooms = db.select({ roomId: roomMembers.roomId }).from(roomMembers).where(eq(roomMembers.userId, userId));
  const conditions = [inArray(messages.roomId, myRooms), matching(search.query, search.needles)];
  if (page.cursor) {
    const at = new Date(page.cursor.createdAt);
    conditions.push(or(lt(messages.createdAt, at), and(eq(messages.createdAt, at), lt(messages.id, page.cursor.id)))!);
  }
  const rows = await selectMessages(db)
    .where(and(...conditions))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(page.limit + 1);
  return { messages: rows.slice(0, page.limit).map(toMessage), hasMore: rows.length > page.limit };
}
