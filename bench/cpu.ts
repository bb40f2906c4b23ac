/**
 * CPU and memory accounting from /proc: what every server-side process (gateways, Redis,
 * PostgreSQL) spent during a step, the load generator's own CPU, and a process's resident set.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = readTicksPerSecond();

function readTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

export interface ProcTimes {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, seconds. */
  own: number;
  /** cutime + cstime: children already exited and reaped, seconds. */
  reaped: number;
}

export function readProc(pid: number): ProcTimes | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm sits in parentheses and may itself contain spaces or ')': split after the last one.
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  const num = (i: number) => Number(fields[i]);
  return {
    pid,
    ppid: num(1),
    comm,
    own: (num(11) + num(12)) / TICKS_PER_SECOND,
    reaped: (num(13) + num(14)) / TICKS_PER_SECOND,
  };
}

export function listProcs(): ProcTimes[] {
  const procs: ProcTimes[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const proc = readProc(Number(entry));
    if (proc) procs.push(proc);
  }
  return procs;
}

/** One server-side thing whose CPU we count: it reads its cumulative CPU seconds from a /proc scan. */
export interface CpuSource {
  name: string;
  seconds(procs: ProcTimes[]): number;
  /** Its live processes, for run-queue wait. */
  pids(procs: ProcTimes[]): number[];
}

/**
 * Seconds the process's threads spent runnable but waiting for a core (schedstat run_delay).
 * On a pinned process that is, mostly, other work on the machine taking its core.
 */
export function runQueueSeconds(pid: number): number {
  let total = 0;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const tid of tasks) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
    } catch {
      // thread exited
    }
  }
  return total;
}

/** A process and everything it spawned, including children that already exited. */
export function processTree(name: string, rootPid: () => number): CpuSource {
  const tree = (procs: ProcTimes[]): ProcTimes[] => {
    const root = procs.find((p) => p.pid === rootPid());
    if (!root) return [];
    const found = [root];
    for (let i = 0; i < found.length; i++) for (const p of procs) if (p.ppid === found[i]!.pid) found.push(p);
    return found;
  };
  return {
    name,
    pids: (procs) => tree(procs).map((p) => p.pid),
    seconds(procs) {
      const pid = rootPid();
      const byParent = new Map<number, ProcTimes[]>();
      for (const p of procs) {
        const list = byParent.get(p.ppid);
        if (list) list.push(p);
        else byParent.set(p.ppid, [p]);
      }
      const root = procs.find((p) => p.pid === pid);
      if (!root) return 0;
      let total = root.reaped;
      const stack = [root];
      while (stack.length > 0) {
        const p = stack.pop()!;
        total += p.own;
        stack.push(...(byParent.get(p.pid) ?? []));
      }
      return total;
    },
  };
}

/**
 * Every `postgres` process on the machine (postmaster, backends, WAL writer, checkpointer…)
 * plus the backends that already exited, which the postmaster has reaped into its cutime.
 * The cluster is shared with other work on this machine; that noise is part of the figure.
 */
export function postgresCluster(name = 'postgres'): CpuSource {
  return {
    name,
    pids: (procs) => procs.filter((p) => p.comm === 'postgres').map((p) => p.pid),
    seconds(procs) {
      const pg = procs.filter((p) => p.comm === 'postgres');
      const pgPids = new Set(pg.map((p) => p.pid));
      let total = 0;
      for (const p of pg) {
        total += p.own;
        if (!pgPids.has(p.ppid)) total += p.reaped; // the postmaster
      }
      return total;
    },
  };
}

export interface CpuSample {
  at: number;
  bySource: Record<string, number>;
  /** Run-queue wait summed over the live processes of every source. */
  waitSeconds: number;
}

export interface CpuDelta {
  wallSeconds: number;
  totalSeconds: number;
  bySource: Record<string, number>;
  /** Seconds the server processes waited for a core: high means other work shared it. */
  waitSeconds: number;
}

/**
 * Memory of a side's processes, summed. RSS counts a shared page once in every process that maps
 * it (PostgreSQL's buffer cache and libraries, once per server process); PSS splits it between
 * them, so its sum is what the processes together take from the machine.
 */
export interface MemorySample {
  rssKb: number;
  pssKb: number;
  processes: number;
}

export function memoryOf(pids: number[]): MemorySample {
  const sample: MemorySample = { rssKb: 0, pssKb: 0, processes: 0 };
  for (const pid of pids) {
    let rollup: string;
    try {
      rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    sample.rssKb += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    sample.pssKb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    sample.processes += 1;
  }
  return sample;
}

export class CpuMeter {
  constructor(readonly sources: CpuSource[]) {}

  /** Memory of every process the sources count (a gateway with its PostgreSQL, Redis …). */
  memory(): MemorySample {
    const procs = listProcs();
    return memoryOf([...new Set(this.sources.flatMap((source) => source.pids(procs)))]);
  }

  sample(): CpuSample {
    const procs = listProcs();
    const bySource: Record<string, number> = {};
    let waitSeconds = 0;
    for (const source of this.sources) {
      bySource[source.name] = source.seconds(procs);
      for (const pid of source.pids(procs)) waitSeconds += runQueueSeconds(pid);
    }
    return { at: performance.now(), bySource, waitSeconds };
  }

  static delta(from: CpuSample, to: CpuSample): CpuDelta {
    const bySource: Record<string, number> = {};
    let totalSeconds = 0;
    for (const [name, end] of Object.entries(to.bySource)) {
      const spent = Math.max(0, end - (from.bySource[name] ?? 0));
      bySource[name] = Math.round(spent * 1000) / 1000;
      totalSeconds += spent;
    }
    return { wallSeconds: (to.at - from.at) / 1000, totalSeconds, bySource, waitSeconds: Math.max(0, to.waitSeconds - from.waitSeconds) };
  }
}

/** The load generator's own CPU (this process), to flag steps where it, not the server, was the limit. */
export class SelfCpu {
  private startUsage = process.cpuUsage();
  private startAt = performance.now();
  private startWait = runQueueSeconds(process.pid);

  /** Fraction of one core used since construction. */
  utilization(): number {
    const used = process.cpuUsage(this.startUsage);
    const wallUs = (performance.now() - this.startAt) * 1000;
    return wallUs > 0 ? (used.user + used.system) / wallUs : 0;
  }

  /** Share of the wall time this process's threads waited for a core held by something else. */
  runQueueShare(): number {
    const wall = (performance.now() - this.startAt) / 1000;
    return wall > 0 ? (runQueueSeconds(process.pid) - this.startWait) / wall : 0;
  }
}

export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** Pins a running process (all its threads) to one core; false when taskset is missing or refuses. */
export function pinProcess(pid: number, core: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-pc', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** PostgreSQL backends serving one database: their process title names it. */
export function backendsOf(database: string): number[] {
  const pids: number[] = [];
  for (const p of listProcs()) {
    if (p.comm !== 'postgres') continue;
    try {
      const title = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
      if (title.includes(` ${database} `)) pids.push(p.pid);
    } catch {
      // exited between the scan and the read
    }
  }
  return pids;
}
