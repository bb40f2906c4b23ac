/**
 * Fires scheduled posts. Every gateway ticks every SCHEDULER_TICK_MS; a tick claims due runs
 * and moves each schedule to its next run in one transaction (`FOR UPDATE SKIP LOCKED`), so
 * a run is taken by exactly one gateway, then posts them. A gateway that dies between claim
 * and post loses that run (at most once); the run's idempotency key keeps it from ever
 * appearing twice.
 */
import type { DomainDeps } from '../domain/deps.ts';
import { nextRun } from '../domain/schedule-time.ts';
import { fireScheduledRun } from '../domain/scheduled-posts.ts';
import { claimDueRuns } from '../store/scheduled-posts.ts';

const BATCH = 20;

export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(deps: DomainDeps): Scheduler {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = async () => {
    try {
      for (let round = 0; round < 10 && !stopped; round++) {
        const now = new Date();
        const runs = await claimDueRuns(deps.db, now, BATCH, (post, dueAt) => nextRun(post.schedule, post.timeZone, now, dueAt));
        for (const run of runs) await fireScheduledRun(deps, run);
        if (runs.length < BATCH) return;
      }
    } catch (error) {
      deps.log.error({ err: error }, 'scheduler tick failed; will retry');
    }
  };
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = tick().finally(() => (running = null));
  }, deps.config.schedulerTickMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
