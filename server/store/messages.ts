import { and, asc, desc, eq, gt, gte, lt, lte, sql } from 'drizzle-orm';
import { messages, users } from '../../drizzle/schema.ts';
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
 * Stores a batch of drafts (group commit) and returns them with their seqs, in the order given
 * (null for a draft whose room no longer exists).
 * One statement does it all: it advances each room's counter by its number of drafts and inserts
 * the rows numbered from the counter's old value. A single statement is atomic, so a failure
 * leaves no gap and no partial batch, and it costs one round trip instead of a transaction's five.
 * If two gateways' batches ever lock the same rooms in opposite orders, PostgreSQL aborts one of
 * them; the writer then retries its drafts one by one.
 */
export async function insertMessageBatch(db: Database, drafts: MessageDraft[]): Promise<Array<Message | null>> {
  const countByRoom = new Map<string, number>();
  const ordinals = drafts.map((draft) => {
    const n = (countByRoom.get(draft.roomId) ?? 0) + 1;
    countByRoom.set(draft.roomId, n);
    return n;
  });
  const counts = sql.join(
    [...countByRoom].map(([roomId, n]) => sql`(${roomId}::uuid, ${n}::bigint)`),
    sql`, `,
  );
  const rows = sql.join(
    drafts.map((draft, i) => {
      const mentions = draft.mentions?.length ? sql`${`{${draft.mentions.join(',')}}`}::uuid[]` : sql`'{}'::uuid[]`;
      return sql`(${ordinals[i]!}::bigint, ${draft.id}::uuid, ${draft.roomId}::uuid, ${draft.sender?.id ?? null}::uuid,
        ${draft.clientMsgId}::text, ${draft.kind}::text, ${draft.text}::text, ${draft.replyTo}::bigint, ${mentions},
        ${draft.mentionsAll ?? false}::boolean, ${draft.data ? JSON.stringify(draft.data) : null}::jsonb,
        ${draft.flags ? JSON.stringify(draft.flags) : null}::jsonb, ${draft.createdAt.toISOString()}::timestamptz)`;
    }),
    sql`, `,
  );
  const result = await db.execute(sql`
    with counts(room_id, n) as (values ${counts}),
    bumped as (
      update rooms r set last_seq = r.last_seq + c.n from counts c where r.id = c.room_id
      returning r.id, r.last_seq, c.n
    ),
    drafts(ord, id, room_id, sender_id, client_msg_id, kind, text, reply_to, mentions, mentions_all, data, flags, created_at)
      as (values ${rows})
    insert into messages (id, room_id, seq, sender_id, client_msg_id, kind, text, reply_to, mentions, mentions_all, data, flags, created_at)
    select d.id, d.room_id, b.last_seq - b.n + d.ord, d.sender_id, d.client_msg_id, d.kind, d.text, d.reply_to,
           d.mentions, d.mentions_all, d.data, d.flags, d.created_at
    from drafts d join bumped b on b.id = d.room_id
    returning id, seq`);
  const seqById = new Map<string, number>();
  for (const row of rowsOf<{ id: string; seq: unknown }>(result)) seqById.set(row.id, Number(row.seq));

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

/** Raw `execute` results differ by driver: PGlite answers `{ rows }`, postgres.js an array of rows. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
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
