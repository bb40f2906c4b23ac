/** Who runs the room: appointing and removing admins, transferring ownership, per-room nicknames. */
import { AppError } from '../errors.ts';
import { countWithRole, findMembership, updateMember } from '../store/members.ts';
import { findRoomForUpdate, updateRoomSettings } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { audit, postSystemMessage, displayNameOf } from './timeline.ts';

async function requireTarget(deps: DomainDeps, roomId: string, userId: string) {
  const target = await findMembership(deps.db, roomId, userId);
  if (!target) throw new AppError('TARGET_NOT_MEMBER');
  return target;
}

export async function setRole(deps: DomainDeps, principal: Principal, roomId: string, userId: string, role: 'admin' | 'member'): Promise<void> {
  const me = await requireMembership(deps.db, principal, roomId);
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF');
  const target = await requireTarget(deps, roomId, userId);
  authorize(me.role, role === 'admin' ? 'admin.appoint' : 'admin.dismiss', target.role);
  if (target.role === role) return;
  if (target.role === 'bot') throw new AppError('FORBIDDEN', 'A bot keeps the bot role', { targetRole: 'bot' });
  if (role === 'admin') {
    if (target.role !== 'member') throw new AppError('FORBIDDEN', 'Only members can be made admins', { targetRole: target.role });
    if ((await countWithRole(deps.db, roomId, 'admin')) >= deps.config.adminLimit) {
      throw new AppError('ADMIN_LIMIT_REACHED', `A room can have at most ${deps.config.adminLimit} admins`, { adminLimit: deps.config.adminLimit });
    }
  }
  await updateMember(deps.db, roomId, userId, { role });
  await deps.live.forgetSpeakers(roomId, userId);
  await audit(deps.db, { roomId, actorId: principal.userId, action: role === 'admin' ? 'admin.appoint' : 'admin.dismiss', targetUserId: userId });
  const name = await displayNameOf(deps, userId);
  await postSystemMessage(deps, roomId, 'role.changed', role === 'admin' ? `${name} is now an admin` : `${name} is no longer an admin`, { userId, role, by: principal.userId });
}

export async function transferOwnership(deps: DomainDeps, principal: Principal, roomId: string, userId: string): Promise<void> {
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF');
  await deps.db.transaction(async (tx) => {
    const room = await findRoomForUpdate(tx, roomId);
    if (!room) throw new AppError('ROOM_NOT_FOUND');
    const me = await findMembership(tx, roomId, principal.userId);
    if (!me) throw new AppError('NOT_A_MEMBER');
    const target = await findMembership(tx, roomId, userId);
    if (!target) throw new AppError('TARGET_NOT_MEMBER');
    authorize(me.role, 'room.transfer', target.role);
    if (target.role === 'bot') throw new AppError('FORBIDDEN', 'A bot cannot own a room', { targetRole: 'bot' });
    // The former owner stays on as an admin, as in WeChat and QQ groups.
    await updateMember(tx, roomId, principal.userId, { role: 'admin' });
    await updateMember(tx, roomId, userId, { role: 'owner' });
    await updateRoomSettings(tx, roomId, { ownerId: userId });
  });
  await deps.live.forgetSpeakers(roomId, null);
  await audit(deps.db, { roomId, actorId: principal.userId, action: 'owner.transfer', targetUserId: userId });
  await postSystemMessage(deps, roomId, 'owner.transferred', `${principal.displayName} made ${await displayNameOf(deps, userId)} the owner`, { from: principal.userId, to: userId });
}

export async function setNickname(deps: DomainDeps, principal: Principal, roomId: string, nickname: string | null): Promise<void> {
  await requireMembership(deps.db, principal, roomId);
  const value = nickname?.trim() || null;
  await updateMember(deps.db, roomId, principal.userId, { nickname: value });
  await deps.live.forgetSpeakers(roomId, principal.userId);
  deps.live.publishRoomEvent(roomId, 'member:updated', { roomId, userId: principal.userId, nickname: value });
}
