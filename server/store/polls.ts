/** Polls and their votes. */
import { and, eq, isNotNull } from 'drizzle-orm';
import { polls, pollVotes, serverKeys, users } from '../../drizzle/schema.ts';
import type { Poll } from '../../shared/community.ts';
import type { Executor } from './db.ts';

export type PollRow = typeof polls.$inferSelect;
export interface StoredOption {
  id: string;
  text: string;
}

export async function insertPoll(tx: Executor, values: typeof polls.$inferInsert): Promise<void> {
  await tx.insert(polls).values(values);
}

export async function findPollRow(db: Executor, id: string): Promise<PollRow | null> {
  const rows = await db.select().from(polls).where(eq(polls.id, id)).limit(1);
  return rows[0] ?? null;
}

/** Locks the poll until the transaction ends, so each vote's tally is the one after it. */
export async function lockPoll(tx: Executor, id: string): Promise<PollRow | null> {
  const rows = await tx.select().from(polls).where(eq(polls.id, id)).limit(1).for('update');
  return rows[0] ?? null;
}

export async function closePollRow(tx: Executor, id: string, at: Date): Promise<void> {
  await tx.update(polls).set({ closedAt: at }).where(eq(polls.id, id));
}

/** Records (or replaces) one voter's choice; an empty choice takes the vote back. */
export async function putVote(tx: Executor, values: { pollId: string; voter: string; userId: string | null; optionIds: string[]; at: Date }): Promise<void> {
  if (values.optionIds.length === 0) {
    await tx.delete(pollVotes).where(and(eq(pollVotes.pollId, values.pollId), eq(pollVotes.voter, values.voter)));
    return;
  }
  await tx
    .insert(pollVotes)
    .values({ pollId: values.pollId, voter: values.voter, userId: values.userId, optionIds: values.optionIds, votedAt: values.at })
    .onConflictDoUpdate({ target: [pollVotes.pollId, pollVotes.voter], set: { optionIds: values.optionIds, votedAt: values.at } });
}

export async function findVote(db: Executor, pollId: string, voter: string): Promise<string[]> {
  const rows = await db
    .select({ optionIds: pollVotes.optionIds })
    .from(pollVotes)
    .where(and(eq(pollVotes.pollId, pollId), eq(pollVotes.voter, voter)))
    .limit(1);
  return (rows[0]?.optionIds as string[] | undefined) ?? [];
}

/** Who voted what, for a poll that is not anonymous (its rows carry user ids). */
export async function listNamedVotes(db: Executor, pollId: string): Promise<Array<{ user: { id: string; displayName: string }; optionIds: string[] }>> {
  const rows = await db
    .select({ id: users.id, displayName: users.displayName, optionIds: pollVotes.optionIds })
    .from(pollVotes)
    .innerJoin(users, eq(users.id, pollVotes.userId))
    .where(and(eq(pollVotes.pollId, pollId), isNotNull(pollVotes.userId)))
    .orderBy(pollVotes.votedAt);
  return rows.map((row) => ({ user: { id: row.id, displayName: row.displayName }, optionIds: row.optionIds as string[] }));
}

/** The poll with its live tally, as every member sees it. */
export async function readPoll(db: Executor, row: PollRow, now: Date): Promise<Poll> {
  const votes = await db.select({ optionIds: pollVotes.optionIds }).from(pollVotes).where(eq(pollVotes.pollId, row.id));
  const counts = new Map<string, number>();
  for (const vote of votes) for (const id of vote.optionIds as string[]) counts.set(id, (counts.get(id) ?? 0) + 1);
  const author = await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, row.authorId)).limit(1);
  return {
    id: row.id,
    roomId: row.roomId,
    messageId: row.messageId,
    question: row.question,
    options: (row.options as StoredOption[]).map((o) => ({ id: o.id, text: o.text, votes: counts.get(o.id) ?? 0 })),
    multiple: row.multiple,
    anonymous: row.anonymous,
    voters: votes.length,
    closesAt: row.closesAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    closed: isPollClosed(row, now),
    createdBy: { id: row.authorId, displayName: author[0]?.displayName ?? '' },
    createdAt: row.createdAt.toISOString(),
  };
}

export function isPollClosed(row: Pick<PollRow, 'closedAt' | 'closesAt'>, now: Date): boolean {
  return row.closedAt !== null || (row.closesAt !== null && row.closesAt.getTime() <= now.getTime());
}

/** A server-wide secret kept in the database, created by whichever gateway asks first. */
export async function serverKey(db: Executor, name: string, fresh: string): Promise<string> {
  await db.insert(serverKeys).values({ name, secret: fresh }).onConflictDoNothing();
  const rows = await db.select({ secret: serverKeys.secret }).from(serverKeys).where(eq(serverKeys.name, name)).limit(1);
  return rows[0]!.secret;
}
