/** Every gateway lifts the raid shields that are due; the claiming update decides which one lifts each (domain/raid-shield.ts). */
import type { DomainDeps } from '../domain/deps.ts';
import { liftDueShields } from '../domain/raid-shield.ts';
import { startPeriodic, type Job } from './periodic.ts';

const BATCH = 50;

export function startRaidShieldLifts(deps: DomainDeps): Job {
  return startPeriodic({
    firstAfterMs: deps.config.raidShieldTickMs,
    everyMs: deps.config.raidShieldTickMs,
    log: deps.log,
    failure: 'lifting raid shields failed; will retry',
    run: async () => {
      while ((await liftDueShields(deps, BATCH)) === BATCH);
    },
  });
}
