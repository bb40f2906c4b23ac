/**
 * The media sweeps (server/domain/media-lifecycle.ts), on every gateway: each run removes the
 * attachments whose time is up and deletes the files no live row names any more; every 24th run
 * also lists the storage for files no row names at all. Runs on several gateways overlap
 * harmlessly: the updates are idempotent and every delete re-checks under the key's lock.
 */
import type { DomainDeps } from '../domain/deps.ts';
import { sweepMedia, sweepUnreferencedFiles } from '../domain/media-lifecycle.ts';
import type { Job } from './purge-recalled.ts';

/** The first run waits a little, so start-up (and short test runs) stay quiet. */
const FIRST_RUN_AFTER_MS = 2 * 60 * 1000;
/** Listing every stored file costs one request per 1,000 of them on S3: once a day is plenty for crash leftovers. */
const LISTING_EVERY_RUNS = 24;

export interface MediaLifecycleJob extends Job {
  /** Stops the timer; resolves once a run in progress has finished. */
  stop(): Promise<void>;
}

export function startMediaLifecycle(deps: Pick<DomainDeps, 'config' | 'db' | 'media' | 'log'>, everyMs = deps.config.mediaSweepIntervalMinutes * 60_000): MediaLifecycleJob {
  let current: Promise<void> = Promise.resolve();
  let running = false;
  let stopped = false;
  let runs = 0;
  const run = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const sweep = await sweepMedia(deps);
      if (sweep.recalledRemoved + sweep.rejectedRemoved + sweep.unsentRemoved + sweep.rowsReleased > 0) deps.log.info(sweep, 'media sweep removed expired attachments');
      // The listing runs first on the first run, then once every LISTING_EVERY_RUNS.
      if (runs % LISTING_EVERY_RUNS === 0 && !stopped) {
        const listing = await sweepUnreferencedFiles(deps);
        if (listing.deleted > 0) deps.log.info(listing, 'media sweep deleted stored files no attachment names');
      }
    } catch (error) {
      deps.log.error({ err: error }, 'media sweep failed; will retry');
    } finally {
      runs += 1;
      running = false;
    }
  };
  const start = () => {
    if (!running && !stopped) current = run();
  };
  const first = setTimeout(start, Math.min(FIRST_RUN_AFTER_MS, everyMs));
  const timer = setInterval(start, everyMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      return current;
    },
  };
}
