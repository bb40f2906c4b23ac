import { and, asc, desc, eq, gt, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import { messages, rooms, users } from '../../drizzle/schema.ts';
import type { Message, MessagePage } from '../../shared/schemas.ts';
import type { Database, Executor } from './db.ts';

/** A message before it has a seq: what a sender asked to store. */
export interface MessageDraft {
  id: string;
  roomId: string;
  sender: { id: string; displayName: string; kind: string } | null;
  clientMsgId: string | null;
  kind: Message['kind'];
  text: string;
  replyTo: number | null;
  mentions?: string[];
  mentionsAll?: boolean;
  data?: Record<string, unknown> | null;
  /** Safety reasons when delivered but flagged for admins. */
  flags?: unknown;
  createdAt: Date;
}

const messageColumns = {
  id: messages.id,
  roomId: messages.roomId,
  seq: messages.seq,
  senderId: messages.senderId,
  senderName: users.displayName,
  senderKind: users.kind,
  clientMsgId: messages.clientMsgId,
  kind: messages.kind,
  text: messages.text,
  replyTo: messages.replyTo,
  mentions: messages.mentions,
  mentionsAll: messages.mentionsAll,
  data: messages.data,
  recalledAt: messages.recalledAt,
  hiddenAt: messages.hiddenAt,
  createdAt: messages.createdAt,
};

type MessageRow = {
  id: string;
  roomId: string;
  seq: number;
  senderId: string | null;
  senderName: string | null;
  senderKind: string | null;
  clientMsgId: string | null;
  kind: string;
  text: string;
  replyTo: number | null;
  mentions: string[];
  mentionsAll: boolean;
  data: unknown;
  recalledAt: Date | null;
  hiddenAt: Date | null;
  createdAt: Date;
};

/**
 * A recalled message keeps its row (and seq) but members see only the tombstone; a message hidden
 * after reports likewise shows as a placeholder until staff dismiss the reports (review queue).
 */
function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    roomId: row.roomId,
    seq: row.seq,
    sender: row.senderId ? { id: row.senderId, displayName: row.senderName ?? '', kind: row.senderKind ?? 'user' } : null,
    kind: row.kind as Message['kind'],
    text: row.recalledAt || row.hiddenAt ? '' : row.text,
    replyTo: row.replyTo,
    clientMsgId: row.clientMsgId,
    mentions: row.mentions,
    mentionsAll: row.mentionsAll,
    data: (row.data as Record<string, unknown> | null) ?? null,
    recalledAt: row.recalledAt ? row.recalledAt.toISOString() : null,
    hiddenAt: row.hiddenAt ? row.hiddenAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  };
}

function selectMessages(db: Executor) {
  return db.select(messageColumns).from(messages).leftJoin(users, eq(users.id, messages.senderId));
}

/**
 * Stores a batch of drafts in one transaction (group commit) and returns them with their seqs,
 * in the order given. Each room's counter moves once per batch; rooms are locked in id order
 * so that two gateways committing overlapping batches cannot deadlock.
 */
export async function insertMessageBatch(db: Database, drafts: MessageDraft[]): Promise<Message[]> {
  const countByRoom = new Map<string, number>();
  for (const draft of drafts) countByRoom.set(draft.roomId, (countByRoom.get(draft.roomId) ?? 0) + 1);
  const roomIds = [...countByRoom.keys()].sort();

  return db.transaction(async (tx) => {
    await tx.select({ id: rooms.id }).from(rooms).where(inArray(rooms.id, roomIds)).orderBy(asc(rooms.id)).for('update');
    const increments = sql.join(
      roomIds.map((roomId) => sql`when ${roomId}::uuid then ${countByRoom.get(roomId)!}::bigint`),
      sql` `,
    );
    const updated = await tx
      .update(rooms)
      .set({ lastSeq: sql`${rooms.lastSeq} + (case ${rooms.id} ${increments} end)` })
      .where(inArray(rooms.id, roomIds))
      .returning({ id: rooms.id, lastSeq: rooms.lastSeq });

    const nextSeq = new Map<string, number>();
    for (const row of updated) nextSeq.set(row.id, row.lastSeq - countByRoom.get(row.id)! + 1);
    const stored: Message[] = drafts.map((draft) => {
      const seq = nextSeq.get(draft.roomId);
      if (seq === undefined) throw new Error(`room ${draft.roomId} vanished while sending`);
      nextSeq.set(draft.roomId, seq + 1);
      return {
        id: draft.id,
        roomId: draft.roomId,
        seq,
        sender: draft.sender ? { id: draft.sender.id, displayName: draft.sender.displayName, kind: draft.sender.kind } : null,
        kind: draft.kind,
        text: draft.text,
        replyTo: draft.replyTo,
        clientMsgId: draft.clientMsgId,
        mentions: draft.mentions ?? [],
        mentionsAll: draft.mentionsAll ?? false,
        data: draft.data ?? null,
        recalledAt: null,
        hiddenAt: null,
        createdAt: draft.createdAt.toISOString(),
      };
    });
    await tx.insert(messages).values(
      drafts.map((draft, i) => ({
        id: draft.id,
        roomId: draft.roomId,
        seq: stored[i]!.seq,
        senderId: draft.sender?.id ?? null,
        clientMsgId: draft.clientMsgId,
        kind: draft.kind,
        text: draft.text,
        replyTo: draft.replyTo,
        mentions: draft.mentions ?? [],
        mentionsAll: draft.mentionsAll ?? false,
        data: draft.data ?? null,
        flags: draft.flags ?? null,
        createdAt: draft.createdAt,
      })),
    );
    return stored;
  });
}

export async function findByClientMsgId(db: Executor, senderId: string, clientMsgId: string): Promise<Message | null> {
  const rows = await selectMessages(db)
    .where(and(eq(messages.senderId, senderId), eq(messages.clientMsgId, clientMsgId)))
    .limit(1);
  return rows[0] ? toMessage(rows[0]) : null;
}

export async function seqExists(db: Executor, roomId: string, seq: number): Promise<boolean> {
  const rows = await db
    .select({ seq: messages.seq })
    .from(messages)
    .where(and(eq(messages.roomId, roomId), eq(messages.seq, seq)))
    .limit(1);
  return rows.length > 0;
}

/** A page of history, oldest first. `before` pages backwards, `after` forwards; neither gives the newest page. */
export async function pageMessages(
  db: Executor,
  roomId: string,
  cursor: { before?: number; after?: number },
  limit: number,
): Promise<MessagePage> {
  // One extra row tells whether there is more without a count query.
  if (cursor.after !== undefined) {
    const rows = await selectMessages(db)
      .where(and(eq(messages.roomId, roomId), gt(messages.seq, cursor.after)))
      .orderBy(asc(messages.seq))
      .limit(limit + 1);
    return { messages: rows.slice(0, limit).map(toMessage), hasMore: rows.length > limit };
  }
  const where =
    cursor.before !== undefined ? and(eq(messages.roomId, roomId), lt(messages.seq, cursor.before)) : eq(messages.roomId, roomId);
  const rows = await selectMessages(db).where(where).orderBy(desc(messages.seq)).limit(limit + 1);
  return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore: rows.length > limit };
}

export async function messagesInRange(db: Executor, roomId: string, fromSeq: number, toSeq: number): Promise<Message[]> {
  const rows = await selectMessages(db)
    .where(and(eq(messages.roomId, roomId), gte(messages.seq, fromSeq), lte(messages.seq, toSeq)))
    .orderBy(asc(messages.seq));
  return rows.map(toMessage);
}
