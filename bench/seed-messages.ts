/**
 * Stored history for the read workloads (W6, W8, W11, W12): messages inserted straight into the
 * server's database, one INSERT … SELECT generate_series per batch of rooms, beside the running
 * gateway. The INSERT is built from the live table, so a column a later migration adds (nullable
 * or defaulted) does not break seeding, and one it cannot fill is named.
 *
 * Each column's value is an SQL expression over `r.id` (the room), `r.n` (the room's place in
 * the list, from 1), `s` (the message's seq) and the parameters `$2` (messages per room) and
 * `$3` (the sender).
 */
import type { SqlRunner } from './database.ts';

export interface SeedOptions {
  /** Column expressions beside (or instead of) the plain English line every message gets. */
  columns?: Record<string, string>;
  /** Rooms per INSERT: fewer when each row costs more to build. */
  roomsPerInsert?: number;
  /** Indexes to drop for the load and build again after it, as any bulk load does. */
  rebuildIndexes?: string[];
  /** Clear the rooms first (messages stored in them before, e.g. by a write measurement). */
  clearFirst?: boolean;
}

export async function seedMessages(sql: SqlRunner, roomIds: string[], perRoom: number, senderId: string, options: SeedOptions = {}): Promise<void> {
  const columns = await sql.query<{ column_name: string; is_nullable: string; column_default: string | null; is_generated: string }>(
    `select column_name, is_nullable, column_default, is_generated from information_schema.columns
      where table_schema = current_schema() and table_name = 'messages'`,
  );
  const values: Record<string, string> = {
    id: 'gen_random_uuid()',
    room_id: 'r.id',
    seq: 's',
    sender_id: '$3::uuid',
    client_msg_id: `'seed-' || r.id || '-' || s`,
    kind: `'text'`,
    text: `'seeded history line ' || s || ', how was the weekend trip for everyone'`,
    reply_to: 'null',
    created_at: `now() - (($2 - s) * interval '1 second')`,
    ...options.columns,
  };
  const used = columns.filter((c) => c.column_name in values && c.is_generated !== 'ALWAYS').map((c) => c.column_name);
  const unknownRequired = columns.filter((c) => !(c.column_name in values) && c.is_nullable === 'NO' && c.column_default === null && c.is_generated !== 'ALWAYS');
  if (unknownRequired.length > 0) {
    throw new Error(`messages has required columns the seeder does not know: ${unknownRequired.map((c) => c.column_name).join(', ')}`);
  }
  const insert =
    `insert into messages (${used.join(', ')}) select ${used.map((c) => values[c]).join(', ')} ` +
    `from unnest($1::uuid[]) with ordinality as r(id, n) cross join generate_series(1, $2::int) as s`;

  const indexDefs: string[] = [];
  for (const name of options.rebuildIndexes ?? []) {
    const def = (await sql.query<{ indexdef: string }>('select indexdef from pg_indexes where indexname = $1', [name]))[0]?.indexdef;
    if (!def) throw new Error(`index ${name} is missing: are the migrations applied?`);
    indexDefs.push(def);
    await sql.query(`drop index ${name}`);
  }
  const perInsert = options.roomsPerInsert ?? 25;
  for (let i = 0; i < roomIds.length; i += perInsert) {
    const batch = roomIds.slice(i, i + perInsert);
    if (options.clearFirst) await sql.query('delete from messages where room_id = any($1::uuid[])', [batch]);
    await sql.query(insert, [batch, perRoom, senderId]);
    await sql.query('update rooms set last_seq = $2 where id = any($1::uuid[])', [batch, perRoom]);
  }
  for (const def of indexDefs) await sql.query(def);
  // A table that grew over months would have statistics; a bulk load has none until analyzed.
  await sql.query('analyze messages');
}
