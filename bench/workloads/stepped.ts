/** W1–W3 share one form: provision a room shape on every side, then climb the A/B ladder. */
import { runLadder, type LadderResult } from '../ladder.ts';
import type { WorkloadContext } from './context.ts';
import { openRooms, type OpenRooms, type RoomsShape } from './rooms.ts';

export interface SteppedResult {
  shape: RoomsShape;
  sides: { kind: string; label: string }[];
  ladder: LadderResult;
}

export async function runStepped(ctx: WorkloadContext, shape: RoomsShape, steps: number[]): Promise<SteppedResult> {
  const open: OpenRooms[] = [];
  try {
    for (const side of ctx.sides) open.push(await openRooms(side, shape, ctx.log));
    const ladder = await runLadder(
      open.map((o) => ({ side: o.side, fleet: o.fleet, senders: o.senders })),
      {
        steps,
        rounds: ctx.profile.rounds,
        seconds: ctx.profile.stepSeconds,
        drainMs: ctx.profile.drainMs,
        settleMs: ctx.profile.settleMs,
        nextStepId: ctx.nextStepId,
        log: ctx.log,
      },
    );
    return { shape, sides: ctx.sides.map((s) => ({ kind: s.kind, label: s.label })), ladder };
  } finally {
    for (const o of open) o.fleet.close();
  }
}
