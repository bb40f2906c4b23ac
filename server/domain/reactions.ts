/**
 * Emoji reactions on a message. REST and socket both come here. Each change is recorded in the
 * change feed with the message's full new counts, so a client applying `reactions` changes
 * twice or out of order still ends up right (the highest position wins).
 */
import { MAX_PAGE_SIZE, MAX_REACTION_KINDS, type ReactionCount, type ReactionDetails, type ReactionsResponse } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { deleteReaction, emojiOnMessage, insertReaction, reactionCounts, reactionUsers } from '../store/reactions.ts';
import { findRoomForUpdate } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import { canonicalEmoji } from './emoji.ts';
import { requireMessage } from './message-target.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { commit, type RoomEvent } from './room-events.ts';

export interface ReactInput {
  roomId: string;
  seq: number;
  emoji: string;
  op: 'add' | 'remove';
}

export async function react(deps: DomainDeps, principal: Principal, input: ReactInput): Promise<ReactionsResponse> {
  const emoji = canonicalEmoji(input.emoji);
  const { roomId, seq, op } = input;
  await requireMembership(deps.db, principal, roomId);
  const key = { roomId, seq, userId: principal.userId, emoji };

  const { counts, changed } = await commit(deps, async (tx) => {
    // Under the room lock the counts read below are exactly those at this change's position.
    if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
    const target = await requireMessage(tx, roomId, seq);
    let changed: boolean;
    if (op === 'add') {
      if (target.recalledAt) throw new AppError('MESSAGE_RECALLED', 'You cannot react to a recalled message');
      const present = await emojiOnMessage(tx, roomId, seq);
      if (!present.includes(emoji) && present.length >= MAX_REACTION_KINDS) {
        throw new AppError('REACTION_LIMIT_REACHED', `A message can have at most ${MAX_REACTION_KINDS} different reactions`, { limit: MAX_REACTION_KINDS });
      }
      changed = await insertReaction(tx, key);
    } else {
      changed = await deleteReaction(tx, key);
    }
    const counts = (await reactionCounts(tx, roomId, seq, seq, principal.userId)).get(seq) ?? [];
    const event: RoomEvent | null = changed
      ? { kind: 'message.reactions', roomId, seq, counts: counts.map(({ emoji: e, count }) => ({ emoji: e, count })), userId: principal.userId, emoji, op }
      : null;
    return { events: event, value: { counts, changed } };
  });

  return { roomId, seq, reactions: counts, changed };
}

/** Counts per emoji and who reacted, for one message. */
export async function reactionsOf(deps: DomainDeps, principal: Principal, roomId: string, seq: number): Promise<ReactionDetails> {
  await requireMembership(deps.db, principal, roomId);
  await requireMessage(deps.db, roomId, seq);
  const rows = await reactionUsers(deps.db, roomId, seq);
  const byEmoji = new Map<string, ReactionDetails['reactions'][number]>();
  for (const row of rows) {
    const entry = byEmoji.get(row.emoji) ?? { emoji: row.emoji, count: 0, mine: false, users: [] };
    byEmoji.set(row.emoji, entry);
    entry.count += 1;
    entry.mine ||= row.userId === principal.userId;
    entry.users.push({ id: row.userId, displayName: row.displayName });
  }
  return { roomId, seq, reactions: [...byEmoji.values()] };
}

/** Counts for a range of messages (a history page) in one grouped query. */
export async function reactionsInRange(
  deps: DomainDeps,
  principal: Principal,
  roomId: string,
  range: { fromSeq: number; toSeq: number },
): Promise<Record<string, ReactionCount[]>> {
  if (range.toSeq < range.fromSeq || range.toSeq - range.fromSeq >= MAX_PAGE_SIZE) {
    throw new AppError('VALIDATION_FAILED', `fromSeq..toSeq must be an ascending range of at most ${MAX_PAGE_SIZE} messages`, { field: 'querystring.toSeq' });
  }
  await requireMembership(deps.db, principal, roomId);
  const counts = await reactionCounts(deps.db, roomId, range.fromSeq, range.toSeq, principal.userId);
  return Object.fromEntries([...counts].map(([seq, list]) => [String(seq), list]));
}
