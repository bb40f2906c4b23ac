/**
 * What owners and admins do to members: mute, kick, ban and unban, mute everyone, slow mode.
 * Each action asks the permission table, changes nothing when refused, writes the audit log and
 * leaves a system message in the timeline so members see what happened.
 */
import type { AuditEntry, Ban, Room } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { deleteBan, listActiveBans, upsertBan } from '../store/bans.ts';
import { listAuditEntries } from '../store/audit.ts';
import { deleteMember, findMembership, updateMember } from '../store/members.ts';
import { adjustMemberCount, findRoomForUpdate, updateRoomSettings } from '../store/rooms.ts';
import { findUserById } from '../store/users.ts';
import type { DomainDeps } from './deps.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { INDEFINITELY } from './speaking.ts';
import { announceChange, audit, postSystemMessage, recordChange, displayNameOf } from './timeline.ts';

function describeDuration(seconds: number | undefined): string {
  if (!seconds) return 'until unmuted';
  if (seconds % 86_400 === 0) return `for ${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`;
  if (seconds % 3_600 === 0) return `for ${seconds / 3_600} hour${seconds === 3_600 ? '' : 's'}`;
  if (seconds % 60 === 0) return `for ${seconds / 60} minute${seconds === 60 ? '' : 's'}`;
  return `for ${seconds} seconds`;
}

export async function muteMember(
  deps: DomainDeps,
  principal: Principal,
  roomId: string,
  userId: string,
  options: { durationSeconds?: number; reason?: string },
): Promise<{ until: string | null }> {
  const me = await requireMembership(deps.db, principal, roomId);
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF');
  const target = await findMembership(deps.db, roomId, userId);
  if (!target) throw new AppError('TARGET_NOT_MEMBER');
  authorize(me.role, 'member.mute', target.role);
  const until = options.durationSeconds ? new Date(Date.now() + options.durationSeconds * 1000) : INDEFINITELY;
  const untilText = options.durationSeconds ? until.toISOString() : null;
  await updateMember(deps.db, roomId, userId, { mutedUntil: until });
  await deps.live.forgetSpeakers(roomId, userId);
  await audit(deps.db, { roomId, actorId: principal.userId, action: 'member.mute', targetUserId: userId, reason: options.reason ?? '', details: { until: untilText } });
  deps.live.publishToUsers([userId], 'member:muted', { roomId, until: untilText, reason: options.reason ?? '' });
  await postSystemMessage(deps, roomId, 'member.muted', `${await displayNameOf(deps, userId)} was muted ${describeDuration(options.durationSeconds)}`, {
    userId,
    by: principal.userId,
    until: untilText,
  });
  return { until: untilText };
}

export async function unmuteMember(deps: DomainDeps, principal: Principal, roomId: string, userId: string): Promise<void> {
  const me = await requireMembership(deps.db, principal, roomId);
  const target = await findMembership(deps.db, roomId, userId);
  if (!target) throw new AppError('TARGET_NOT_MEMBER');
  authorize(me.role, 'member.mute', target.role);
  await updateMember(deps.db, roomId, userId, { mutedUntil: null });
  await deps.live.forgetSpeakers(roomId, userId);
  await audit(deps.db, { roomId, actorId: principal.userId, action: 'member.unmute', targetUserId: userId });
  deps.live.publishToUsers([userId], 'member:unmuted', { roomId });
  await postSystemMessage(deps, roomId, 'member.unmuted', `${await displayNameOf(deps, userId)} can speak again`, { userId, by: principal.userId });
}

/** Removes a member now; shared by kick and ban. Returns false when they were not a member. */
async function removeMember(deps: DomainDeps, principal: Principal, roomId: string, userId: string, action: 'member.kick' | 'member.ban'): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
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
  });
}

async function announceRemoval(deps: DomainDeps, roomId: string, userId: string, reason: 'kicked' | 'banned', text: string, data: Record<string, unknown>): Promise<void> {
  deps.live.publishToUsers([userId], 'room:removed', { roomId, reason });
  await deps.live.removeUserFromRoom(userId, roomId);
  await postSystemMessage(deps, roomId, reason === 'kicked' ? 'member.kicked' : 'member.banned', text, data);
}

export async function kickMember(deps: DomainDeps, principal: Principal, roomId: string, userId: string, reason = ''): Promise<void> {
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF');
  await removeMember(deps, principal, roomId, userId, 'member.kick');
  await deps.live.forgetSpeakers(roomId, userId);
  await audit(deps.db, { roomId, actorId: principal.userId, action: 'member.kick', targetUserId: userId, reason });
  await announceRemoval(deps, roomId, userId, 'kicked', `${await displayNameOf(deps, userId)} was removed from the room`, { userId, by: principal.userId });
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
  const wasMember = await removeMember(deps, principal, roomId, userId, 'member.ban');
  if (wasMember) await deps.live.forgetSpeakers(roomId, userId);
  const until = options.durationSeconds ? new Date(Date.now() + options.durationSeconds * 1000) : null;
  await upsertBan(deps.db, { roomId, userId, bannedBy: principal.userId, reason: options.reason ?? '', until });
  await audit(deps.db, { roomId, actorId: principal.userId, action: 'member.ban', targetUserId: userId, reason: options.reason ?? '', details: { until: until?.toISOString() ?? null } });
  if (wasMember) {
    await announceRemoval(deps, roomId, userId, 'banned', `${await displayNameOf(deps, userId)} was banned`, { userId, by: principal.userId, until: until?.toISOString() ?? null });
  }
}

export async function unbanUser(deps: DomainDeps, principal: Principal, roomId: string, userId: string): Promise<void> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'member.unban');
  if (!(await deleteBan(deps.db, roomId, userId))) throw new AppError('NOT_FOUND', 'That user is not banned here');
  await audit(deps.db, { roomId, actorId: principal.userId, action: 'member.unban', targetUserId: userId });
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
  const { room, feed } = await deps.db.transaction(async (tx) => {
    const updated = (await updateRoomSettings(tx, roomId, change))!;
    return { room: updated, feed: await recordChange(tx, roomId, 'room', { muteAll: updated.muteAll, slowModeSeconds: updated.slowModeSeconds }) };
  });
  await deps.live.forgetSpeakers(roomId, null);
  announceChange(deps, feed);
  if ('muteAll' in change) {
    await audit(deps.db, { roomId, actorId: principal.userId, action: change.muteAll ? 'room.muteAll.on' : 'room.muteAll.off' });
    await postSystemMessage(deps, roomId, 'room.muteAll', change.muteAll ? 'Everyone is muted; only the owner and admins can speak' : 'Everyone can speak again', {
      enabled: change.muteAll,
      by: principal.userId,
    });
  } else {
    await audit(deps.db, { roomId, actorId: principal.userId, action: 'room.slowMode', details: { seconds: change.slowModeSeconds } });
    await postSystemMessage(
      deps,
      roomId,
      'room.slowMode',
      change.slowModeSeconds > 0 ? `Slow mode is on: one message every ${change.slowModeSeconds} seconds` : 'Slow mode is off',
      { seconds: change.slowModeSeconds, by: principal.userId },
    );
  }
  return room;
}

export async function readAuditLog(deps: DomainDeps, principal: Principal, roomId: string, query: { before?: string; limit?: number }): Promise<AuditEntry[]> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'audit.read');
  return listAuditEntries(deps.db, roomId, { before: query.before, limit: query.limit ?? 50 });
}
