/**
 * Erases the text of recalled messages once the retention period (RECALL_RETENTION_DAYS) has
 * passed. Every gateway runs it; the sweep is one idempotent UPDATE, so overlapping runs on
 * several gateways only repeat work. Reading a recalled message also checks retention itself,
 * so nothing is shown late between sweeps.
 */
import type { DomainDeps } from '../domain/deps.ts';
import { purgeRecalledText } from '../domain/recall.ts';
import { startPeriodic, type Job } from './periodic.ts';

const SWEEP_EVERY_MS = 60 * 60 * 1000;
/** The first sweep waits a little, so start-up (and short test runs) stay quiet. */
const FIRST_SWEEP_AFTER_MS = 60 * 1000;

export function startRecallPurge(deps: Pick<DomainDeps, 'config' | 'db' | 'log'>, everyMs = SWEEP_EVERY_MS): Job {
  return startPeriodic({
    firstAfterMs: FIRST_SWEEP_AFTER_MS,
    everyMs,
    log: deps.log,
    failure: 'purging recalled messages failed; will retry',
    run: async () => {
      const erased = await purgeRecalledText(deps);
      if (erased > 0) deps.log.info({ erased }, 'erased the text of recalled messages past retention');
    },
  });
}
