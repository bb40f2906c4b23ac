/**
 * W2 big group: one room of 1,000 (and 2,000) members. Ten members take turns sending, as in a
 * busy big group; each message fans out to every other member.
 */
import type { WorkloadContext } from './context.ts';
import { runStepped, type SteppedResult } from './stepped.ts';

export interface W2Result {
  byMembers: Record<string, SteppedResult>;
}

export async function runW2(ctx: WorkloadContext, steps = ctx.profile.w2.steps): Promise<W2Result> {
  const byMembers: Record<string, SteppedResult> = {};
  for (const members of ctx.profile.w2.memberCounts) {
    ctx.log(`  — ${members} members`);
    byMembers[String(members)] = await runStepped(
      ctx,
      { tag: `w2-${members}`, rooms: 1, members, sendersPerRoom: ctx.profile.w2.senders },
      steps,
    );
  }
  return { byMembers };
}
