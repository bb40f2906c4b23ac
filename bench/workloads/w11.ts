/**
 * W11 album: p99 of one page of the room's album (`GET /v1/rooms/:id/album?before=<seq>&limit=50`)
 * with `attachments` attachments in one room, and of a name search in its files view
 * (`GET …/files?q=…&limit=50`). The attachments and the messages carrying them go straight into
 * the database (INSERT … SELECT generate_series, beside the running gateway): each message
 * carries one or two (1.6 on average); one in ten is a file, one in seven a video; every 50th message is
 * recalled and every 97th hidden by reports (both left out of the album), and 5,000 uploads were
 * never sent. Baseline: the same album query as bare SQL (the storage floor, no HTTP).
 */
import type { SqlRunner } from '../database.ts';
import { quantileOf, round3 } from '../stats.ts';
import type { WorkloadContext } from './context.ts';
import { seedMessages } from '../seed-messages.ts';
import type { Timing } from './w6.ts';

export const ALBUM_P99_TARGET_MS = 10;
const PAGE = 50;
const WARM_UP = 100;
const UNSENT = 5000;

export interface W11Result {
  attachments: number;
  messages: number;
  seedSeconds: number;
  album: Timing & { errors: number; shortPages: number };
  files: Timing & { errors: number };
  sqlFloor: Timing;
  /** The plan PostgreSQL chose for an album page (its first lines). */
  plan: string[];
}

/** The album query as the store sends it (server/store/attachments.ts, listRoomMedia), for the floor and the plan. */
const ALBUM_SQL = `select a.*, m.sender_id, u.display_name, u.kind as sender_kind, u.deleted_at, m.created_at as sent_at
  from attachments a
  join messages m on m.room_id = a.room_id and m.seq = a.seq
  left join users u on u.id = m.sender_id
  where a.room_id = $1 and a.seq is not null and a.removed_at is null and a.kind in ('image', 'video')
    and a.status = 'ready' and m.recalled_at is null and m.hidden_at is null and a.seq < $2 and m.seq < $2
  order by a.seq desc, a.id desc limit ${PAGE + 1}`;

export async function runW11(ctx: WorkloadContext): Promise<W11Result | null> {
  const quanzi = ctx.sides.find((s) => s.kind === 'quanzi');
  if (!quanzi) return null;
  if (!quanzi.withDatabase) throw new Error(`${quanzi.label} offers no database access for seeding`);
  const { attachments, requests } = ctx.profile.w11;
  const messages = Math.ceil((attachments * 5) / 8);
  const [owner] = await quanzi.directory.users(1);
  const roomId = await quanzi.directory.createRoom(owner!, 'bench w11 album', 1);
  const started = performance.now();
  const { sqlFloor, plan } = await quanzi.withDatabase(async (sql) => {
    await seedMessages(sql, [roomId], messages, owner!.userId);
    await seedAttachments(sql, roomId, owner!.userId, attachments, messages);
    const plan = (await sql.query<{ 'QUERY PLAN': string }>(`explain ${ALBUM_SQL}`, [roomId, Math.floor(messages / 2)])).map((row) => row['QUERY PLAN']);
    return { sqlFloor: await timeSql(sql, roomId, messages, Math.min(requests, 2000)), plan };
  });
  const seedSeconds = round3((performance.now() - started) / 1000);
  ctx.log(`    seeded ${attachments} attachments over ${messages} messages in ${seedSeconds.toFixed(1)} s`);
  ctx.log(`    plan: ${plan.slice(0, 4).map((l) => l.trim()).join(' | ')}`);
  ctx.log(`    SQL floor      p50 ${sqlFloor.p50Ms.toFixed(2)} ms  p99 ${sqlFloor.p99Ms.toFixed(2)} ms`);

  const base = quanzi.gateways[0]!;
  const headers = { authorization: `Bearer ${owner!.token}` };
  const album = await timeRequests(requests, async () => {
    const before = PAGE * 2 + Math.floor(Math.random() * (messages - PAGE * 2));
    const res = await fetch(`${base}/v1/rooms/${roomId}/album?before=${before}&limit=${PAGE}`, { headers, signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    return res.ok ? (JSON.parse(body) as { items: unknown[] }).items.length === PAGE : null;
  });
  ctx.log(`    album page     p50 ${album.p50Ms.toFixed(2)} ms  p99 ${album.p99Ms.toFixed(2)} ms  (${album.errors} errors, ${album.shortPages} short pages)`);
  const files = await timeRequests(Math.min(requests, 300), async () => {
    const q = `notes-${1 + Math.floor(Math.random() * 99)}`;
    const res = await fetch(`${base}/v1/rooms/${roomId}/files?q=${q}&limit=${PAGE}`, { headers, signal: AbortSignal.timeout(10_000) });
    await res.text();
    return res.ok ? true : null;
  });
  ctx.log(`    files search   p50 ${files.p50Ms.toFixed(2)} ms  p99 ${files.p99Ms.toFixed(2)} ms  (${files.errors} errors)`);
  return { attachments, messages, seedSeconds, album, files: { requests: files.requests, p50Ms: files.p50Ms, p99Ms: files.p99Ms, maxMs: files.maxMs, errors: files.errors }, sqlFloor, plan };
}

/** Builds the INSERT from the live table, so a column another migration adds (nullable or defaulted) does not break seeding. */
async function seedAttachments(sql: SqlRunner, roomId: string, uploaderId: string, count: number, messages: number): Promise<void> {
  const columns = await sql.query<{ column_name: string; is_nullable: string; column_default: string | null; is_generated: string }>(
    `select column_name, is_nullable, column_default, is_generated from information_schema.columns
      where table_schema = current_schema() and table_name = 'attachments'`,
  );
  const kind = `case when i % 10 = 0 then 'file' when i % 7 = 0 then 'video' else 'image' end`;
  const values: Record<string, string> = {
    id: 'gen_random_uuid()',
    room_id: '$1::uuid',
    uploader_id: '$2::uuid',
    kind,
    name: `case when i % 10 = 0 then 'notes-' || i || '.pdf' else 'photo-' || i || '.jpg' end`,
    mime: `case when i % 10 = 0 then 'application/pdf' when i % 7 = 0 then 'video/mp4' else 'image/jpeg' end`,
    size: '100000 + i',
    sha256: `encode(sha256(('w10-' || $1 || '-' || i)::bytea), 'hex')`,
    width: `case when i % 10 = 0 then null else 4000 end`,
    height: `case when i % 10 = 0 then null else 3000 end`,
    status: `'ready'`,
    seq: `case when i > $3::int then null else 1 + ((i - 1) * $4::bigint) / $3::int end`,
    created_at: `now() - (($3::int - i) * interval '1 second')`,
  };
  const used = columns.filter((c) => c.column_name in values && c.is_generated !== 'ALWAYS').map((c) => c.column_name);
  const unknownRequired = columns.filter((c) => !(c.column_name in values) && c.is_nullable === 'NO' && c.column_default === null && c.is_generated !== 'ALWAYS');
  if (unknownRequired.length > 0) throw new Error(`attachments has required columns the seeder does not know: ${unknownRequired.map((c) => c.column_name).join(', ')}`);
  await sql.query(`insert into attachments (${used.join(', ')}) select ${used.map((c) => values[c]).join(', ')} from generate_series(1, $3::int + ${UNSENT}) as i`, [
    roomId,
    uploaderId,
    count,
    messages,
  ]);
  await sql.query(`update messages set recalled_at = created_at, recalled_by = sender_id where room_id = $1 and seq % 50 = 0`, [roomId]);
  await sql.query(`update messages set hidden_at = created_at where room_id = $1 and seq % 97 = 0 and recalled_at is null`, [roomId]);
  await sql.query('analyze attachments');
  await sql.query('analyze messages');
}

async function timeSql(sql: SqlRunner, roomId: string, messages: number, count: number): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i < WARM_UP + count; i++) {
    const before = PAGE * 2 + Math.floor(Math.random() * (messages - PAGE * 2));
    const started = performance.now();
    await sql.query(ALBUM_SQL, [roomId, before]);
    if (i >= WARM_UP) times.push(performance.now() - started);
  }
  return timing(times);
}

/** `one` answers true for a full page, false for a short one, null for an error. */
async function timeRequests(count: number, one: () => Promise<boolean | null>): Promise<Timing & { errors: number; shortPages: number }> {
  const times: number[] = [];
  let errors = 0;
  let shortPages = 0;
  for (let i = 0; i < WARM_UP + count; i++) {
    const started = performance.now();
    const outcome = await one();
    const elapsed = performance.now() - started;
    if (i < WARM_UP) continue;
    times.push(elapsed);
    if (outcome === null) errors++;
    else if (!outcome) shortPages++;
  }
  return { ...timing(times), errors, shortPages };
}

function timing(times: number[]): Timing {
  return { requests: times.length, p50Ms: round3(quantileOf(times, 0.5)), p99Ms: round3(quantileOf(times, 0.99)), maxMs: round3(Math.max(...times)) };
}
