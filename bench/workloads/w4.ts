/**
 * W4 churn: W1's rooms at a steady rate while 10 % of the listening clients drop and come
 * back every few seconds. A returning Quanzi client asks `sync` for what it missed (from the
 * last seq it saw per room, paging on `hasMore`); the relay has nothing to offer, so its
 * figure shows what churn costs without history.
 *
 * Per client and message (by the tag in the text) we count live and sync receipts, then report:
 *   gaps        — acked messages of the client's room it never got,
 *   duplicates  — a message pushed live twice to one socket, returned twice by sync, or seen
 *                 under a seq other than the one its send was acked with (stored twice);
 *   overlap     — a message both pushed live and returned by sync: a client merging by seq
 *                 shows it once, so it is reported beside the duplicates, not among them;
 *   recovery    — from the reconnect to holding every message acked before it (target ≤ 2 s).
 */
import { chatLine, readTag } from '../chat-text.ts';
import { CpuMeter, SelfCpu } from '../cpu.ts';
import { waitForIdle } from '../ladder.ts';
import { sleep } from '../limit.ts';
import type { BenchClient, SendAck, WireMessage } from '../load.ts';
import type { Side } from '../servers.ts';
import { Histogram, quantileOf, round3, spread, type LatencySummary, type Spread } from '../stats.ts';
import type { WorkloadContext } from './context.ts';
import { openRooms } from './rooms.ts';
import { W1_TAG } from './w1.ts';

const RECONNECT_DELAY_MS: [number, number] = [200, 1000];
const SYNC_TIMEOUT_MS = 5000;
const MAX_SYNC_PAGES = 50;
/** How long the end of a run waits for late deliveries before calling what is missing a gap. */
const FINAL_DRAIN_MS = 10_000;

export interface W4Run {
  sent: number;
  acked: number;
  rejected: number;
  drops: number;
  reconnectFailures: number;
  gaps: number;
  duplicates: number;
  duplicateBreakdown: { liveRepeat: number; syncRepeat: number; otherSeq: number };
  /** Messages both pushed live and returned by sync (merged by seq on a real client). */
  overlap: number;
  syncCalls: number;
  syncErrors: number;
  /** Sync answers that gave up on continuity (`reset`): the client was too far behind. */
  syncResets: number;
  /** null for the relay: it has no history to recover from. */
  recovery: {
    count: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    notCaughtUp: number;
    /** Where the time goes: the reconnect itself (handshake, auth, rooms) and the first sync reply. */
    connectP99Ms: number;
    firstSyncP99Ms: number;
  } | null;
  recv: LatencySummary;
  serverCpuSeconds: number;
  deliveriesPerCpuSecond: number;
  loadGenCpu: number;
  /** Shares of the run spent waiting for a core: the servers', and the load generator's (other work on the machine). */
  serverRunQueueShare: number;
  loadGenRunQueueShare: number;
}

export interface W4SideResult {
  kind: string;
  label: string;
  runs: W4Run[];
  gaps: Spread;
  duplicates: Spread;
  recoveryMaxMs: Spread | null;
  notCaughtUp: number;
}

export interface W4Result {
  rate: number;
  seconds: number;
  churnFraction: number;
  sides: W4SideResult[];
}

export async function runW4(ctx: WorkloadContext): Promise<W4Result> {
  const { w1, w4, rounds } = ctx.profile;
  const shape = { tag: W1_TAG, rooms: w1.rooms, members: w1.members, sendersPerRoom: 1 };
  const runs = new Map<Side, W4Run[]>(ctx.sides.map((s) => [s, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ctx.sides : [...ctx.sides].reverse();
    for (const side of order) {
      const open = await openRooms(side, shape, ctx.log);
      await waitForIdle(side);
      try {
        const run = await churnRun(side, open.fleet.clients, open.senders, ctx.nextStepId(), w4);
        runs.get(side)!.push(run);
        ctx.log(
          `    r${round + 1} ${side.label.padEnd(30)} sent ${run.sent} drops ${run.drops} gaps ${run.gaps} dups ${run.duplicates} overlap ${run.overlap}` +
            (run.syncErrors || run.syncResets ? ` sync errors ${run.syncErrors} resets ${run.syncResets}` : '') +
            (run.recovery
              ? ` recovery p99 ${run.recovery.p99Ms.toFixed(0)} ms max ${run.recovery.maxMs.toFixed(0)} ms (connect p99 ${run.recovery.connectP99Ms.toFixed(0)} ms, first sync p99 ${run.recovery.firstSyncP99Ms.toFixed(0)} ms)`
              : '') +
            ` live p99 ${run.recv.p99.toFixed(1)} ms` +
            ` (waited for a core: server ${(run.serverRunQueueShare * 100).toFixed(0)}%, load gen ${(run.loadGenRunQueueShare * 100).toFixed(0)}%)`,
        );
      } finally {
        open.fleet.close();
      }
      await sleep(ctx.profile.settleMs);
    }
  }
  return {
    rate: w4.rate,
    seconds: w4.seconds,
    churnFraction: w4.churnFraction,
    sides: ctx.sides.map((side) => {
      const list = runs.get(side)!;
      return {
        kind: side.kind,
        label: side.label,
        runs: list,
        gaps: spread(list.map((r) => r.gaps)),
        duplicates: spread(list.map((r) => r.duplicates)),
        recoveryMaxMs: side.kind === 'quanzi' ? spread(list.map((r) => r.recovery?.maxMs ?? Number.NaN)) : null,
        notCaughtUp: list.reduce((a, r) => a + (r.recovery?.notCaughtUp ?? 0), 0),
      };
    }),
  };
}

interface ClientState {
  client: BenchClient;
  roomId: string;
  live: Uint8Array;
  synced: Uint8Array;
  lastSeq: number;
  /** The last seq seen before the drop: where `sync` resumes. Live messages that arrive after the
   *  reconnect (and move lastSeq on) must not move it, or the cursor would jump the missed range. */
  resumeFrom: number;
  down: boolean;
  /** Set while recovering: the acked messages it still lacks, and when the reconnect began. */
  missing: Set<number> | null;
  reconnectAt: number;
}

async function churnRun(
  side: Side,
  clients: BenchClient[],
  senders: { client: BenchClient; roomId: string }[],
  stepId: number,
  plan: { rate: number; seconds: number; churnEverySeconds: number; churnFraction: number; quietTailSeconds: number },
): Promise<W4Run> {
  const capacity = Math.ceil(plan.rate * plan.seconds) + 1;
  const sentAt = new Float64Array(capacity);
  const roomOf: string[] = new Array(capacity);
  const ackState = new Uint8Array(capacity);
  const ackSeq = new Float64Array(capacity);
  const ackedByRoom = new Map<string, number[]>();
  const baseSeq = new Map<string, number>();
  const senderSet = new Set(senders.map((s) => s.client));
  const states = new Map<BenchClient, ClientState>();
  for (const client of clients) {
    states.set(client, {
      client,
      roomId: client.plan.rooms[0]!,
      live: new Uint8Array(capacity),
      synced: new Uint8Array(capacity),
      lastSeq: 0,
      resumeFrom: 0,
      down: false,
      missing: null,
      reconnectAt: 0,
    });
  }
  const recv = new Histogram();
  const recoveries: number[] = [];
  const connectTimes: number[] = [];
  const firstSyncTimes: number[] = [];
  let delivered = 0;
  let sent = 0;
  let settled = 0;
  let rejected = 0;
  let drops = 0;
  let reconnectFailures = 0;
  let syncCalls = 0;
  let syncErrors = 0;
  let syncResets = 0;
  let otherSeq = 0;

  const receive = (state: ClientState, message: WireMessage, via: 'live' | 'sync') => {
    const tag = readTag(message.text);
    if (typeof message.seq === 'number' && message.seq > state.lastSeq) state.lastSeq = message.seq;
    if (!tag || tag.stepId !== stepId || tag.index >= capacity) return;
    if (typeof message.seq === 'number' && ackSeq[tag.index] && message.seq !== ackSeq[tag.index]) otherSeq++;
    if (via === 'live') {
      state.live[tag.index] = Math.min(255, state.live[tag.index]! + 1);
      delivered++;
      recv.record(performance.now() - tag.sentAtMs);
    } else {
      state.synced[tag.index] = Math.min(255, state.synced[tag.index]! + 1);
    }
    if (state.missing?.delete(tag.index) && state.missing.size === 0) finishRecovery(state);
  };
  const finishRecovery = (state: ClientState) => {
    state.missing = null;
    recoveries.push(performance.now() - state.reconnectAt);
  };
  for (const client of clients) {
    const state = states.get(client)!;
    client.socket.on('message', (m: WireMessage) => receive(state, m, 'live'));
  }

  const reconnect = async (state: ClientState) => {
    state.reconnectAt = performance.now();
    try {
      await state.client.connect();
    } catch {
      reconnectFailures++;
      state.down = false;
      return;
    }
    state.down = false;
    connectTimes.push(performance.now() - state.reconnectAt);
    const acked = ackedByRoom.get(state.roomId) ?? [];
    state.missing = new Set(acked.filter((i) => state.live[i] === 0 && state.synced[i] === 0));
    if (side.kind !== 'quanzi') {
      state.missing = null; // nothing to recover from
      return;
    }
    if (state.missing.size === 0) finishRecovery(state);
    let cursor = state.resumeFrom || baseSeq.get(state.roomId) || 0;
    for (let page = 0; page < MAX_SYNC_PAGES; page++) {
      syncCalls++;
      let reply;
      const asked = performance.now();
      try {
        reply = await state.client.sync({ [state.roomId]: cursor }, SYNC_TIMEOUT_MS);
        if (page === 0) firstSyncTimes.push(performance.now() - asked);
      } catch {
        syncErrors++;
        return;
      }
      const room = reply?.rooms?.[state.roomId];
      if (!room) {
        syncErrors++;
        return;
      }
      if (room.reset) syncResets++;
      for (const m of room.messages) receive(state, m, 'sync');
      cursor = Math.max(cursor, ...room.messages.map((m) => m.seq ?? 0));
      if (!room.hasMore) return;
    }
  };

  const pending: Promise<void>[] = [];
  const cpuStart = side.cpu.sample();
  const self = new SelfCpu();
  const t0 = performance.now();
  const churnUntil = plan.seconds - plan.quietTailSeconds;
  let nextChurn = plan.churnEverySeconds;
  const listeners = clients.filter((c) => !senderSet.has(c));
  let scheduled = 0;

  side.repin();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      const elapsed = (now - t0) / 1000;
      const target = Math.min(capacity - 1, Math.floor(plan.rate * Math.min(elapsed, plan.seconds)));
      for (; scheduled < target; scheduled++) {
        const index = sent++;
        const sender = senders[index % senders.length]!;
        sentAt[index] = now;
        roomOf[index] = sender.roomId;
        sender.client.send(sender.roomId, chatLine(now, stepId, index), `c${stepId}-${index}`, (ack: SendAck) => {
          settled++;
          if (!ack?.ok) {
            ackState[index] = 2;
            rejected++;
            return;
          }
          ackState[index] = 1;
          const list = ackedByRoom.get(sender.roomId) ?? [];
          list.push(index);
          ackedByRoom.set(sender.roomId, list);
          const seq = ack.message?.seq;
          if (typeof seq === 'number') {
            ackSeq[index] = seq;
            if (!baseSeq.has(sender.roomId)) baseSeq.set(sender.roomId, seq - 1);
          }
        });
      }
      if (elapsed >= nextChurn && elapsed < churnUntil) {
        nextChurn += plan.churnEverySeconds;
        const up = listeners.filter((c) => !states.get(c)!.down && states.get(c)!.missing === null);
        const count = Math.round(plan.churnFraction * clients.length);
        for (const client of pickRandom(up, count)) {
          const state = states.get(client)!;
          state.down = true;
          state.resumeFrom = state.lastSeq;
          drops++;
          client.disconnect();
          const delay = RECONNECT_DELAY_MS[0] + Math.random() * (RECONNECT_DELAY_MS[1] - RECONNECT_DELAY_MS[0]);
          pending.push(sleep(delay).then(() => reconnect(state)));
        }
      }
      if (elapsed >= plan.seconds) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });

  await Promise.all(pending);
  const drainStart = performance.now();
  const allIn = () =>
    settled === sent &&
    [...states.values()].every((s) => senderSet.has(s.client) || (ackedByRoom.get(s.roomId) ?? []).every((i) => s.live[i]! + s.synced[i]! > 0));
  while (performance.now() - drainStart < FINAL_DRAIN_MS && !allIn()) await sleep(100);
  const cpu = CpuMeter.delta(cpuStart, side.cpu.sample());
  const loadGenCpu = self.utilization();
  const loadGenWait = self.runQueueShare();

  let gaps = 0;
  let liveRepeat = 0;
  let syncRepeat = 0;
  let overlap = 0;
  let notCaughtUp = 0;
  for (const state of states.values()) {
    if (senderSet.has(state.client)) continue;
    if (state.missing !== null) notCaughtUp++;
    for (const i of ackedByRoom.get(state.roomId) ?? []) {
      const live = state.live[i]!;
      const synced = state.synced[i]!;
      if (live + synced === 0) gaps++;
      if (live > 1) liveRepeat += live - 1;
      if (synced > 1) syncRepeat += synced - 1;
      if (live > 0 && synced > 0) overlap++;
    }
  }
  let acked = 0;
  for (let i = 0; i < sent; i++) if (ackState[i] === 1) acked++;

  return {
    sent,
    acked,
    rejected,
    drops,
    reconnectFailures,
    gaps,
    duplicates: liveRepeat + syncRepeat + otherSeq,
    duplicateBreakdown: { liveRepeat, syncRepeat, otherSeq },
    overlap,
    syncCalls,
    syncErrors,
    syncResets,
    recovery:
      side.kind === 'quanzi'
        ? {
            count: recoveries.length,
            p50Ms: round3(quantileOf(recoveries, 0.5)),
            p99Ms: round3(quantileOf(recoveries, 0.99)),
            maxMs: round3(recoveries.length ? Math.max(...recoveries) : Number.NaN),
            notCaughtUp,
            connectP99Ms: round3(quantileOf(connectTimes, 0.99)),
            firstSyncP99Ms: round3(quantileOf(firstSyncTimes, 0.99)),
          }
        : null,
    recv: recv.summary(),
    serverCpuSeconds: round3(cpu.totalSeconds),
    deliveriesPerCpuSecond: cpu.totalSeconds > 0 ? Math.round(delivered / cpu.totalSeconds) : 0,
    loadGenCpu: round3(loadGenCpu),
    serverRunQueueShare: round3(cpu.waitSeconds / cpu.wallSeconds),
    loadGenRunQueueShare: round3(loadGenWait),
  };
}

function pickRandom<T>(items: T[], count: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}
