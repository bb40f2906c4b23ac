/**
 * W10 uploads: one 200 MB file, then 20 concurrent 20 MB files, sent as multipart/form-data through
 * `POST /v1/rooms/:roomId/attachments` and, side by side, through the same request to a plain Node
 * HTTP server that pipes it to disk (bench/upload-sink.ts, pinned to the server core like the
 * gateway). Measured: throughput (MB/s of request body, from the first byte sent to the answer)
 * and the resident memory (VmRSS, sampled every 20 ms) of the receiving process before and at its
 * peak. The bodies are generated as they are sent (a random 1 MiB block repeated, a random head
 * per file so no two files share a sha256): the load generator never holds a file either.
 * Rounds alternate which side goes first; each round uses a fresh uploader and room, so quotas
 * never interfere. Beside MB/s, each run counts the CPU time of the receiving process and its
 * children (the gateway's embedded PostgreSQL included) from /proc: MB per CPU-second is what the
 * throughput would be on a core of its own, and holds still when other work on the machine takes
 * the core away (its wait in the run queue is counted too).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { Readable } from 'node:stream';
import { CpuMeter, processTree } from '../cpu.ts';
import { startUploadSink } from '../servers.ts';
import { round3 } from '../stats.ts';
import type { WorkloadContext } from './context.ts';

export const UPLOAD_THROUGHPUT_TARGET = 0.7;
export const UPLOAD_RSS_TARGET_MB = 50;
const MB = 1_000_000;
const BLOCK = randomBytes(1024 * 1024);
const SAMPLE_MS = 20;
const BOUNDARY = '----quanzi-bench-w10';
const UPLOAD_TIMEOUT_MS = 180_000;

export interface UploadRun {
  files: number;
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  rssBeforeKb: number;
  rssPeakKb: number;
  growthMb: number;
  /** CPU seconds of the receiving process tree over the run, and what that makes per MB (absent in older runs). */
  cpuSeconds?: number;
  mbPerCpuSecond?: number;
  /** Seconds its processes waited in the run queue for a core (other work on the machine). */
  waitSeconds?: number;
  /** Every request answered 201. */
  ok: boolean;
}

export interface W10Side {
  single: UploadRun[];
  concurrent: UploadRun[];
}

export interface W10Result {
  singleMb: number;
  concurrent: { files: number; mb: number };
  rounds: number;
  quanzi: W10Side;
  sink: W10Side;
}

export async function runW10(ctx: WorkloadContext): Promise<W10Result | null> {
  const quanzi = ctx.sides.find((s) => s.kind === 'quanzi');
  if (!quanzi) return null;
  const { singleMb, concurrentFiles, concurrentMb, rounds } = ctx.profile.w10;
  const sink = await startUploadSink(ctx.launch);
  try {
    const gatewayPid = quanzi.gatewayPids()[0]!;
    const uploaders = await quanzi.directory.users(rounds + 1);
    const rooms = await Promise.all(uploaders.map((u, i) => quanzi.directory.createRoom(u, `bench w10 uploads ${i}`, 1)));
    const quanziTarget = (i: number) => ({ url: `${quanzi.gateways[0]}/v1/rooms/${rooms[i]}/attachments`, token: uploaders[i]!.token ?? '' });
    const sinkTarget = { url: `http://127.0.0.1:${sink.port}/upload`, token: '' };

    // Warm-up: compiled code, open pools and the first staging directory are fixed costs.
    await uploadAll([quanziTarget(rounds)], 1, 8 * MB, gatewayPid);
    await uploadAll([sinkTarget], 1, 8 * MB, sink.pid);

    const result: W10Result = { singleMb, concurrent: { files: concurrentFiles, mb: concurrentMb }, rounds, quanzi: { single: [], concurrent: [] }, sink: { single: [], concurrent: [] } };
    for (let round = 0; round < rounds; round++) {
      const order: ('quanzi' | 'sink')[] = round % 2 === 0 ? ['quanzi', 'sink'] : ['sink', 'quanzi'];
      for (const side of order) {
        const target = side === 'quanzi' ? quanziTarget(round) : sinkTarget;
        const pid = side === 'quanzi' ? gatewayPid : sink.pid;
        const single = await uploadAll([target], 1, singleMb * MB, pid);
        ctx.log(describe(`${side} 1 × ${singleMb} MB`, single));
        result[side].single.push(single);
      }
      for (const side of order) {
        const target = side === 'quanzi' ? quanziTarget(round) : sinkTarget;
        const pid = side === 'quanzi' ? gatewayPid : sink.pid;
        const many = await uploadAll([target], concurrentFiles, concurrentMb * MB, pid);
        ctx.log(describe(`${side} ${concurrentFiles} × ${concurrentMb} MB`, many));
        result[side].concurrent.push(many);
      }
    }
    return result;
  } finally {
    await sink.stop();
  }
}

/** `files` uploads of `bytes` each, all at once, to the targets in turn; RSS of `pid` sampled meanwhile. */
async function uploadAll(targets: { url: string; token: string }[], files: number, bytes: number, pid: number): Promise<UploadRun> {
  const cpu = new CpuMeter([processTree('receiver', () => pid)]);
  const cpuBefore = cpu.sample();
  const rssBeforeKb = vmRssKb(pid);
  let rssPeakKb = rssBeforeKb;
  const sampler = setInterval(() => {
    rssPeakKb = Math.max(rssPeakKb, vmRssKb(pid));
  }, SAMPLE_MS);
  const started = performance.now();
  try {
    const statuses = await Promise.all(Array.from({ length: files }, (_, i) => postFile(targets[i % targets.length]!, bytes)));
    const seconds = (performance.now() - started) / 1000;
    rssPeakKb = Math.max(rssPeakKb, vmRssKb(pid));
    const spent = CpuMeter.delta(cpuBefore, cpu.sample());
    const total = files * bytes;
    return {
      files,
      bytes: total,
      seconds: round3(seconds),
      mbPerSecond: round3(total / MB / seconds),
      rssBeforeKb,
      rssPeakKb,
      growthMb: round3((rssPeakKb - rssBeforeKb) / 1024),
      cpuSeconds: round3(spent.totalSeconds),
      mbPerCpuSecond: round3(total / MB / Math.max(0.001, spent.totalSeconds)),
      waitSeconds: round3(spent.waitSeconds),
      ok: statuses.every((s) => s === 201),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** One multipart/form-data request with a generated file part of `bytes` bytes; resolves to the status. */
function postFile(target: { url: string; token: string }, bytes: number): Promise<number> {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bench-${randomBytes(4).toString('hex')}.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const unique = randomBytes(64);
  function* body(): Generator<Buffer> {
    yield head;
    yield unique;
    let left = bytes - unique.length;
    while (left > 0) {
      const chunk = left >= BLOCK.length ? BLOCK : BLOCK.subarray(0, left);
      left -= chunk.length;
      yield chunk;
    }
    yield tail;
  }
  return new Promise((resolve, reject) => {
    const request = http.request(target.url, {
      method: 'POST',
      agent: false,
      timeout: UPLOAD_TIMEOUT_MS,
      headers: {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': head.length + bytes + tail.length,
        ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
      },
    });
    request.once('response', (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    request.once('error', reject);
    request.once('timeout', () => request.destroy(new Error('upload timed out')));
    Readable.from(body(), { objectMode: false }).pipe(request);
  });
}

function describe(what: string, run: UploadRun): string {
  return (
    `    ${what.padEnd(22)} ${(run.bytes / MB).toFixed(0)} MB in ${run.seconds.toFixed(2)} s (${run.mbPerSecond.toFixed(0)} MB/s)` +
    `  RSS ${Math.round(run.rssBeforeKb / 1024)} → peak ${Math.round(run.rssPeakKb / 1024)} MB (+${run.growthMb.toFixed(1)} MB)` +
    `  CPU ${run.cpuSeconds?.toFixed(2)} s (${run.mbPerCpuSecond?.toFixed(0)} MB per CPU-s, waited ${run.waitSeconds?.toFixed(2)} s)${run.ok ? '' : '  NOT ALL 201'}`
  );
}

function vmRssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}
