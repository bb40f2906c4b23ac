/**
 * One measured step: send at a fixed offered rate for a while, drain, and account for every
 * message — who got it, how late, whether the server acked it — and for the CPU it cost the
 * server side and the load generator.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { chatLine, readTag } from './chat-text.ts';
import { CpuMeter, SelfCpu, type MemorySample } from './cpu.ts';
import { sleep } from './limit.ts';
import type { BenchClient, Fleet, SendAck } from './load.ts';
import { Histogram, round3, type LatencySummary } from './stats.ts';

/** p99 send→receive past this, or any loss, ends a side's ladder. */
export const SATURATION_P99_MS = 250;
/** The load generator counts as the bottleneck from this share of its core on. */
export const LOAD_GEN_LIMIT = 0.9;
const TICK_MS = 5;
/** A late tick sends at most this much of the schedule at once; the rest is skipped and flagged. */
const MAX_BURST_SECONDS = 0.05;
/** Skipping more than this share of the schedule means the load generator could not keep up. */
const MAX_SKIPPED_SHARE = 0.01;
/** Waiting this share of the step for its own core means the load generator was crowded out. */
export const STARVED_SHARE = 0.1;

export interface Sender {
  client: BenchClient;
  roomId: string;
  /** Sockets other than the sender's that should receive each message. */
  recipients: number;
}

export interface StepPlan {
  stepId: number;
  rate: number;
  seconds: number;
  drainMs: number;
  senders: Sender[];
}

export interface StepMeasurement {
  offeredRate: number;
  sent: number;
  /** Messages the schedule wanted but the load generator was too late to send. */
  skipped: number;
  ackOk: number;
  ackErrors: Record<string, number>;
  unacked: number;
  expected: number;
  delivered: number;
  lost: number;
  /** Deliveries beyond the expected count (the same message twice to a socket). */
  extra: number;
  /** The sender's own socket receiving its message (Quanzi may echo; the relay never does). */
  echoes: number;
  sendSeconds: number;
  deliveredPerSec: number;
  ackedPerSec: number;
  serverCpuSeconds: number;
  serverCpuBySource: Record<string, number>;
  /** Server-side cores busy on average over the step (send + drain). */
  serverCores: number;
  /** Share of the step the server processes spent waiting for a core (other work, or each other). */
  serverRunQueueShare: number;
  deliveriesPerCpuSecond: number;
  /** The server side's memory at the end of the step, right after the load. */
  serverMemory?: MemorySample;
  recv: LatencySummary;
  ack: LatencySummary;
  /**
   * saturated: the load generator used ≥ 90 % of its core or fell behind its schedule;
   * starved: it waited for its core ≥ 10 % of the step (other work on the machine took it).
   */
  loadGen: { cpu: number; runQueueShare: number; loopDelayP99Ms: number; saturated: boolean; starved: boolean };
  clean: boolean;
  failure?: string;
}

export async function runStep(fleet: Fleet, plan: StepPlan, repin: () => void, cpu: CpuMeter): Promise<StepMeasurement> {
  const { stepId, rate, seconds } = plan;
  const capacity = Math.ceil(rate * seconds) + 1;
  const sentAt = new Float64Array(capacity);
  const expected = new Int32Array(capacity);
  const received = new Int32Array(capacity);
  const senderOf = new Int32Array(capacity);
  const ackState = new Uint8Array(capacity); // 0 pending, 1 ok, 2 rejected
  const recv = new Histogram();
  const ackHist = new Histogram();
  const ackErrors: Record<string, number> = {};
  let delivered = 0;
  let echoes = 0;
  let settled = 0;
  let expectedTotal = 0;

  fleet.handler = (client, message) => {
    const tag = readTag(message.text);
    if (!tag || tag.stepId !== stepId || tag.index >= capacity) return;
    if (senderOf[tag.index] === client.index) {
      echoes++;
      return;
    }
    received[tag.index]! += 1;
    delivered++;
    recv.record(performance.now() - tag.sentAtMs);
  };

  repin();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuStart = cpu.sample();
  const self = new SelfCpu();
  const t0 = performance.now();
  let sent = 0;
  let scheduled = 0;
  let skipped = 0;
  const burstCap = Math.max(1, Math.ceil(rate * MAX_BURST_SECONDS));

  const sendOne = (now: number) => {
    const index = sent++;
    const sender = plan.senders[index % plan.senders.length]!;
    sentAt[index] = now;
    senderOf[index] = sender.client.index;
    expected[index] = sender.recipients;
    sender.client.send(sender.roomId, chatLine(now, stepId, index), `s${stepId}-${index}`, (ack: SendAck) => {
      if (ackState[index] !== 0) return;
      settled++;
      ackHist.record(performance.now() - sentAt[index]!);
      if (ack?.ok) {
        ackState[index] = 1;
        expectedTotal += expected[index]!;
      } else {
        ackState[index] = 2;
        const code = ack?.error?.code ?? 'UNKNOWN';
        ackErrors[code] = (ackErrors[code] ?? 0) + 1;
      }
    });
  };

  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      const elapsed = (now - t0) / 1000;
      const target = Math.min(capacity - 1, Math.floor(rate * Math.min(elapsed, seconds)));
      let due = target - scheduled;
      scheduled = target;
      if (due > burstCap) {
        skipped += due - burstCap;
        due = burstCap;
      }
      for (let i = 0; i < due; i++) sendOne(now);
      if (elapsed >= seconds) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  const sendEnd = performance.now();
  const sendSeconds = (sendEnd - t0) / 1000;

  // Drain: until every ack is in and every expected delivery arrived, or the drain time is up.
  while (performance.now() - sendEnd < plan.drainMs) {
    if (settled === sent && delivered >= expectedTotal) break;
    await sleep(20);
  }
  const cpuDelta = CpuMeter.delta(cpuStart, cpu.sample());
  const serverMemory = cpu.memory();
  const loadCpu = self.utilization();
  const loadWait = self.runQueueShare();
  loopDelay.disable();
  fleet.handler = () => {};

  let lost = 0;
  let extra = 0;
  let ackOk = 0;
  for (let i = 0; i < sent; i++) {
    if (ackState[i] === 1) ackOk++;
    if (ackState[i] === 2) continue;
    const diff = expected[i]! - received[i]!;
    if (diff > 0) lost += diff;
    else extra -= diff;
  }
  const unacked = sent - settled;
  const recvSummary = recv.summary();
  const ackSummary = ackHist.summary();
  const rejected = Object.values(ackErrors).reduce((a, b) => a + b, 0);
  const failure =
    recvSummary.p99 > SATURATION_P99_MS
      ? `p99 ${recvSummary.p99.toFixed(0)} ms > ${SATURATION_P99_MS} ms`
      : lost > 0
        ? `${lost} deliveries lost`
        : rejected > 0
          ? `${rejected} sends rejected (${Object.keys(ackErrors).join(', ')})`
          : unacked > 0
            ? `${unacked} sends never acked`
            : undefined;

  return {
    offeredRate: rate,
    sent,
    skipped,
    ackOk,
    ackErrors,
    unacked,
    expected: expectedTotal,
    delivered,
    lost,
    extra,
    echoes,
    sendSeconds: round3(sendSeconds),
    deliveredPerSec: Math.round(delivered / sendSeconds),
    ackedPerSec: Math.round(ackOk / sendSeconds),
    serverCpuSeconds: round3(cpuDelta.totalSeconds),
    serverCpuBySource: cpuDelta.bySource,
    serverCores: round3(cpuDelta.totalSeconds / cpuDelta.wallSeconds),
    serverRunQueueShare: round3(cpuDelta.waitSeconds / cpuDelta.wallSeconds),
    deliveriesPerCpuSecond: cpuDelta.totalSeconds > 0 ? Math.round(delivered / cpuDelta.totalSeconds) : 0,
    serverMemory,
    recv: recvSummary,
    ack: ackSummary,
    loadGen: {
      cpu: round3(loadCpu),
      runQueueShare: round3(loadWait),
      loopDelayP99Ms: round3(loopDelay.percentile(99) / 1e6),
      saturated: loadCpu >= LOAD_GEN_LIMIT || skipped > MAX_SKIPPED_SHARE * (sent + skipped),
      starved: loadWait >= STARVED_SHARE,
    },
    clean: failure === undefined,
    failure,
  };
}
