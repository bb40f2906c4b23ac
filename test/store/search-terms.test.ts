/**
 * The search terms of a text, computed by the gateway as it stores a message, and the same
 * definition in SQL (message_search_document, migration 0011) that indexed the rows stored before
 * it: both must give the same terms, or an old message would be found differently from a new one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../server/store/db.ts';
import { searchQueryOf, searchTermsOf } from '../../server/store/search-terms.ts';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/env.ts';

const CORPUS = [
  '我喜欢胶片摄影',
  'Film is not dead',
  '数码摄影和胶片都好，film forever!',
  '周末去 Shanghai 拍 Portra 400 吗？',
  'e-mail me: mei@example.com (after 6pm)',
  'ÜBER café naïve Ελληνικά русский',
  '日本語のカタカナとひらがな、한국어 문장',
  '猫',
  '「引号」《书名》——破折号……省略号',
  '𠀀𠀁 rare ideographs',
  `${'a'.repeat(80)} ${'长'.repeat(5)}`,
  '   ',
  '!!! ，。',
];

describe('search terms', () => {
  let database: DatabaseHandle;
  let realDatabase: TestDatabase | null = null;

  beforeAll(async () => {
    realDatabase = TEST_DATABASE_URL ? await createTestDatabase() : null;
    database = await openDatabase({ databaseUrl: realDatabase?.url ?? null, dataDir: 'memory://' });
  });
  afterAll(async () => {
    await database?.close();
    await realDatabase?.drop();
  });

  it('splits Chinese into overlapping pairs and other words whole, lowercased', () => {
    expect(searchTermsOf('我喜欢胶片摄影，Film!').sort()).toEqual(['film', '喜欢', '影', '我喜', '摄影', '欢胶', '片摄', '胶片'].sort());
    expect(searchQueryOf('摄影')).toEqual({ query: "'摄影'", needles: ['摄影'] });
    expect(searchQueryOf('Film 猫')).toEqual({ query: "'film':* & '猫':*", needles: ['film', '猫'] });
    expect(searchQueryOf('胶片摄影')?.query).toBe("'胶片' & '片摄' & '摄影'");
    expect(searchQueryOf('!!! ，。')).toBeNull();
  });

  it('gives the same terms as the SQL definition on this database', async () => {
    for (const text of CORPUS) {
      // As JSON text: the two drivers read a text[] differently.
      const rows = await database.raw<{ terms: string }>(`select coalesce(array_to_json(tsvector_to_array(message_search_document($1))), '[]')::text as terms`, [text]);
      const sqlTerms = JSON.parse(rows[0]!.terms) as string[];
      expect([...sqlTerms].sort(), text).toEqual(searchTermsOf(text).sort());
    }
  });
});
