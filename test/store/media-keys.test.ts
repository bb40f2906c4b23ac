/** Which columns name stored files: every one, or the sweeps would delete a file a row still uses. */
import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { attachments } from '../../drizzle/schema.ts';
import { MEDIA_KEY_COLUMNS } from '../../server/store/attachments.ts';

describe('MEDIA_KEY_COLUMNS', () => {
  it('holds the original and every derived file column of attachments (sha256, *_sha256), and nothing else', () => {
    const names = MEDIA_KEY_COLUMNS.map((column) => column.name).sort();
    expect(names).toContain('sha256');
    const expected = Object.values(getTableColumns(attachments))
      .map((column) => column.name)
      .filter((name) => /(^|_)sha256$/.test(name))
      .sort();
    expect(names).toEqual(expected);
    // Every key column is text: a content key is a lowercase hex sha256.
    for (const column of MEDIA_KEY_COLUMNS) expect(column.getSQLType()).toBe('text');
  });
});
