/** Opening the DM room of a pair: created once, with both as plain members, by whoever writes first. */
import { randomUUID } from 'node:crypto';
import type { Room } from '../../shared/schemas.ts';
import { findDmRoom, insertDmRoom } from '../store/dm-rooms.ts';
import type { DomainDeps } from './deps.ts';
import { commit } from './room-events.ts';

/** The pair's DM room, created with both as members when there is none yet. */
export async function openDmRoom(deps: DomainDeps, initiatorId: string, peerId: string): Promise<Room> {
  const created = await commit(deps, async (tx) => {
    const room = await insertDmRoom(tx, { id: randomUUID(), initiatorId, peerId });
    return { events: room ? { kind: 'dm.opened', roomId: room.id, room, userIds: [initiatorId, peerId] } : null, value: room };
  });
  // Null: the other side's first message created it a moment ago.
  return created ?? (await findDmRoom(deps.db, initiatorId, peerId))!;
}
