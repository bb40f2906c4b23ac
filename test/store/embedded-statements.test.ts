import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../server/store/db.ts';

// The embedded database's raw path (named prepared statements in one pass); the message writer
// is its one user, so these pin down what it relies on.
describe('raw statements on the embedded database', () => {
  let database: DatabaseHandle;

  beforeAll(async () => {
    database = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await database.close();
  });

  it('binds text, number, boolean and null parameters and returns rows by column name, values as text', async () => {
    const text = 'select $1::text as t, $2::int + 1 as n, $3::boolean as b, $4::text is null as missing';
    const first = await database.raw(text, ['héllo 圈子', 41, true, null]);
    const again = await database.raw(text, ['x', -2, false, 'y']);
    expect(first).toEqual([{ t: 'héllo 圈子', n: '42', b: 't', missing: 't' }]);
    expect(again).toEqual([{ t: 'x', n: '-1', b: 'f', missing: 'f' }]);
  });

  it('reports a database error with its code, and a statement that failed to parse can be fixed and run', async () => {
    await expect(database.raw('select $1::int / 0 as q', [1])).rejects.toMatchObject({ code: '22012' });
    await expect(database.raw('selec 1', [])).rejects.toMatchObject({ code: '42601' });
    // The session is usable after both errors.
    expect(await database.raw('select 1 as one', [])).toEqual([{ one: '1' }]);
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
    const read = database.raw<{ n: string }>('select count(*) as n from raw_probe', []);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await expect(transaction).rejects.toThrow('roll back');
    expect(await read).toEqual([{ n: '0' }]);
  });
});
