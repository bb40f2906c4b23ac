/**
 * Scheduled posts: owner, admins or bots schedule a message or an announcement, once or
 * recurring. Firing (server/jobs/scheduled-posts.ts) posts through the same paths as a live
 * send, as the author, so membership, mutes, safety and the bot's scopes still apply then.
 */
import { randomUUID } from 'node:crypto';
import type { BotScope, CreateScheduledPostBody, ScheduledPost } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { liveScopesOf } from '../store/bots.ts';
import { deleteScheduledPost, findScheduledPost, insertScheduledPost, listScheduledPosts, recordRunError, type ClaimedRun } from '../store/scheduled-posts.ts';
import { findUserById } from '../store/users.ts';
import { postAnnouncement } from './announcements.ts';
import { requireScope } from './bots.ts';
import type { DomainDeps } from './deps.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { isTimeZone, nextRun } from './schedule-time.ts';
import { sendMessage } from './send-message.ts';
import { actor, commit } from './room-events.ts';

function scopeFor(kind: ScheduledPost['kind']): BotScope {
  return kind === 'announcement' ? 'announcements:write' : 'messages:write';
}

async function requireScheduler(deps: DomainDeps, principal: Principal, roomId: string): Promise<void> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  authorize(role, 'schedule.manage');
}

export async function createScheduledPost(deps: DomainDeps, principal: Principal, roomId: string, input: CreateScheduledPostBody): Promise<ScheduledPost> {
  await requireScheduler(deps, principal, roomId);
  requireScope(principal, scopeFor(input.kind));
  if (input.text.trim() === '') throw new AppError('MESSAGE_EMPTY');
  const timeZone = input.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) throw new AppError('SCHEDULE_INVALID', `Unknown time zone ${JSON.stringify(timeZone)}; use an IANA name such as Asia/Shanghai`, { field: 'body.timeZone' });
  const spec = input.schedule;
  if (spec.type === 'interval' && spec.everySeconds < deps.config.scheduleMinIntervalSeconds) {
    throw new AppError('SCHEDULE_INVALID', `An interval must be at least ${deps.config.scheduleMinIntervalSeconds} seconds`, { minimum: deps.config.scheduleMinIntervalSeconds });
  }
  const nextRunAt = nextRun(spec, timeZone, new Date());
  if (!nextRunAt) throw new AppError('SCHEDULE_INVALID', 'That schedule never runs (a one-off must be in the future)');
  return commit(deps, async (tx) => {
    const post = await insertScheduledPost(tx, { id: randomUUID(), roomId, authorId: principal.userId, kind: input.kind, text: input.text, schedule: spec, timeZone, nextRunAt });
    return { events: { kind: 'schedule.created', roomId, scheduleId: post.id, postKind: post.kind, schedule: spec, timeZone, by: actor(principal) }, value: post };
  });
}

export async function scheduledPostsOf(deps: DomainDeps, principal: Principal, roomId: string): Promise<ScheduledPost[]> {
  await requireScheduler(deps, principal, roomId);
  const posts = await listScheduledPosts(deps.db, roomId);
  // A bot sees only its own schedules; staff see everything in the room.
  return principal.bot ? posts.filter((p) => p.authorId === principal.userId) : posts;
}

export async function cancelScheduledPost(deps: DomainDeps, principal: Principal, roomId: string, scheduleId: string): Promise<void> {
  await requireScheduler(deps, principal, roomId);
  const post = await findScheduledPost(deps.db, roomId, scheduleId);
  if (!post || (principal.bot && post.authorId !== principal.userId)) throw new AppError('SCHEDULE_NOT_FOUND');
  await commit(deps, async (tx) => {
    await deleteScheduledPost(tx, scheduleId);
    return { events: { kind: 'schedule.cancelled', roomId, scheduleId, by: actor(principal) }, value: undefined };
  });
}

/** Posts one claimed run as its author. Failures are recorded on the schedule, not retried. */
export async function fireScheduledRun(deps: DomainDeps, run: ClaimedRun): Promise<void> {
  const { post, dueAt } = run;
  try {
    const author = await findUserById(deps.db, post.authorId);
    if (!author) throw new AppError('NOT_FOUND', 'The author no longer exists');
    let bot: Principal['bot'];
    if (author.kind === 'bot') {
      // Revoking a bot's tokens also stops its schedules: it must still hold the scope.
      const scope = scopeFor(post.kind);
      if (!(await liveScopesOf(deps.db, author.id)).has(scope)) throw new AppError('FORBIDDEN', `The bot no longer has a token with ${scope}`, { scope });
      bot = { tokenId: `schedule:${post.id}`, scopes: [scope] };
    }
    const principal: Principal = { userId: author.id, username: author.username, displayName: author.displayName, kind: author.kind, sessionId: post.id, ...(bot ? { bot } : {}) };
    if (post.kind === 'announcement') {
      await postAnnouncement(deps, principal, post.roomId, { text: post.text });
    } else {
      // The schedule and the due instant name the run: even a repeated firing stores one message.
      await sendMessage(deps, principal, { roomId: post.roomId, text: post.text, clientMsgId: `sched:${post.id}:${dueAt.getTime()}` });
    }
    if (post.lastError) await recordRunError(deps.db, post.id, null);
  } catch (error) {
    const code = error instanceof AppError ? error.code : 'INTERNAL';
    deps.log.warn({ scheduleId: post.id, roomId: post.roomId, code, err: error instanceof AppError ? undefined : error }, 'scheduled post was not posted');
    await recordRunError(deps.db, post.id, `${code}: ${(error as Error).message}`).catch(() => {});
  }
}
