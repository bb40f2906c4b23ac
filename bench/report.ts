/**
 * Turns a run into its three outputs: the JSON in bench/results/, and docs/benchmarks.md with
 * its SVG charts (docs/bench-*.svg). The page is rewritten whole on every run.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SideStep } from './ladder.ts';
import { describePauses } from './machine-pauses.ts';
import type { ModeResult, RunResult } from './run-result.ts';
import { ROOT } from './servers.ts';
import type { Spread } from './stats.ts';
import { LOAD_GEN_LIMIT, SATURATION_P99_MS, STARVED_SHARE } from './step.ts';
import { lineChart, PALETTE, type Series } from './svg.ts';
import { evaluateTargets } from './targets.ts';
import type { SteppedResult } from './workloads/stepped.ts';
import { EXPORT_RSS_TARGET_MB, type Download, type W8Result } from './workloads/w8.ts';
import { PHOTO_CHAT_P99_RATIO_TARGET, type W9Result } from './workloads/w9.ts';
import { UPLOAD_RSS_TARGET_MB, UPLOAD_THROUGHPUT_TARGET, type UploadRun, type W10Result } from './workloads/w10.ts';
import { ALBUM_P99_TARGET_MS, type W11Result } from './workloads/w11.ts';
import { SEARCH_P99_TARGET_MS, SEARCH_WRITE_OVERHEAD_TARGET, type W12Result } from './workloads/w12.ts';

export const RESULTS_DIR = path.join(ROOT, 'bench/results');
const DOCS_DIR = path.join(ROOT, 'docs');

export function writeJson(run: RunResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${run.runId}.json`);
  writeFileSync(file, JSON.stringify({ ...run, targets: evaluateTargets(run) }, null, 2) + '\n');
  return file;
}

export function writeDocs(run: RunResult): string[] {
  mkdirSync(DOCS_DIR, { recursive: true });
  const charts = renderCharts(run);
  for (const old of readdirSync(DOCS_DIR)) {
    if (/^bench-.*\.svg$/.test(old) && !charts.has(old)) rmSync(path.join(DOCS_DIR, old));
  }
  for (const [name, svg] of charts) writeFileSync(path.join(DOCS_DIR, name), svg);
  const page = path.join(DOCS_DIR, 'benchmarks.md');
  writeFileSync(page, renderMarkdown(run, [...charts.keys()]));
  return [page, ...[...charts.keys()].map((c) => path.join(DOCS_DIR, c))];
}

// ---- charts ----

function renderCharts(run: RunResult): Map<string, string> {
  const charts = new Map<string, string>();
  const ladders = (pick: (m: ModeResult) => SteppedResult | undefined) =>
    run.modes.flatMap((m) => (pick(m) ? [{ mode: m.mode, ladder: pick(m)!.ladder, labels: pick(m)!.sides }] : []));
  const seriesOf = (list: ReturnType<typeof ladders>, value: (s: SideStep) => number): Series[] => {
    const out: Series[] = [];
    for (const { ladder, labels } of list) {
      for (const { kind, label } of labels) {
        out.push({
          name: label,
          color: PALETTE[out.length % PALETTE.length]!,
          dashed: kind === 'relay',
          points: ladder.rows
            .filter((r) => r.kind === 'step' && r.sides[kind as 'relay' | 'quanzi'])
            .map((r) => {
              const s = r.sides[kind as 'relay' | 'quanzi']!;
              return [r.rate, value(s), s.summary.clean] as [number, number, boolean];
            }),
        });
      }
    }
    return out;
  };

  const w1 = ladders((m) => m.W1);
  if (w1.length) {
    charts.set(
      'bench-w1.svg',
      lineChart({
        title: 'W1 rooms (20 × 50): deliveries per server CPU-second',
        xLabel: 'offered messages/s (log)',
        yLabel: 'deliveries per server CPU-s',
        logX: true,
        series: seriesOf(w1, (s) => s.summary.deliveriesPerCpuSecond.median),
      }),
    );
    charts.set(
      'bench-w1-p99.svg',
      lineChart({
        title: 'W1 rooms (20 × 50): p99 send → receive',
        xLabel: 'offered messages/s (log)',
        yLabel: 'p99 ms (log)',
        logX: true,
        logY: true,
        series: seriesOf(w1, (s) => Math.max(0.1, s.summary.recvP99.median)),
        hLine: { y: SATURATION_P99_MS, label: `${SATURATION_P99_MS} ms: saturated` },
      }),
    );
  }
  const firstW2 = (m: ModeResult) => (m.W2 ? Object.values(m.W2.byMembers)[0] : undefined);
  const w2 = ladders(firstW2);
  if (w2.length) {
    const members = run.modes.map(firstW2).find(Boolean)!.shape.members;
    charts.set(
      'bench-w2.svg',
      lineChart({
        title: `W2 big group (${members} members): deliveries per server CPU-second`,
        xLabel: 'offered messages/s (log)',
        yLabel: 'deliveries per server CPU-s',
        logX: true,
        series: seriesOf(w2, (s) => s.summary.deliveriesPerCpuSecond.median),
      }),
    );
  }
  const w3 = ladders((m) => m.W3);
  if (w3.length) {
    charts.set(
      'bench-w3.svg',
      lineChart({
        title: 'W3 per-message cost (500 × 2): acknowledged messages/s',
        xLabel: 'offered messages/s (log)',
        yLabel: 'acked messages/s',
        logX: true,
        series: seriesOf(w3, (s) => s.summary.ackedPerSec.median),
        hLine: { y: 5000, label: 'target 5,000/s' },
      }),
    );
  }
  return charts;
}

// ---- markdown ----

function renderMarkdown(run: RunResult, charts: string[]): string {
  const out: string[] = [];
  const p = run.profile;
  out.push('# Benchmarks', '');
  out.push('_Generated by `npm run bench` (bench/run.ts); rewritten on every run — edit the generator, not this page._', '');
  if (run.modes.length === 0 && !run.W7) {
    out.push('**No measurements yet.** Run `npm run bench` (or `npm run bench -- --full`) on a quiet machine to fill this page.', '');
    out.push(...findings(), ...METHOD);
    return out.join('\n') + '\n';
  }
  out.push(
    `Run \`${run.runId}\` · profile **${p.name}** (${p.rounds} interleaved A/B round${p.rounds === 1 ? '' : 's'} per step, ${p.stepSeconds} s steps) · ` +
      `workloads ${run.workloads.join(', ')} · ${(run.durationSeconds / 60).toFixed(1)} min · ` +
      `${run.machine.cpus} × ${run.machine.cpuModel} · Node ${run.machine.node} · commit ${run.machine.commit ?? 'unknown'} · ` +
      (run.pinning ? `servers pinned to core ${run.pinning.serverCore}, load generator to core ${run.pinning.loadCore}` : '**not pinned** (fewer than 2 cores or no taskset)') +
      ` · load average at start ${run.machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`,
    '',
  );
  if (run.machine.pauses?.length) {
    out.push(
      `Machine pauses (a busy loop pinned to each core for 2 s before the run; every p99 below carries them): ${run.machine.pauses.map(describePauses).join('; ')}.`,
      '',
    );
  }
  out.push(`Command: \`${run.command}\`. Raw figures: \`bench/results/${run.runId}.json\` (not committed).`, '');
  if (run.quanzi !== 'ran') out.push(`> **Quanzi was ${run.quanzi === 'missing' ? 'not available (no server/main.ts)' : 'skipped (--sides relay)'}: only the baselines ran.**`, '');
  if (run.aborted) out.push(`> **Run aborted:** ${run.aborted}`, '');

  out.push('## Targets', '');
  out.push('| Target | Mode | Quanzi | Baseline (same run) | Pass |', '| --- | --- | --- | --- | --- |');
  for (const t of evaluateTargets(run)) {
    const pass = t.pass === null ? '—' : t.pass ? '✅ pass' : '❌ fail';
    out.push(`| ${t.target}${t.note ? ` <br><sub>${t.note}</sub>` : ''} | ${t.mode} | ${t.measured} | ${t.baseline} | ${pass} |`);
  }
  out.push('');

  if (charts.length) {
    out.push('## Charts', '');
    out.push('Dashed lines are the baselines; hollow markers are unclean steps (p99 past 250 ms, loss or rejected sends).', '');
    for (const c of charts) out.push(`![${c}](${c})`, '');
  }

  for (const mode of run.modes) {
    out.push(`## ${mode.mode === 'embedded' ? 'Embedded mode' : 'Scaled mode'}${mode.sides.length ? `: ${mode.sides.map((s) => s.label).join(' vs ')}` : ''}`, '');
    if (mode.startError) out.push(`> **The servers did not start:** ${oneLine(mode.startError)}`, '');
    for (const [id, message] of Object.entries(mode.errors)) out.push(`> **${id} failed:** ${oneLine(message)}`, '');
    memorySection(out, mode);
    if (mode.W1) ladderSection(out, `W1 rooms — ${mode.W1.shape.rooms} rooms × ${mode.W1.shape.members} members, one sender per room`, mode.W1);
    for (const [members, r] of Object.entries(mode.W2?.byMembers ?? {})) {
      ladderSection(out, `W2 big group — 1 room × ${members} members, ${r.shape.sendersPerRoom} senders taking turns`, r);
    }
    if (mode.W3) ladderSection(out, `W3 per-message cost — ${mode.W3.shape.rooms} rooms × ${mode.W3.shape.members} members`, mode.W3, true);
    if (mode.W4) {
      const w = mode.W4;
      out.push(`### W4 churn — W1 rooms at ${w.rate} msgs/s for ${w.seconds} s, ${(w.churnFraction * 100).toFixed(0)} % of clients dropping and reconnecting`, '');
      out.push(
        '| Side | Gaps | Duplicates (live repeat / sync repeat / other seq) | Sync+live overlap | Recovery p50 / p99 / max ms (connect p99 · first sync p99) | Not caught up | Drops | Sync errors / resets | Live p99 ms | Deliveries per CPU-s | Waited for a core (server / load gen) |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      );
      for (const s of w.sides) {
        for (const [i, r] of s.runs.entries()) {
          const d = r.duplicateBreakdown;
          out.push(
            `| ${s.label}${s.runs.length > 1 ? ` (r${i + 1})` : ''} | ${r.gaps} | ${r.duplicates} (${d.liveRepeat} / ${d.syncRepeat} / ${d.otherSeq}) | ${r.overlap} | ` +
              `${r.recovery ? `${r.recovery.p50Ms.toFixed(0)} / ${r.recovery.p99Ms.toFixed(0)} / ${r.recovery.maxMs.toFixed(0)}${r.recovery.connectP99Ms === undefined ? '' : ` (${r.recovery.connectP99Ms.toFixed(0)} · ${r.recovery.firstSyncP99Ms.toFixed(0)})`}` : 'n/a (no history)'} | ` +
              `${r.recovery ? r.recovery.notCaughtUp : '—'} | ${r.drops}${r.reconnectFailures ? ` (${r.reconnectFailures} failed)` : ''} | ` +
              `${r.recovery ? `${r.syncErrors} / ${r.syncResets}` : '—'} | ${r.recv.p99.toFixed(1)} | ${num(r.deliveriesPerCpuSecond)} | ` +
              `${pct(r.serverRunQueueShare)} / ${pct(r.loadGenRunQueueShare)} |`,
          );
        }
      }
      out.push('');
    }
    if (mode.W5) {
      out.push(`### W5 connections — ${num(mode.W5.sockets)} idle authenticated sockets in one process`, '');
      out.push(
        '| Side | VmRSS at 0, ¼ … all sockets (kB) | KB per connection (fitted slope) | (after − before) / N | Connect time s |',
        '| --- | --- | --- | --- | --- |',
      );
      for (const s of mode.W5.sides) {
        out.push(
          `| ${s.label} | ${s.rssPoints.map((p) => num(p[1])).join(' → ')} | ${s.kbPerConnection.toFixed(1)} | ${s.kbPerConnectionEndpoints.toFixed(1)} | ${s.connectSeconds.toFixed(1)} |`,
        );
      }
      out.push('');
    }
    if (mode.W6) {
      const w = mode.W6;
      out.push(`### W6 history — page of 50 with ${num(w.messages)} messages in ${num(w.rooms)} rooms`, '');
      out.push('| What | Requests | p50 ms | p99 ms | max ms |', '| --- | --- | --- | --- | --- |');
      if (w.quanzi) out.push(`| Quanzi \`GET /v1/rooms/:id/messages?before=…&limit=50\` | ${w.quanzi.requests} | ${w.quanzi.p50Ms.toFixed(2)} | ${w.quanzi.p99Ms.toFixed(2)} | ${w.quanzi.maxMs.toFixed(2)} |`);
      if (w.sqlFloor) out.push(`| bare SQL, same page (storage floor) | ${w.sqlFloor.requests} | ${w.sqlFloor.p50Ms.toFixed(2)} | ${w.sqlFloor.p99Ms.toFixed(2)} | ${w.sqlFloor.maxMs.toFixed(2)} |`);
      out.push(`| relay fixed page (HTTP + JSON floor) | ${w.relayFloor.requests} | ${w.relayFloor.p50Ms.toFixed(2)} | ${w.relayFloor.p99Ms.toFixed(2)} | ${w.relayFloor.maxMs.toFixed(2)} |`);
      if (w.seedSeconds !== null) out.push('', `Seeded in ${w.seedSeconds.toFixed(1)} s.`);
      out.push('');
    }
    if (mode.W8) out.push(...renderW8(mode.W8));
    if (mode.W9) out.push(...renderW9(mode.W9));
    if (mode.W10) out.push(...renderW10(mode.W10));
    if (mode.W11) out.push(...renderW11(mode.W11));
    if (mode.W12) out.push(...renderW12(mode.W12));
    if (mode.notes.length) {
      out.push('Provisioning notes:', '');
      for (const n of mode.notes) out.push(`- ${n}`);
      out.push('');
    }
  }

  if (run.W7) {
    out.push('## W7 safety pipeline', '');
    const w7 = run.W7;
    if (!w7.available) out.push(`Failed: ${oneLine(w7.error)}`, '');
    else {
      out.push(`${num(w7.messages)} messages (in-process, load core), each checked by two identical pipelines; a message's cost is the lower of its two times.`, '');
      out.push('| Figure | p50 µs | p99 µs |', '| --- | --- | --- |');
      out.push(`| per message (lower of the two runs) | ${w7.p50us.toFixed(1)} | ${w7.p99us.toFixed(1)} |`);
      if (w7.singleRunP99us !== undefined) out.push(`| every single run, machine pauses included | ${w7.singleRunP50us!.toFixed(1)} | ${w7.singleRunP99us.toFixed(1)} |`);
      out.push('');
      if (w7.meanUs !== undefined) out.push(`Mean ${w7.meanUs.toFixed(1)} µs per run (wall time over runs: garbage collection and pauses included).`, '');
      if (w7.pauses) out.push(`Just before, the load core: ${describePauses(w7.pauses)}.`, '');
    }
  }

  out.push(...findings(), ...METHOD);
  return out.join('\n') + '\n';
}

function ladderSection(out: string[], title: string, r: SteppedResult, showAcked = false): void {
  out.push(`### ${title}`, '');
  out.push(
    `| Offered msgs/s | Side | Delivered/s | ${showAcked ? 'Acked/s | ' : ''}Deliveries per server CPU-s | Server cores | p50 / p99 send→receive ms | p99 send→ack ms | Lost | Load gen CPU | Result |`,
    `| --- | --- | --- | ${showAcked ? '--- | ' : ''}--- | --- | --- | --- | --- | --- | --- |`,
  );
  for (const row of r.ladder.rows) {
    for (const { kind, label } of r.sides) {
      const s = row.sides[kind as 'relay' | 'quanzi'];
      if (!s) continue;
      const m = s.summary;
      const rejected = Object.entries(m.rejected).map(([c, n]) => `${c}×${n}`).join(', ');
      const verdict = m.clean ? 'clean' : `✗ ${m.failure ?? ''}`;
      out.push(
        `| ${row.kind === 'half' ? `**${row.rate}** (half)` : row.rate} | ${label} | ${sp(m.deliveredPerSec)} | ${showAcked ? `${sp(m.ackedPerSec)} | ` : ''}` +
          `${sp(m.deliveriesPerCpuSecond)} | ${sp(m.serverCores, 2)} | ${sp(m.recvP50, 1)} / ${sp(m.recvP99, 1)} | ${sp(m.ackP99, 1)} | ` +
          `${m.lost}${rejected ? ` (rejected ${rejected})` : ''} | ${sp(m.loadGenCpu, 2)}${loadGenFlags(m)} | ${verdict}${m.echoes ? ` (${m.echoes} echoes to sender)` : ''} |`,
      );
    }
  }
  const sat = r.ladder.saturation;
  out.push(
    '',
    `Saturating step: ${Object.entries(sat)
      .map(([k, v]) => `${k} ${v === null ? 'none up to the top step' : `${v}/s`}`)
      .join(', ')}.${r.ladder.latencyRow ? ` Latency targets read at ${r.ladder.latencyRow.rate}/s (${r.ladder.latencyRow.note}).` : ''}`,
    '',
  );
}

function loadGenFlags(m: SideStep['summary']): string {
  const flags: string[] = [];
  if (m.loadGenCpu.max >= LOAD_GEN_LIMIT) flags.push('⚠ limit');
  else if (m.loadGenSaturated) flags.push(`⚠ late (${m.skipped} skipped)`);
  if (m.loadGenStarved) flags.push('⚠ starved');
  if ((m.serverRunQueueShare ?? 0) >= STARVED_SHARE) flags.push(`server waited ${(m.serverRunQueueShare * 100).toFixed(0)} %`);
  return flags.length ? ` ${flags.join(' ')}` : '';
}

/** Median, with the range when there was more than one round. */
function sp(s: Spread, digits = 0): string {
  if (!Number.isFinite(s.median)) return '—';
  const f = (v: number) => (digits === 0 ? num(Math.round(v)) : v.toFixed(digits));
  return s.n > 1 && s.min !== s.max ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);
}

function pct(share: number | undefined): string {
  return share === undefined ? '—' : `${(share * 100).toFixed(0)} %`;
}

function num(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

function oneLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}

/**
 * Memory of each side: idle (a few seconds after start, before any client) and at the end of
 * the W1 step that left it largest; with the time its first server took to answer /readyz.
 */
function memorySection(out: string[], mode: ModeResult): void {
  if (!mode.idleMemory) return;
  const mb = (kb: number) => (kb / 1024).toFixed(0);
  out.push('### Memory and start-up', '');
  out.push(
    '| Side | Ready after (cold, fresh data) s | Idle RSS MB (sum) | Idle PSS MB (sum) | Processes | Under W1, largest RSS MB | Under W1, largest PSS MB |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const { kind, label } of mode.sides) {
    const idle = mode.idleMemory[kind];
    if (!idle) continue;
    const underLoad = (mode.W1?.ladder.rows ?? []).flatMap((row) => row.sides[kind as 'relay' | 'quanzi']?.rounds ?? []).flatMap((r) => (r.serverMemory ? [r.serverMemory] : []));
    const largest = (pick: (m: { rssKb: number; pssKb: number }) => number) => (underLoad.length ? mb(Math.max(...underLoad.map(pick))) : '—');
    out.push(
      `| ${label} | ${mode.startSeconds?.[kind]?.toFixed(1) ?? '—'} | ${mb(idle.rssKb)} | ${mb(idle.pssKb)} | ${idle.processes} | ${largest((m) => m.rssKb)} | ${largest((m) => m.pssKb)} |`,
    );
  }
  out.push(
    '',
    'Every process of the side is counted (a gateway with its embedded PostgreSQL; gateways, Redis and PostgreSQL in the scaled mode, whose PostgreSQL is the whole shared cluster). RSS counts a shared page in every process that maps it; PSS splits it between them, so the PSS sum is what the side takes from the machine.',
    '',
  );
}

/** Where the time goes and what to do next: written by people in bench/findings.md, kept across runs. */
function findings(): string[] {
  const file = path.join(ROOT, 'bench', 'findings.md');
  return existsSync(file) ? [readFileSync(file, 'utf8').trimEnd(), ''] : [];
}

const METHOD = [
  '## Method',
  '',
  '- **What is compared.** Every figure stands beside a baseline measured in the same run: `bench/relay.ts`, a plain Socket.IO 4 server that relays a room message to the room (`socket.to(room).emit`; no auth, persistence or filters). Embedded mode: one Quanzi gateway with its embedded PostgreSQL (a child process, counted with it) in a fresh `DATA_DIR` against one relay. Scaled mode: two Quanzi gateways with a fresh PostgreSQL database (`qz_bench_<tag>`, dropped afterwards) and a private Redis, clients alternating between the gateways, against two relays joined by `@socket.io/redis-adapter` over their own private Redis.',
  '- **Pinning.** Servers (gateways, relays, the private Redis instances, and the PostgreSQL backends serving the bench database) run on core 0 via `taskset`; the load generator (this one Node process with all the socket.io-client connections) runs on core 1.',
  '- **Latency.** The send time travels in the message text (`[<µs base 36> <step>.<index>] …`), and receivers read it back: send→receive and send→ack are measured on the load generator\'s clock only.',
  '- **CPU.** From `/proc/<pid>/stat` (utime + stime) of every server-side process over the step (send window + drain): each gateway or relay and its descendants, the private Redis, and, in scaled mode, every `postgres` process on the machine plus the backends that exited (the postmaster\'s cutime + cstime). The PostgreSQL cluster is shared with other work on this machine; its noise lands in Quanzi\'s figure, never the relay\'s. **Deliveries per server CPU-second** = messages received by sockets other than the sender\'s ÷ that CPU time.',
  `- **Steps.** The offered rate climbs until p99 send→receive passes ${SATURATION_P99_MS} ms or anything is lost or rejected (a side leaves the ladder after its first unclean step). Before every step the harness waits (up to 20 s) until that side's servers are idle (< 0.15 cores), so no step inherits the backlog of the one before. Each step runs every side once per round, the order flipping each round (A/B, B/A, …); figures are medians with the range in brackets when there was more than one round. After the ladder both sides run once more at half Quanzi's saturating rate, where the latency targets are read.`,
  '- **Load generator limit.** Its own CPU (`process.cpuUsage()`) is reported per step: `⚠ limit` marks a step where it used ≥ 90 % of its core, `⚠ late` one where it fell more than 1 % behind its send schedule — there the figure says more about the load generator than the server. `⚠ starved` marks a step where it waited ≥ 10 % of the time for its own core (schedstat run-queue delay: other work on the machine), and `server waited N %` the same for the server processes (in scaled mode they also wait for each other, all being on one core). Flagged figures were measured on a shared machine: rerun them on a quiet one.',
  '- **Provisioning.** Users, rooms and memberships are made through the REST API (the bench sets `RATE_LIMIT_AUTH_PER_MINUTE=1000000` and `PASSWORD_SCRYPT_LOG_N=10`: sign-up cost is not measured). Senders are plain members, not owners, so every message goes through the whole safety pipeline; the bench asks each room\'s owner to turn off the per-sender rate, flood and probation rules, which one-sender-per-room traffic trips by design. W6 rooms are made through REST and their messages bulk-inserted with `INSERT … SELECT generate_series`, then `ANALYZE`.',
  '- **W4** counts, per client and message, live and `sync` receipts: gaps are acked messages of the client\'s room it never got (after waiting up to 10 s for late ones); duplicates are a message pushed live twice to one socket, returned twice by `sync`, or seen under a seq other than the one its send was acked with; a message both pushed live and returned by `sync` is reported as overlap (a client merging by seq shows it once); recovery runs from the reconnect to holding every message acked before it. **W5** reads the gateway\'s VmRSS (median of five readings) with 0, ¼, ½, ¾ and all of the sockets open, after a warm-up of 50 sockets, on a fresh gateway before any other workload; the figure is the Theil–Sen slope (median of the slopes between every pair of readings, which one heap-growth step cannot swing). **W7** is `bench/safety.ts`, run in-process on the load core: two identical pipelines check the same stream (same messages, senders and clocks) in alternating blocks of 100, so both have done the same work before each message and run it equally cold; a message\'s cost is the lower of its two times, since a pause of the machine seldom lands on both. The single-run p99 and the mean are printed beside it. **W9** makes one 6000 × 4000 JPEG (Gaussian noise over grey, slightly blurred, quality 90: about 6 MB, as a camera\'s) in the load generator; throughput is 8 uploads (24 with `--full`), 4 in flight, unpaced, each answered once its metadata is removed and its 2048 rendition, thumbnail and ThumbHash made; the chat figure interleaves rounds of W1-shaped chat (10 rooms × 20, one sender each, 200 msgs/s) with no uploads, with 4 photo uploads kept going (each body paced at 32 Mbit/s, a phone\'s uplink), and with the same bytes as plain files (magic number spoiled: the upload path without image work); each round also reads the gateway\'s event-loop delay p99 from its `/metrics`. **Machine pauses** come from a busy loop reading the clock on each core (bench/machine-pauses.ts): every gap over 20 µs is time the core was taken away.',
  '',
  'Run it: `npm run bench` (quick, about 8 minutes), `npm run bench -- --full` (the whole matrix, 3 rounds), `--only W1,W3`, `--modes embedded`, `--rounds 3`, `--set w5.sockets=500`, `--no-docs`; `npm run bench -- --help` lists all.',
  '',
];

/** W8's section: the export beside the same messages read through history pages. */
export function renderW8(w: W8Result): string[] {
  const row = (what: string, d: Download) =>
    `| ${what} | ${num(d.messages)}${d.complete ? '' : ' (incomplete)'} | ${d.seconds.toFixed(2)} | ${num(Math.round(d.messagesPerSecond))} | ${(d.bytes / 1e6).toFixed(1)} | ${num(Math.round(d.rssBeforeKb / 1024))} → ${num(Math.round(d.rssPeakKb / 1024))} | +${d.growthMb.toFixed(1)} |`;
  return [
    `### W8 export — one room of ${num(w.messages)} messages downloaded whole`,
    '',
    '| What | Messages | Seconds | Messages/s | MB sent | Gateway RSS before → peak (MB) | Growth (MB) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('Quanzi `GET /v1/rooms/:id/export` (NDJSON, streamed)', w.exportDownload),
    row('baseline: `GET …/messages?after=…&limit=100`, page after page', w.historyPaging),
    '',
    `Target: growth under ${EXPORT_RSS_TARGET_MB} MB. Export first, on the gateway the seeding had just restarted; seeded in ${w.seedSeconds.toFixed(1)} s.`,
    '',
  ];
}

/** W9's section: photo throughput, and chat latency with and without photos being processed. */
export function renderW9(w: W9Result): string[] {
  const t = w.throughput;
  const c = w.chat;
  return [
    `### W9 photos — ${w.megapixels}-megapixel JPEGs (${(w.photoBytes / 1e6).toFixed(1)} MB), metadata removed, web rendition, thumbnail and ThumbHash made`,
    '',
    '| What | Figure |',
    '| --- | --- |',
    `| photos processed per second, end to end (${w.photos} uploads, ${w.inFlight} in flight, \`IMAGE_JOBS\` 2) | ${t.photosPerSecond.toFixed(2)} (${t.seconds.toFixed(1)} s; per upload p50 ${Math.round(t.p50Ms)} ms, max ${Math.round(t.maxMs)} ms${t.failed ? `; ${t.failed} failed` : ''}) |`,
    `| chat p99 send→receive with ${w.inFlight} photo uploads going on (each at ${c.uplinkMbps} Mbit/s) / without (${c.rooms} rooms × ${c.members}, ${c.rate} msgs/s, ${c.seconds} s windows, median of rounds) | **${c.ratio.toFixed(2)}×** (${c.p99LoadedMs.toFixed(1)} ms / ${c.p99UnloadedMs.toFixed(1)} ms; target ≤ ${PHOTO_CHAT_P99_RATIO_TARGET}×) |`,
    `| control: the same uploads as plain files (same bytes, no image work) / without | ${c.filesRatio.toFixed(2)}× (${c.p99FilesMs.toFixed(1)} ms) |`,
    '',
    '| Round | Uploads going on | p50 ms | p99 ms | Gateway event-loop delay p99 ms | Delivered | Lost | Uploads done in the window |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...c.rounds.map(
      (r, i) =>
        `| ${i + 1} | ${r.uploads === 'none' ? 'none' : `${w.inFlight} ${r.uploads}`} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.loopDelayP99Ms?.toFixed(1) ?? '—'} | ${num(r.delivered)} | ${r.lost} | ${r.uploads === 'none' ? '—' : r.photosDuring} |`,
    ),
    '',
  ];
}

/** W10's section: every round of both sides, Quanzi's upload route beside a plain pipe to disk. */
export function renderW10(w: W10Result): string[] {
  const row = (side: string, what: string, r: UploadRun) =>
    `| ${side} | ${what} | ${(r.bytes / 1e6).toFixed(0)} | ${r.seconds.toFixed(2)} | ${r.mbPerSecond.toFixed(0)} | ${r.mbPerCpuSecond === undefined ? '—' : `${r.mbPerCpuSecond.toFixed(0)} (waited ${r.waitSeconds?.toFixed(2)} s)`} | ${num(Math.round(r.rssBeforeKb / 1024))} → ${num(Math.round(r.rssPeakKb / 1024))} | +${r.growthMb.toFixed(1)} |${r.ok ? '' : ' not all 201'}`;
  const out = [
    `### W10 uploads — one ${w.singleMb} MB file, then ${w.concurrent.files} × ${w.concurrent.mb} MB at once (${w.rounds} round${w.rounds === 1 ? '' : 's'})`,
    '',
    '| Side | Upload | MB | Seconds | MB/s | MB per CPU-second of the receiver | Receiver RSS before → peak (MB) | Growth (MB) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [label, side] of [['Quanzi `POST /v1/rooms/:id/attachments`', w.quanzi], ['node http piped to a file', w.sink]] as const) {
    for (const r of side.single) out.push(row(label, `1 × ${w.singleMb} MB`, r));
    for (const r of side.concurrent) out.push(row(label, `${w.concurrent.files} × ${w.concurrent.mb} MB`, r));
  }
  out.push(
    '',
    `Targets: throughput ≥ ${UPLOAD_THROUGHPUT_TARGET}× the pipe to disk, gateway RSS growth < ${UPLOAD_RSS_TARGET_MB} MB. Bodies are generated while sent (the load generator holds no file); both receivers run on the server core, write to the same disk, and alternate going first.`,
    '',
  );
  return out;
}

/** W11's section: album pages and a files search in one room of many attachments, beside the bare query. */
export function renderW11(w: W11Result): string[] {
  return [
    `### W11 album — page of 50 with ${num(w.attachments)} attachments in one room (${num(w.messages)} messages)`,
    '',
    '| What | Requests | p50 ms | p99 ms | max ms |',
    '| --- | --- | --- | --- | --- |',
    `| Quanzi \`GET /v1/rooms/:id/album?before=…&limit=50\` | ${w.album.requests} | ${w.album.p50Ms.toFixed(2)} | ${w.album.p99Ms.toFixed(2)} | ${w.album.maxMs.toFixed(2)} |`,
    `| Quanzi \`GET …/files?q=…&limit=50\` (name search) | ${w.files.requests} | ${w.files.p50Ms.toFixed(2)} | ${w.files.p99Ms.toFixed(2)} | ${w.files.maxMs.toFixed(2)} |`,
    `| bare SQL, same album page (storage floor) | ${w.sqlFloor.requests} | ${w.sqlFloor.p50Ms.toFixed(2)} | ${w.sqlFloor.p99Ms.toFixed(2)} | ${w.sqlFloor.maxMs.toFixed(2)} |`,
    '',
    `Target: p99 ≤ ${ALBUM_P99_TARGET_MS} ms. Seeded in ${w.seedSeconds.toFixed(1)} s. Plan: \`${w.plan.slice(0, 3).map((l) => l.trim()).join(' → ')}\``,
    '',
  ];
}

/** W12's section: search in one room and across rooms over a million messages, and what the index costs a write. */
export function renderW12(w: W12Result): string[] {
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  return [
    `### W12 search — ${num(w.messages)} messages in ${num(w.rooms)} rooms, Chinese and English`,
    '',
    '| What | Requests | p50 ms | p99 ms | max ms | results per answer |',
    '| --- | --- | --- | --- | --- | --- |',
    `| Quanzi \`GET /v1/rooms/:id/search?q=…&limit=20\` | ${w.room.requests} | ${w.room.p50Ms.toFixed(2)} | ${w.room.p99Ms.toFixed(2)} | ${w.room.maxMs.toFixed(2)} | ${w.room.meanResults.toFixed(1)} |`,
    `| Quanzi \`GET /v1/search?q=…&limit=20\` (all ${num(w.rooms)} rooms) | ${w.acrossRooms.requests} | ${w.acrossRooms.p50Ms.toFixed(2)} | ${w.acrossRooms.p99Ms.toFixed(2)} | ${w.acrossRooms.maxMs.toFixed(2)} | ${w.acrossRooms.meanResults.toFixed(1)} |`,
    `| bare SQL, a room search for a Chinese word (storage floor) | ${w.sqlFloor.requests} | ${w.sqlFloor.p50Ms.toFixed(2)} | ${w.sqlFloor.p99Ms.toFixed(2)} | ${w.sqlFloor.maxMs.toFixed(2)} | |`,
    '',
    `Write overhead of the index: ${w.write.msPerMessageWith.toFixed(4)} ms per message with it, ${w.write.msPerMessageWithout.toFixed(4)} ms without ` +
      `(append_messages, ${w.write.batches} batches of ${w.write.batchSize} per round, median of ${w.write.rounds} rounds each): **×${w.write.ratio.toFixed(2)}**; ` +
      `the gateway computes a message's terms in ${w.write.termsUsPerMessage.toFixed(1)} µs.`,
    '',
    `Targets: room search p99 ≤ ${SEARCH_P99_TARGET_MS} ms (${met(w.room.p99Ms <= SEARCH_P99_TARGET_MS)}); write ×${SEARCH_WRITE_OVERHEAD_TARGET} at most (${met(w.write.ratio <= SEARCH_WRITE_OVERHEAD_TARGET)}). ` +
      `pg_trgm's trigrams of 我喜欢胶片摄影 on this database: ${w.trigramsOfChinese ?? 'n/a'}. Seeded in ${w.seedSeconds.toFixed(1)} s. Plan: \`${w.plan.slice(0, 3).map((l) => l.trim()).join(' → ')}\``,
    '',
  ];
}
