/** Reading a room's stored messages: history pages and catch-up after a disconnect. */
import { DEFAULT_PAGE_SIZE, SYNC_CHANGES_PAGE, SYNC_PAGE_SIZE, SYNC_RESET_GAP, type MessagePage, type RoomSync, type SyncResult } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { changesAfter } from '../store/changes.ts';
import { findSpeaker } from '../store/members.ts';
import { pageMessages } from '../store/messages.ts';
import { findRoom } from '../store/rooms.ts';
import { requireScope } from './bots.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { roomIdsOfUser } from './room-lists.ts';
import { requireMembership } from './rooms.ts';

export async function readHistory(
  deps: DomainDeps,
  principal: Principal,
  roomId: string,
  query: { before?: number; after?: number; limit: number },
): Promise<MessagePage> {
  if (query.before !== undefined && query.after !== undefined) {
    throw new AppError('VALIDATION_FAILED', 'Give either before or after, not both', { field: 'querystring.after' });
  }
  requireScope(principal, 'messages:read');
  // The same remembered membership the send path uses: leaving, kicks, bans and dissolving forget it.
  const { speaker } = await deps.speakers.lookup(roomId, principal.userId, () => findSpeaker(deps.db, roomId, principal.userId));
  if (!speaker) await requireMembership(deps.db, principal, roomId);
  return pageMessages(deps.db, roomId, { before: query.before, after: query.after }, query.limit, principal.userId);
}

type Cursor = number | { seq: number; change?: number };

/**
 * For each room the client names, what happened after its cursor: new messages (bounded per
 * room; `hasMore` says sync again) and, when asked, the change feed. A client too far behind
 * gets `reset` and the newest page instead of a long replay.
 */
export async function syncRooms(deps: DomainDeps, principal: Principal, cursors: Record<string, Cursor>): Promise<SyncResult> {
  const memberOf = new Set(await roomIdsOfUser(deps, principal.userId));
  const result: SyncResult = { rooms: {}, notMember: [] };
  for (const [roomId, cursor] of Object.entries(cursors)) {
    const id = roomId.toLowerCase();
    if (!memberOf.has(id)) {
      result.notMember.push(roomId);
      continue;
    }
    result.rooms[roomId] = await syncRoom(deps, principal.userId, id, typeof cursor === 'number' ? { seq: cursor } : cursor);
  }
  return result;
}

async function syncRoom(deps: DomainDeps, viewerId: string, roomId: string, cursor: { seq: number; change?: number }): Promise<RoomSync> {
  const room = await findRoom(deps.db, roomId);
  if (!room) return { messages: [], hasMore: false };
  const tooFarBehind =
    room.lastSeq - cursor.seq > SYNC_RESET_GAP || (cursor.change !== undefined && room.lastChange - cursor.change > SYNC_CHANGES_PAGE);
  if (tooFarBehind || cursor.seq > room.lastSeq) {
    // Also a reset when the client claims more than exists: its state belongs to another history.
    const newest = await pageMessages(deps.db, roomId, {}, DEFAULT_PAGE_SIZE, viewerId);
    return { ...newest, reset: true, lastChange: room.lastChange };
  }
  const page = await pageMessages(deps.db, roomId, { after: cursor.seq }, SYNC_PAGE_SIZE, viewerId);
  if (cursor.change === undefined) return page;
  const changes = await changesAfter(deps.db, roomId, cursor.change, SYNC_CHANGES_PAGE);
  return { ...page, changes, lastChange: room.lastChange };
}
