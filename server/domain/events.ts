/**
 * Meetups (线下活动): staff create one; members RSVP. A cap is never exceeded: RSVPs to one meetup
 * are serialized by its row lock on every gateway, and whoever finds it full joins the waitlist,
 * first come first served; when a confirmed member drops out, the first waiting is promoted in
 * the same transaction and told at once (`event:rsvp`). The exact place (`place.detail`) is read
 * only here, for confirmed attendees and staff: cards, the change feed, webhooks and history
 * carry the meetup without it. Members see the room's meeting-safety checklist once before their
 * first RSVP (recorded), and members still on probation cannot RSVP. Reminders 24 h and 1 h
 * before are rows claimed by one gateway at a time (server/jobs/meetup-reminders.ts).
 *
 * Where the room lets members propose meetups (`membersProposeEvents`), a member's meetup is made
 * as a proposal: checked and safety-read like any, but with no card, reminders or RSVPs until
 * staff approve it (meetup-proposals.ts). Only the staff and the proposer see it meanwhile.
 */
import { randomUUID } from 'node:crypto';
import type { CreateMeetupBody, Meetup, MeetupViewResponse, Rsvp } from '../../shared/community.ts';
import { AppError } from '../errors.ts';
import { updateCardData } from '../store/cards.ts';
import type { Executor } from '../store/db.ts';
import {
  cancelMeetupRow,
  checklistLinesOf,
  findMeetupRow,
  findRsvp,
  firstWaiting,
  hasSeenChecklist,
  insertMeetup,
  insertReminders,
  listAttendees,
  listMeetupRows,
  lockMeetup,
  putRsvp,
  readMeetup,
  recordChecklistSeen,
  saveChecklistLines,
  setHomeSafe,
  type MeetupRow,
} from '../store/meetups.ts';
import { findRoom } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import { futureTime, requireParticipant } from './participation.ts';
import { authorize, can } from './permissions.ts';
import { probationEndsAt } from './probation.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit, type MeetupPlaceDetail, type PromotedAttendee } from './room-events.ts';
import { policyFor } from './safety-gate.ts';
import { ensureTextPasses } from './written-text.ts';

/** The standard lines of the meeting-safety checklist; the owner may add their own after them. */
export const STANDARD_CHECKLIST = [
  'Meet in a public place.',
  'Tell someone you trust where you are going and when you will be back.',
  "Don't share your home address or other personal details.",
  'Leave if you feel uncomfortable — you owe no one an explanation.',
];

const REMINDERS = [
  { which: '24h' as const, beforeMs: 24 * 3600_000 },
  { which: '1h' as const, beforeMs: 3600_000 },
];

export async function createMeetup(deps: DomainDeps, principal: Principal, roomId: string, input: CreateMeetupBody): Promise<Meetup> {
  const now = new Date();
  const room = await findRoom(deps.db, roomId);
  if (!room) throw new AppError('ROOM_NOT_FOUND');
  const { role } = await requireMembership(deps.db, principal, roomId);
  const proposal = !can(role, 'event.create') && room.membersProposeEvents && can(role, 'event.propose');
  if (!proposal) authorize(role, 'event.create');
  // Proposing is taking part: a muted member, or one who has not accepted the rules, cannot.
  else await requireParticipant(deps, principal, roomId, now);
  const startsAt = futureTime(input.startsAt, 'body.startsAt', now)!;
  const endsAt = input.endsAt === undefined ? null : new Date(input.endsAt);
  if (endsAt && endsAt.getTime() <= startsAt.getTime()) throw new AppError('EVENT_ENDS_BEFORE_START', undefined, { field: 'body.endsAt' });
  const rsvpClosesAt = futureTime(input.rsvpClosesAt, 'body.rsvpClosesAt', now);
  if (rsvpClosesAt && rsvpClosesAt.getTime() > startsAt.getTime()) {
    throw new AppError('VALIDATION_FAILED', 'RSVPs must close before the meetup starts', { field: 'body.rsvpClosesAt' });
  }
  if (input.capacity !== undefined && input.capacity > room.memberLimit) {
    throw new AppError('CAPACITY_TOO_LARGE', `The room has at most ${room.memberLimit} members`, { memberLimit: room.memberLimit });
  }
  const title = input.title.trim();
  if (title === '') throw new AppError('VALIDATION_FAILED', 'A meetup needs a title', { field: 'body.title' });
  const placeName = input.place.name.trim();
  if (placeName === '') throw new AppError('VALIDATION_FAILED', 'A meetup needs a place', { field: 'body.place.name' });
  const writer = { userId: principal.userId, role };
  const texts: Array<[string, string | undefined]> = [
    ['body.title', title],
    ['body.description', input.description],
    ['body.place.name', placeName],
    ['body.place.area', input.place.area],
    ['body.place.detail', input.place.detail],
  ];
  for (const [field, text] of texts) if (text) await ensureTextPasses(deps, text, field, writer, roomId);

  const row: MeetupRow = {
    id: randomUUID(),
    roomId,
    messageId: randomUUID(),
    authorId: principal.userId,
    title,
    description: input.description?.trim() ?? '',
    startsAt,
    endsAt,
    placeName,
    placeArea: input.place.area?.trim() || null,
    placeDetail: input.place.detail?.trim() || null,
    capacity: input.capacity ?? null,
    rsvpClosesAt,
    cancelledAt: null,
    createdAt: now,
    status: proposal ? 'proposed' : 'scheduled',
    decidedBy: null,
    decidedAt: null,
    rejectReason: null,
  };
  return commit(deps, async (tx) => {
    await insertMeetup(tx, row);
    const meetup = await readMeetup(tx, row);
    if (proposal) return { events: { kind: 'meetup.proposed', roomId, meetup, by: actor(principal) }, value: meetup };
    await scheduleReminders(tx, row, now);
    return { events: { kind: 'meetup.created', roomId, meetup, by: actor(principal) }, value: meetup };
  });
}

/** The 24 h and 1 h reminders of a meetup now on the calendar (made by staff, or just approved). */
export async function scheduleReminders(tx: Executor, row: MeetupRow, now: Date): Promise<void> {
  // A reminder whose time has already come when the meetup is scheduled is not sent at all.
  const reminders = REMINDERS.map((r) => ({ meetupId: row.id, which: r.which, dueAt: new Date(row.startsAt.getTime() - r.beforeMs), messageId: randomUUID() })).filter(
    (r) => r.dueAt.getTime() > now.getTime(),
  );
  await insertReminders(tx, reminders);
}

/** A proposal (or a rejected one) is not the room's yet: only staff and its proposer see it; for anyone else it does not exist. */
function ensureVisible(row: MeetupRow, principal: Principal, staff: boolean): void {
  if (row.status !== 'scheduled' && !staff && row.authorId !== principal.userId) throw new AppError('EVENT_NOT_FOUND');
}

/** RSVPs and cancelling are for meetups on the calendar: a proposal waits for staff first. */
function ensureScheduled(row: MeetupRow): void {
  if (row.status !== 'scheduled') throw new AppError('EVENT_NOT_APPROVED', undefined, { status: row.status });
}

export async function listMeetups(deps: DomainDeps, principal: Principal, roomId: string, query: { upcoming: boolean; status: 'scheduled' | 'proposed' }): Promise<Meetup[]> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  // Staff review every proposal; a member sees their own, waiting.
  const mine = query.status === 'proposed' && !can(role, 'event.review') ? principal.userId : undefined;
  const rows = await listMeetupRows(deps.db, roomId, { upcomingAfter: query.upcoming ? new Date() : null, status: query.status, ...(mine ? { authorId: mine } : {}) });
  const out: Meetup[] = [];
  for (const row of rows) {
    const meetup = await readMeetup(deps.db, row);
    // Proposals are listed only to staff (who judge the place too) and to their proposer.
    out.push(query.status === 'proposed' ? { ...meetup, place: { ...meetup.place, detail: row.placeDetail } } : meetup);
  }
  return out;
}

export async function viewMeetup(deps: DomainDeps, principal: Principal, eventId: string): Promise<MeetupViewResponse> {
  const row = await findMeetupRow(deps.db, eventId);
  if (!row) throw new AppError('EVENT_NOT_FOUND');
  const { role } = await requireMembership(deps.db, principal, row.roomId);
  const staff = can(role, 'event.manage');
  ensureVisible(row, principal, staff);
  const mine = await findRsvp(deps.db, eventId, principal.userId);
  const attendees = await listAttendees(deps.db, eventId);
  const meetup = await readMeetup(deps.db, row);
  const confirmed = mine?.status === 'confirmed';
  let waiting = 0;
  const list = attendees.map((a) => {
    const position = a.status === 'waitlisted' ? ++waiting : undefined;
    return {
      user: { id: a.userId, displayName: a.displayName },
      status: a.status as Rsvp['status'],
      ...(position ? { waitlistPosition: position } : {}),
      ...(staff ? { homeSafeAt: a.homeSafeAt?.toISOString() ?? null } : {}),
    };
  });
  const myPosition = list.find((a) => a.user.id === principal.userId)?.waitlistPosition;
  return {
    event: confirmed || staff ? { ...meetup, place: { ...meetup.place, detail: row.placeDetail } } : meetup,
    rsvp: mine ? { status: mine.status as Rsvp['status'], ...(myPosition ? { waitlistPosition: myPosition } : {}), homeSafeAt: mine.homeSafeAt?.toISOString() ?? null } : null,
    attendees: list,
    checklist: await checklistOf(deps, row.roomId),
    checklistSeen: await hasSeenChecklist(deps.db, row.roomId, principal.userId),
  };
}

export async function rsvp(deps: DomainDeps, principal: Principal, eventId: string, input: { going: boolean; checklistSeen?: boolean }): Promise<{ rsvp: Rsvp; event: Meetup }> {
  const now = new Date();
  const found = await findMeetupRow(deps.db, eventId);
  if (!found) throw new AppError('EVENT_NOT_FOUND');
  const speaker = await requireParticipant(deps, principal, found.roomId, now);
  ensureVisible(found, principal, can(speaker.role, 'event.manage'));
  ensureScheduled(found);
  if (input.going) {
    // "Observe before participating": the room's probation applies to meetups as to links.
    const endsAt = probationEndsAt(speaker, policyFor(found.roomId, speaker.room.safetyPolicy).probationSeconds, now);
    if (speaker.role === 'member' && endsAt.getTime() > now.getTime()) throw new AppError('ON_PROBATION', undefined, { until: endsAt.toISOString() });
    if (!(await hasSeenChecklist(deps.db, found.roomId, principal.userId)) && input.checklistSeen !== true) {
      throw new AppError('SAFETY_CHECKLIST_REQUIRED', undefined, { checklist: await checklistOf(deps, found.roomId) });
    }
  }

  return commit(deps, async (tx) => {
    const row = await lockMeetup(tx, eventId);
    if (!row) throw new AppError('EVENT_NOT_FOUND');
    if (row.cancelledAt) throw new AppError('EVENT_CANCELLED');
    if (now.getTime() >= (row.rsvpClosesAt ?? row.startsAt).getTime()) throw new AppError('RSVP_CLOSED');
    const before = await findRsvp(tx, eventId, principal.userId);
    const promoted: PromotedAttendee[] = [];
    let status: Rsvp['status'];
    if (input.going) {
      if (input.checklistSeen) await recordChecklistSeen(tx, row.roomId, principal.userId, now);
      if (before && before.status !== 'declined') status = before.status as Rsvp['status'];
      else {
        const going = (await readMeetup(tx, row)).going;
        status = row.capacity === null || going < row.capacity ? 'confirmed' : 'waitlisted';
        await putRsvp(tx, { meetupId: eventId, userId: principal.userId, status, freshOrd: true, at: now });
      }
    } else {
      status = 'declined';
      await putRsvp(tx, { meetupId: eventId, userId: principal.userId, status, freshOrd: false, at: now });
      if (before?.status === 'confirmed') {
        const next = await firstWaiting(tx, eventId);
        if (next) {
          await putRsvp(tx, { meetupId: eventId, userId: next, status: 'confirmed', freshOrd: false, at: now });
          promoted.push({ userId: next, place: placeOf(row) });
        }
      }
    }
    const meetup = await refreshCard(tx, row);
    const unchanged = before?.status === status;
    const mine = await waitlistPositionOf(tx, eventId, principal.userId, status);
    return {
      events: unchanged ? null : { kind: 'meetup.rsvp', roomId: row.roomId, meetup, userId: principal.userId, status, promoted },
      value: { rsvp: { status, ...(mine ? { waitlistPosition: mine } : {}) }, event: status === 'confirmed' ? { ...meetup, place: { ...meetup.place, detail: row.placeDetail } } : meetup },
    };
  });
}

export async function cancelMeetup(deps: DomainDeps, principal: Principal, eventId: string): Promise<Meetup> {
  const found = await findMeetupRow(deps.db, eventId);
  if (!found) throw new AppError('EVENT_NOT_FOUND');
  const { role } = await requireMembership(deps.db, principal, found.roomId);
  authorize(role, 'event.manage');
  return commit(deps, async (tx) => {
    const row = await lockMeetup(tx, eventId);
    if (!row) throw new AppError('EVENT_NOT_FOUND');
    // A proposal is turned down, not cancelled: it was never announced.
    ensureScheduled(row);
    if (row.cancelledAt) throw new AppError('EVENT_CANCELLED');
    const now = new Date();
    await cancelMeetupRow(tx, eventId, now);
    const attendeeIds = (await listAttendees(tx, eventId)).map((a) => a.userId);
    const meetup = await refreshCard(tx, { ...row, cancelledAt: now });
    return { events: { kind: 'meetup.cancelled', roomId: row.roomId, meetup, attendeeIds, by: actor(principal) }, value: meetup };
  });
}

/** After it has started, a confirmed attendee may say they got home safe (staff see who did). */
export async function markHomeSafe(deps: DomainDeps, principal: Principal, eventId: string): Promise<{ homeSafeAt: string }> {
  const found = await findMeetupRow(deps.db, eventId);
  if (!found) throw new AppError('EVENT_NOT_FOUND');
  const { role } = await requireMembership(deps.db, principal, found.roomId);
  ensureVisible(found, principal, can(role, 'event.manage'));
  const now = new Date();
  if (found.startsAt.getTime() > now.getTime()) throw new AppError('EVENT_NOT_STARTED');
  const mine = await findRsvp(deps.db, eventId, principal.userId);
  if (mine?.status !== 'confirmed') throw new AppError('NOT_CONFIRMED');
  if (mine.homeSafeAt) return { homeSafeAt: mine.homeSafeAt.toISOString() };
  await commit(deps, async (tx) => {
    await setHomeSafe(tx, eventId, principal.userId, now);
    return { events: { kind: 'meetup.homeSafe', roomId: found.roomId, eventId, userId: principal.userId }, value: undefined };
  });
  return { homeSafeAt: now.toISOString() };
}

export async function setChecklist(deps: DomainDeps, principal: Principal, roomId: string, lines: string[]): Promise<string[]> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  authorize(role, 'checklist.set');
  const trimmed = lines.map((l) => l.trim()).filter((l) => l !== '');
  for (const [i, line] of trimmed.entries()) await ensureTextPasses(deps, line, `body.lines.${i}`, { userId: principal.userId, role }, roomId);
  await commit(deps, async (tx) => {
    await saveChecklistLines(tx, roomId, trimmed);
    return { events: { kind: 'meetup.checklist', roomId, lines: trimmed, by: actor(principal) }, value: undefined };
  });
  return [...STANDARD_CHECKLIST, ...trimmed];
}

export async function checklistFor(deps: DomainDeps, principal: Principal, roomId: string): Promise<string[]> {
  await requireMembership(deps.db, principal, roomId);
  return checklistOf(deps, roomId);
}

async function checklistOf(deps: DomainDeps, roomId: string): Promise<string[]> {
  return [...STANDARD_CHECKLIST, ...(await checklistLinesOf(deps.db, roomId))];
}

export function placeOf(row: MeetupRow): MeetupPlaceDetail {
  return { name: row.placeName, area: row.placeArea, detail: row.placeDetail };
}

async function refreshCard(tx: Executor, row: MeetupRow): Promise<Meetup> {
  const meetup = await readMeetup(tx, row);
  await updateCardData(tx, row.messageId, { event: 'event', meetup });
  return meetup;
}

async function waitlistPositionOf(tx: Executor, eventId: string, userId: string, status: Rsvp['status']): Promise<number | undefined> {
  if (status !== 'waitlisted') return undefined;
  const waiting = (await listAttendees(tx, eventId)).filter((a) => a.status === 'waitlisted');
  const index = waiting.findIndex((a) => a.userId === userId);
  return index >= 0 ? index + 1 : undefined;
}
