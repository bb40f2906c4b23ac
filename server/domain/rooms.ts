/** Creating, finding, joining and leaving rooms. */
import { randomUUID } from 'node:crypto';
import type { CreateRoomBody, Member, MyRoom, Role, Room, RoomDiscoveryQuery } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import type { Executor } from '../store/db.ts';
import { deleteMember, findMembership, insertMember, listMembers, listRoomsOfUser, type Membership } from '../store/members.ts';
import { adjustMemberCount, discoverRooms, findRoom, findRoomForUpdate, insertRoom } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';

const DEFAULT_MEMBER_LIMIT = 500;

export async function createRoom(deps: DomainDeps, principal: Principal, input: CreateRoomBody): Promise<Room> {
  const name = input.name.trim();
  if (name === '') throw new AppError('VALIDATION_FAILED', 'name must not be blank');
  const room = await deps.db.transaction(async (tx) => {
    const created = await insertRoom(tx, {
      id: randomUUID(),
      name,
      topic: input.topic?.trim() ?? '',
      tags: normalizeTags(input.tags ?? []),
      ownerId: principal.userId,
      memberLimit: DEFAULT_MEMBER_LIMIT,
    });
    await insertMember(tx, { roomId: created.id, userId: principal.userId, role: 'owner' });
    return adjustMemberCount(tx, created.id, 1);
  });
  await deps.live.addUserToRoom(principal.userId, room.id);
  return room;
}

function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== ''))];
}

export async function getRoom(deps: DomainDeps, roomId: string): Promise<Room> {
  const room = await findRoom(deps.db, roomId);
  if (!room) throw new AppError('ROOM_NOT_FOUND');
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

export function roomsOf(deps: DomainDeps, principal: Principal): Promise<MyRoom[]> {
  return listRoomsOfUser(deps.db, principal.userId);
}

export async function joinRoom(deps: DomainDeps, principal: Principal, roomId: string): Promise<{ room: Room; role: Role }> {
  const room = await deps.db.transaction(async (tx) => {
    const locked = await findRoomForUpdate(tx, roomId);
    if (!locked) throw new AppError('ROOM_NOT_FOUND');
    if (await findMembership(tx, roomId, principal.userId)) throw new AppError('ALREADY_MEMBER');
    if (locked.memberCount >= locked.memberLimit) {
      throw new AppError('ROOM_FULL', `This room is full (${locked.memberLimit} members)`, { memberLimit: locked.memberLimit });
    }
    await insertMember(tx, { roomId, userId: principal.userId, role: 'member' });
    return adjustMemberCount(tx, roomId, 1);
  });
  await deps.live.addUserToRoom(principal.userId, roomId);
  return { room, role: 'member' };
}

export async function leaveRoom(deps: DomainDeps, principal: Principal, roomId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const locked = await findRoomForUpdate(tx, roomId);
    if (!locked) throw new AppError('ROOM_NOT_FOUND');
    const membership = await findMembership(tx, roomId, principal.userId);
    if (!membership) throw new AppError('NOT_A_MEMBER');
    if (membership.role === 'owner') throw new AppError('OWNER_CANNOT_LEAVE');
    await deleteMember(tx, roomId, principal.userId);
    await adjustMemberCount(tx, roomId, -1);
  });
  await deps.live.removeUserFromRoom(principal.userId, roomId);
}

/**
 * The caller's membership of a room, or the reason there is none. Every read or write of a
 * room's content goes through here, so "non-members see nothing" holds in one place.
 */
export async function requireMembership(db: Executor, principal: Principal, roomId: string): Promise<Membership> {
  const membership = await findMembership(db, roomId, principal.userId);
  if (membership) return membership;
  if (!(await findRoom(db, roomId))) throw new AppError('ROOM_NOT_FOUND');
  throw new AppError('NOT_A_MEMBER');
}

export async function membersOf(deps: DomainDeps, principal: Principal, roomId: string): Promise<Member[]> {
  await requireMembership(deps.db, principal, roomId);
  return listMembers(deps.db, roomId);
}
