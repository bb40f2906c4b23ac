/**
 * @mentions in a message's text: `@username` names a member (only members of the room count;
 * anything else stays plain text), `@all` or `@所有人` notifies everyone and is for owner and
 * admins only, and at most the room's `mentionAllPerDay` times in any 24 hours. Resolved once at
 * send time and stored with the message.
 */
import type { Role } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import type { Executor } from '../store/db.ts';
import { memberIdsByUsername } from '../store/mentions.ts';
import { mentionAllUsesSince } from '../store/messages.ts';
import { can } from './permissions.ts';

// "@" at the start or after anything but an e-mail-ish character, so "mei@example.com" is no
// mention; CJK text may run straight into it ("大家@所有人明天见").
const MENTION = /(?<![A-Za-z0-9_.%+-])@(所有人|[A-Za-z0-9_]{3,32})(?![A-Za-z0-9_])/gu;
const ALL = new Set(['all', '所有人']);
/** Bounds the lookup; a message naming more people than this is not a conversation. */
const MAX_NAMED = 50;

export interface ResolvedMentions {
  mentions: string[];
  mentionsAll: boolean;
}

export function parseMentions(text: string): { usernames: string[]; all: boolean } {
  const usernames = new Set<string>();
  let all = false;
  for (const match of text.matchAll(MENTION)) {
    const name = match[1]!.toLowerCase();
    if (ALL.has(name)) all = true;
    else if (usernames.size < MAX_NAMED) usernames.add(name);
  }
  return { usernames: [...usernames], all };
}

/**
 * Throws FORBIDDEN (nothing stored) when a member without the right uses @all. The sender is
 * never in their own `mentions`.
 */
export async function resolveMentions(db: Executor, sender: { userId: string; role: Role }, roomId: string, text: string): Promise<ResolvedMentions> {
  if (!text.includes('@')) return { mentions: [], mentionsAll: false };
  const { usernames, all } = parseMentions(text);
  if (all && !can(sender.role, 'message.mentionAll')) {
    throw new AppError('FORBIDDEN', 'Only the owner and admins may mention @all (@所有人); mention people by @username instead', {
      action: 'message.mentionAll',
      role: sender.role,
    });
  }
  const ids = await memberIdsByUsername(db, roomId, usernames);
  return { mentions: ids.filter((id) => id !== sender.userId), mentionsAll: all };
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Refuses an @all past the room's allowance for the last 24 hours (MENTION_ALL_LIMIT, with the
 * seconds until one frees up). Two sends racing for the last one may both get it: a cap on
 * waking everyone, not an account balance.
 */
export async function ensureMentionAllAllowed(db: Executor, roomId: string, perDay: number, now: Date): Promise<void> {
  if (perDay === 0) throw new AppError('MENTION_ALL_LIMIT', 'This room does not use @all (@所有人)', { limit: 0, retryAfterSeconds: null });
  const used = await mentionAllUsesSince(db, roomId, new Date(now.getTime() - DAY_MS));
  if (used.count < perDay) return;
  const freesAt = (used.oldest ?? now).getTime() + DAY_MS;
  const retryAfterSeconds = Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000));
  throw new AppError('MENTION_ALL_LIMIT', `@all (@所有人) may be used ${perDay} times a day in this room; the next one is free in ${Math.ceil(retryAfterSeconds / 60)} minutes`, {
    limit: perDay,
    retryAfterSeconds,
  });
}

