/**
 * How people get into a room and out of it: open rooms, approval with a question, invite-only
 * with invite links, the member limit, and bans — a banned user gets in by no path, invite
 * included.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Invite, JoinRequest, Role, Room } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { activeBan } from '../store/bans.ts';
import type { Executor } from '../store/db.ts';
import { consumeInviteUse, findInvite, findInviteByCode, insertInvite, listInvites, revokeInvite } from '../store/invites.ts';
import { decideRequest, findPendingRequest, findRequest, insertRequest, listRequests } from '../store/join-requests.ts';
import { deleteMember, findMembership, insertMember, staffIdsOf } from '../store/members.ts';
import { adjustMemberCount, findRoom, findRoomForUpdate } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import { authorize, can } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { shieldAfterJoin } from './raid-shield.ts';
import { actor, commit, type RoomEvent } from './room-events.ts';
import { ensureTextPasses } from './written-text.ts';
import { rulesOnJoining } from './room-rules.ts';
import type { RulesResponse } from '../../shared/community.ts';

/** A member who joined is shown the room's must-read rules at once (`rules`, when it has any). */
export type JoinOutcome = { status: 'joined'; room: Room; role: Role; rules?: RulesResponse } | { status: 'requested'; room: Room; request: JoinRequest };

async function withRules(deps: DomainDeps, principal: Principal, outcome: JoinOutcome): Promise<JoinOutcome> {
  if (outcome.status !== 'joined') return outcome;
  const rules = await rulesOnJoining(deps, principal, outcome.room.id);
  return rules ? { ...outcome, rules } : outcome;
}

async function refuseIfBanned(db: Executor, roomId: string, userId: string): Promise<void> {
  const ban = await activeBan(db, roomId, userId, new Date());
  if (!ban) return;
  const until = ban.until ? ban.until.toISOString() : null;
  throw new AppError('BANNED', until ? `You are banned from this room until ${until}` : 'You are banned from this room', { until });
}

/** Adds a member inside the caller's transaction (room row already locked), enforcing the limit. */
async function admit(tx: Executor, room: Room, userId: string, role: Role): Promise<Room> {
  if (room.memberCount >= room.memberLimit) {
    throw new AppError('ROOM_FULL', `This room is full (${room.memberLimit} members)`, { memberLimit: room.memberLimit });
  }
  await insertMember(tx, { roomId: room.id, userId, role });
  return adjustMemberCount(tx, room.id, 1);
}

export async function joinRoom(deps: DomainDeps, principal: Principal, roomId: string, answer = ''): Promise<JoinOutcome> {
  // Staff read the answer: it is text a stranger wrote for them.
  if (answer.trim() !== '') await ensureTextPasses(deps, answer, 'body.answer', { userId: principal.userId, role: null }, (await findRoom(deps.db, roomId)) ? roomId : null);
  const outcome = await commit<JoinOutcome>(deps, async (tx) => {
    const room = await findRoomForUpdate(tx, roomId);
    if (!room) throw new AppError('ROOM_NOT_FOUND');
    if (await findMembership(tx, roomId, principal.userId)) throw new AppError('ALREADY_MEMBER');
    // Nobody joins someone else's conversation, nor a private room by its id alone: to a stranger neither exists.
    if (room.kind === 'dm' || room.visibility === 'private') throw new AppError('ROOM_NOT_FOUND');
    await refuseIfBanned(tx, roomId, principal.userId);
    if (room.joinPolicy === 'invite_only') throw new AppError('INVITE_REQUIRED');
    if (room.joinPolicy === 'approval') {
      const pending = await findPendingRequest(tx, roomId, principal.userId);
      if (pending) throw new AppError('JOIN_REQUEST_PENDING', undefined, { requestId: pending.id });
      const id = randomUUID();
      await insertRequest(tx, { id, roomId, userId: principal.userId, answer: answer.trim() });
      const request = (await findRequest(tx, roomId, id))!;
      return { events: { kind: 'joinRequest.created', roomId, request }, value: { status: 'requested' as const, room, request } };
    }
    const joined = await admit(tx, room, principal.userId, 'member');
    return { events: joinedEvent(principal, roomId, 'open'), value: { status: 'joined' as const, room: joined, role: 'member' as const } };
  });
  // The join stands whatever happens here; a shield that failed to rise is the next join's to raise.
  if (outcome.status === 'joined') await shieldAfterJoin(deps, roomId).catch((err: unknown) => deps.log.error({ err, roomId }, 'checking for a join wave failed'));
  return withRules(deps, principal, outcome);
}

function joinedEvent(principal: { userId: string; displayName: string }, roomId: string, via: 'open' | 'approval' | 'invite'): RoomEvent {
  return { kind: 'member.joined', roomId, userId: principal.userId, displayName: principal.displayName, via };
}

export async function leaveRoom(deps: DomainDeps, principal: Principal, roomId: string): Promise<void> {
  await commit(deps, async (tx) => {
    const locked = await findRoomForUpdate(tx, roomId);
    if (!locked) throw new AppError('ROOM_NOT_FOUND');
    const membership = await findMembership(tx, roomId, principal.userId);
    if (!membership) throw new AppError('NOT_A_MEMBER');
    if (locked.kind === 'dm') throw new AppError('DM_ROOM');
    if (membership.role === 'owner') throw new AppError('OWNER_CANNOT_LEAVE');
    await deleteMember(tx, roomId, principal.userId);
    await adjustMemberCount(tx, roomId, -1);
    return { events: { kind: 'member.left', roomId, userId: principal.userId, displayName: principal.displayName }, value: undefined };
  });
}

// ---- Join requests ----

export async function listJoinRequests(deps: DomainDeps, principal: Principal, roomId: string, status: JoinRequest['status']): Promise<JoinRequest[]> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'joinRequest.decide');
  return listRequests(deps.db, roomId, status);
}

export async function decideJoinRequest(
  deps: DomainDeps,
  principal: Principal,
  roomId: string,
  requestId: string,
  decision: 'approved' | 'rejected',
): Promise<JoinRequest> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'joinRequest.decide');
  return commit(deps, async (tx) => {
    const room = await findRoomForUpdate(tx, roomId);
    if (!room) throw new AppError('ROOM_NOT_FOUND');
    const found = await findRequest(tx, roomId, requestId);
    if (!found || found.status !== 'pending') throw new AppError('JOIN_REQUEST_NOT_FOUND');
    if (decision === 'approved') {
      await refuseIfBanned(tx, roomId, found.user.id);
      if (!(await findMembership(tx, roomId, found.user.id))) await admit(tx, room, found.user.id, 'member');
    }
    if (!(await decideRequest(tx, requestId, decision, principal.userId))) throw new AppError('JOIN_REQUEST_NOT_FOUND');
    const request = (await findRequest(tx, roomId, requestId))!;
    const events: RoomEvent[] = [{ kind: 'joinRequest.decided', roomId, request, decision, by: actor(principal) }];
    if (decision === 'approved') events.push(joinedEvent({ userId: request.user.id, displayName: request.user.displayName }, roomId, 'approval'));
    return { events, value: request };
  });
}

// ---- Invite links ----

export async function createInvite(
  deps: DomainDeps,
  principal: Principal,
  roomId: string,
  options: { expiresInSeconds?: number; maxUses?: number },
): Promise<Invite> {
  const me = await requireMembership(deps.db, principal, roomId);
  const room = (await findRoom(deps.db, roomId))!;
  if (room.kind === 'dm') throw new AppError('DM_ROOM');
  if (!can(me.role, 'invite.create') && !(room.membersCanInvite && can(me.role, 'invite.createAsMember'))) {
    authorize(me.role, 'invite.create');
  }
  return commit(deps, async (tx) => {
    const invite = await insertInvite(tx, {
      id: randomUUID(),
      roomId,
      // 72 random bits: unguessable, short enough to paste into a chat.
      code: randomBytes(9).toString('base64url'),
      createdBy: principal.userId,
      expiresAt: options.expiresInSeconds ? new Date(Date.now() + options.expiresInSeconds * 1000) : null,
      maxUses: options.maxUses ?? null,
    });
    const event: RoomEvent = { kind: 'invite.created', roomId, inviteId: invite.id, expiresAt: invite.expiresAt, maxUses: invite.maxUses, by: actor(principal) };
    return { events: event, value: invite };
  });
}

export async function listRoomInvites(deps: DomainDeps, principal: Principal, roomId: string): Promise<Invite[]> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'invite.revoke');
  return listInvites(deps.db, roomId);
}

export async function revokeRoomInvite(deps: DomainDeps, principal: Principal, roomId: string, inviteId: string): Promise<void> {
  const me = await requireMembership(deps.db, principal, roomId);
  const invite = await findInvite(deps.db, roomId, inviteId);
  if (!invite) throw new AppError('NOT_FOUND', 'No such invite in this room');
  // Whoever made a link may take it back; otherwise it takes an admin.
  if (invite.createdBy !== principal.userId) authorize(me.role, 'invite.revoke');
  await commit(deps, async (tx) => {
    await revokeInvite(tx, inviteId);
    return { events: { kind: 'invite.revoked', roomId, inviteId, by: actor(principal) }, value: undefined };
  });
}

/** Whether an invite still lets people in: not revoked, not expired, not used up. */
export function isUsableInvite(invite: Invite | null, now: Date): invite is Invite {
  if (!invite || invite.revokedAt) return false;
  if (invite.expiresAt && new Date(invite.expiresAt) <= now) return false;
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return false;
  return true;
}

/** What an invite link shows before accepting: the room, not its content. */
export async function previewInvite(deps: DomainDeps, code: string): Promise<{ room: Room; expiresAt: string | null }> {
  const invite = await findInviteByCode(deps.db, code);
  if (!isUsableInvite(invite, new Date())) throw new AppError('INVITE_INVALID');
  const room = await findRoom(deps.db, invite.roomId);
  if (!room) throw new AppError('INVITE_INVALID');
  return { room, expiresAt: invite.expiresAt };
}

/** Joins through an invite link: skips approval and invite-only, never a ban or the member limit. */
export async function acceptInvite(deps: DomainDeps, principal: Principal, code: string): Promise<JoinOutcome> {
  const invite = await findInviteByCode(deps.db, code);
  if (!isUsableInvite(invite, new Date())) throw new AppError('INVITE_INVALID');
  const outcome = await commit<JoinOutcome>(deps, async (tx) => {
    const locked = await findRoomForUpdate(tx, invite.roomId);
    if (!locked) throw new AppError('INVITE_INVALID');
    if (await findMembership(tx, invite.roomId, principal.userId)) throw new AppError('ALREADY_MEMBER');
    await refuseIfBanned(tx, invite.roomId, principal.userId);
    if (!(await consumeInviteUse(tx, invite.id))) throw new AppError('INVITE_INVALID');
    const room = await admit(tx, locked, principal.userId, 'member');
    return { events: joinedEvent(principal, room.id, 'invite'), value: { status: 'joined' as const, room, role: 'member' as const } };
  });
  return withRules(deps, principal, outcome);
}
