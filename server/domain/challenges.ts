/**
 * Check-in challenges (打卡): any member starts one (daily or weekly, between two dates, in a time
 * zone); members check in once per period — the period is the challenge's own calendar
 * (challenge-periods.ts), and the database key (challenge, member, period) makes "once" hold
 * across gateways. Each check-in is a change-feed entry with the counts and the member's streak.
 * A photo check-in also puts a message of the member's in the timeline that carries the photos,
 * stored in the check-in's own transaction: its uploads follow a message's rules
 * (message-attachments.ts), and once sent they are a message's like any other — in the album,
 * recalled with it, never swept as unsent.
 */
import { randomUUID } from 'node:crypto';
import type { Challenge, Checkin, CheckinBody, CheckinListQuery, CheckinListResponse, CheckinNote, CreateChallengeBody, LeaderboardResponse } from '../../shared/community.ts';
import { AppError } from '../errors.ts';
import { updateCardData } from '../store/cards.ts';
import { allCheckins, findChallengeRow, insertChallenge, insertCheckin, pageCheckins, periodsOf, readChallenge, type ChallengeRow } from '../store/challenges.ts';
import { isAttachmentClaimFailure } from '../store/message-writer.ts';
import { insertMessageIn } from '../store/messages.ts';
import { requireScope } from './bots.ts';
import { formatTimeIdCursor, parseTimeIdCursor } from './page-cursor.ts';
import { isCalendarDate, localDate, periodOf, periodOfDate, streakOf, type Cadence } from './challenge-periods.ts';
import type { DomainDeps } from './deps.ts';
import { attachmentsToSend } from './message-attachments.ts';
import { requireParticipant } from './participation.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit } from './room-events.ts';
import { isTimeZone } from './schedule-time.ts';
import { ensureTextPasses } from './written-text.ts';

export async function createChallenge(deps: DomainDeps, principal: Principal, roomId: string, input: CreateChallengeBody): Promise<Challenge> {
  const now = new Date();
  const title = input.title.trim();
  if (title === '') throw new AppError('VALIDATION_FAILED', 'A challenge needs a title', { field: 'body.title' });
  if (!isTimeZone(input.timezone)) throw new AppError('TIME_ZONE_INVALID', undefined, { field: 'body.timezone' });
  if (!isCalendarDate(input.startsOn) || !isCalendarDate(input.endsOn) || input.endsOn < input.startsOn) {
    throw new AppError('CHALLENGE_DATES_INVALID', undefined, { startsOn: input.startsOn, endsOn: input.endsOn });
  }
  if (input.endsOn < localDate(now, input.timezone)) throw new AppError('TIME_IN_PAST', 'This challenge would already be over', { field: 'body.endsOn' });
  const speaker = await requireParticipant(deps, principal, roomId, now);
  await ensureTextPasses(deps, title, 'body.title', { userId: principal.userId, role: speaker.role }, roomId);
  const row: ChallengeRow = {
    id: randomUUID(),
    roomId,
    messageId: randomUUID(),
    authorId: principal.userId,
    title,
    cadence: input.cadence,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    timeZone: input.timezone,
    createdAt: now,
  };
  return commit(deps, async (tx) => {
    await insertChallenge(tx, row);
    const challenge = await readChallenge(tx, row);
    return { events: { kind: 'challenge.created', roomId, challenge, by: actor(principal) }, value: challenge };
  });
}

export async function checkIn(deps: DomainDeps, principal: Principal, challengeId: string, input: CheckinBody, now = new Date()) {
  const ids = input.attachments ?? [];
  if (ids.length > 0) requireScope(principal, 'attachments:write');
  const row = await findChallengeRow(deps.db, challengeId);
  if (!row) throw new AppError('CHALLENGE_NOT_FOUND');
  const speaker = await requireParticipant(deps, principal, row.roomId, now);
  const cadence = row.cadence as Cadence;
  const today = localDate(now, row.timeZone);
  if (today < row.startsOn) throw new AppError('CHALLENGE_NOT_STARTED', undefined, { startsOn: row.startsOn });
  if (today > row.endsOn) throw new AppError('CHALLENGE_ENDED', undefined, { endsOn: row.endsOn });
  const period = periodOf(now, row.timeZone, cadence);
  // Said before the photos are judged: a second check-in is refused as such, whatever it carries
  // (the key below still settles two racing for the same period).
  if ((await periodsOf(deps.db, challengeId, principal.userId)).includes(period)) throw new AppError('ALREADY_CHECKED_IN', undefined, { period });
  const text = input.text?.trim() ?? '';
  if (text) await ensureTextPasses(deps, text, 'body.text', { userId: principal.userId, role: speaker.role }, row.roomId);
  const attachments = await attachmentsToSend(deps.db, principal.userId, row.roomId, ids);
  const user = { id: principal.userId, displayName: principal.displayName };

  try {
    return await commit(deps, async (tx) => {
      const messageId = attachments.length > 0 ? randomUUID() : null;
      if (!(await insertCheckin(tx, { challengeId, userId: principal.userId, period, text, at: now, messageId }))) throw new AppError('ALREADY_CHECKED_IN', undefined, { period });
      const streak = streakOf(await periodsOf(tx, challengeId, principal.userId), period, cadence);
      const challenge = await readChallenge(tx, row);
      await updateCardData(tx, row.messageId, { event: 'challenge', challenge });
      const note: CheckinNote = { event: 'checkin', challengeId, challengeMessageId: row.messageId, title: row.title, period, streak };
      // The photos' message commits with the check-in or not at all; its statement claims the
      // uploads, so a message sending one of them at the same moment wins or loses cleanly.
      const message = messageId
        ? await insertMessageIn(tx, {
            id: messageId,
            roomId: row.roomId,
            sender: { id: principal.userId, displayName: speaker.nickname ?? principal.displayName, kind: principal.kind },
            clientMsgId: null,
            kind: 'text',
            text,
            replyTo: null,
            data: note,
            attachments,
            createdAt: now,
          })
        : null;
      if (messageId && !message) throw new AppError('ROOM_NOT_FOUND');
      const checkin: Checkin = {
        challengeId,
        user,
        period,
        text,
        checkedAt: now.toISOString(),
        attachments: message?.attachments ?? [],
        message: message ? { id: message.id, seq: message.seq } : null,
      };
      return {
        events: { kind: 'challenge.checkedIn', roomId: row.roomId, challenge, userId: principal.userId, period, streak, checkin, message },
        value: { checkin, streak, challenge },
      };
    });
  } catch (error) {
    if (!isAttachmentClaimFailure(error)) throw error;
    // A message took an upload meanwhile: the checks, run again, say which and why.
    await attachmentsToSend(deps.db, principal.userId, row.roomId, ids);
    throw new AppError('ATTACHMENT_ALREADY_SENT');
  }
}

const PAGE_DEFAULT = 30;

/** A period's check-ins, newest first, keyset-paged; with `photos`, only those whose photos members may see. */
export async function listCheckins(deps: DomainDeps, principal: Principal, challengeId: string, query: CheckinListQuery, now = new Date()): Promise<CheckinListResponse> {
  const row = await findChallengeRow(deps.db, challengeId);
  if (!row) throw new AppError('CHALLENGE_NOT_FOUND');
  await requireMembership(deps.db, principal, row.roomId);
  const cadence = row.cadence as Cadence;
  const today = localDate(now, row.timeZone);
  const period = query.period ?? periodOfDate(today > row.endsOn ? row.endsOn : today, cadence);
  if (!isCalendarDate(period) || periodOfDate(period, cadence) !== period) {
    throw new AppError('VALIDATION_FAILED', cadence === 'weekly' ? "A weekly challenge's period is the Monday of its week" : 'Not a calendar date', { field: 'querystring.period' });
  }
  const cursor = query.before === undefined ? undefined : parseTimeIdCursor(query.before);
  const before = cursor && { at: new Date(cursor.at), userId: cursor.id };
  const limit = query.limit ?? PAGE_DEFAULT;
  // One more than asked says whether there is another page.
  const checkins = await pageCheckins(deps.db, challengeId, { period, photosOnly: query.photos === 'true', before, limit: limit + 1 });
  const page = checkins.slice(0, limit);
  const last = page[page.length - 1];
  return { period, checkins: page, nextBefore: checkins.length > limit && last ? formatTimeIdCursor({ at: last.checkedAt, id: last.user.id }) : null };
}

export async function leaderboard(deps: DomainDeps, principal: Principal, challengeId: string, now = new Date()): Promise<LeaderboardResponse> {
  const row = await findChallengeRow(deps.db, challengeId);
  if (!row) throw new AppError('CHALLENGE_NOT_FOUND');
  await requireMembership(deps.db, principal, row.roomId);
  const cadence = row.cadence as Cadence;
  // After the last day, streaks are read as they stood at the end.
  const today = localDate(now, row.timeZone);
  const period = periodOfDate(today > row.endsOn ? row.endsOn : today, cadence);
  const byUser = new Map<string, { displayName: string; periods: string[] }>();
  for (const c of await allCheckins(deps.db, challengeId)) {
    const entry = byUser.get(c.userId) ?? { displayName: c.displayName, periods: [] };
    entry.periods.push(c.period);
    byUser.set(c.userId, entry);
  }
  const leaders = [...byUser.entries()]
    .map(([id, e]) => ({ user: { id, displayName: e.displayName }, checkins: e.periods.length, streak: streakOf(e.periods, period, cadence), lastPeriod: e.periods.reduce((a, b) => (b > a ? b : a)) }))
    .sort((a, b) => b.checkins - a.checkins || b.streak - a.streak || a.user.displayName.localeCompare(b.user.displayName));
  return { challenge: await readChallenge(deps.db, row), period, leaders };
}
