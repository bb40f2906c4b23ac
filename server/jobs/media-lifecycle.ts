/**
 * The media sweeps (server/domain/media-lifecycle.ts), on every gateway: each run removes the
 * attachments whose time is up and deletes the files no live row names any more; every 24th run
 * also lists the storage for files no row names at all. Runs on several gateways overlap
 * harmlessly: the updates are idempotent and every delete re-checks under the key's lock.
 */
import type { DomainDeps } from '../domain/deps.ts';
import { sweepMedia, sweepUnreferencedFiles } from '../domain/media-lifecycle.ts';
import { startPeriodic, type Job } from './periodic.ts';

/** The first run waits a little, so start-up (and short test runs) stay quiet. */
const FIRST_RUN_AFTER_MS = 2 * 60 * 1000;
/** Listing every stored file costs one request per 1,000 of them on S3: once a day is plenty for crash leftovers. */
const LISTING_EVERY_RUNS = 24;

export function startMediaLifecycle(deps: DomainDeps, everyMs = deps.config.mediaSweepIntervalMinutes * 60_000): Job {
  let runs = 0;
  return startPeriodic({
    firstAfterMs: FIRST_RUN_AFTER_MS,
    everyMs,
    log: deps.log,
    failure: 'media sweep failed; will retry',
    run: async () => {
      // The listing runs on the first run, then once every LISTING_EVERY_RUNS.
      const listing = runs++ % LISTING_EVERY_RUNS === 0;
      const sweep = await sweepMedia(deps);
      if (sweep.heldExpired + sweep.recalledRemoved + sweep.rejectedRemoved + sweep.unsentRemoved + sweep.rowsReleased > 0) deps.log.info(sweep, 'media sweep removed expired attachments');
      if (listing) {
        const found = await sweepUnreferencedFiles(deps);
        if (found.deleted > 0) deps.log.info(found, 'media sweep deleted stored files no attachment names');
      }
    },
  });
}
