/**
 * A sweep every gateway runs on a timer: the first run a little after start (so start-up and
 * short test runs stay quiet), then every `everyMs`; a run never overlaps the previous one, a
 * failure is logged and retried next time, and the timers never keep the process alive.
 */
import type { Logger } from 'pino';

export interface Job {
  /** Stops the timers; resolves once a run in progress has finished. */
  stop(): Promise<void>;
}

export function startPeriodic(options: { firstAfterMs: number; everyMs: number; log: Logger; failure: string; run: () => Promise<void> }): Job {
  let current: Promise<void> = Promise.resolve();
  let running = false;
  let stopped = false;
  const start = () => {
    if (running || stopped) return;
    running = true;
    current = options
      .run()
      .catch((error: unknown) => options.log.error({ err: error }, options.failure))
      .finally(() => (running = false));
  };
  const first = setTimeout(start, Math.min(options.firstAfterMs, options.everyMs));
  const timer = setInterval(start, options.everyMs);
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
