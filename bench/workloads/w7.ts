/**
 * W7 safety pipeline: µs per message, measured by bench/safety.ts (owned by the safety
 * engineer) and included when that file exists. It runs in this process, on the load core.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface W7Result {
  available: boolean;
  p50us?: number;
  p99us?: number;
  messages?: number;
  error?: string;
}

const SAFETY_BENCH = new URL('../safety.ts', import.meta.url);

export async function runW7(log: (line: string) => void): Promise<W7Result> {
  if (!existsSync(fileURLToPath(SAFETY_BENCH))) {
    log('    bench/safety.ts not present yet: skipped');
    return { available: false };
  }
  try {
    const mod = (await import(SAFETY_BENCH.href)) as { runSafetyBench?: () => Promise<{ p50us: number; p99us: number; messages: number }> };
    if (typeof mod.runSafetyBench !== 'function') return { available: false, error: 'bench/safety.ts does not export runSafetyBench()' };
    const r = await mod.runSafetyBench();
    log(`    ${r.messages} messages: p50 ${r.p50us.toFixed(1)} µs  p99 ${r.p99us.toFixed(1)} µs`);
    return { available: true, p50us: r.p50us, p99us: r.p99us, messages: r.messages };
  } catch (error) {
    return { available: false, error: (error as Error).stack ?? String(error) };
  }
}
