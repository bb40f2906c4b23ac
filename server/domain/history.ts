/** Reading a room's stored messages: history pages and catch-up after a disconnect. */
import { SYNC_PAGE_SIZE, type MessagePage, type SyncResult } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { listRoomIdsOfUser } from '../store/members.ts';
import { pageMessages } from '../store/messages.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';

export async function readHistory(
  deps: DomainDeps,
  principal: Principal,
  roomId: string,
  query: { before?: number; after?: number; limit: number },
): Promise<MessagePage> {
  if (query.before !== undefined && query.after !== undefined) {
    throw new AppError('VALIDATION_FAILED', 'Give either before or after, not both');
  }
  await requireMembership(deps.db, principal, roomId);
  return pageMessages(deps.db, roomId, { before: query.before, after: query.after }, query.limit);
}

/**
 * For each room the client names, the messages after the seq it last saw — bounded per room;
 * `hasMore` tells the client to sync again from the last seq it got.
 */
export async function syncRooms(deps: DomainDeps, principal: Principal, cursors: Record<string, number>): Promise<SyncResult> {
  const memberOf = new Set(await listRoomIdsOfUser(deps.db, principal.userId));
  const result: SyncResult = { rooms: {}, notMember: [] };
  for (const [roomId, lastSeen] of Object.entries(cursors)) {
    const id = roomId.toLowerCase();
    if (!memberOf.has(id)) {
      result.notMember.push(roomId);
      continue;
    }
    result.rooms[roomId] = await pageMessages(deps.db, id, { after: lastSeen }, SYNC_PAGE_SIZE);
  }
  return result;
}
