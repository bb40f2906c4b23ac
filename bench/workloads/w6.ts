/**
 * W6 history: p99 of fetching one page of 50 (`GET /v1/rooms/:id/messages?before=<seq>&limit=50`)
 * with perRoom × rooms messages stored. Rooms are made through REST; the messages go straight
 * into the server's database (bench/seed-messages.ts).
 * Baselines: the relay's fixed 50-message page (the HTTP + JSON floor, no storage) and the
 * same page as a bare SQL query (the storage floor, no HTTP).
 */
import type { SqlRunner } from '../database.ts';
import { mapLimit } from '../limit.ts';
import { seedMessages } from '../seed-messages.ts';
import type { Identity } from '../provision.ts';
import type { Side } from '../servers.ts';
import { quantileOf, round3 } from '../stats.ts';
import type { WorkloadContext } from './context.ts';

const PAGE = 50;
const WARM_UP = 100;

export interface Timing {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface W6Result {
  rooms: number;
  perRoom: number;
  messages: number;
  seedSeconds: number | null;
  quanzi: (Timing & { shortPages: number; errors: number }) | null;
  sqlFloor: Timing | null;
  relayFloor: Timing;
}

export async function runW6(ctx: WorkloadContext): Promise<W6Result> {
  const { rooms, perRoom, requests } = ctx.profile.w6;
  const relay = ctx.sides.find((s) => s.kind === 'relay')!;
  const quanzi = ctx.sides.find((s) => s.kind === 'quanzi');
  const result: W6Result = { rooms, perRoom, messages: rooms * perRoom, seedSeconds: null, quanzi: null, sqlFloor: null, relayFloor: await timePages(relay, ['floor'], undefined, perRoom, requests) };
  ctx.log(`    relay floor          p50 ${result.relayFloor.p50Ms.toFixed(2)} ms  p99 ${result.relayFloor.p99Ms.toFixed(2)} ms`);
  if (!quanzi) return result;
  if (!quanzi.withDatabase) throw new Error(`${quanzi.label} offers no database access for seeding`);

  const [owner] = await quanzi.directory.users(1);
  const roomIds = await mapLimit(
    Array.from({ length: rooms }, (_, i) => i),
    4,
    (i) => quanzi.directory.createRoom(owner!, `bench w6 history ${i}`, 1),
  );
  const started = performance.now();
  result.sqlFloor = await quanzi.withDatabase(async (sql) => {
    await seedMessages(sql, roomIds, perRoom, owner!.userId);
    result.seedSeconds = round3((performance.now() - started) / 1000);
    ctx.log(`    seeded ${rooms * perRoom} messages in ${result.seedSeconds.toFixed(1)} s`);
    return timeSql(sql, roomIds, perRoom, Math.min(requests, 2000));
  });
  ctx.log(`    SQL floor            p50 ${result.sqlFloor.p50Ms.toFixed(2)} ms  p99 ${result.sqlFloor.p99Ms.toFixed(2)} ms`);
  result.quanzi = await timePages(quanzi, roomIds, owner, perRoom, requests);
  ctx.log(
    `    ${quanzi.label.padEnd(20)} p50 ${result.quanzi.p50Ms.toFixed(2)} ms  p99 ${result.quanzi.p99Ms.toFixed(2)} ms` +
      `  (${result.quanzi.errors} errors, ${result.quanzi.shortPages} short pages)`,
  );
  return result;
}

async function timeSql(sql: SqlRunner, roomIds: string[], perRoom: number, count: number): Promise<Timing> {
  const query = 'select * from messages where room_id = $1 and seq < $2 order by seq desc limit 50';
  for (let i = 0; i < WARM_UP; i++) await sql.query(query, randomPage(roomIds, perRoom));
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await sql.query(query, randomPage(roomIds, perRoom));
    times.push(performance.now() - started);
  }
  return timing(times);
}

async function timePages(side: Side, roomIds: string[], user: Identity | undefined, perRoom: number, count: number): Promise<Timing & { shortPages: number; errors: number }> {
  const headers: Record<string, string> = user?.token ? { authorization: `Bearer ${user.token}` } : {};
  const base = side.gateways[0]!;
  const times: number[] = [];
  let shortPages = 0;
  let errors = 0;
  for (let i = 0; i < WARM_UP + count; i++) {
    const [roomId, before] = randomPage(roomIds, perRoom);
    const started = performance.now();
    const res = await fetch(`${base}/v1/rooms/${roomId}/messages?before=${before}&limit=${PAGE}`, { headers, signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    const elapsed = performance.now() - started;
    if (i < WARM_UP) continue;
    times.push(elapsed);
    if (!res.ok) {
      errors++;
      continue;
    }
    if ((JSON.parse(body) as { messages: unknown[] }).messages.length !== PAGE) shortPages++;
  }
  return { ...timing(times), shortPages, errors };
}

/** A random room and a `before` that always leaves a full page below it. */
function randomPage(roomIds: string[], perRoom: number): [string, number] {
  const roomId = roomIds[Math.floor(Math.random() * roomIds.length)]!;
  return [roomId, PAGE + 1 + Math.floor(Math.random() * (perRoom - PAGE))];
}

function timing(times: number[]): Timing {
  return {
    requests: times.length,
    p50Ms: round3(quantileOf(times, 0.5)),
    p99Ms: round3(quantileOf(times, 0.99)),
    maxMs: round3(Math.max(...times)),
  };
}
