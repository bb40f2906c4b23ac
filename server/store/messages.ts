import { and, asc, desc, eq, gt, gte, lt, lte, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { messages, userBlocks, users } from '../../drizzle/schema.ts';
import type { Attachment, Message, MessageOrigin, MessagePage } from '../../shared/schemas.ts';
import type { Executor, RawQuery } from './db.ts';
import { searchDocumentOf } from './search-terms.ts';

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
  data?: Message['data'];
  /** Safety reasons when delivered but flagged for admins. */
  flags?: unknown;
  /** Uploads the message carries, as shown to clients; their rows are claimed by the same statement. */
  attachments?: Attachment[];
  /** A forwarded message's attribution. */
  forwardedFrom?: MessageOrigin;
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
  attachments: messages.attachments,
  recalledAt: messages.recalledAt,
  recalledBy: messages.recalledBy,
  hiddenAt: messages.hiddenAt,
  editedAt: messages.editedAt,
  forwardedFrom: messages.forwardedFrom,
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
  attachments: unknown;
  recalledAt: Date | null;
  recalledBy: string | null;
  hiddenAt: Date | null;
  editedAt: Date | null;
  forwardedFrom: unknown;
  createdAt: Date;
};

/**
 * A recalled message keeps its row (and seq) but members see only the tombstone; a message hidden
 * after reports likewise shows as a placeholder until staff dismiss the reports (review queue).
 */
export function toMessage(row: MessageRow): Message {
  const gone = row.recalledAt !== null || row.hiddenAt !== null;
  return {
    id: row.id,
    roomId: row.roomId,
    seq: row.seq,
    sender: row.senderId ? senderOf(row.senderId, row.senderName, row.senderKind, row.senderDeletedAt) : null,
    kind: row.kind as Message['kind'],
    text: gone ? '' : row.text,
    replyTo: row.replyTo,
    clientMsgId: row.clientMsgId,
    mentions: row.mentions,
    mentionsAll: row.mentionsAll,
    data: (row.data as Message['data']) ?? null,
    recalledAt: row.recalledAt ? row.recalledAt.toISOString() : null,
    recalledBy: row.recalledBy,
    hiddenAt: row.hiddenAt ? row.hiddenAt.toISOString() : null,
    attachments: gone ? [] : ((row.attachments as Attachment[] | null) ?? []),
    editedAt: row.editedAt ? row.editedAt.toISOString() : null,
    forwardedFrom: (row.forwardedFrom as MessageOrigin | null) ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A message's sender as clients see it; `deleted` only appears for an account that is gone. */
export function senderOf(id: string, displayName: string | null, kind: string | null, deletedAt: Date | null): NonNullable<Message['sender']> {
  const sender = { id, displayName: displayName ?? '', kind: kind ?? 'user' };
  return deletedAt ? { ...sender, deleted: true } : sender;
}

export function selectMessages(db: Executor) {
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
  const { batch, rooms } = batchOf(drafts);
  // Passed as text and cast in SQL, so neither driver applies its own JSON serialization to it.
  // A batch for one room takes one row lock, which cannot be taken out of order: no locking step.
  const rows = await raw<{ message_id: string; message_seq: unknown }>(
    'select message_id, message_seq from append_messages($1::text::jsonb, $2::boolean)',
    [JSON.stringify(batch), options.lockRoomsInOrder && rooms > 1],
  );
  return storedOf(drafts, rows);
}

/**
 * One message stored inside the caller's transaction, by the same statement as a batch (its seq,
 * its uploads claimed): for an action whose own rows and its message must commit together (a
 * photo check-in). Raises the same claim failure (QA001) when an upload is no longer sendable.
 */
export async function insertMessageIn(tx: Executor, draft: MessageDraft): Promise<Message | null> {
  const { batch } = batchOf([draft]);
  const result = await tx.execute(sql`select message_id, message_seq from append_messages(${JSON.stringify(batch)}::text::jsonb, false)`);
  const rows = (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as Array<{ message_id: string; message_seq: unknown }>;
  return storedOf([draft], rows)[0] ?? null;
}

function batchOf(drafts: MessageDraft[]) {
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
      attachments: draft.attachments ?? [],
      forwarded_from: draft.forwardedFrom ?? null,
      search_document: draft.kind === 'text' ? searchDocumentOf(draft.text) : null,
      ...(draft.attachments?.length ? { attachment_ids: draft.attachments.map((a) => a.id) } : {}),
      created_at: draft.createdAt.toISOString(),
    };
  });
  return { batch, rooms: countByRoom.size };
}

function storedOf(drafts: MessageDraft[], rows: Array<{ message_id: string; message_seq: unknown }>): Array<Message | null> {
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
      recalledBy: null,
      hiddenAt: null,
      attachments: draft.attachments ?? [],
      editedAt: null,
      forwardedFrom: draft.forwardedFrom ?? null,
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

/** Whether the message at this seq is hidden pending review after reports. */
export async function isMessageHidden(db: Executor, roomId: string, seq: number): Promise<boolean> {
  const rows = await db
    .select({ hiddenAt: messages.hiddenAt })
    .from(messages)
    .where(and(eq(messages.roomId, roomId), eq(messages.seq, seq)))
    .limit(1);
  return rows[0]?.hiddenAt != null;
}

/** How many @all messages the room has had since `since`, and when the oldest of them was sent. */
export async function mentionAllUsesSince(db: Executor, roomId: string, since: Date): Promise<{ count: number; oldest: Date | null }> {
  const rows = await db
    .select({ count: sql<number>`count(*)::int`, oldest: sql<Date | null>`min(${messages.createdAt})` })
    .from(messages)
    .where(and(eq(messages.roomId, roomId), eq(messages.mentionsAll, true), gte(messages.createdAt, since)));
  const oldest = rows[0]?.oldest;
  return { count: rows[0]?.count ?? 0, oldest: oldest ? new Date(oldest) : null };
}

/** The message a reply points at: whether it exists, and who sent it (null for a system message). */
export async function replyTargetOf(db: Executor, roomId: string, seq: number): Promise<{ senderId: string | null } | null> {
  const rows = await db
    .select({ senderId: messages.senderId })
    .from(messages)
    .where(and(eq(messages.roomId, roomId), eq(messages.seq, seq)))
    .limit(1);
  return rows[0] ?? null;
}

/**
 * A page of history, oldest first. `before` pages backwards, `after` forwards; neither gives the
 * newest page. With `viewerId`, messages from people the viewer blocked are left out (the page
 * then has gaps in seq, as a block is the viewer's own filter, not a change to the room).
 */
export async function pageMessages(
  db: Executor,
  roomId: string,
  cursor: { before?: number; after?: number },
  limit: number,
  viewerId?: string,
): Promise<MessagePage> {
  const visible = viewerId === undefined ? undefined : notBlockedBy(viewerId);
  // One extra row tells whether there is more without a count query.
  if (cursor.after !== undefined) {
    const rows = await selectMessages(db)
      .where(and(eq(messages.roomId, roomId), gt(messages.seq, cursor.after), visible))
      .orderBy(asc(messages.seq))
      .limit(limit + 1);
    return { messages: rows.slice(0, limit).map(toMessage), hasMore: rows.length > limit };
  }
  const where =
    cursor.before !== undefined ? and(eq(messages.roomId, roomId), lt(messages.seq, cursor.before), visible) : and(eq(messages.roomId, roomId), visible);
  const rows = await selectMessages(db).where(where).orderBy(desc(messages.seq)).limit(limit + 1);
  return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore: rows.length > limit };
}

function notBlockedBy(viewerId: string): SQL {
  return sql`not exists (select 1 from ${userBlocks} where ${userBlocks.blockerId} = ${viewerId} and ${userBlocks.blockedId} = ${messages.senderId})`;
}

export async function messagesInRange(db: Executor, roomId: string, fromSeq: number, toSeq: number): Promise<Message[]> {
  const rows = await selectMessages(db)
    .where(and(eq(messages.roomId, roomId), gte(messages.seq, fromSeq), lte(messages.seq, toSeq)))
    .orderBy(asc(messages.seq));
  return rows.map(toMessage);
}

const recaller = alias(users, 'recaller');

/** An instant as JavaScript's toISOString spells it (UTC, milliseconds, "Z"), so SQL-built lines read like the API's. */
function isoText(column: SQL | AnyColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** One page of an export, as text: its message lines (each ending in a newline) and what they hold. */
export interface ExportedPage {
  ndjson: string;
  lastSeq: number;
  messages: number;
  /** Tombstones of recalled messages. */
  recalled: number;
  /** Placeholders of messages hidden by reports. */
  hidden: number;
}

/**
 * One keyset page of an export: messages after `afterSeq` up to `throughSeq`, oldest first,
 * written as NDJSON lines by PostgreSQL (see docs/protocol.md, "Room export", for the shape), or
 * null past the end. Building the text in SQL leaves the gateway one string per page: the same
 * export built from row objects in JavaScript made the gateway's heap grow by over 100 MB of
 * garbage before the collector caught up (docs/benchmarks.md, W8). Names are the sender's and the
 * recaller's as they are now; reactions are counted per emoji in order of first use. Walking by
 * seq on the (room_id, seq) index, a page costs the same however deep into the history it is.
 */
export async function exportPage(db: Executor, roomId: string, afterSeq: number, throughSeq: number, limit: number): Promise<ExportedPage | null> {
  const sender = sql`case when ${messages.senderId} is null then null
    when ${users.deletedAt} is not null then json_build_object('id', ${users.id}, 'displayName', ${users.displayName}, 'kind', ${users.kind}, 'deleted', true)
    else json_build_object('id', ${users.id}, 'displayName', ${users.displayName}, 'kind', ${users.kind}) end`;
  const head = sql`'type', 'message', 'seq', ${messages.seq}, 'id', ${messages.id}, 'kind', ${messages.kind}, 'sender', ${sender}, 'createdAt', ${isoText(messages.createdAt)}`;
  const reactionList = sql`coalesce((select json_agg(json_build_object('emoji', r.emoji, 'count', r.n) order by r.first_at, r.emoji)
    from (select emoji, count(*)::int as n, min(created_at) as first_at from reactions
          where reactions.room_id = ${messages.roomId} and reactions.seq = ${messages.seq} group by emoji) r), '[]'::json)`;
  const line = sql<string>`(case
    when ${messages.recalledAt} is not null then json_build_object(${head}, 'recalled', true, 'recalledAt', ${isoText(messages.recalledAt)},
      'recalledBy', case when ${messages.recalledBy} is null then null else json_build_object('id', ${messages.recalledBy}, 'displayName', coalesce(${recaller.displayName}, '')) end)
    when ${messages.hiddenAt} is not null then json_build_object(${head}, 'hidden', true, 'hiddenAt', ${isoText(messages.hiddenAt)})
    else json_build_object(${head}, 'text', ${messages.text}, 'replyTo', ${messages.replyTo}, 'mentions', to_json(${messages.mentions}),
      'mentionsAll', ${messages.mentionsAll}, 'data', ${messages.data}, 'attachments', ${messages.attachments}, 'reactions', ${reactionList})
    end)::text`;
  const page = db
    .select({ seq: sql<number>`${messages.seq}`.as('seq'), line: line.as('line'), recalled: sql<boolean>`${messages.recalledAt} is not null`.as('recalled'), hidden: sql<boolean>`${messages.recalledAt} is null and ${messages.hiddenAt} is not null`.as('hidden') })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.senderId))
    .leftJoin(recaller, eq(recaller.id, messages.recalledBy))
    .where(and(eq(messages.roomId, roomId), gt(messages.seq, afterSeq), lte(messages.seq, throughSeq)))
    .orderBy(asc(messages.seq))
    .limit(limit)
    .as('page');
  const rows = await db
    .select({
      ndjson: sql<string | null>`string_agg(${page.line} || E'\\n', '' order by ${page.seq})`,
      lastSeq: sql<string | null>`max(${page.seq})::text`,
      messages: sql<number>`count(*)::int`,
      recalled: sql<number>`(count(*) filter (where ${page.recalled}))::int`,
      hidden: sql<number>`(count(*) filter (where ${page.hidden}))::int`,
    })
    .from(page);
  const row = rows[0];
  if (!row || row.ndjson === null || row.lastSeq === null) return null;
  return { ndjson: row.ndjson, lastSeq: Number(row.lastSeq), messages: Number(row.messages), recalled: Number(row.recalled), hidden: Number(row.hidden) };
}

/** The newest text messages (no system lines), oldest first. */
export async function newestTextMessages(db: Executor, roomId: string, limit: number): Promise<Message[]> {
  const rows = await selectMessages(db)
    .where(and(eq(messages.roomId, roomId), eq(messages.kind, 'text')))
    .orderBy(desc(messages.seq))
    .limit(limit);
  return rows.reverse().map(toMessage);
}

/** One message as members see it. */
export async function findMessage(db: Executor, roomId: string, seq: number): Promise<Message | null> {
  const rows = await selectMessages(db).where(and(eq(messages.roomId, roomId), eq(messages.seq, seq))).limit(1);
  return rows[0] ? toMessage(rows[0]) : null;
}
