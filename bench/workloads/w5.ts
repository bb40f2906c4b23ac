/**
 * W5 connections: N idle authenticated sockets held by one gateway process; resident memory
 * per connection from the gateway's VmRSS as the sockets open (read at 0, ¼ … N, the figure is
 * the fitted slope: GC moves RSS by megabytes either way). It runs first in its mode, on a
 * freshly started gateway, so earlier workloads' garbage does not blur the difference.
 * Quanzi sockets cycle over the user pool (several devices per user) — sign-up is not what
 * this measures, and a socket's cost does not depend on whether its user has another.
 */
import { rssKb } from '../cpu.ts';
import { sleep } from '../limit.ts';
import { Fleet, type MemberPlan } from '../load.ts';
import type { Side } from '../servers.ts';
import { median, round3 } from '../stats.ts';
import type { WorkloadContext } from './context.ts';

const WARM_UP_SOCKETS = 50;
const SETTLE_MS = 2000;
/** RSS is read at 0, ¼, ½, ¾ and all of the sockets; the figure is the fitted (Theil–Sen) slope. */
const INCREMENTS = 4;

export interface W5SideResult {
  kind: string;
  label: string;
  sockets: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  /** Theil–Sen slope through the RSS readings (median of pairwise slopes): the quoted figure. */
  kbPerConnection: number;
  /** (after − before) / sockets, for comparison. */
  kbPerConnectionEndpoints: number;
  rssPoints: [number, number][];
  connectSeconds: number;
}

export interface W5Result {
  sockets: number;
  users: number;
  sides: W5SideResult[];
}

export async function runW5(ctx: WorkloadContext): Promise<W5Result> {
  const sockets = ctx.profile.w5.sockets;
  const users = Math.min(sockets, Math.max(ctx.profile.w1.rooms * ctx.profile.w1.members, ...ctx.profile.w2.memberCounts));
  const sides: W5SideResult[] = [];
  // One side at a time: 10,000 sockets per side is half this process's file-descriptor limit.
  for (const side of ctx.sides) sides.push(await measure(side, sockets, users, ctx));
  return { sockets, users, sides };
}

async function measure(side: Side, sockets: number, userCount: number, ctx: WorkloadContext): Promise<W5SideResult> {
  const users = await side.directory.users(userCount);
  // Signing a thousand users up leaves hundreds of megabytes the process gives back whenever it
  // pleases (once mid-measurement, by 350 MB); start the gateway afresh on the same data instead.
  await side.restart?.();
  const plans = (from: number, n: number): MemberPlan[] =>
    Array.from({ length: n }, (_, i) => ({ identity: users[(from + i) % users.length]!, gateway: side.gateways[0]!, rooms: [] }));
  const pid = side.gatewayPids()[0]!;

  // Warm the connection path (lazy code, pools) so its one-off allocations do not count per socket.
  const warm = await Fleet.open(side, plans(0, WARM_UP_SOCKETS));
  warm.close();
  await sleep(SETTLE_MS);
  const points: [number, number][] = [[0, await sampleRss(pid)]];

  const fleets: Fleet[] = [];
  const started = performance.now();
  let connectMs = 0;
  try {
    for (let k = 1; k <= INCREMENTS; k++) {
      const target = Math.round((sockets * k) / INCREMENTS);
      const open = points[points.length - 1]![0];
      const t0 = performance.now();
      fleets.push(await Fleet.open(side, plans(open, target - open), 100));
      connectMs += performance.now() - t0;
      await sleep(SETTLE_MS);
      points.push([target, await sampleRss(pid)]);
    }
    const before = points[0]![1];
    const after = points[points.length - 1]![1];
    const result: W5SideResult = {
      kind: side.kind,
      label: side.label,
      sockets,
      rssBeforeKb: before,
      rssAfterKb: after,
      kbPerConnection: round3(slope(points)),
      kbPerConnectionEndpoints: round3((after - before) / sockets),
      rssPoints: points,
      connectSeconds: round3(connectMs / 1000),
    };
    ctx.log(
      `    ${side.label.padEnd(30)} ${sockets} sockets (${((performance.now() - started) / 1000).toFixed(1)} s): RSS ${points.map((p) => p[1]).join(' → ')} kB` +
        ` = ${result.kbPerConnection.toFixed(1)} kB/conn (fit), ${result.kbPerConnectionEndpoints.toFixed(1)} (ends)`,
    );
    return result;
  } finally {
    for (const fleet of fleets) fleet.close();
    await sleep(500);
  }
}

/**
 * Theil–Sen slope of RSS over open sockets: the median of the slopes between every pair of
 * readings. The heap grows in steps of many megabytes, and one such step between two readings
 * swings a least-squares line by half the figure; the median of pairs shrugs it off.
 */
function slope(points: [number, number][]): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]![0] - points[i]![0];
      if (dx !== 0) slopes.push((points[j]![1] - points[i]![1]) / dx);
    }
  }
  return slopes.length > 0 ? median(slopes) : Number.NaN;
}

/** Median of a few readings: one reading can land mid-GC. */
async function sampleRss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(rssKb(pid));
    await sleep(200);
  }
  return median(readings);
}
