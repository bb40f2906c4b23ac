/** Creating, finding, joining and leaving rooms. */
import { randomUUID } from 'node:crypto';
import type { CreateRoomBody, Member, Room, RoomDiscoveryQuery, UpdateRoomBody } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { keysOfRoom } from '../store/attachments.ts';
import type { Executor } from '../store/db.ts';
import { findMembership, insertMember, listMembers, type Membership } from '../store/members.ts';
import { adjustMemberCount, deleteRoom, discoverRooms, findRoom, findRoomForUpdate, insertRoom, updateRoomSettings } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import { releaseInBackground } from './media-release.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { actor, commit } from './room-events.ts';
import { ensureTextPasses } from './written-text.ts';

export async function createRoom(deps: DomainDeps, principal: Principal, input: CreateRoomBody): Promise<Room> {
  const name = input.name.trim();
  if (name === '') throw new AppError('VALIDATION_FAILED', 'name must not be blank', { field: 'body.name' });
  await ensureTextPasses(deps, name, 'body.name', { userId: principal.userId, role: null }, null);
  if (input.topic) await ensureTextPasses(deps, input.topic, 'body.topic', { userId: principal.userId, role: null }, null);
  return commit(deps, async (tx) => {
    const created = await insertRoom(tx, {
      id: randomUUID(),
      name,
      topic: input.topic?.trim() ?? '',
      tags: normalizeTags(input.tags ?? []),
      ownerId: principal.userId,
      memberLimit: deps.config.memberLimitDefault,
      visibility: input.visibility ?? 'public',
      preview: input.preview ?? false,
    });
    await insertMember(tx, { roomId: created.id, userId: principal.userId, role: 'owner' });
    const room = await adjustMemberCount(tx, created.id, 1);
    return { events: { kind: 'member.joined', roomId: room.id, userId: principal.userId, displayName: principal.displayName, via: 'created' }, value: room };
  });
}

function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== ''))];
}

/** A room's card: anyone signed in may read a public or unlisted room's; a private room's or a DM's only its members. */
export async function getRoom(deps: DomainDeps, principal: Principal, roomId: string): Promise<Room> {
  const room = await findRoom(deps.db, roomId);
  if (!room) throw new AppError('ROOM_NOT_FOUND');
  if ((room.kind === 'dm' || room.visibility === 'private') && !(await findMembership(deps.db, roomId, principal.userId))) throw new AppError('ROOM_NOT_FOUND');
  return room;
}

export function discover(deps: DomainDeps, query: RoomDiscoveryQuery): Promise<Room[]> {
  return discoverRooms(deps.db, {
    q: query.q,
    tag: query.tag?.toLowerCase(),
    limit: query.limit ?? 20,
    offset: query.offset ?? 0,
  });
}

/**
 * The caller's membership of a room, or the reason there is none. Every read or write of a
 * room's content goes through here, so "non-members see nothing" holds in one place. A private
 * room does not exist for those outside it.
 */
export async function requireMembership(db: Executor, principal: Principal, roomId: string): Promise<Membership> {
  const membership = await findMembership(db, roomId, principal.userId);
  if (membership) return membership;
  const room = await findRoom(db, roomId);
  if (!room || room.visibility === 'private') throw new AppError('ROOM_NOT_FOUND');
  throw new AppError('NOT_A_MEMBER');
}

export async function membersOf(deps: DomainDeps, principal: Principal, roomId: string): Promise<Member[]> {
  await requireMembership(deps.db, principal, roomId);
  return listMembers(deps.db, roomId);
}

/** Owner and admins change the room's name, topic, tags, join policy and limits. */
export async function updateRoom(deps: DomainDeps, principal: Principal, roomId: string, input: UpdateRoomBody): Promise<Room> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'room.configure');
  const values: Parameters<typeof updateRoomSettings>[2] = {};
  if (input.name !== undefined) {
    values.name = input.name.trim();
    if (values.name === '') throw new AppError('VALIDATION_FAILED', 'name must not be blank', { field: 'body.name' });
  }
  if (input.topic !== undefined) values.topic = input.topic.trim();
  // Strangers read a room's name and topic in discovery: no role exempts them from the rules.
  const writer = { userId: principal.userId, role: null };
  for (const [field, text] of [['body.name', values.name], ['body.topic', values.topic], ['body.joinQuestion', input.joinQuestion]] as const) {
    if (text) await ensureTextPasses(deps, text, field, writer, roomId);
  }
  if (input.tags !== undefined) values.tags = normalizeTags(input.tags);
  if (input.joinPolicy !== undefined) values.joinPolicy = input.joinPolicy;
  if (input.joinQuestion !== undefined) values.joinQuestion = input.joinQuestion.trim();
  if (input.membersCanInvite !== undefined) values.membersCanInvite = input.membersCanInvite;
  if (input.visibility !== undefined) values.visibility = input.visibility;
  if (input.preview !== undefined) values.preview = input.preview;
  if (input.membersProposeEvents !== undefined) values.membersProposeEvents = input.membersProposeEvents;
  if (input.membersCanForward !== undefined) {
    // Whether words leave the room is the owner's call, as with photos' originals.
    authorize(me.role, 'room.forwarding');
    values.membersCanForward = input.membersCanForward;
  }
  if (input.keepImageOriginals !== undefined) {
    // Serving originals publishes members' locations: the owner's call, not an admin's.
    authorize(me.role, 'room.keepImageOriginals');
    values.keepImageOriginals = input.keepImageOriginals;
  }
  return commit(deps, async (tx) => {
    const locked = await findRoomForUpdate(tx, roomId);
    if (!locked) throw new AppError('ROOM_NOT_FOUND');
    if (input.memberLimit !== undefined) {
      if (input.memberLimit > deps.config.memberLimitMax) {
        throw new AppError('VALIDATION_FAILED', `memberLimit may be at most ${deps.config.memberLimitMax} on this server`, { field: 'body.memberLimit' });
      }
      if (input.memberLimit < locked.memberCount) {
        throw new AppError('MEMBER_LIMIT_TOO_LOW', `The room has ${locked.memberCount} members already`, { memberCount: locked.memberCount });
      }
      values.memberLimit = input.memberLimit;
    }
    const room = (await updateRoomSettings(tx, roomId, values))!;
    return { events: { kind: 'room.updated', roomId, room, fields: { ...input }, by: actor(principal) }, value: room };
  });
}

/** The owner dissolves the room: it and its history are deleted, and every member is told. */
export async function dissolveRoom(deps: DomainDeps, principal: Principal, roomId: string): Promise<void> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'room.dissolve');
  // The room's attachment rows go with it (cascade); their files are released afterwards, except
  // those another room's live rows also name. An upload racing the deletion leaves a file only
  // the listing sweep finds, a day later at most.
  const keys = await keysOfRoom(deps.db, roomId);
  await commit(deps, async (tx) => {
    const memberIds = (await listMembers(tx, roomId)).map((m) => m.user.id);
    await deleteRoom(tx, roomId);
    return { events: { kind: 'room.dissolved', roomId, memberIds }, value: undefined };
  });
  releaseInBackground(deps, keys, { roomId, reason: 'dissolved' });
}
