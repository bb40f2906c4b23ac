import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../server/store/db.ts';

// The embedded database runs statements outside transactions as named prepared statements in
// one pass (server/store/embedded-statements.ts). Everything above the store relies on it
// answering exactly as PGlite's own query() does; these pin that down.
describe('statements on the embedded database', () => {
  let database: DatabaseHandle;

  beforeAll(async () => {
    database = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await database.close();
  });

  it('binds parameters by the type the statement expects and parses the columns, run after run', async () => {
    const text = 'select $1::text as t, $2::int + 1 as n, $3::boolean as b, $4::text is null as missing, $5::jsonb as doc';
    const first = await database.raw(text, ['héllo 圈子', 41, true, null, '{"a":[1,"二"]}']);
    const again = await database.raw(text, ['x', -2, false, 'y', 'null']);
    expect(first).toEqual([{ t: 'héllo 圈子', n: 42, b: true, missing: true, doc: { a: [1, '二'] } }]);
    expect(again).toEqual([{ t: 'x', n: -1, b: false, missing: false, doc: null }]);
  });

  it('gives Drizzle what it expects: dates as text, arrays and JSON parameters serialized, affected rows counted', async () => {
    await database.db.execute(sql`create table if not exists probe_rows (id int primary key, tags text[], doc jsonb, at timestamptz)`);
    const at = '2026-01-02T03:04:05.678Z';
    const inserted = await database.db.execute(
      sql`insert into probe_rows values (1, ${sql.param(['a', 'b,c', '圈'])}, ${JSON.stringify({ k: 'v' })}, ${at}), (2, '{}', null, null)`,
    );
    expect(inserted).toMatchObject({ affectedRows: 2 });
    const { rows } = (await database.db.execute(sql`select id, tags, doc, at from probe_rows order by id`)) as unknown as { rows: unknown[] };
    expect(rows).toEqual([
      { id: 1, tags: ['a', 'b,c', '圈'], doc: { k: 'v' }, at: '2026-01-02 03:04:05.678+00' },
      { id: 2, tags: [], doc: null, at: null },
    ]);
  });

  it('reports a database error with its code, keeps no statement that failed to parse, and stays usable', async () => {
    await expect(database.raw('select $1::int / 0 as q', [1])).rejects.toMatchObject({ code: '22012' });
    await expect(database.raw('selec 1', [])).rejects.toMatchObject({ code: '42601' });
    await expect(database.raw('selec 1', [])).rejects.toMatchObject({ code: '42601' });
    expect(await database.raw('select 1 as one', [])).toEqual([{ one: 1 }]);
  });

  it('keeps working past the number of statements it keeps prepared', async () => {
    for (let i = 0; i < 300; i++) expect(await database.raw(`select ${i} + $1::int as v`, [1])).toEqual([{ v: i + 1 }]);
    expect(await database.raw('select 0 + $1::int as v', [5])).toEqual([{ v: 5 }]);
  });

  it('never runs inside another caller’s open transaction', async () => {
    await database.db.execute(sql`create table if not exists raw_probe (v int)`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedRow = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into raw_probe values (1)`);
      inserted();
      await held;
      throw new Error('roll back');
    });
    await insertedRow;
    // Started while the transaction is open: it must wait, and then not see the rolled-back row.
    const read = database.raw<{ n: number }>('select count(*)::int as n from raw_probe', []);
    const readThroughDrizzle = database.db.execute(sql`select count(*)::int as n from raw_probe`) as unknown as Promise<{ rows: unknown[] }>;
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await expect(transaction).rejects.toThrow('roll back');
    expect(await read).toEqual([{ n: 0 }]);
    expect((await readThroughDrizzle).rows).toEqual([{ n: 0 }]);
  });
  it('keeps answering past the number of statements it keeps prepared: the oldest are closed and prepared again when needed', async () => {
    // More distinct statement texts than are kept (256), then the first ones again.
    const texts = Array.from({ length: 300 }, (_, i) => `select $1::int + ${i} as n`);
    for (const [i, text] of texts.entries()) expect(await database.raw(text, [1])).toEqual([{ n: 1 + i }]);
    for (const [i, text] of texts.slice(0, 5).entries()) expect(await database.raw(text, [10])).toEqual([{ n: 10 + i }]);
    // The database holds only what is kept, not a statement for every text ever run.
    const [{ count }] = await database.raw<{ count: string | number }>('select count(*) as count from pg_prepared_statements', []);
    expect(Number(count)).toBeLessThanOrEqual(256);
  });
});
