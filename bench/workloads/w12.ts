/**
 * W12 search: p99 of a message search (`GET /v1/rooms/:id/search?q=…&limit=20`) with `perRoom` ×
 * `rooms` messages stored (1,000,000 in 100 rooms in both profiles), and of a search across all of
 * a member's rooms (`GET /v1/search?q=…`, the owner is in all of them); and what keeping the index
 * costs a write, as a ratio to the same writes without it.
 *
 * The messages go straight into the database (INSERT … SELECT generate_series, beside the running
 * gateway), in Chinese and English mixed as the rooms of the brief are: three words from a
 * vocabulary of common and rarer Chinese words, two English words, so a query meets anything from
 * a word in a tenth of the messages to one in a few thousand. Every 50th message is recalled and
 * every 97th hidden (never found).
 *
 * Write overhead: batches of 50 drafts through `append_messages` (the gateway's own write
 * statement), alternating rounds without the search index (drafts without terms, the index
 * dropped) and with it (terms computed by the gateway's code, index present), on a small table
 * so re-creating the index is cheap; measured before the million rows are loaded. The ratio is
 * the median time of a round with the index over the median without; the gateway's own cost of
 * computing the terms is timed apart.
 */
import { searchDocumentOf, searchQueryOf } from '../../server/store/search-terms.ts';
import type { SqlRunner } from '../database.ts';
import { mapLimit } from '../limit.ts';
import { seedMessages } from '../seed-messages.ts';
import { quantileOf, round3 } from '../stats.ts';
import type { WorkloadContext } from './context.ts';
import type { Timing } from './w6.ts';

export const SEARCH_P99_TARGET_MS = 50;
/** Keeping the index may at most add this share to a stored message's database cost. */
export const SEARCH_WRITE_OVERHEAD_TARGET = 1.5;
const WARM_UP = 50;
const ROOMS_PER_INSERT = 10;
const WRITE_BATCH = 50;

const CHINESE = [
  '摄影', '胶片', '相机', '镜头', '天气', '周末', '徒步', '咖啡', '晚饭', '电影', '音乐', '读书', '旅行', '照片', '风景', '城市', '夜景', '光线',
  '构图', '冲洗', '暗房', '黑白', '彩色', '扫描', '器材', '二手', '价格', '朋友', '大家', '明天', '今天', '地铁', '公园', '海边', '山顶', '日落',
  '日出', '雨天', '雪景', '街拍', '人像', '静物', '微距', '长焦', '广角', '光圈', '快门', '感光', '对焦', '测光', '曝光', '显影', '定影', '药水',
  '放大机', '相纸', '底片', '胶卷', '富士', '柯达', '伊尔福', '徕卡', '尼康', '佳能', '哈苏', '禄来', '宾得', '奥林巴斯', '理光', '玛米亚',
];
const ENGLISH = [
  'film', 'camera', 'lens', 'weather', 'weekend', 'hiking', 'coffee', 'dinner', 'movie', 'music', 'reading', 'travel', 'photo', 'landscape',
  'city', 'night', 'light', 'darkroom', 'scan', 'gear', 'price', 'friends', 'tomorrow', 'today', 'subway', 'park', 'beach', 'sunset', 'sunrise',
  'rain', 'snow', 'street', 'portrait', 'macro', 'telephoto', 'aperture', 'shutter', 'focus', 'exposure', 'developer', 'fixer', 'enlarger',
  'negative', 'portra', 'ektar', 'tri-x', 'hp5', 'leica', 'nikon', 'canon', 'hasselblad', 'rolleiflex', 'pentax', 'olympus', 'ricoh', 'mamiya',
];

interface SearchTiming extends Timing {
  errors: number;
  /** Mean results per answer (a page holds at most 20). */
  meanResults: number;
}

export interface W12Result {
  rooms: number;
  perRoom: number;
  messages: number;
  seedSeconds: number;
  room: SearchTiming;
  acrossRooms: SearchTiming;
  sqlFloor: Timing;
  write: { batches: number; batchSize: number; msPerMessageWithout: number; msPerMessageWith: number; ratio: number; rounds: number; termsUsPerMessage: number };
  /** What pg_trgm does with Chinese on this database: its trigrams of 我喜欢胶片摄影 (0 when the locale drops them). */
  trigramsOfChinese: number | null;
  plan: string[];
}

/** The room search as the store sends it (server/store/message-search.ts), for the floor and the plan. */
const ROOM_SQL = `select m.* from messages m where m.room_id = $1 and m.kind = 'text' and m.recalled_at is null and m.hidden_at is null
  and m.search_document @@ $2::tsquery and strpos(lower(m.text), $3) > 0
  order by m.seq desc limit 21`;

export async function runW12(ctx: WorkloadContext): Promise<W12Result | null> {
  const quanzi = ctx.sides.find((s) => s.kind === 'quanzi');
  if (!quanzi) return null;
  if (!quanzi.withDatabase) throw new Error(`${quanzi.label} offers no database access for seeding`);
  const { rooms, perRoom, requests, writeRounds, writeBatches } = ctx.profile.w12;
  const [owner] = await quanzi.directory.users(1);
  const roomIds = await mapLimit(
    Array.from({ length: rooms }, (_, i) => i),
    4,
    (i) => quanzi.directory.createRoom(owner!, `bench w12 search ${i}`, 1),
  );

  const seeded = await quanzi.withDatabase(async (sql) => {
    const trigramsOfChinese = await trigramCount(sql);
    const write = await measureWrites(sql, roomIds[0]!, owner!.userId, writeRounds, writeBatches);
    ctx.log(`    write: ${write.msPerMessageWithout.toFixed(4)} ms/msg without the index, ${write.msPerMessageWith.toFixed(4)} with (×${write.ratio.toFixed(2)})`);
    const started = performance.now();
    // The first room held the write measurement's messages.
    await seedMessages(sql, roomIds, perRoom, owner!.userId, { columns: SEARCH_COLUMNS, roomsPerInsert: ROOMS_PER_INSERT, rebuildIndexes: ['messages_search_idx'], clearFirst: true });
    const seedSeconds = round3((performance.now() - started) / 1000);
    ctx.log(`    seeded ${rooms * perRoom} messages in ${seedSeconds.toFixed(1)} s; pg_trgm trigrams of 我喜欢胶片摄影: ${trigramsOfChinese ?? 'n/a'}`);
    const plan = (await sql.query<{ 'QUERY PLAN': string }>(`explain ${ROOM_SQL}`, [roomIds[1], "'摄影'", '摄影'])).map((row) => row['QUERY PLAN']);
    const sqlFloor = await timeSql(sql, roomIds, Math.min(requests, 1000));
    return { trigramsOfChinese, write, seedSeconds, plan, sqlFloor };
  });
  ctx.log(`    plan: ${seeded.plan.slice(0, 4).map((l) => l.trim()).join(' | ')}`);
  ctx.log(`    SQL floor       p50 ${seeded.sqlFloor.p50Ms.toFixed(2)} ms  p99 ${seeded.sqlFloor.p99Ms.toFixed(2)} ms`);

  const base = quanzi.gateways[0]!;
  const headers = { authorization: `Bearer ${owner!.token}` };
  const room = await timeSearches(requests, () => `${base}/v1/rooms/${pick(roomIds)}/search?q=${encodeURIComponent(randomQuery())}&limit=20`, headers);
  ctx.log(`    room search     p50 ${room.p50Ms.toFixed(2)} ms  p99 ${room.p99Ms.toFixed(2)} ms  (${room.errors} errors, ${room.meanResults.toFixed(1)} results)`);
  const acrossRooms = await timeSearches(Math.max(100, Math.floor(requests / 5)), () => `${base}/v1/search?q=${encodeURIComponent(randomQuery())}&limit=20`, headers);
  ctx.log(`    across rooms    p50 ${acrossRooms.p50Ms.toFixed(2)} ms  p99 ${acrossRooms.p99Ms.toFixed(2)} ms  (${acrossRooms.errors} errors, ${acrossRooms.meanResults.toFixed(1)} results)`);
  return { rooms, perRoom, messages: rooms * perRoom, seedSeconds: seeded.seedSeconds, room, acrossRooms, sqlFloor: seeded.sqlFloor, write: seeded.write, trigramsOfChinese: seeded.trigramsOfChinese, plan: seeded.plan };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** A word or two as people type them: Chinese words (one in three a single character), English in any case. */
function randomQuery(): string {
  const roll = Math.random();
  if (roll < 0.35) return pick(CHINESE);
  if (roll < 0.45) return pick(CHINESE).slice(0, 1);
  if (roll < 0.75) return Math.random() < 0.5 ? pick(ENGLISH) : pick(ENGLISH).toUpperCase();
  if (roll < 0.9) return `${pick(CHINESE)} ${pick(ENGLISH)}`;
  return `${pick(ENGLISH)} ${pick(ENGLISH)}`;
}

/** The SQL text of one seeded message, from the room's and the message's numbers. */
function seedText(): string {
  const zh = `array[${CHINESE.map((w) => `'${w}'`).join(',')}]`;
  const en = `array[${ENGLISH.map((w) => `'${w}'`).join(',')}]`;
  // Skewed picks (the square of a uniform number), so some words are common and others rare.
  const word = (list: string, n: number, salt: number) => `(${list})[1 + floor(${n} * power(((s * ${salt} + r.n * 7919) % 1000) / 1000.0, 2))::int]`;
  return `'我' || ${word(zh, CHINESE.length, 31)} || '和' || ${word(zh, CHINESE.length, 57)} || '，' || ${word(zh, CHINESE.length, 101)} || ' ' || ${word(en, ENGLISH.length, 13)} || ' ' || initcap(${word(en, ENGLISH.length, 89)}) || ' #' || s`;
}

/** Chinese and English mixed, every 50th recalled and every 97th hidden, each room's messages a millisecond apart from the next room's. */
const SEARCH_COLUMNS: Record<string, string> = {
  text: seedText(),
  search_document: 'message_search_document(' + seedText() + ')',
  recalled_at: 'case when s % 50 = 0 then now() end',
  recalled_by: 'case when s % 50 = 0 then $3::uuid end',
  hidden_at: 'case when s % 97 = 0 and s % 50 <> 0 then now() end',
  created_at: `now() - (($2 - s) * interval '1 second') - (r.n * interval '1 millisecond')`,
};

async function trigramCount(sql: SqlRunner): Promise<number | null> {
  try {
    await sql.query('create extension if not exists pg_trgm');
    const rows = await sql.query<{ n: number }>(`select cardinality(show_trgm('我喜欢胶片摄影')) as n`);
    return Number(rows[0]?.n ?? 0);
  } catch {
    return null;
  }
}

/** Rounds of append_messages batches, alternately without and with the search index; medians per message. */
async function measureWrites(sql: SqlRunner, roomId: string, senderId: string, rounds: number, batches: number): Promise<W12Result['write']> {
  const indexDef = (await sql.query<{ indexdef: string }>(`select indexdef from pg_indexes where indexname = 'messages_search_idx'`))[0]?.indexdef;
  if (!indexDef) throw new Error('messages_search_idx is missing: is migration 0011 applied?');
  const samples = { without: [] as number[], with: [] as number[] };
  let n = 0;
  const draft = () => {
    n += 1;
    return {
      ord: 0,
      id: crypto.randomUUID(),
      room_id: roomId,
      sender_id: senderId,
      client_msg_id: `w12-write-${n}-${crypto.randomUUID()}`,
      kind: 'text',
      text: `我${pick(CHINESE)}和${pick(CHINESE)}，${pick(CHINESE)} ${pick(ENGLISH)} ${pick(ENGLISH)} #${n}`,
      search_document: null as string | null,
      reply_to: null,
      mentions: [],
      mentions_all: false,
      data: null,
      flags: null,
      attachments: [],
      created_at: new Date().toISOString(),
    };
  };
  const round = async (withTerms: boolean): Promise<number> => {
    const started = performance.now();
    for (let b = 0; b < batches; b++) {
      const batch = Array.from({ length: WRITE_BATCH }, (_, i) => ({ ...draft(), ord: i + 1 }));
      if (withTerms) for (const d of batch) d.search_document = searchDocumentOf(d.text);
      await sql.query('select message_id, message_seq from append_messages($1::text::jsonb, false)', [JSON.stringify(batch)]);
    }
    return (performance.now() - started) / (batches * WRITE_BATCH);
  };
  try {
    await round(true); // warm-up: plans cached, pages in memory
    for (let r = 0; r < rounds; r++) {
      await sql.query('drop index messages_search_idx');
      samples.without.push(await round(false));
      await sql.query(indexDef);
      samples.with.push(await round(true));
    }
  } finally {
    await sql.query(indexDef.replace(/^CREATE INDEX/, 'CREATE INDEX IF NOT EXISTS'));
  }
  const texts = Array.from({ length: 20_000 }, (_, i) => `我${pick(CHINESE)}和${pick(CHINESE)}，${pick(CHINESE)} ${pick(ENGLISH)} ${pick(ENGLISH)} #${i}`);
  const termsStarted = performance.now();
  for (const text of texts) searchDocumentOf(text);
  const termsUsPerMessage = round3(((performance.now() - termsStarted) * 1000) / texts.length);
  const without = quantileOf(samples.without, 0.5);
  const withIndex = quantileOf(samples.with, 0.5);
  return { batches, batchSize: WRITE_BATCH, msPerMessageWithout: round3(without * 1000) / 1000, msPerMessageWith: round3(withIndex * 1000) / 1000, ratio: round3(withIndex / without), rounds, termsUsPerMessage };
}

async function timeSql(sql: SqlRunner, roomIds: string[], count: number): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i < WARM_UP + count; i++) {
    const q = pick(CHINESE);
    const query = searchQueryOf(q)!.query;
    const started = performance.now();
    await sql.query(ROOM_SQL, [pick(roomIds), query, q]);
    if (i >= WARM_UP) times.push(performance.now() - started);
  }
  return timing(times);
}

async function timeSearches(count: number, url: () => string, headers: Record<string, string>): Promise<SearchTiming> {
  const times: number[] = [];
  let errors = 0;
  let results = 0;
  for (let i = 0; i < WARM_UP + count; i++) {
    const started = performance.now();
    const res = await fetch(url(), { headers, signal: AbortSignal.timeout(30_000) });
    const body = await res.text();
    const elapsed = performance.now() - started;
    if (i < WARM_UP) continue;
    times.push(elapsed);
    if (!res.ok) errors++;
    else results += (JSON.parse(body) as { results: unknown[] }).results.length;
  }
  return { ...timing(times), errors, meanResults: results / Math.max(1, times.length - errors) };
}

function timing(times: number[]): Timing {
  return { requests: times.length, p50Ms: round3(quantileOf(times, 0.5)), p99Ms: round3(quantileOf(times, 0.99)), maxMs: round3(Math.max(...times)) };
}
