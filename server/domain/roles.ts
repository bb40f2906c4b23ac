/** Who runs the room: appointing and removing admins, transferring ownership, per-room nicknames. */
import { AppError } from '../errors.ts';
import { countWithRole, findMembership, updateMember } from '../store/members.ts';
import { findRoomForUpdate, updateRoomSettings } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit, subjectOf } from './room-events.ts';
import { ensureNotPosingAsStaff, ensureTextPasses } from './written-text.ts';

export async function setRole(deps: DomainDeps, principal: Principal, roomId: string, userId: string, role: 'admin' | 'member'): Promise<void> {
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF');
  await commit(deps, async (tx) => {
    if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
    const me = await findMembership(tx, roomId, principal.userId);
    if (!me) throw new AppError('NOT_A_MEMBER');
    const target = await findMembership(tx, roomId, userId);
    if (!target) throw new AppError('TARGET_NOT_MEMBER');
    authorize(me.role, role === 'admin' ? 'admin.appoint' : 'admin.dismiss', target.role);
    if (target.role === role) return { events: null, value: undefined };
    if (target.role === 'bot') throw new AppError('FORBIDDEN', 'A bot keeps the bot role', { targetRole: 'bot' });
    if (role === 'admin') {
      if (target.role !== 'member') throw new AppError('FORBIDDEN', 'Only members can be made admins', { targetRole: target.role });
      // Counted under the room's lock, so two appointments cannot both take the last place.
      if ((await countWithRole(tx, roomId, 'admin')) >= deps.config.adminLimit) {
        throw new AppError('ADMIN_LIMIT_REACHED', `A room can have at most ${deps.config.adminLimit} admins`, { adminLimit: deps.config.adminLimit });
      }
    }
    await updateMember(tx, roomId, userId, { role });
    return { events: { kind: 'role.changed', roomId, ...(await subjectOf(tx, userId)), role, by: actor(principal) }, value: undefined };
  });
}

export async function transferOwnership(deps: DomainDeps, principal: Principal, roomId: string, userId: string): Promise<void> {
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF');
  await commit(deps, async (tx) => {
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
    const to = await subjectOf(tx, userId);
    return { events: { kind: 'owner.transferred', roomId, from: actor(principal), to: { id: to.userId, displayName: to.displayName } }, value: undefined };
  });
}

export async function setNickname(deps: DomainDeps, principal: Principal, roomId: string, nickname: string | null): Promise<void> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  const value = nickname?.trim() || null;
  if (value) await ensureTextPasses(deps, value, 'body.nickname', { userId: principal.userId, role }, roomId);
  if (value) await ensureNotPosingAsStaff(deps, value, 'body.nickname', { userId: principal.userId, role }, roomId);
  await commit(deps, async (tx) => {
    await updateMember(tx, roomId, principal.userId, { nickname: value });
    return { events: { kind: 'nickname.changed', roomId, userId: principal.userId, nickname: value }, value: undefined };
  });
}
