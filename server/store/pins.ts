/** Pinned messages of a room. */
import { and, count, desc, eq } from 'drizzle-orm';
import { pins } from '../../drizzle/schema.ts';
import type { Executor } from './db.ts';

export interface PinRecord {
  seq: number;
  pinnedBy: string;
  pinnedAt: Date;
}

export async function findPin(db: Executor, roomId: string, seq: number): Promise<PinRecord | null> {
  const rows = await db
    .select({ seq: pins.seq, pinnedBy: pins.pinnedBy, pinnedAt: pins.pinnedAt })
    .from(pins)
    .where(and(eq(pins.roomId, roomId), eq(pins.seq, seq)))
    .limit(1);
  return rows[0] ?? null;
}

export async function countPins(db: Executor, roomId: string): Promise<number> {
  const rows = await db.select({ n: count() }).from(pins).where(eq(pins.roomId, roomId));
  return Number(rows[0]?.n ?? 0);
}

export async function insertPin(db: Executor, values: { roomId: string; seq: number; pinnedBy: string; pinnedAt: Date }): Promise<void> {
  await db.insert(pins).values(values);
}

/** False when the message was not pinned. */
export async function deletePin(db: Executor, roomId: string, seq: number): Promise<boolean> {
  const rows = await db
    .delete(pins)
    .where(and(eq(pins.roomId, roomId), eq(pins.seq, seq)))
    .returning({ seq: pins.seq });
  return rows.length > 0;
}

export async function listPins(db: Executor, roomId: string): Promise<PinRecord[]> {
  return db
    .select({ seq: pins.seq, pinnedBy: pins.pinnedBy, pinnedAt: pins.pinnedAt })
    .from(pins)
    .where(eq(pins.roomId, roomId))
    .orderBy(desc(pins.pinnedAt), desc(pins.seq));
}
