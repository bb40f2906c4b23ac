/**
 * Check-in challenges (打卡): any member starts one (daily or weekly, between two dates, in a time
 * zone); members check in once per period — the period is the challenge's own calendar
 * (challenge-periods.ts), and the database key (challenge, member, period) makes "once" hold
 * across gateways. Each check-in is a change-feed entry with the counts and the member's streak.
 */
import { randomUUID } from 'node:crypto';
import type { Challenge, CreateChallengeBody, LeaderboardResponse } from '../../shared/community.ts';
import { AppError } from '../errors.ts';
import { updateCardData } from '../store/cards.ts';
import { allCheckins, findChallengeRow, insertChallenge, insertCheckin, periodsOf, readChallenge, type ChallengeRow } from '../store/challenges.ts';
import { isCalendarDate, localDate, periodOf, periodOfDate, streakOf, type Cadence } from './challenge-periods.ts';
import type { DomainDeps } from './deps.ts';
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

export async function checkIn(deps: DomainDeps, principal: Principal, challengeId: string, input: { text?: string }, now = new Date()) {
  const row = await findChallengeRow(deps.db, challengeId);
  if (!row) throw new AppError('CHALLENGE_NOT_FOUND');
  const speaker = await requireParticipant(deps, principal, row.roomId, now);
  const cadence = row.cadence as Cadence;
  const today = localDate(now, row.timeZone);
  if (today < row.startsOn) throw new AppError('CHALLENGE_NOT_STARTED', undefined, { startsOn: row.startsOn });
  if (today > row.endsOn) throw new AppError('CHALLENGE_ENDED', undefined, { endsOn: row.endsOn });
  const text = input.text?.trim() ?? '';
  if (text) await ensureTextPasses(deps, text, 'body.text', { userId: principal.userId, role: speaker.role }, row.roomId);
  const period = periodOf(now, row.timeZone, cadence);
  return commit(deps, async (tx) => {
    if (!(await insertCheckin(tx, { challengeId, userId: principal.userId, period, text, at: now }))) throw new AppError('ALREADY_CHECKED_IN', undefined, { period });
    const streak = streakOf(await periodsOf(tx, challengeId, principal.userId), period, cadence);
    const challenge = await readChallenge(tx, row);
    await updateCardData(tx, row.messageId, { event: 'challenge', challenge });
    return {
      events: { kind: 'challenge.checkedIn', roomId: row.roomId, challenge, userId: principal.userId, period, streak },
      value: { checkin: { challengeId, user: { id: principal.userId, displayName: principal.displayName }, period, text, checkedAt: now.toISOString() }, streak, challenge },
    };
  });
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
