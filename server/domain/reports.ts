/**
 * Members report messages (one report per member per message); reports wait in the room's
 * review queue. When open reports from REPORT_HIDE_THRESHOLD members pile up on one message it
 * is hidden pending review: members see a placeholder (empty text, `hiddenAt` set) until staff
 * dismiss the reports (the message shows again) or remove it (it is recalled). Messages of the
 * owner and admins are never hidden by reports, so members cannot silence their staff; their
 * reports still reach the queue.
 */
import { randomUUID } from 'node:crypto';
import type { Report, ReportBody, ReportDecisionResponse } from '../../shared/schemas.ts';
import { AppError, isAppError } from '../errors.ts';
import type { Executor } from '../store/db.ts';
import { findMembership } from '../store/members.ts';
import { messagesInRange } from '../store/messages.ts';
import { closeReports, hideMessage, insertReport, reportCounts, unhideMessage } from '../store/reports.ts';
import { findRoomForUpdate } from '../store/rooms.ts';
import { decidedWords } from '../store/safety-decisions.ts';
import type { DomainDeps } from './deps.ts';
import { requireMessage } from './message-target.ts';
import { isStaff } from './permissions.ts';
import type { Principal } from './principal.ts';
import { recallMessage } from './recall.ts';
import { requireReviewer } from './review.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit, type RoomEvent } from './room-events.ts';

export async function reportMessage(deps: DomainDeps, principal: Principal, roomId: string, seq: number, input: ReportBody): Promise<Report> {
  await requireMembership(deps.db, principal, roomId);
  const threshold = deps.config.reportHideThreshold;

  const report = await commit(deps, async (tx) => {
    // The room row lock serializes reports (the threshold is counted once) and feed positions.
    if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
    const target = await requireMessage(tx, roomId, seq);
    if (target.kind === 'system' || target.senderId === null) throw new AppError('FORBIDDEN', 'System messages cannot be reported');
    if (target.senderId === principal.userId) throw new AppError('CANNOT_TARGET_SELF', 'You cannot report your own message');
    if (target.recalledAt) throw new AppError('MESSAGE_RECALLED');

    const report = await insertReport(tx, { id: randomUUID(), roomId, seq, reporterId: principal.userId, reason: input.reason, note: input.note?.trim() ?? '' });
    if (!report) throw new AppError('ALREADY_REPORTED', undefined, { seq });
    const { open } = await reportCounts(tx, roomId, seq);
    const events: RoomEvent[] = [];
    if (open >= threshold && !(await sentByStaff(tx, roomId, target.senderId))) {
      const hiddenAt = new Date();
      if (await hideMessage(tx, roomId, seq, hiddenAt)) events.push({ kind: 'message.hidden', roomId, seq, senderId: target.senderId, hiddenAt, openReports: open });
    }
    events.unshift({ kind: 'message.reported', roomId, seq, senderId: target.senderId, reportId: report.id, reason: report.reason, by: actor(principal), openReports: open, hidden: events.length > 0 });
    return { events, value: report };
  });
  return report;
}

async function sentByStaff(tx: Executor, roomId: string, senderId: string): Promise<boolean> {
  const membership = await findMembership(tx, roomId, senderId);
  return membership !== null && isStaff(membership.role);
}

/** The reports were unfounded: close them and show the message again if it was hidden. */
export async function dismissReports(deps: DomainDeps, principal: Principal, roomId: string, seq: number): Promise<ReportDecisionResponse> {
  await requireReviewer(deps, principal, roomId);
  const closed = await commit(deps, async (tx) => {
    if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
    await requireMessage(tx, roomId, seq);
    const closed = await closeReports(tx, roomId, seq, 'dismissed');
    if (closed === 0) throw await noOpenReports(tx, roomId, seq);
    const unhidden = (await unhideMessage(tx, roomId, seq)) ? ((await messagesInRange(tx, roomId, seq, seq))[0] ?? null) : null;
    const words = await decidedWords(tx, roomId, seq);
    return { events: { kind: 'reports.dismissed', roomId, seq, reportsClosed: closed, unhidden, words, by: actor(principal) }, value: closed };
  });
  return { roomId, seq, status: 'dismissed', reportsClosed: closed };
}

/**
 * The reports were right: recall the message (through the recall path, with its permission
 * rules: an admin cannot remove the owner's or another admin's message) and close the reports.
 */
export async function removeReported(deps: DomainDeps, principal: Principal, roomId: string, seq: number): Promise<ReportDecisionResponse> {
  await requireReviewer(deps, principal, roomId);
  const counts = await reportCounts(deps.db, roomId, seq);
  if (counts.open === 0) throw await noOpenReports(deps.db, roomId, seq);
  // Read before the recall empties it: the room learns from what was removed.
  const words = await decidedWords(deps.db, roomId, seq);

  try {
    await recallMessage(deps, principal, roomId, seq);
  } catch (error) {
    // Recalled meanwhile (by its sender, say): the reports are still answered.
    if (!(isAppError(error) && error.code === 'ALREADY_RECALLED')) throw error;
  }

  const closed = await commit(deps, async (tx) => {
    const closed = await closeReports(tx, roomId, seq, 'resolved');
    if (closed === 0) throw await noOpenReports(tx, roomId, seq);
    return { events: { kind: 'reports.removed', roomId, seq, reportsClosed: closed, words, by: actor(principal) }, value: closed };
  });
  return { roomId, seq, status: 'removed', reportsClosed: closed };
}

async function noOpenReports(db: Executor, roomId: string, seq: number): Promise<AppError> {
  const { closed } = await reportCounts(db, roomId, seq);
  return closed > 0 ? new AppError('ALREADY_DECIDED', 'The reports on this message were already decided', { seq }) : new AppError('NOTHING_TO_REVIEW', undefined, { seq });
}
