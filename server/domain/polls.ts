/**
 * Polls: any member asks; members vote (one option, or several when `multiple`) and may change
 * their vote until it closes; its author or staff close it. Tallies are live: every vote is a
 * change-feed entry with the whole tally, and the card in history shows it too.
 *
 * Anonymous polls — the threat model. A vote row of an anonymous poll holds no user id: its voter
 * is HMAC-SHA256(key, pollId + userId), and nothing else (audit, change feed, notices, logs) ties
 * a vote to a person. Staff, through any API, cannot read who voted what; neither can someone who
 * reads the database, as long as the key is the operator's ANONYMOUS_VOTE_KEY, kept outside it
 * (without the key the HMAC cannot be computed, so the member list cannot be tried against it).
 * Whoever holds both the key and the database can recompute each member's HMAC and match it: the
 * operator, by design, since the server needs it to let a member change their own vote. Without
 * ANONYMOUS_VOTE_KEY the key lives in the database (server_keys) and a database reader can undo
 * it. The HMAC differs per poll, so votes cannot be linked across polls either.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { MAX_POLL_OPTIONS, MIN_POLL_OPTIONS, type CreatePollBody, type Poll, type PollViewResponse } from '../../shared/community.ts';
import { AppError } from '../errors.ts';
import { updateCardData } from '../store/cards.ts';
import type { Executor } from '../store/db.ts';
import { closePollRow, findPollRow, findVote, insertPoll, isPollClosed, listNamedVotes, lockPoll, putVote, readPoll, serverKey, type PollRow } from '../store/polls.ts';
import type { DomainDeps } from './deps.ts';
import { futureTime, requireParticipant } from './participation.ts';
import { can } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit } from './room-events.ts';
import { ensureTextPasses } from './written-text.ts';

export async function createPoll(deps: DomainDeps, principal: Principal, roomId: string, input: CreatePollBody): Promise<Poll> {
  const now = new Date();
  const question = input.question.trim();
  if (question === '') throw new AppError('VALIDATION_FAILED', 'A poll needs a question', { field: 'body.question' });
  const options = input.options.map((text) => text.trim());
  if (options.length < MIN_POLL_OPTIONS || options.length > MAX_POLL_OPTIONS) {
    throw new AppError('POLL_OPTIONS_INVALID', `A poll needs ${MIN_POLL_OPTIONS} to ${MAX_POLL_OPTIONS} options; this one has ${options.length}`, { count: options.length });
  }
  const seen = new Set<string>();
  options.forEach((text, i) => {
    const key = text.normalize('NFKC').toLowerCase();
    if (text === '') throw new AppError('POLL_OPTIONS_INVALID', `Option ${i + 1} is empty`, { field: `body.options.${i}` });
    if (seen.has(key)) throw new AppError('POLL_OPTIONS_INVALID', `Option ${i + 1} repeats an earlier one`, { field: `body.options.${i}`, duplicate: text });
    seen.add(key);
  });
  const closesAt = futureTime(input.closesAt, 'body.closesAt', now);
  const speaker = await requireParticipant(deps, principal, roomId, now);
  const writer = { userId: principal.userId, role: speaker.role };
  await ensureTextPasses(deps, question, 'body.question', writer, roomId);
  for (const [i, text] of options.entries()) await ensureTextPasses(deps, text, `body.options.${i}`, writer, roomId);

  const row: PollRow = {
    id: randomUUID(),
    roomId,
    messageId: randomUUID(),
    authorId: principal.userId,
    question,
    options: options.map((text, i) => ({ id: String(i + 1), text })),
    multiple: input.multiple ?? false,
    anonymous: input.anonymous ?? false,
    closesAt,
    closedAt: null,
    createdAt: now,
  };
  return commit(deps, async (tx) => {
    await insertPoll(tx, row);
    const poll = await readPoll(tx, row, now);
    return { events: { kind: 'poll.created', roomId, poll, by: actor(principal) }, value: poll };
  });
}

export async function viewPoll(deps: DomainDeps, principal: Principal, pollId: string): Promise<PollViewResponse> {
  const row = await findPollRow(deps.db, pollId);
  if (!row) throw new AppError('POLL_NOT_FOUND');
  await requireMembership(deps.db, principal, row.roomId);
  const poll = await readPoll(deps.db, row, new Date());
  const myVote = await findVote(deps.db, pollId, await voterOf(deps, row, principal.userId));
  return row.anonymous ? { poll, myVote } : { poll, myVote, votes: await listNamedVotes(deps.db, pollId) };
}

/** Casts or changes the member's vote (an empty list takes it back). */
export async function vote(deps: DomainDeps, principal: Principal, pollId: string, input: { optionIds: string[] }): Promise<PollViewResponse> {
  const now = new Date();
  const found = await findPollRow(deps.db, pollId);
  if (!found) throw new AppError('POLL_NOT_FOUND');
  await requireParticipant(deps, principal, found.roomId, now);
  const chosen = [...new Set(input.optionIds)];
  const known = new Set((found.options as Array<{ id: string }>).map((o) => o.id));
  const stranger = chosen.find((id) => !known.has(id));
  if (stranger !== undefined) throw new AppError('POLL_OPTION_NOT_FOUND', `Option ${JSON.stringify(stranger)} is not part of this poll`, { optionId: stranger });
  if (!found.multiple && chosen.length > 1) throw new AppError('POLL_SINGLE_CHOICE');
  const voter = await voterOf(deps, found, principal.userId);

  const poll = await commit(deps, async (tx) => {
    const row = await openPoll(tx, pollId, now);
    await putVote(tx, { pollId, voter, userId: row.anonymous ? null : principal.userId, optionIds: chosen, at: now });
    const poll = await refreshCard(tx, row, now);
    return { events: { kind: 'poll.voted', roomId: row.roomId, poll }, value: poll };
  });
  return found.anonymous ? { poll, myVote: chosen } : { poll, myVote: chosen, votes: await listNamedVotes(deps.db, pollId) };
}

export async function closePoll(deps: DomainDeps, principal: Principal, pollId: string): Promise<Poll> {
  const now = new Date();
  const found = await findPollRow(deps.db, pollId);
  if (!found) throw new AppError('POLL_NOT_FOUND');
  const { role } = await requireMembership(deps.db, principal, found.roomId);
  if (found.authorId !== principal.userId && !can(role, 'community.manage')) {
    throw new AppError('FORBIDDEN', 'Only its author, the owner or an admin may close this poll', { action: 'community.manage', role });
  }
  return commit(deps, async (tx) => {
    const row = await openPoll(tx, pollId, now);
    await closePollRow(tx, pollId, now);
    const poll = await refreshCard(tx, { ...row, closedAt: now }, now);
    return { events: { kind: 'poll.closed', roomId: row.roomId, poll, by: actor(principal) }, value: poll };
  });
}

async function openPoll(tx: Executor, pollId: string, now: Date): Promise<PollRow> {
  const row = await lockPoll(tx, pollId);
  if (!row) throw new AppError('POLL_NOT_FOUND');
  if (isPollClosed(row, now)) throw new AppError('POLL_CLOSED');
  return row;
}

async function refreshCard(tx: Executor, row: PollRow, now: Date): Promise<Poll> {
  const poll = await readPoll(tx, row, now);
  await updateCardData(tx, row.messageId, { event: 'poll', poll });
  return poll;
}

/** The key kept in the database, read once per database (a process may serve several in tests). */
const storedKeys = new WeakMap<object, Promise<string>>();

function storedKeyOf(db: Executor): Promise<string> {
  let key = storedKeys.get(db);
  if (!key) {
    key = serverKey(db, 'anonymous-votes', randomBytes(32).toString('base64url'));
    key.catch(() => storedKeys.delete(db));
    storedKeys.set(db, key);
  }
  return key;
}

/** Who a vote row says voted: the user id, or for an anonymous poll the keyed HMAC (see above). */
async function voterOf(deps: DomainDeps, poll: Pick<PollRow, 'id' | 'anonymous'>, userId: string): Promise<string> {
  if (!poll.anonymous) return userId;
  const key = deps.config.anonymousVoteKey ?? (await storedKeyOf(deps.db));
  return createHmac('sha256', key).update(`${poll.id}\u0000${userId}`).digest('base64url');
}
