// Per-message cost of the safety pipeline over a realistic mix: mostly ordinary chat, some
// links, some spam, drawn from the labelled set in test/safety/dataset. Bounded in time.
//
//   npx tsx bench/safety.ts   → {"p50us":…, "p99us":…, "messages":…}

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSafetyPipeline } from '../server/safety/pipeline.ts';
import { resolvePolicy } from '../server/safety/policy.ts';
import type { SafetyContext, SafetyMessage } from '../server/safety/types.ts';

const DATASET = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'safety', 'dataset');
const MAX_MESSAGES = 60_000;
const MAX_MILLISECONDS = 8_000;
const WARMUP = 3_000;

export async function runSafetyBench(): Promise<{ p50us: number; p99us: number; messages: number }> {
  const mix = buildMix();
  const pipeline = createSafetyPipeline();
  const policy = resolvePolicy({});
  const senders = Array.from({ length: 500 }, (_, i) => ({ id: `bench-${i}`, role: 'member' as const, joinedAt: new Date(0) }));
  let now = Date.UTC(2025, 0, 1);
  const contextFor = (i: number): SafetyContext => ({
    roomId: `room-${i % 20}`,
    sender: senders[(i * 7919) % senders.length],
    policy,
    now: (now += 50), // 20 messages a second across the server
  });

  for (let i = 0; i < WARMUP; i++) pipeline.check(mix[i % mix.length], contextFor(i));

  const samples: number[] = [];
  const deadline = performance.now() + MAX_MILLISECONDS;
  for (let i = 0; i < MAX_MESSAGES && performance.now() < deadline; i++) {
    const message = mix[(i * 31) % mix.length];
    const ctx = contextFor(i);
    const started = process.hrtime.bigint();
    pipeline.check(message, ctx);
    samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => Math.round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] * 100) / 100;
  return { p50us: at(0.5), p99us: at(0.99), messages: samples.length };
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
  console.log(JSON.stringify(await runSafetyBench()));
}
