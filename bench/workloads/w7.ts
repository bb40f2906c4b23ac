/**
 * W7 safety pipeline: µs per message, measured by bench/safety.ts in this process, on the load
 * core, right after measuring how often that core is paused (bench/machine-pauses.ts).
 */
import { describePauses, measurePauses, type CorePauses } from '../machine-pauses.ts';
import { runSafetyBench, type SafetyBenchResult } from '../safety.ts';

export type W7Result =
  | ({ available: true; pauses?: CorePauses } & Partial<SafetyBenchResult> & Pick<SafetyBenchResult, 'p50us' | 'p99us' | 'messages'>)
  | { available: false; error: string };

export async function runW7(log: (line: string) => void, loadCore: number | null): Promise<W7Result> {
  try {
    const pauses = measurePauses(1000, loadCore);
    log(`    ${describePauses(pauses)}`);
    const r = await runSafetyBench();
    log(
      `    ${r.messages} messages: p50 ${r.p50us.toFixed(1)} µs  p99 ${r.p99us.toFixed(1)} µs` +
        `  (single runs p99 ${r.singleRunP99us.toFixed(1)} µs, mean ${r.meanUs.toFixed(1)} µs)`,
    );
    return { available: true, pauses, ...r };
  } catch (error) {
    return { available: false, error: (error as Error).stack ?? String(error) };
  }
}
