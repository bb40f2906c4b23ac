import { and, asc, desc, eq, gt, gte, lt, lte, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { messages, users } from '../../drizzle/schema.ts';
import type { Message, MessagePage } from '../../shared/schemas.ts';
import type { Executor, RawQuery } from './db.ts';

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
  senderDeletedAt: users.deletedAt,
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
  senderDeletedAt: Date | null;
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
    sender: row.senderId ? senderOf(row.senderId, row.senderName, row.senderKind, row.senderDeletedAt) : null,
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

/** A message's sender as clients see it; `deleted` only appears for an account that is gone. */
export function senderOf(id: string, displayName: string | null, kind: string | null, deletedAt: Date | null): NonNullable<Message['sender']> {
  const sender = { id, displayName: displayName ?? '', kind: kind ?? 'user' };
  return deletedAt ? { ...sender, deleted: true } : sender;
}

function selectMessages(db: Executor) {
  return db.select(messageColumns).from(messages).leftJoin(users, eq(users.id, messages.senderId));
}

/**
 * Stores a batch of drafts (group commit) and returns them with their seqs, in the order given
 * (null for a draft whose room no longer exists).
 * One statement does it all (`append_messages`, migration 0003): it advances each room's counter
 * by its number of drafts and inserts the rows numbered from the counter's old value; with
 * `lockRoomsInOrder` (gateways sharing a PostgreSQL) it first locks the rooms in id order when
 * the batch spans more than one. A single statement is atomic, so a failure leaves no gap and no
 * partial batch (the writer then retries its drafts one by one).
 */
export async function insertMessageBatch(raw: RawQuery, drafts: MessageDraft[], options: { lockRoomsInOrder: boolean }): Promise<Array<Message | null>> {
  const countByRoom = new Map<string, number>();
  const batch = drafts.map((draft) => {
    const ord = (countByRoom.get(draft.roomId) ?? 0) + 1;
    countByRoom.set(draft.roomId, ord);
    return {
      ord,
      id: draft.id,
      room_id: draft.roomId,
      sender_id: draft.sender?.id ?? null,
      client_msg_id: draft.clientMsgId,
      kind: draft.kind,
      text: draft.text,
      reply_to: draft.replyTo,
      mentions: draft.mentions ?? [],
      mentions_all: draft.mentionsAll ?? false,
      data: draft.data ?? null,
      flags: draft.flags ?? null,
      created_at: draft.createdAt.toISOString(),
    };
  });
  // Passed as text and cast in SQL, so neither driver applies its own JSON serialization to it.
  // A batch for one room takes one row lock, which cannot be taken out of order: no locking step.
  const rows = await raw<{ message_id: string; message_seq: unknown }>(
    'select message_id, message_seq from append_messages($1::text::jsonb, $2::boolean)',
    [JSON.stringify(batch), options.lockRoomsInOrder && countByRoom.size > 1],
  );
  const seqById = new Map<string, number>();
  for (const row of rows) seqById.set(row.message_id, Number(row.message_seq));

  return drafts.map((draft) => {
    const seq = seqById.get(draft.id);
    // The room was dissolved between the checks and this insert: nothing was stored for it.
    if (seq === undefined) return null;
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

/** A stored message with everything an export shows, recall details included. */
export interface ExportedMessageRow {
  id: string;
  seq: number;
  sender: Message['sender'];
  kind: Message['kind'];
  text: string;
  replyTo: number | null;
  mentions: string[];
  mentionsAll: boolean;
  data: Record<string, unknown> | null;
  recalledAt: Date | null;
  recalledBy: { id: string; displayName: string } | null;
  hiddenAt: Date | null;
  createdAt: Date;
}

const recaller = alias(users, 'recaller');

/**
 * One keyset page for an export: messages after `afterSeq` up to `throughSeq`, oldest first,
 * with the sender's and the recaller's names as they are now. Walking by seq on the room's
 * (room_id, seq) index, each page costs the same however deep into the history it is.
 */
export async function exportPage(db: Executor, roomId: string, afterSeq: number, throughSeq: number, limit: number): Promise<ExportedMessageRow[]> {
  const rows = await db
    .select({ ...messageColumns, recalledBy: messages.recalledBy, recalledByName: recaller.displayName })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.senderId))
    .leftJoin(recaller, eq(recaller.id, messages.recalledBy))
    .where(and(eq(messages.roomId, roomId), gt(messages.seq, afterSeq), lte(messages.seq, throughSeq)))
    .orderBy(asc(messages.seq))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    seq: row.seq,
    sender: row.senderId ? senderOf(row.senderId, row.senderName, row.senderKind, row.senderDeletedAt) : null,
    kind: row.kind as Message['kind'],
    text: row.text,
    replyTo: row.replyTo,
    mentions: row.mentions,
    mentionsAll: row.mentionsAll,
    data: (row.data as Record<string, unknown> | null) ?? null,
    recalledAt: row.recalledAt,
    recalledBy: row.recalledBy ? { id: row.recalledBy, displayName: row.recalledByName ?? '' } : null,
    hiddenAt: row.hiddenAt,
    createdAt: row.createdAt,
  }));
}
