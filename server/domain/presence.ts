/**
 * Who of a room's members is online, and telling the room when that changes. Whether a user is
 * online is the presence component's business (server/presence/); this file decides what the
 * rooms hear: a user's first socket anywhere → `presence` online to each of their rooms, their
 * last socket gone (or their gateway dead) → offline. A user who hides their presence
 * (showPresence false) is never announced and never listed online, anywhere.
 */
import type { PresenceEvent, RoomPresence } from '../../shared/schemas.ts';
import type { PresenceChange } from '../presence/presence.ts';
import { listMembers } from '../store/members.ts';
import { presenceHiddenAmong } from '../store/profiles.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { roomIdsOfUser } from './room-lists.ts';
import { requireMembership } from './rooms.ts';

export async function announcePresence(deps: DomainDeps, change: PresenceChange): Promise<void> {
  if ((await presenceHiddenAmong(deps.db, [change.userId])).size > 0) return;
  await tellRooms(deps, change);
}

/** Tells each of the user's rooms, whatever their setting: also what a change of the setting itself announces. */
export async function tellRooms(deps: DomainDeps, change: PresenceChange): Promise<void> {
  const roomIds = await roomIdsOfUser(deps, change.userId);
  for (const roomId of roomIds) {
    const event: PresenceEvent = { roomId, userId: change.userId, online: change.online };
    deps.live.publishRoomEvent(roomId, 'presence', event);
  }
}

export async function roomPresence(deps: DomainDeps, principal: Principal, roomId: string): Promise<RoomPresence> {
  await requireMembership(deps.db, principal, roomId);
  const members = await listMembers(deps.db, roomId);
  const ids = members.map((member) => member.user.id);
  const [online, hidden] = await Promise.all([deps.presence.onlineAmong(ids), presenceHiddenAmong(deps.db, ids)]);
  const users = members.filter((member) => online.has(member.user.id) && !hidden.has(member.user.id)).map((member) => ({ id: member.user.id, displayName: member.user.displayName }));
  return { online: users, count: users.length };
}
