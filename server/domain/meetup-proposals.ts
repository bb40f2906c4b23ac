/**
 * Meetups members propose (the room's `membersProposeEvents`), decided by the owner and admins.
 * A proposal is made by createMeetup (events.ts) with status `proposed` and no card; approving it
 * puts it on the calendar as if its proposer were staff — the card in the timeline as theirs, the
 * reminders still ahead — and rejecting it (with an optional reason, safety-read like any text)
 * closes it. Either way the proposer and the staff are told (`review:decided`, kind
 * `eventProposal`). The meetup's row lock orders two staff deciding at once: one decides, the other
 * gets EVENT_NOT_PROPOSED.
 */
import type { Meetup } from '../../shared/community.ts';
import { AppError } from '../errors.ts';
import { decideMeetupRow, findMeetupRow, lockMeetup, readMeetup, type MeetupRow } from '../store/meetups.ts';
import { findMembership } from '../store/members.ts';
import type { DomainDeps } from './deps.ts';
import { scheduleReminders } from './events.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit, subjectOf, type Actor } from './room-events.ts';
import { ensureTextPasses } from './written-text.ts';

export async function approveMeetup(deps: DomainDeps, principal: Principal, eventId: string): Promise<Meetup> {
  await requireReviewer(deps, principal, eventId);
  return commit(deps, async (tx) => {
    const row = await lockProposal(tx, eventId);
    const now = new Date();
    // A proposal whose time has passed cannot be put on the calendar any more; reject it instead.
    if (row.startsAt.getTime() <= now.getTime()) throw new AppError('TIME_IN_PAST', 'This meetup has already started', { field: 'startsAt' });
    // The card would be the proposer's message: someone who left the room posts nothing in it.
    if (!(await findMembership(tx, row.roomId, row.authorId))) throw new AppError('TARGET_NOT_MEMBER', 'The member who proposed it has left the room; reject it instead', { userId: row.authorId });
    await decideMeetupRow(tx, eventId, { status: 'scheduled', by: principal.userId, at: now, reason: null });
    const scheduled: MeetupRow = { ...row, status: 'scheduled', decidedBy: principal.userId, decidedAt: now };
    await scheduleReminders(tx, scheduled, now);
    const meetup = await readMeetup(tx, scheduled);
    return { events: { kind: 'meetup.approved', roomId: row.roomId, meetup, proposer: await proposerOf(tx, row), by: actor(principal) }, value: meetup };
  });
}

export async function rejectMeetup(deps: DomainDeps, principal: Principal, eventId: string, input: { reason?: string }): Promise<Meetup> {
  const { roomId, role } = await requireReviewer(deps, principal, eventId);
  const reason = input.reason?.trim() || null;
  if (reason) await ensureTextPasses(deps, reason, 'body.reason', { userId: principal.userId, role }, roomId);
  return commit(deps, async (tx) => {
    const row = await lockProposal(tx, eventId);
    const now = new Date();
    await decideMeetupRow(tx, eventId, { status: 'rejected', by: principal.userId, at: now, reason });
    const meetup = await readMeetup(tx, { ...row, status: 'rejected', decidedBy: principal.userId, decidedAt: now, rejectReason: reason });
    return { events: { kind: 'meetup.rejected', roomId: row.roomId, meetup, proposer: await proposerOf(tx, row), reason, by: actor(principal) }, value: meetup };
  });
}

async function requireReviewer(deps: DomainDeps, principal: Principal, eventId: string) {
  const found = await findMeetupRow(deps.db, eventId);
  if (!found) throw new AppError('EVENT_NOT_FOUND');
  const { role } = await requireMembership(deps.db, principal, found.roomId);
  // A member, even the proposer, sees their proposal but does not decide it.
  authorize(role, 'event.review');
  return { roomId: found.roomId, role };
}

async function lockProposal(tx: Parameters<typeof lockMeetup>[0], eventId: string): Promise<MeetupRow> {
  const row = await lockMeetup(tx, eventId);
  if (!row) throw new AppError('EVENT_NOT_FOUND');
  if (row.status !== 'proposed') throw new AppError('EVENT_NOT_PROPOSED', undefined, { status: row.status });
  return row;
}

async function proposerOf(tx: Parameters<typeof lockMeetup>[0], row: MeetupRow): Promise<Actor> {
  const subject = await subjectOf(tx, row.authorId);
  return { id: subject.userId, displayName: subject.displayName };
}
