/**
 * Erases the text of recalled messages once the retention period (RECALL_RETENTION_DAYS) has
 * passed. Every gateway runs it; the sweep is one idempotent UPDATE, so overlapping runs on
 * several gateways only repeat work. Reading a recalled message also checks retention itself,
 * so nothing is shown late between sweeps.
 */
import type { DomainDeps } from '../domain/deps.ts';
import { purgeRecalledText } from '../domain/recall.ts';

const SWEEP_EVERY_MS = 60 * 60 * 1000;
/** The first sweep waits a little, so start-up (and short test runs) stay quiet. */
const FIRST_SWEEP_AFTER_MS = 60 * 1000;

export interface Job {
  stop(): void;
}

export function startRecallPurge(deps: Pick<DomainDeps, 'config' | 'db' | 'log'>, everyMs = SWEEP_EVERY_MS): Job {
  let running = false;
  let stopped = false;
  const sweep = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const erased = await purgeRecalledText(deps);
      if (erased > 0) deps.log.info({ erased }, 'erased the text of recalled messages past retention');
    } catch (error) {
      deps.log.error({ err: error }, 'purging recalled messages failed; will retry');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void sweep(), Math.min(FIRST_SWEEP_AFTER_MS, everyMs));
  const timer = setInterval(() => void sweep(), everyMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
