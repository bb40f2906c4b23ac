/**
 * `npm run bench:startup`: how long a gateway takes from its process starting to answering
 * /readyz 200, and how much memory it holds idle afterwards, run from the TypeScript sources
 * through tsx and from the compiled build (`npm run build`), side by side: the variants take
 * turns within each round, so a slow spell of the machine hits them alike. Embedded (a data folder
 * kept across the runs: a restart, not a first start) and DATABASE_URL (a real PostgreSQL, a
 * database of its own). Prints a Markdown table of medians.
 *
 *   npm run bench:startup -- [--rounds 7] [--idle-seconds 5] [--modes embedded,postgres]
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, dropDatabase } from './database.ts';
import { sleep } from './limit.ts';
import { freePort, ROOT } from './servers.ts';
import { median } from './stats.ts';

interface Variant {
  name: string;
  command: string;
  args: string[];
}

const VARIANTS: Variant[] = [
  // What `npm start` ran before the build: the tsx CLI, which starts node with its loader as a child.
  { name: 'tsx CLI (`tsx server/main.ts`)', command: path.join(ROOT, 'node_modules/.bin/tsx'), args: ['server/main.ts'] },
  { name: 'tsx loader in one process (`node --import tsx`)', command: process.execPath, args: ['--import', 'tsx', 'server/main.ts'] },
  // What `npm start` runs now (its source-hash check included).
  { name: 'compiled (`node server/start.mjs`)', command: process.execPath, args: ['server/start.mjs'] },
];

interface Sample {
  readyMs: number;
  /** CPU time (user + system, whole process tree) spent up to ready: less swayed than wall time by a busy machine. */
  cpuMs: number;
  rssMb: number;
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    'idle-seconds': { type: 'string', default: '5' },
    modes: { type: 'string', default: 'embedded,postgres' },
  },
});
const rounds = Number(values.rounds);
const idleMs = Number(values['idle-seconds']) * 1000;
const modes = values.modes!.split(',') as ('embedded' | 'postgres')[];

/** A process and all its descendants (the tsx CLI is two processes). */
function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Resident memory of the tree, in MB. */
function treeRssMb(rootPid: number): number {
  return processTree(rootPid).reduce((kb, pid) => kb + Number(/VmRSS:\s+(\d+)/.exec(read(`/proc/${pid}/status`))?.[1] ?? 0), 0) / 1024;
}

// Clock ticks of /proc/<pid>/stat: 100 a second on Linux.
const TICK_MS = 10;

/** User + system CPU of the tree so far, in ms (utime and stime, fields 14 and 15). */
function treeCpuMs(rootPid: number): number {
  return processTree(rootPid).reduce((ms, pid) => {
    const stat = read(`/proc/${pid}/stat`);
    if (!stat) return ms;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ms + (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  }, 0);
}

async function startOnce(variant: Variant, env: Record<string, string>): Promise<Sample> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(variant.command, variant.args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: os.homedir(), HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    let readyMs = 0;
    let cpuMs = 0;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${variant.name} exited before it was ready:\n${stderr}`);
      if (performance.now() - started > 120_000) throw new Error(`${variant.name} not ready after 120 s:\n${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((response) => response.ok, () => false);
      if (ok) {
        readyMs = performance.now() - started;
        cpuMs = treeCpuMs(child.pid!);
        break;
      }
      await sleep(10);
    }
    await sleep(idleMs);
    return { readyMs, cpuMs, rssMb: treeRssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function ensureBuild(): void {
  const current = execFileSync(process.execPath, ['--input-type=module', '-e', "const { buildIsCurrent } = await import('./server/build.mjs'); process.stdout.write(String(buildIsCurrent()))"], { cwd: ROOT, encoding: 'utf8' });
  if (current !== 'true') execFileSync(process.execPath, ['server/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

async function main(): Promise<void> {
  ensureBuild();
  const lines = [
    `${rounds} rounds, variants taking turns within each, ${idleMs / 1000} s idle before reading RSS (of the whole process tree); Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
    '',
    '| mode | how it runs | to /readyz, median (min–max) | CPU to /readyz, median | idle RSS, median (min–max) |',
    '|---|---|---|---|---|',
  ];
  for (const mode of modes) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzi-startup-'));
    const databaseName = `qz_startup_${Date.now().toString(36)}`;
    const env: Record<string, string> = mode === 'embedded' ? { DATA_DIR: dataDir } : { DATABASE_URL: await createDatabase(databaseName) };
    try {
      // One start to create the data folder or run the migrations: every measured start is a restart.
      await startOnce(VARIANTS[2]!, env);
      const samples = new Map<Variant, Sample[]>(VARIANTS.map((variant) => [variant, []]));
      for (let round = 0; round < rounds; round++) {
        // Rotate who goes first, so no variant always follows the same one.
        for (let i = 0; i < VARIANTS.length; i++) {
          const variant = VARIANTS[(round + i) % VARIANTS.length]!;
          const sample = await startOnce(variant, env);
          samples.get(variant)!.push(sample);
          process.stderr.write(`${mode} round ${round + 1} ${variant.name}: ${sample.readyMs.toFixed(0)} ms, CPU ${sample.cpuMs} ms, ${sample.rssMb.toFixed(0)} MB\n`);
        }
      }
      const compiled = samples.get(VARIANTS[2]!)!;
      const cell = (got: Sample[], of: (sample: Sample) => number, unit: string, range: boolean) => {
        const values = got.map(of);
        const versus = got === compiled ? '' : ` · ×${(median(values) / median(compiled.map(of))).toFixed(2)} compiled`;
        return `${median(values).toFixed(0)} ${unit}${range ? ` (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})` : ''}${versus}`;
      };
      for (const variant of VARIANTS) {
        const got = samples.get(variant)!;
        lines.push(`| ${mode} | ${variant.name} | ${cell(got, (s) => s.readyMs, 'ms', true)} | ${cell(got, (s) => s.cpuMs, 'ms', false)} | ${cell(got, (s) => s.rssMb, 'MB', true)} |`);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (mode === 'postgres') await dropDatabase(databaseName);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
