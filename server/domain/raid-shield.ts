/**
 * Raids (issue #18): a leaked link or a spam crew working the directory brings dozens of new
 * accounts into an open room within a minute, each about to post. When the joins within the
 * room's window reach its policy's threshold, the room shields itself: new members must ask to
 * join (approval) and slow mode holds, for `shieldSeconds`, and everyone — staff first of all —
 * reads why in the timeline. The shield lifts by itself (jobs/raid-shields.ts), putting back
 * what it replaced unless staff changed it meanwhile.
 */
import { countJoinsSince } from '../store/members.ts';
import { liftDueRaidShields, lockRoomForShield, raiseRaidShield } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import { commit } from './room-events.ts';
import { policyFor } from './safety-gate.ts';

/** After someone joined an open room: raises the shield if this join completed a wave. */
export async function shieldAfterJoin(deps: DomainDeps, roomId: string): Promise<void> {
  await commit(deps, async (tx) => {
    const room = await lockRoomForShield(tx, roomId);
    // Under the room's lock, so of two joins completing the wave at once one raises it.
    if (!room || room.joinPolicy !== 'open' || room.shieldedUntil) return { events: null, value: undefined };
    const { raid } = policyFor(roomId, room.safetyPolicy);
    if (raid.joins === 0) return { events: null, value: undefined };
    const now = Date.now();
    // Joins before the last shield ended were that wave's: the next wave counts from there.
    const since = Math.max(now - raid.windowSeconds * 1000, room.lastShieldEndedAt?.getTime() ?? 0);
    const joins = await countJoinsSince(tx, roomId, new Date(since));
    if (joins < raid.joins) return { events: null, value: undefined };
    const until = new Date(now + raid.shieldSeconds * 1000);
    const shielded = await raiseRaidShield(tx, roomId, until, raid.slowModeSeconds, { joinPolicy: room.joinPolicy, slowModeSeconds: room.slowModeSeconds });
    deps.log.warn({ roomId, joins, windowSeconds: raid.windowSeconds, until: until.toISOString() }, 'join wave: raid shield raised');
    return { events: { kind: 'room.raidShield', roomId, room: shielded, joins, windowSeconds: raid.windowSeconds, until }, value: undefined };
  });
}

/** Lifts the shields that are due; the number lifted (a full batch means: call again). */
export async function liftDueShields(deps: DomainDeps, batch = 50): Promise<number> {
  return commit(deps, async (tx) => {
    const lifted = await liftDueRaidShields(tx, new Date(), batch);
    return { events: lifted.map((room) => ({ kind: 'room.raidShieldLifted' as const, roomId: room.id, room })), value: lifted.length };
  });
}
