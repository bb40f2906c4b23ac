import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { roomChanges, rooms } from '../../drizzle/schema.ts';
import type { RoomChange } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

/**
 * Appends to the room's change feed inside the caller's transaction, so the state change and
 * its feed entry commit together. The room row lock orders concurrent changes.
 */
/** A change before it has a position: its kind and the payload that kind carries. */
export type ChangeDraft = RoomChange extends infer C ? (C extends RoomChange ? { kind: C['kind']; payload: C['payload'] } : never) : never;

export async function appendChange(tx: Executor, roomId: string, { kind, payload }: ChangeDraft): Promise<RoomChange> {
  const [row] = await tx
    .update(rooms)
    .set({ lastChange: sql`${rooms.lastChange} + 1` })
    .where(eq(rooms.id, roomId))
    .returning({ position: rooms.lastChange });
  if (!row) throw new Error(`room ${roomId} vanished while recording a change`);
  const createdAt = new Date();
  await tx.insert(roomChanges).values({ roomId, position: row.position, kind, payload, createdAt });
  return { roomId, position: row.position, kind, payload, createdAt: createdAt.toISOString() } as RoomChange;
}

export async function changesAfter(db: Executor, roomId: string, after: number, limit: number): Promise<RoomChange[]> {
  const rows = await db
    .select()
    .from(roomChanges)
    .where(and(eq(roomChanges.roomId, roomId), gt(roomChanges.position, after)))
    .orderBy(asc(roomChanges.position))
    .limit(limit);
  // Stored by appendChange from a typed draft.
  return rows.map((row) => ({ roomId: row.roomId, position: row.position, kind: row.kind, payload: row.payload, createdAt: row.createdAt.toISOString() }) as RoomChange);
}
