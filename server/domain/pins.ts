/** Pinned messages (置顶): owner and admins pin up to MAX_PINS_PER_ROOM messages per room. */
import { MAX_PINS_PER_ROOM, type Pin } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import type { Executor } from '../store/db.ts';
import { messagesInRange } from '../store/messages.ts';
import { countPins, deletePin, findPin, insertPin, listPins, type PinRecord } from '../store/pins.ts';
import { findRoomForUpdate } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import { requireMessage } from './message-target.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit } from './room-events.ts';

export async function pinMessage(deps: DomainDeps, principal: Principal, roomId: string, seq: number): Promise<{ pin: Pin; changed: boolean }> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  authorize(role, 'message.pin');

  const { record, changed } = await commit(deps, async (tx) => {
    // The room lock makes "count, then insert" safe against a concurrent sixth pin.
    if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
    const target = await requireMessage(tx, roomId, seq);
    if (target.recalledAt) throw new AppError('MESSAGE_RECALLED', 'A recalled message cannot be pinned');
    const existing = await findPin(tx, roomId, seq);
    if (existing) return { events: null, value: { record: existing, changed: false } };
    if ((await countPins(tx, roomId)) >= MAX_PINS_PER_ROOM) {
      throw new AppError('PIN_LIMIT_REACHED', `A room can have at most ${MAX_PINS_PER_ROOM} pinned messages; unpin one first`, { limit: MAX_PINS_PER_ROOM });
    }
    const record: PinRecord = { seq, pinnedBy: principal.userId, pinnedAt: new Date() };
    await insertPin(tx, { roomId, ...record });
    return { events: { kind: 'message.pinned', roomId, seq, pinnedAt: record.pinnedAt, by: actor(principal) }, value: { record, changed: true } };
  });

  const [pin] = await withMessages(deps.db, roomId, [record]);
  return { pin: pin!, changed };
}

export async function unpinMessage(deps: DomainDeps, principal: Principal, roomId: string, seq: number): Promise<{ changed: boolean }> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  authorize(role, 'message.pin');
  return commit<{ changed: boolean }>(deps, async (tx) => {
    if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
    await requireMessage(tx, roomId, seq);
    if (!(await deletePin(tx, roomId, seq))) return { events: null, value: { changed: false } };
    return { events: { kind: 'message.unpinned', roomId, seq, by: actor(principal) }, value: { changed: true } };
  });
}

export async function pinsOf(deps: DomainDeps, principal: Principal, roomId: string): Promise<Pin[]> {
  await requireMembership(deps.db, principal, roomId);
  return withMessages(deps.db, roomId, await listPins(deps.db, roomId));
}

async function withMessages(db: Executor, roomId: string, records: PinRecord[]): Promise<Pin[]> {
  // At most MAX_PINS_PER_ROOM lookups.
  const pins: Pin[] = [];
  for (const record of records) {
    const [message] = await messagesInRange(db, roomId, record.seq, record.seq);
    if (message) pins.push({ seq: record.seq, pinnedBy: record.pinnedBy, pinnedAt: record.pinnedAt.toISOString(), message });
  }
  return pins;
}
