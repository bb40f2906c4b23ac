/**
 * The room's staff decisions as precedents for what is sent next (server/safety/precedents.ts):
 * each gateway keeps a room's recent decisions in memory for a few seconds, so a send reads no
 * extra row, and forgets them as soon as a decision is made here. Another gateway sees a new
 * decision within PRECEDENT_TTL_MS, when it reads the room's decisions again.
 */
import { LruMap } from '../lru-map.ts';
import { shapeOf, type Precedent } from '../safety/precedents.ts';
import type { Executor } from '../store/db.ts';
import { recentSafetyDecisions } from '../store/safety-decisions.ts';

export const PRECEDENT_TTL_MS = 5_000;
/** Decisions per room compared with each message: waves of spam are recent; older ones went into training. */
const DECISIONS_PER_ROOM = 500;
const ROOMS_REMEMBERED = 5_000;

export class RoomPrecedents {
  private readonly rooms = new LruMap<string, { readAt: number; precedents: Promise<Precedent[]> }>(ROOMS_REMEMBERED);

  /** The room's precedents, read at most once per PRECEDENT_TTL_MS on this gateway. */
  of(db: Executor, roomId: string, now = Date.now()): Promise<Precedent[]> {
    const known = this.rooms.get(roomId);
    if (known && now - known.readAt < PRECEDENT_TTL_MS) return known.precedents;
    const precedents = read(db, roomId);
    this.rooms.set(roomId, { readAt: now, precedents });
    // A failed read is not remembered: the next send tries again.
    precedents.catch(() => this.rooms.delete(roomId));
    return precedents;
  }

  forget(roomId: string): void {
    this.rooms.delete(roomId);
  }
}

async function read(db: Executor, roomId: string): Promise<Precedent[]> {
  const decisions = await recentSafetyDecisions(db, roomId, DECISIONS_PER_ROOM);
  const precedents: Precedent[] = [];
  for (const decision of decisions) {
    const shape = shapeOf(decision.text);
    if (shape) precedents.push({ decision: decision.decision, decidedAt: decision.decidedAt, shape });
  }
  return precedents;
}
