/**
 * W8 room export: one room with `messages` messages (bulk-inserted like W6's), downloaded whole
 * through `GET /v1/rooms/:id/export` as fast as the load generator reads. Measured: the serving
 * gateway's resident memory (VmRSS from /proc, sampled every 20 ms) before and at its peak during
 * the download, against the issue's 64 MB bound, and the export's throughput in messages/s.
 * Baseline, same run, same room, afterwards: the same messages read through the history API a
 * page of 100 at a time (`?after=…&limit=100`), which is how a client would otherwise script it.
 * Both paths are first run once over a small room (compiled code and opened pools are fixed
 * costs); then the export runs first, so its growth is not hidden by a heap the baseline grew.
 */
import { readFileSync } from 'node:fs';
import { round3 } from '../stats.ts';
import type { WorkloadContext } from './context.ts';
import { seedMessages } from '../seed-messages.ts';

export const EXPORT_RSS_TARGET_MB = 64;
const SAMPLE_MS = 20;
const HISTORY_PAGE = 100;
const WARM_UP_MESSAGES = 3000;
const DOWNLOAD_TIMEOUT_MS = 180_000;
// PostgreSQL writes the message lines with spaces around the colons; both spellings are JSON.
const MESSAGE_LINE = /^\{\s*"type"\s*:\s*"message"/;

export interface Download {
  seconds: number;
  messages: number;
  messagesPerSecond: number;
  bytes: number;
  rssBeforeKb: number;
  rssPeakKb: number;
  growthMb: number;
  /** The export's last line was its `end` line and counted every message. */
  complete: boolean;
}

export interface W8Result {
  messages: number;
  seedSeconds: number;
  exportDownload: Download;
  historyPaging: Download;
}

export async function runW8(ctx: WorkloadContext): Promise<W8Result | null> {
  const quanzi = ctx.sides.find((s) => s.kind === 'quanzi');
  if (!quanzi) return null;
  if (!quanzi.withDatabase) throw new Error(`${quanzi.label} offers no database access for seeding`);
  const { messages } = ctx.profile.w8;
  const [owner] = await quanzi.directory.users(1);
  const roomId = await quanzi.directory.createRoom(owner!, 'bench w8 export', 1);
  const warmRoomId = await quanzi.directory.createRoom(owner!, 'bench w8 warm-up', 1);
  const started = performance.now();
  await quanzi.withDatabase(async (sql) => {
    await seedMessages(sql, [roomId], messages, owner!.userId);
    await seedMessages(sql, [warmRoomId], WARM_UP_MESSAGES, owner!.userId);
  });
  const seedSeconds = round3((performance.now() - started) / 1000);
  ctx.log(`    seeded ${messages} messages in ${seedSeconds.toFixed(1)} s`);

  const base = quanzi.gateways[0]!;
  const pid = quanzi.gatewayPids()[0]!;
  const headers = { authorization: `Bearer ${owner!.token}` };
  // Both paths once over a small room first: code compiled and pools opened on first use are a
  // fixed cost of the process, not memory that grows with the room.
  await (await fetch(`${base}/v1/rooms/${warmRoomId}/export`, { headers })).text();
  for (let after = 0; after < WARM_UP_MESSAGES; after += HISTORY_PAGE) {
    await (await fetch(`${base}/v1/rooms/${warmRoomId}/messages?after=${after}&limit=${HISTORY_PAGE}`, { headers })).text();
  }

  const exportDownload = await measured(pid, async () => {
    const response = await fetch(`${base}/v1/rooms/${roomId}/export`, { headers, signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`export answered ${response.status}: ${await response.text()}`);
    let bytes = 0;
    let count = 0;
    let tail = '';
    let lastLine = '';
    const decoder = new TextDecoder();
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      bytes += chunk.byteLength;
      const lines = (tail + decoder.decode(chunk, { stream: true })).split('\n');
      tail = lines.pop()!;
      for (const line of lines) if (MESSAGE_LINE.test(line)) count++;
      if (lines.length > 0) lastLine = lines[lines.length - 1]!;
    }
    const end = JSON.parse(lastLine) as { type: string; messages: number };
    return { bytes, messages: count, complete: end.type === 'end' && end.messages === count && count === messages };
  });
  ctx.log(describe('export', exportDownload));

  const historyPaging = await measured(pid, async () => {
    let after = 0;
    let bytes = 0;
    let count = 0;
    for (;;) {
      const response = await fetch(`${base}/v1/rooms/${roomId}/messages?after=${after}&limit=${HISTORY_PAGE}`, { headers, signal: AbortSignal.timeout(10_000) });
      const body = await response.text();
      if (!response.ok) throw new Error(`history answered ${response.status}: ${body}`);
      bytes += Buffer.byteLength(body);
      const page = JSON.parse(body) as { messages: Array<{ seq: number }>; hasMore: boolean };
      count += page.messages.length;
      if (page.messages.length === 0 || !page.hasMore) break;
      after = page.messages[page.messages.length - 1]!.seq;
    }
    return { bytes, messages: count, complete: count === messages };
  });
  ctx.log(describe('history pages', historyPaging));
  return { messages, seedSeconds, exportDownload, historyPaging };
}


function describe(what: string, d: Download): string {
  return (
    `    ${what.padEnd(14)} ${d.messages} messages in ${d.seconds.toFixed(2)} s (${Math.round(d.messagesPerSecond)} msg/s, ${(d.bytes / 1e6).toFixed(1)} MB)` +
    `  RSS ${Math.round(d.rssBeforeKb / 1024)} → peak ${Math.round(d.rssPeakKb / 1024)} MB (+${d.growthMb.toFixed(1)} MB)${d.complete ? '' : '  INCOMPLETE'}`
  );
}

async function measured(pid: number, download: () => Promise<{ bytes: number; messages: number; complete: boolean }>): Promise<Download> {
  const rssBeforeKb = vmRssKb(pid);
  let rssPeakKb = rssBeforeKb;
  const sampler = setInterval(() => {
    rssPeakKb = Math.max(rssPeakKb, vmRssKb(pid));
  }, SAMPLE_MS);
  const started = performance.now();
  try {
    const { bytes, messages, complete } = await download();
    const seconds = (performance.now() - started) / 1000;
    rssPeakKb = Math.max(rssPeakKb, vmRssKb(pid));
    return {
      seconds: round3(seconds),
      messages,
      messagesPerSecond: round3(messages / seconds),
      bytes,
      rssBeforeKb,
      rssPeakKb,
      growthMb: round3((rssPeakKb - rssBeforeKb) / 1024),
      complete,
    };
  } finally {
    clearInterval(sampler);
  }
}

function vmRssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}
