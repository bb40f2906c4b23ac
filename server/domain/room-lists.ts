/**
 * A gateway's memory of which rooms each user is in. A reconnecting socket's handshake, the
 * presence notice of its user coming back and its first sync each need the list; under a wave of
 * reconnects those were three database reads apiece (see fact-cache.ts for expiry and sharing).
 *
 * Every membership change (create, join, leave, kick, ban, dissolve, a bot added or removed) goes
 * through LiveUpdates.addUserToRoom / removeUserFromRoom, which make every gateway forget the
 * user's list before the change is acknowledged: a stale list would put a reconnecting socket in a
 * room its user has left.
 */
import { listRoomIdsOfUser } from '../store/members.ts';
import type { DomainDeps } from './deps.ts';

/** The ids of the rooms `userId` is a member of. Shared between callers: do not change it. */
export async function roomIdsOfUser(deps: Pick<DomainDeps, 'db' | 'roomLists'>, userId: string): Promise<readonly string[]> {
  const { value } = await deps.roomLists.lookup(userId, () => listRoomIdsOfUser(deps.db, userId));
  return value;
}
