/**
 * Where each member has read up to in each room, and the unread counts that follow. A read
 * position only moves forward and never past the room's newest message; the user's sockets on
 * every gateway hear of the move, so a second device clears its badge.
 */
import type { MyRoomWithReadState, ReadPosition, RoomReadState } from '../../shared/schemas.ts';
import { advanceReadPosition, readStatesOfUser } from '../store/read-state.ts';
import { listRoomsOfUser } from '../store/members.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';

const NOTHING_READ: RoomReadState = { lastReadSeq: 0, unread: 0, unreadMentions: 0, badge: 0 };

/**
 * Marks everything up to `seq` read. A seq beyond the room's lastSeq is clamped to it (a client
 * may say "all of it" without knowing the newest seq); an older position than the stored one
 * changes nothing and answers with the stored one.
 */
export async function markRead(deps: DomainDeps, principal: Principal, roomId: string, seq: number): Promise<ReadPosition> {
  await requireMembership(deps.db, principal, roomId);
  const moved = await advanceReadPosition(deps.db, roomId, principal.userId, seq);
  const state = (await readStatesOfUser(deps.db, principal.userId, roomId)).get(roomId) ?? NOTHING_READ;
  const position: ReadPosition = { roomId, seq: state.lastReadSeq, unread: state.unread, unreadMentions: state.unreadMentions, badge: state.badge };
  if (moved !== null) deps.live.publishToUsers([principal.userId], 'read', position);
  return position;
}

/** The user's rooms, each with its read position and unread counts (for `GET /v1/me`). */
export async function roomsWithReadState(deps: DomainDeps, principal: Principal): Promise<MyRoomWithReadState[]> {
  // One snapshot for both: read apart, a message stored in between was in one room's lastSeq but
  // not in its unread count (or the other way round), and the client then missed or doubled it.
  const [rooms, states] = await deps.db.transaction(
    async (tx) => [await listRoomsOfUser(tx, principal.userId), await readStatesOfUser(tx, principal.userId)] as const,
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  // A room joined between the two reads has nothing read yet.
  return rooms.map((room) => ({ ...room, ...(states.get(room.id) ?? NOTHING_READ) }));
}
