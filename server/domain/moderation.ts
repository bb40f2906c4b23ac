/**
 * What owners and admins do to members: mute, kick, ban and unban, mute everyone, slow mode.
 * Each action asks the permission table and changes nothing when refused; its effects (audit
 * log, the member's notice, the system message…) come from the outlet's table (room-events.ts).
 */
import type { AuditEntry, Ban, Room } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { deleteBan, listActiveBans, upsertBan } from '../store/bans.ts';
import { listAuditEntries } from '../store/audit.ts';
import { deleteMember, findMembership, updateMember } from '../store/members.ts';
import type { Executor } from '../store/db.ts';
import { adjustMemberCount, findRoomForUpdate, updateRoomSettings } from '../store/rooms.ts';
import { findUserById } from '../store/users.ts';
import type { DomainDeps } from './deps.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { INDEFINITELY } from './speaking.ts';
import { actor, commit, subjectOf, type RoomEvent } from './room-events.ts';

export async function muteMember(
  deps: DomainDeps,
  principal: Principal,
  roomId: string,
  userId: string,
  options: { durationSeconds?: number; reason?: string },
): Promise<{ until: string | null }> {
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF');
  const until = options.durationSeconds ? new Date(Date.now() + options.durationSeconds * 1000) : INDEFINITELY;
  await commit(deps, async (tx) => {
    const { me, target } = await staffAndTarget(tx, principal, roomId, userId);
    authorize(me.role, 'member.mute', target.role);
    await updateMember(tx, roomId, userId, { mutedUntil: until });
    const event: RoomEvent = { kind: 'member.muted', roomId, ...(await subjectOf(tx, userId)), by: actor(principal), reason: options.reason ?? '', until, durationSeconds: options.durationSeconds ?? null };
    return { events: event, value: undefined };
  });
  return { until: options.durationSeconds ? until.toISOString() : null };
}

export async function unmuteMember(deps: DomainDeps, principal: Principal, roomId: string, userId: string): Promise<void> {
  await commit(deps, async (tx) => {
    const { me, target } = await staffAndTarget(tx, principal, roomId, userId);
    authorize(me.role, 'member.mute', target.role);
    await updateMember(tx, roomId, userId, { mutedUntil: null });
    return { events: { kind: 'member.unmuted', roomId, ...(await subjectOf(tx, userId)), by: actor(principal) }, value: undefined };
  });
}

/** The acting member and the target member, read under the room's lock. */
async function staffAndTarget(tx: Executor, principal: Principal, roomId: string, userId: string) {
  if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
  const me = await findMembership(tx, roomId, principal.userId);
  if (!me) throw new AppError('NOT_A_MEMBER');
  const target = await findMembership(tx, roomId, userId);
  if (!target) throw new AppError('TARGET_NOT_MEMBER');
  return { me, target };
}

/** Removes a member now, inside the caller's transaction; shared by kick and ban. Returns false when they were not a member. */
async function removeMember(tx: Executor, principal: Principal, roomId: string, userId: string, action: 'member.kick' | 'member.ban'): Promise<boolean> {
  const room = await findRoomForUpdate(tx, roomId);
  if (!room) throw new AppError('ROOM_NOT_FOUND');
  const me = await findMembership(tx, roomId, principal.userId);
  if (!me) throw new AppError('NOT_A_MEMBER');
  const target = await findMembership(tx, roomId, userId);
  if (!target) {
    if (action === 'member.kick') throw new AppError('TARGET_NOT_MEMBER');
    authorize(me.role, 'member.unban');
    return false;
  }
  authorize(me.role, action, target.role);
  await deleteMember(tx, roomId, userId);
  await adjustMemberCount(tx, roomId, -1);
  return true;
}

export async function kickMember(deps: DomainDeps, principal: Principal, roomId: string, userId: string, reason = ''): Promise<void> {
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF');
  await commit(deps, async (tx) => {
    await removeMember(tx, principal, roomId, userId, 'member.kick');
    return { events: { kind: 'member.kicked', roomId, ...(await subjectOf(tx, userId)), by: actor(principal), reason }, value: undefined };
  });
}

export async function banUser(
  deps: DomainDeps,
  principal: Principal,
  roomId: string,
  userId: string,
  options: { durationSeconds?: number; reason?: string },
): Promise<void> {
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF');
  if (!(await findUserById(deps.db, userId))) throw new AppError('NOT_FOUND', 'No such user');
  const until = options.durationSeconds ? new Date(Date.now() + options.durationSeconds * 1000) : null;
  await commit(deps, async (tx) => {
    const wasMember = await removeMember(tx, principal, roomId, userId, 'member.ban');
    await upsertBan(tx, { roomId, userId, bannedBy: principal.userId, reason: options.reason ?? '', until });
    return { events: { kind: 'member.banned', roomId, ...(await subjectOf(tx, userId)), by: actor(principal), reason: options.reason ?? '', until, wasMember }, value: undefined };
  });
}

export async function unbanUser(deps: DomainDeps, principal: Principal, roomId: string, userId: string): Promise<void> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'member.unban');
  await commit(deps, async (tx) => {
    if (!(await deleteBan(tx, roomId, userId))) throw new AppError('NOT_FOUND', 'That user is not banned here');
    return { events: { kind: 'member.unbanned', roomId, userId, by: actor(principal) }, value: undefined };
  });
}

export async function listBans(deps: DomainDeps, principal: Principal, roomId: string): Promise<Ban[]> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'member.unban');
  return listActiveBans(deps.db, roomId, new Date());
}

/** Room-wide speaking rules: mute-all and slow mode. */
export async function setSpeakingRules(
  deps: DomainDeps,
  principal: Principal,
  roomId: string,
  change: { muteAll: boolean } | { slowModeSeconds: number },
): Promise<Room> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'muteAll' in change ? 'room.muteAll' : 'room.slowMode');
  return commit(deps, async (tx) => {
    const room = (await updateRoomSettings(tx, roomId, change))!;
    const event: RoomEvent =
      'muteAll' in change
        ? { kind: 'room.muteAll', roomId, enabled: room.muteAll, slowModeSeconds: room.slowModeSeconds, by: actor(principal) }
        : { kind: 'room.slowMode', roomId, seconds: room.slowModeSeconds, muteAll: room.muteAll, by: actor(principal) };
    return { events: event, value: room };
  });
}

export async function readAuditLog(deps: DomainDeps, principal: Principal, roomId: string, query: { before?: string; limit?: number }): Promise<AuditEntry[]> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'audit.read');
  return listAuditEntries(deps.db, roomId, { before: query.before, limit: query.limit ?? 50 });
}
