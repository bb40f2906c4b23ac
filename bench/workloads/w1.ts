/** W1 rooms: 20 rooms × 50 members, one sender per room, the offered rate stepped up to saturation. */
import type { WorkloadContext } from './context.ts';
import { runStepped, type SteppedResult } from './stepped.ts';

export const W1_TAG = 'w1';

export function runW1(ctx: WorkloadContext, steps = ctx.profile.w1.steps): Promise<SteppedResult> {
  const { rooms, members } = ctx.profile.w1;
  return runStepped(ctx, { tag: W1_TAG, rooms, members, sendersPerRoom: 1 }, steps);
}
