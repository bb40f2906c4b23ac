/**
 * `npm run bench`: starts the servers itself, runs the selected workloads A/B against the
 * baselines on 127.0.0.1, and writes bench/results/<run>.json plus docs/benchmarks.md.
 * `npm run bench -- --help` for the flags.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pinProcess } from './cpu.ts';
import { describePauses, measureCorePauses } from './machine-pauses.ts';
import { sleep } from './limit.ts';
import { ALL_WORKLOADS, FULL, QUICK, WORKLOAD_MODES, type Profile, type WorkloadId } from './profile.ts';
import { RESULTS_DIR, writeDocs, writeJson } from './report.ts';
import type { ModeResult, RunResult } from './run-result.ts';
import { killAllStarted, quanziAvailable, ROOT, startMode, type Launch, type Mode, type ModeSides, type Pinning } from './servers.ts';
import type { WorkloadContext } from './workloads/context.ts';
import { runW1 } from './workloads/w1.ts';
import { runW2 } from './workloads/w2.ts';
import { runW3 } from './workloads/w3.ts';
import { runW4 } from './workloads/w4.ts';
import { runW5 } from './workloads/w5.ts';
import { runW6 } from './workloads/w6.ts';
import { runW7 } from './workloads/w7.ts';
import { runW8 } from './workloads/w8.ts';
import { runW9 } from './workloads/w9.ts';
import { runW10 } from './workloads/w10.ts';
import { runW11 } from './workloads/w11.ts';
import { runW12 } from './workloads/w12.ts';

const HELP = `npm run bench -- [flags]

  --full                 the whole matrix (default: quick, about 8 minutes)
  --rounds N             interleaved A/B rounds per step (quick 1, full 3)
  --only W1,W3           workloads to run (W1…W12), in every mode they support
  --modes embedded,scaled
  --sides relay,quanzi   (relay alone for developing the harness without the server)
  --step-seconds S       send window of each step
  --steps 100,500        offered rates for every stepped workload selected (W1–W3)
  --set key=value        any profile field, e.g. --set w5.sockets=500 --set w6.rooms=20
  --server-env K=V       extra environment for the Quanzi gateways (repeatable)
  --cpu-prof DIR         write a V8 CPU profile of every Quanzi gateway into DIR (node --cpu-prof)
  --max-minutes M        abort the run after M minutes (quick 20, full 240)
  --no-docs              write the JSON only, leave docs/ alone
  --report FILE          only re-render docs/benchmarks.md from a results JSON
`;

interface Options {
  profile: Profile;
  workloads: WorkloadId[];
  sides: ('relay' | 'quanzi')[];
  serverEnv: Record<string, string>;
  cpuProfileDir: string | null;
  maxMinutes: number;
  docs: boolean;
  /** --only named the workloads: run them in every mode they support, whatever the profile trims. */
  explicitOnly: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      full: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      only: { type: 'string' },
      modes: { type: 'string' },
      sides: { type: 'string' },
      'step-seconds': { type: 'string' },
      steps: { type: 'string' },
      set: { type: 'string', multiple: true },
      'server-env': { type: 'string', multiple: true },
      'cpu-prof': { type: 'string' },
      'max-minutes': { type: 'string' },
      'no-docs': { type: 'boolean', default: false },
      report: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  if (values.report) {
    const run = JSON.parse(readFileSync(values.report, 'utf8')) as RunResult;
    for (const file of writeDocs(run)) process.stdout.write(`wrote ${path.relative(ROOT, file)}\n`);
    process.exit(0);
  }
  const profile: Profile = structuredClone(values.full ? FULL : QUICK);
  if (values.rounds) profile.rounds = positive('--rounds', values.rounds);
  if (values['step-seconds']) profile.stepSeconds = positive('--step-seconds', values['step-seconds']);
  if (values.modes) profile.modes = list(values.modes).map((m) => oneOf('--modes', m, ['embedded', 'scaled'] as const));
  if (values.steps) {
    const steps = list(values.steps).map((s) => positive('--steps', s));
    profile.w1.steps = steps;
    profile.w2.steps = steps;
    profile.w3.steps = steps;
  }
  for (const assignment of values.set ?? []) setField(profile, assignment);
  const serverEnv: Record<string, string> = {};
  for (const pair of values['server-env'] ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`--server-env wants KEY=VALUE, got ${pair}`);
    serverEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return {
    profile,
    workloads: values.only ? list(values.only).map((w) => oneOf('--only', w.toUpperCase(), ALL_WORKLOADS)) : ALL_WORKLOADS,
    sides: values.sides ? list(values.sides).map((s) => oneOf('--sides', s, ['relay', 'quanzi'] as const)) : ['relay', 'quanzi'],
    serverEnv,
    cpuProfileDir: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : null,
    maxMinutes: values['max-minutes'] ? positive('--max-minutes', values['max-minutes']) : values.full ? 240 : 20,
    docs: !values['no-docs'],
    explicitOnly: values.only !== undefined,
  };
}

function list(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

function positive(flag: string, raw: string): number {
  const n = Number(raw);
  if (!(n > 0)) throw new Error(`${flag} wants a positive number, got ${raw}`);
  return n;
}

function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${flag}: ${raw} is not one of ${allowed.join(', ')}`);
  return raw as T;
}

/** `--set w5.sockets=500`, `--set w1.steps=100,500`: numbers, or comma lists of numbers. */
function setField(profile: Profile, assignment: string): void {
  const [key, raw] = assignment.split('=');
  if (!key || raw === undefined) throw new Error(`--set wants key=value, got ${assignment}`);
  const parts = key.split('.');
  let target = profile as unknown as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    if (typeof target[part] !== 'object' || target[part] === null) throw new Error(`--set: no profile field ${key}`);
    target = target[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (!(last in target)) throw new Error(`--set: no profile field ${key}`);
  target[last] = Array.isArray(target[last]) ? list(raw).map(Number) : Number(raw);
}

// ---- the run ----

/** Idle memory is read this long after the servers are ready (start-up garbage collected, pools idle). */
const IDLE_SETTLE_MS = 5000;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const runId = startedAt.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  const logDir = path.join(RESULTS_DIR, runId);
  mkdirSync(logDir, { recursive: true });
  const log = (line: string) => {
    process.stdout.write(`${line}\n`);
    appendFileSync(path.join(logDir, 'run.log'), `${line}\n`);
  };

  const machineInfo = machine(); // before pinning, which narrows what this process sees
  const pinning = choosePinning();
  if (pinning) pinProcess(process.pid, pinning.loadCore);
  const hasServer = quanziAvailable();
  const withQuanzi = options.sides.includes('quanzi') && hasServer;
  if (options.sides.includes('quanzi') && !hasServer) {
    throw new Error('server/main.ts does not exist yet: run with --sides relay to exercise the harness against the baseline alone');
  }

  const launch: Launch = {
    pinning,
    logDir,
    runTag: Date.now().toString(36).slice(-6),
    serverEnv: options.serverEnv,
    cpuProfileDir: options.cpuProfileDir,
    log,
  };
  const run: RunResult = {
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: null,
    durationSeconds: 0,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    profile: options.profile,
    workloads: options.workloads,
    machine: machineInfo,
    pinning,
    quanzi: withQuanzi ? 'ran' : options.sides.includes('quanzi') ? 'missing' : 'skipped',
    modes: [],
  };
  const save = () => {
    run.durationSeconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
    return writeJson(run);
  };

  let current: ModeSides | null = null;
  const abort = async (reason: string) => {
    log(`\nABORT: ${reason}`);
    run.aborted = reason;
    // Stop cleanly if that is quick (it drops the scaled mode's database), then make sure.
    if (current) await Promise.race([current.stop().catch(() => {}), sleep(10_000)]);
    killAllStarted();
    save();
    if (options.docs) writeDocs(run);
    process.exit(2);
  };
  const watchdog = setTimeout(() => void abort(`over --max-minutes ${options.maxMinutes}`), options.maxMinutes * 60_000);
  watchdog.unref();
  process.on('SIGINT', () => void abort('interrupted'));
  process.on('SIGTERM', () => void abort('terminated'));

  log(`bench ${runId}: profile ${options.profile.name}, workloads ${options.workloads.join(',')}, modes ${options.profile.modes.join(',')}, sides ${withQuanzi ? 'relay+quanzi' : 'relay only'}`);
  log(pinning ? `pinning: servers → core ${pinning.serverCore}, load generator (pid ${process.pid}) → core ${pinning.loadCore}` : 'pinning: none (needs 2 cores and taskset)');
  if (pinning) {
    machineInfo.pauses = [measureCorePauses(pinning.serverCore, 2000), measureCorePauses(pinning.loadCore, 2000)];
    for (const p of machineInfo.pauses) log(`machine pauses: ${describePauses(p)}`);
  }

  let stepId = 1;
  for (const mode of options.profile.modes) {
    const selected = options.workloads.filter((w) => {
      const modes = WORKLOAD_MODES[w];
      if (mode === 'scaled' && options.profile.embeddedOnly.includes(w) && !options.explicitOnly) return false;
      return modes !== 'none' && modes.includes(mode);
    });
    if (selected.length === 0) continue;
    log(`\n=== ${mode} mode: ${selected.join(', ')}`);
    try {
      current = await startMode(mode, launch, withQuanzi);
    } catch (error) {
      // A mode that cannot start (a broken server build, PostgreSQL down) costs that mode only.
      log(`  could not start the ${mode} mode: ${(error as Error).message}`);
      killAllStarted();
      run.modes.push({ mode, sides: [], errors: {}, notes: [], startError: (error as Error).message });
      save();
      continue;
    }
    const sides = [current.relay, ...(current.quanzi ? [current.quanzi] : [])];
    const result: ModeResult = { mode, sides: sides.map((s) => ({ kind: s.kind, label: s.label })), errors: {}, notes: [] };
    run.modes.push(result);
    await sleep(IDLE_SETTLE_MS);
    result.idleMemory = Object.fromEntries(sides.map((s) => [s.kind, s.cpu.memory()]));
    result.startSeconds = current.startSeconds;
    for (const s of sides) {
      const m = result.idleMemory[s.kind]!;
      log(`  idle memory ${s.label}: RSS ${(m.rssKb / 1024).toFixed(0)} MB, PSS ${(m.pssKb / 1024).toFixed(0)} MB in ${m.processes} processes; ready in ${current.startSeconds[s.kind]?.toFixed(1)} s`);
    }
    const ctx: WorkloadContext = { mode, sides, profile: options.profile, launch, nextStepId: () => stepId++, log };
    // W5 first, on a fresh gateway; W6, W8, W11 and W12 last, since seeding may restart the embedded gateway;
    // W9 and W10 after W8, as the files they leave behind would only weigh on the others.
    const order: WorkloadId[] = ['W5', 'W1', 'W4', 'W2', 'W3', 'W6', 'W8', 'W9', 'W10', 'W11', 'W12'];
    try {
      for (const id of order.filter((w) => selected.includes(w))) {
        const t0 = performance.now();
        log(`\n-- ${id} (${mode})`);
        try {
          await runWorkload(id, ctx, result);
        } catch (error) {
          result.errors[id] = (error as Error).stack ?? String(error);
          log(`  ${id} failed: ${(error as Error).message}`);
        }
        log(`  ${id} took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
        save();
      }
    } finally {
      result.notes = [...new Set(sides.flatMap((s) => s.directory.notes))];
      await current.stop();
      current = null;
    }
  }

  if (options.workloads.includes('W7')) {
    log('\n-- W7 (safety pipeline, in-process)');
    run.W7 = await runW7(log, pinning?.loadCore ?? null);
  }

  run.finishedAt = new Date().toISOString();
  const json = save();
  log(`\nresults: ${path.relative(ROOT, json)}`);
  if (options.docs) for (const file of writeDocs(run)) log(`wrote ${path.relative(ROOT, file)}`);
  log(`done in ${(run.durationSeconds / 60).toFixed(1)} min`);
  clearTimeout(watchdog);
}

async function runWorkload(id: WorkloadId, ctx: WorkloadContext, result: ModeResult): Promise<void> {
  switch (id) {
    case 'W1':
      result.W1 = await runW1(ctx);
      return;
    case 'W2':
      result.W2 = await runW2(ctx);
      return;
    case 'W3':
      result.W3 = await runW3(ctx);
      return;
    case 'W4':
      result.W4 = await runW4(ctx);
      return;
    case 'W5':
      result.W5 = await runW5(ctx);
      return;
    case 'W6':
      result.W6 = await runW6(ctx);
      return;
    case 'W8':
      result.W8 = (await runW8(ctx)) ?? undefined;
      return;
    case 'W9':
      result.W9 = (await runW9(ctx)) ?? undefined;
      return;
    case 'W10':
      result.W10 = (await runW10(ctx)) ?? undefined;
      return;
    case 'W11':
      result.W11 = (await runW11(ctx)) ?? undefined;
      return;
    case 'W12':
      result.W12 = (await runW12(ctx)) ?? undefined;
      return;
    case 'W7':
      return;
  }
}

function choosePinning(): Pinning | null {
  if (os.availableParallelism() < 2) return null;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return { serverCore: 0, loadCore: 1 };
}

function machine(): RunResult['machine'] {
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    loadAverageAtStart: os.loadavg(),
    commit,
  };
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    killAllStarted();
    process.exit(1);
  },
);
