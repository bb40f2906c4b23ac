/**
 * How often the machine takes a core away from a running process. On a virtual machine the
 * hypervisor can pause a vCPU many times a second; a busy loop that reads the clock sees each
 * pause as a gap between two readings. Every p99 in the report carries these pauses, so the
 * run measures them on both cores first and prints them beside the results.
 *
 *   npx tsx bench/machine-pauses.ts [ms]   → {"pausesPerSecond":…, "lostMsPerSecond":…, "longestMs":…}
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface CorePauses {
  core: number | null;
  /** Gaps longer than PAUSE_US between two back-to-back clock readings, per second. */
  pausesPerSecond: number;
  /** Of those, the ones longer than 1 ms, per second. */
  longPausesPerSecond: number;
  /** Time the loop did not run, in ms per second of wall time (1000 = the whole core). */
  lostMsPerSecond: number;
  longestMs: number;
}

/** A clock reading costs well under 1 µs; a gap above this is the process not running. */
const PAUSE_US = 20;

/** Busy-loops on the calling thread for `ms` and returns what it saw. */
export function measurePauses(ms: number, core: number | null = null): CorePauses {
  const end = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  let last = process.hrtime.bigint();
  let pauses = 0;
  let longPauses = 0;
  let lostUs = 0;
  let longestUs = 0;
  for (;;) {
    const now = process.hrtime.bigint();
    const gapUs = Number(now - last) / 1000;
    last = now;
    if (gapUs > PAUSE_US) {
      pauses++;
      lostUs += gapUs;
      if (gapUs > 1000) longPauses++;
      if (gapUs > longestUs) longestUs = gapUs;
    }
    if (now >= end) break;
  }
  const seconds = ms / 1000;
  return {
    core,
    pausesPerSecond: Math.round(pauses / seconds),
    longPausesPerSecond: Math.round((longPauses / seconds) * 10) / 10,
    lostMsPerSecond: Math.round((lostUs / 1000 / seconds) * 10) / 10,
    longestMs: Math.round(longestUs / 10) / 100,
  };
}

/** Measures one core from a child pinned to it (`taskset`), so the caller's own core is not disturbed. */
export function measureCorePauses(core: number, ms: number): CorePauses {
  const out = execFileSync('taskset', ['-c', String(core), process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), String(ms)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { ...(JSON.parse(out) as CorePauses), core };
}

export function describePauses(p: CorePauses): string {
  return (
    `${p.core === null ? 'this core' : `core ${p.core}`} lost ${p.lostMsPerSecond.toFixed(0)} ms/s in ` +
    `${p.pausesPerSecond.toLocaleString('en-US')} pauses/s over ${PAUSE_US} µs (${p.longPausesPerSecond} over 1 ms), longest ${p.longestMs.toFixed(1)} ms`
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(measurePauses(Number(process.argv[2] ?? 2000))));
}
