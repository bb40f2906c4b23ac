/**
 * The emoji picker's catalogue (built from emojibase-data at build time) and what the picker
 * does with it: every emoji offered is one the server takes as a reaction, in the form it
 * stores; search by English and Chinese names; the recently used list.
 */
import { describe, expect, it } from 'vitest';
import { emojiCatalogue } from '../../client/web/emoji-catalogue.ts';
import { CATEGORIES, QUICK_REACTIONS, RecentEmoji, inCategory, searchEmoji } from '../../client/web/src/state/emoji.ts';
import { canonicalEmoji } from '../../server/domain/emoji.ts';

const catalogue = emojiCatalogue();
const top = (query: string, n = 1) => searchEmoji(catalogue, query).slice(0, n).map((e) => e[0]);

describe('the catalogue', () => {
  it('offers only what the server accepts as a reaction, each in the form the server stores, once', () => {
    expect(catalogue.length).toBeGreaterThan(1500);
    for (const [emoji] of catalogue) expect(canonicalEmoji(emoji), emoji).toBe(emoji);
    expect(new Set(catalogue.map((e) => e[0])).size).toBe(catalogue.length);
    for (const emoji of QUICK_REACTIONS) expect(canonicalEmoji(emoji)).toBe(emoji);
  });

  it('fills every category, has English and Chinese names, and leaves out the skin-tone swatches', () => {
    for (const category of CATEGORIES) expect(inCategory(catalogue, category.id).length, category.id).toBeGreaterThan(50);
    expect(catalogue.filter((e) => e[1] === 2)).toEqual([]);
    expect(catalogue.filter((e) => e[2] === '' || e[4] === '').length).toBe(0);
    expect(inCategory(catalogue, 'smileys')[0]![0]).toBe('😀');
    expect(inCategory(catalogue, 'flags').map((e) => e[0])).toContain('🇨🇳');
  });
});

describe('search', () => {
  it('finds by English name, best fit first', () => {
    expect(top('panda')).toEqual(['🐼']);
    expect(top('thumbs up')).toEqual(['👍']);
    expect(top('ROCKET')).toEqual(['🚀']);
    expect(top('cat', 20)).toContain('🐱');
  });

  it('finds by Chinese name and keyword, inside words written without spaces', () => {
    expect(top('熊猫')).toEqual(['🐼']);
    expect(top('猫', 30)).toEqual(expect.arrayContaining(['🐱', '😺']));
    expect(top('赞', 5)).toContain('👍');
  });

  it('a pasted emoji finds itself; nothing for an empty or unknown query', () => {
    expect(top('🚀')).toEqual(['🚀']);
    expect(searchEmoji(catalogue, '   ')).toEqual([]);
    expect(searchEmoji(catalogue, 'zzqxj')).toEqual([]);
  });
});

describe('recently used', () => {
  const memory = () => {
    const map = new Map<string, string>();
    return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
  };

  it('newest first, once each, at most 24, kept in storage', () => {
    const storage = memory();
    const recent = new RecentEmoji(storage);
    recent.use('🐼');
    recent.use('🚀');
    recent.use('🐼');
    expect(new RecentEmoji(storage).list()).toEqual(['🐼', '🚀']);
    for (const [emoji] of catalogue.slice(0, 30)) recent.use(emoji);
    expect(recent.list()).toHaveLength(24);
    expect(recent.list()[0]).toBe(catalogue[29]![0]);
  });

  it('a broken or missing storage is an empty list, not an error', () => {
    const storage = memory();
    storage.setItem('quanzi.recentEmoji', '{not json');
    expect(new RecentEmoji(storage).list()).toEqual([]);
    const none = new RecentEmoji(null);
    none.use('🐼');
    expect(none.list()).toEqual([]);
  });
});
