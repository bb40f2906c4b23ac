/** Which columns name stored files: every one, or the sweeps would delete a file a row still uses. */
import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { attachments } from '../../drizzle/schema.ts';
import { MEDIA_KEY_COLUMNS } from '../../server/store/attachments.ts';

describe('MEDIA_KEY_COLUMNS', () => {
  it('holds the original and every derived file column of attachments (sha256, *_sha256), and nothing else', () => {
    const names = MEDIA_KEY_COLUMNS.map((column) => column.name).sort();
    expect(names).toContain('sha256');
    // The derived pictures are kept under their own keys; the upload a photo was stripped from is not kept.
    expect(names).toEqual(expect.arrayContaining(['thumb_sha256', 'display_sha256']));
    expect(names).not.toContain('original_sha256');
    const expected = Object.values(getTableColumns(attachments))
      .map((column) => column.name)
      .filter((name) => /(^|_)sha256$/.test(name) && name !== 'original_sha256')
      .sort();
    expect(names).toEqual(expected);
    // Every key column is text: a content key is a lowercase hex sha256.
    for (const column of MEDIA_KEY_COLUMNS) expect(column.getSQLType()).toBe('text');
  });
});
