/**
 * The site-level review queue, for reports no room's staff can handle: a message request, a
 * message in a DM (a DM room has no staff), a user across rooms, a room itself. Site moderators
 * are the usernames in SITE_ADMINS (config.ts). They decide reports (the reporter hears the
 * outcome, `report:decided`) and can suspend an account everywhere: its sessions are revoked and
 * its sockets closed on every gateway at once (the path account deletion takes), messages it had
 * waiting for review are dropped, and it cannot sign in until the suspension ends.
 */
import { randomUUID } from 'node:crypto';
import type { SiteReport, SiteReportOutcome, SuspendBody } from '../../shared/people.ts';
import type { ReportReason } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { deletePendingHeldOf } from '../store/held-messages.ts';
import { findMembership, listRoomIdsOfUser } from '../store/members.ts';
import { findProfile, liftSuspension, suspendUser } from '../store/profiles.ts';
import { findRoom } from '../store/rooms.ts';
import { deleteSessionsOfUsers } from '../store/sessions.ts';
import { decideSiteReport, insertSiteReport, openSiteReports, type SiteReportKind } from '../store/site-reports.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { actor, announce, record, type RoomEvent } from './room-events.ts';
import { INDEFINITELY } from './speaking.ts';

const QUEUE_PAGE = 200;

export function isSiteAdmin(deps: DomainDeps, principal: Principal): boolean {
  return principal.kind === 'user' && deps.config.siteAdmins.includes(principal.username);
}

function requireSiteAdmin(deps: DomainDeps, principal: Principal): void {
  if (!isSiteAdmin(deps, principal)) throw new AppError('SITE_ADMIN_ONLY');
}

interface Filing {
  kind: SiteReportKind;
  targetUserId?: string | null;
  roomId?: string | null;
  requestId?: string | null;
  reason: ReportReason;
  note?: string;
}

export async function fileSiteReport(deps: DomainDeps, principal: Principal, filing: Filing) {
  const stored = await insertSiteReport(deps.db, {
    id: randomUUID(),
    kind: filing.kind,
    reporterId: principal.userId,
    targetUserId: filing.targetUserId ?? null,
    roomId: filing.roomId ?? null,
    requestId: filing.requestId ?? null,
    reason: filing.reason,
    note: filing.note?.trim() ?? '',
  });
  return { id: stored.id, kind: filing.kind, reason: filing.reason, status: 'open' as const, createdAt: stored.createdAt.toISOString() };
}

/** A user, for what they do across rooms (or in DMs). */
export async function reportUser(deps: DomainDeps, principal: Principal, userId: string, input: { reason: ReportReason; note?: string }) {
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF', 'You cannot report yourself');
  const target = await findProfile(deps.db, userId);
  if (!target || target.deletedAt) throw new AppError('USER_NOT_FOUND');
  return fileSiteReport(deps, principal, { kind: 'user', targetUserId: userId, reason: input.reason, note: input.note });
}

/** A room itself (its name, its purpose): one its members or the public can see. */
export async function reportRoom(deps: DomainDeps, principal: Principal, roomId: string, input: { reason: ReportReason; note?: string }) {
  const room = await findRoom(deps.db, roomId);
  const member = room ? await findMembership(deps.db, roomId, principal.userId) : null;
  if (!room || room.kind !== 'group' || (room.visibility !== 'public' && !member)) throw new AppError('ROOM_NOT_FOUND');
  return fileSiteReport(deps, principal, { kind: 'room', targetUserId: room.ownerId, roomId, reason: input.reason, note: input.note });
}

export async function siteReportQueue(deps: DomainDeps, principal: Principal): Promise<SiteReport[]> {
  requireSiteAdmin(deps, principal);
  return openSiteReports(deps.db, QUEUE_PAGE);
}

export async function decideReport(deps: DomainDeps, principal: Principal, reportId: string, outcome: SiteReportOutcome): Promise<{ reportId: string; outcome: SiteReportOutcome }> {
  requireSiteAdmin(deps, principal);
  const decided = await decideSiteReport(deps.db, reportId, outcome, principal.userId);
  if (!decided) throw new AppError('REPORT_NOT_FOUND');
  deps.live.publishToUsers([decided.reporterId], 'report:decided', { reportId, outcome });
  return { reportId, outcome };
}

export async function suspendAccount(deps: DomainDeps, principal: Principal, userId: string, input: SuspendBody) {
  requireSiteAdmin(deps, principal);
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF', 'You cannot suspend yourself');
  const target = await findProfile(deps.db, userId);
  if (!target || target.deletedAt) throw new AppError('USER_NOT_FOUND');
  const until = input.durationSeconds === undefined ? INDEFINITELY : new Date(Date.now() + input.durationSeconds * 1000);
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('VALIDATION_FAILED', 'reason must not be blank', { field: 'body.reason' });
  const by = actor(principal);
  const recorded = await deps.db.transaction(async (tx) => {
    if (!(await suspendUser(tx, userId, until, reason))) throw new AppError('USER_NOT_FOUND');
    await deleteSessionsOfUsers(tx, [userId]);
    await deletePendingHeldOf(tx, [userId]);
    const roomIds = await listRoomIdsOfUser(tx, userId);
    return record(tx, roomIds.map((roomId): RoomEvent => ({ kind: 'account.suspended', roomId, userId, until, reason, by })));
  });
  // Before the answer, on every gateway: sockets closed and remembered sessions and speaking
  // facts forgotten, so a send that had already passed authentication is refused when it is checked.
  await deps.live.disconnectUser(userId);
  await announce(deps, recorded);
  deps.log.info({ userId, by: principal.userId, until: until.toISOString() }, 'account suspended');
  return { userId, until: until.getTime() >= INDEFINITELY.getTime() ? null : until.toISOString(), reason };
}

/** Ends a suspension before its time (or one given without an end): the account may sign in again. */
export async function liftAccountSuspension(deps: DomainDeps, principal: Principal, userId: string): Promise<void> {
  requireSiteAdmin(deps, principal);
  const by = actor(principal);
  await deps.db.transaction(async (tx) => {
    if (!(await liftSuspension(tx, userId, new Date()))) throw new AppError('NOT_SUSPENDED');
    const roomIds = await listRoomIdsOfUser(tx, userId);
    return record(tx, roomIds.map((roomId): RoomEvent => ({ kind: 'account.unsuspended', roomId, userId, by })));
  }).then((recorded) => announce(deps, recorded));
  deps.log.info({ userId, by: principal.userId }, 'account suspension lifted');
}
