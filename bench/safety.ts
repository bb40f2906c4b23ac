// Per-message cost of the safety pipeline over a realistic mix: mostly ordinary chat, some
// links, some spam, drawn from the labelled set in test/safety/dataset. Bounded in time.
//
// A virtual machine pauses a running core over a thousand times a second, tens of µs each
// (bench/machine-pauses.ts measures it), which is more than the pipeline's own cost and lands
// on a few percent of messages whatever they are. So two identical pipelines check the same
// stream of messages with the same senders and clocks, in alternating blocks, and a message's
// cost is the lower of its two times: both copies have done exactly the same work before it and
// run it equally cold, and a pause seldom hits both. The single-run figures and the mean
// (wall time over messages, pauses and garbage collection included) are reported beside it.
//
//   npx tsx bench/safety.ts   → {"rulesOnly": {"p50us":…, "p99us":…, …}, "withModel": {…}, "ratio": {…}}
// (the server's pipeline, text model included, beside the rules alone in the same run).

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSafetyPipeline } from '../server/safety/pipeline.ts';
import { resolvePolicy } from '../server/safety/policy.ts';
import type { SafetyContext, SafetyMessage, SafetyPipeline, SafetyPipelineOptions } from '../server/safety/types.ts';

const DATASET = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'safety', 'dataset');
const MAX_MESSAGES = 60_000;
const MAX_MILLISECONDS = 8_000;
const WARMUP = 3_000;
// Long enough that the second copy does not find the first one's work still in the CPU caches.
const BLOCK = 100;

export interface SafetyBenchResult {
  /** Per-message cost: the lower of the two copies' times. */
  p50us: number;
  p99us: number;
  messages: number;
  /** Every single timed run, pauses of the machine included. */
  singleRunP50us: number;
  singleRunP99us: number;
  /** Wall time of the timed runs over their count: garbage collection and pauses included. */
  meanUs: number;
}

export async function runSafetyBench(options: SafetyPipelineOptions = {}): Promise<SafetyBenchResult> {
  const mix = buildMix();
  const policy = resolvePolicy({});
  const senders = Array.from({ length: 500 }, (_, i) => ({ id: `bench-${i}`, role: 'member' as const, joinedAt: new Date(0) }));
  const start = Date.UTC(2025, 0, 1);
  const contextFor = (i: number): SafetyContext => ({
    roomId: `room-${i % 20}`,
    sender: senders[(i * 7919) % senders.length],
    policy,
    now: start + i * 50, // 20 messages a second across the server
  });
  const messageAt = (i: number) => mix[(i * 31) % mix.length];
  const copies: SafetyPipeline[] = [createSafetyPipeline(options), createSafetyPipeline(options)];

  for (const pipeline of copies) for (let i = 0; i < WARMUP; i++) pipeline.check(mix[i % mix.length], contextFor(i));

  const times = copies.map(() => new Float64Array(MAX_MESSAGES));
  const deadline = performance.now() + MAX_MILLISECONDS;
  let wallMs = 0;
  let count = 0;
  while (count + BLOCK <= MAX_MESSAGES && performance.now() < deadline) {
    copies.forEach((pipeline, copy) => {
      const began = performance.now();
      for (let i = count; i < count + BLOCK; i++) {
        const message = messageAt(i);
        const ctx = contextFor(WARMUP + i);
        const started = process.hrtime.bigint();
        pipeline.check(message, ctx);
        times[copy][i] = Number(process.hrtime.bigint() - started) / 1000;
      }
      wallMs += performance.now() - began;
    });
    count += BLOCK;
  }

  const cost = Array.from({ length: count }, (_, i) => Math.min(times[0][i], times[1][i]));
  const single = times.flatMap((t) => Array.from(t.subarray(0, count)));
  return {
    p50us: quantile(cost, 0.5),
    p99us: quantile(cost, 0.99),
    messages: count,
    singleRunP50us: quantile(single, 0.5),
    singleRunP99us: quantile(single, 0.99),
    meanUs: Math.round(((wallMs * 1000) / single.length) * 100) / 100,
  };
}

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 100) / 100;
}

/** About 80% ordinary chat, 10% messages with links, 10% spam or otherwise bad. */
function buildMix(): SafetyMessage[] {
  const read = (prefix: string) =>
    ['tune', 'heldout'].flatMap((split) =>
      readdirSync(join(DATASET, split))
        .filter((f) => f.startsWith(prefix) && f.endsWith('.txt'))
        .flatMap((f) => readFileSync(join(DATASET, split, f), 'utf8').split('\n'))
        .filter((line) => line.trim() !== '' && !line.startsWith('#')),
    );
  const chat = [...read('benign-chat'), ...read('benign-english'), ...read('benign-hard'), ...read('benign-numbers')];
  const links = [...read('benign-links'), ...read('bad-links')];
  const spam = read('bad-scam').concat(read('bad-spam'), read('bad-privacy'));
  const mix: SafetyMessage[] = [];
  for (let i = 0; i < 1000; i++) {
    const pool = i % 10 === 0 ? links : i % 10 === 5 ? spam : chat;
    mix.push({ text: pool[(i * 13) % pool.length] });
  }
  return mix;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rulesOnly = await runSafetyBench({ model: null });
  const withModel = await runSafetyBench();
  const ratio = (key: 'p50us' | 'p99us' | 'meanUs') => Math.round((withModel[key] / rulesOnly[key]) * 100) / 100;
  console.log(JSON.stringify({ rulesOnly, withModel, ratio: { p50: ratio('p50us'), p99: ratio('p99us'), mean: ratio('meanUs') } }));
}
