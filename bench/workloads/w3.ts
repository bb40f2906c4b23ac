/**
 * W3 per-message cost: 500 rooms × 2 members, so fan-out is one delivery and the figure is
 * what storing and acknowledging a message costs — durably acknowledged messages per second.
 */
import type { WorkloadContext } from './context.ts';
import { runStepped, type SteppedResult } from './stepped.ts';

export function runW3(ctx: WorkloadContext, steps = ctx.profile.w3.steps): Promise<SteppedResult> {
  const { rooms, members } = ctx.profile.w3;
  return runStepped(ctx, { tag: 'w3', rooms, members, sendersPerRoom: 1 }, steps);
}
