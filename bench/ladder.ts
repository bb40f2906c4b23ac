/**
 * The step ladder with interleaved A/B: at each offered rate every side runs once per round,
 * the order flipping each round (A B, B A, A B…) so drift in the machine hits both alike.
 * A side leaves the ladder after its first unclean step (p99 past 250 ms, loss, rejections);
 * that rate is its saturating step. Then both sides run once more at half Quanzi's
 * saturating rate, where the latency targets are read.
 */
import { CpuMeter } from './cpu.ts';
import type { Fleet } from './load.ts';
import { sleep } from './limit.ts';
import type { Side, SideKind } from './servers.ts';
import { runStep, type Sender, type StepMeasurement } from './step.ts';
import { spread, type Spread } from './stats.ts';

export interface Contender {
  side: Side;
  fleet: Fleet;
  senders: Sender[];
}

export interface LadderOptions {
  steps: number[];
  rounds: number;
  seconds: number;
  drainMs: number;
  settleMs: number;
  nextStepId: () => number;
  log: (line: string) => void;
}

export interface StepSummary {
  clean: boolean;
  failure?: string;
  deliveriesPerCpuSecond: Spread;
  deliveredPerSec: Spread;
  ackedPerSec: Spread;
  serverCores: Spread;
  recvP50: Spread;
  recvP99: Spread;
  ackP99: Spread;
  lost: number;
  rejected: Record<string, number>;
  echoes: number;
  loadGenCpu: Spread;
  loadGenSaturated: boolean;
  loadGenStarved: boolean;
  /** Messages the schedule wanted but the load generator was too late to send, all rounds. */
  skipped: number;
  /** Largest share of a step the servers waited for a core (other work on the machine, or each other). */
  serverRunQueueShare: number;
}

export interface SideStep {
  rounds: StepMeasurement[];
  summary: StepSummary;
}

export interface LadderRow {
  rate: number;
  /** `half`: the extra step at half Quanzi's saturating rate. */
  kind: 'step' | 'half';
  sides: Partial<Record<SideKind, SideStep>>;
}

export interface LadderResult {
  rows: LadderRow[];
  /** First unclean rate per side; null when the side stayed clean to the top of the ladder. */
  saturation: Partial<Record<SideKind, number | null>>;
  /** The row the latency targets are read from, and why that one. */
  latencyRow: { rate: number; kind: 'step' | 'half'; note: string } | null;
}

export async function runLadder(contenders: Contender[], options: LadderOptions): Promise<LadderResult> {
  const rows: LadderRow[] = [];
  const saturation: Partial<Record<SideKind, number | null>> = {};
  const active = new Set(contenders.map((c) => c.side.kind));
  for (const c of contenders) saturation[c.side.kind] = null;

  for (const rate of options.steps) {
    if (active.size === 0) break;
    const row = await runRow(
      contenders.filter((c) => active.has(c.side.kind)),
      rate,
      'step',
      options,
    );
    rows.push(row);
    for (const [kind, step] of Object.entries(row.sides) as [SideKind, SideStep][]) {
      if (!step.summary.clean) {
        active.delete(kind);
        saturation[kind] = rate;
      }
    }
  }

  const reference: SideKind = contenders.some((c) => c.side.kind === 'quanzi') ? 'quanzi' : 'relay';
  const saturated = saturation[reference];
  let latencyRow: LadderResult['latencyRow'] = null;
  if (saturated != null) {
    const half = Math.max(1, Math.round(saturated / 2));
    const existing = rows.find((r) => r.rate === half);
    if (existing) {
      latencyRow = { rate: half, kind: 'step', note: `half of ${reference}'s saturating step ${saturated}/s` };
    } else {
      rows.push(await runRow(contenders, half, 'half', options));
      latencyRow = { rate: half, kind: 'half', note: `half of ${reference}'s saturating step ${saturated}/s` };
    }
  } else if (rows.length > 0) {
    const top = rows[rows.length - 1]!.rate;
    latencyRow = { rate: top, kind: 'step', note: `${reference} did not saturate; read at the top step ${top}/s (stricter)` };
  }
  return { rows, saturation, latencyRow };
}

async function runRow(contenders: Contender[], rate: number, kind: 'step' | 'half', options: LadderOptions): Promise<LadderRow> {
  const measured = new Map<SideKind, StepMeasurement[]>();
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const c of order) {
      await sleep(options.settleMs);
      const backlog = await waitForIdle(c.side);
      if (backlog > 1000) options.log(`    (${c.side.label} needed ${(backlog / 1000).toFixed(1)} s to go idle before this step)`);
      const m = await runStep(
        c.fleet,
        { stepId: options.nextStepId(), rate, seconds: options.seconds, drainMs: options.drainMs, senders: c.senders },
        () => c.side.repin(),
        c.side.cpu,
      );
      const list = measured.get(c.side.kind) ?? [];
      list.push(m);
      measured.set(c.side.kind, list);
      options.log(
        `    ${kind === 'half' ? 'half ' : ''}${rate}/s r${round + 1} ${c.side.label.padEnd(30)} ` +
          `${m.deliveredPerSec} del/s  ${m.deliveriesPerCpuSecond} del/cpu-s  p99 ${m.recv.p99.toFixed(1)} ms  ` +
          `ack p99 ${m.ack.p99.toFixed(1)} ms  srv ${m.serverCores.toFixed(2)} cores  lg ${(m.loadGen.cpu * 100).toFixed(0)}%` +
          `${m.skipped ? ` skipped ${m.skipped}` : ''}${m.loadGen.saturated ? ' LG-LIMIT' : ''}` +
          `${m.loadGen.starved ? ` LG-STARVED ${(m.loadGen.runQueueShare * 100).toFixed(0)}%` : ''}` +
          `${m.serverRunQueueShare >= 0.1 ? ` srv-wait ${(m.serverRunQueueShare * 100).toFixed(0)}%` : ''}${m.clean ? '' : `  ✗ ${m.failure}`}`,
      );
    }
  }
  const sides: Partial<Record<SideKind, SideStep>> = {};
  for (const [sideKind, rounds] of measured) sides[sideKind] = { rounds, summary: summarize(rounds) };
  return { rate, kind, sides };
}

const IDLE_CORES = 0.15;
const IDLE_WAIT_MAX_MS = 20_000;

/**
 * Waits until the side's servers use less than IDLE_CORES, so a step never inherits the
 * backlog of a saturated one before it. Returns how long that took (ms).
 */
export async function waitForIdle(side: Side): Promise<number> {
  const started = performance.now();
  let last = side.cpu.sample();
  while (performance.now() - started < IDLE_WAIT_MAX_MS) {
    await sleep(250);
    const now = side.cpu.sample();
    const delta = CpuMeter.delta(last, now);
    last = now;
    if (delta.totalSeconds / delta.wallSeconds < IDLE_CORES) break;
  }
  return performance.now() - started;
}

export function summarize(rounds: StepMeasurement[]): StepSummary {
  const rejected: Record<string, number> = {};
  for (const m of rounds) for (const [code, n] of Object.entries(m.ackErrors)) rejected[code] = (rejected[code] ?? 0) + n;
  const failed = rounds.find((m) => !m.clean);
  return {
    clean: failed === undefined,
    failure: failed?.failure,
    deliveriesPerCpuSecond: spread(rounds.map((m) => m.deliveriesPerCpuSecond)),
    deliveredPerSec: spread(rounds.map((m) => m.deliveredPerSec)),
    ackedPerSec: spread(rounds.map((m) => m.ackedPerSec)),
    serverCores: spread(rounds.map((m) => m.serverCores)),
    recvP50: spread(rounds.map((m) => m.recv.p50)),
    recvP99: spread(rounds.map((m) => m.recv.p99)),
    ackP99: spread(rounds.map((m) => m.ack.p99)),
    lost: rounds.reduce((a, m) => a + m.lost, 0),
    rejected,
    echoes: rounds.reduce((a, m) => a + m.echoes, 0),
    loadGenCpu: spread(rounds.map((m) => m.loadGen.cpu)),
    loadGenSaturated: rounds.some((m) => m.loadGen.saturated),
    loadGenStarved: rounds.some((m) => m.loadGen.starved),
    skipped: rounds.reduce((a, m) => a + m.skipped, 0),
    serverRunQueueShare: Math.max(...rounds.map((m) => m.serverRunQueueShare)),
  };
}
