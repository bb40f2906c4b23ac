/**
 * The emoji picker's catalogue, made at build time from emojibase-data (Unicode's CLDR names
 * and keywords in English and Chinese) and served to the page as `virtual:emoji-catalogue`, a
 * chunk of its own that the picker imports when first opened. The package's files hold every
 * skin tone, shortcode and locale (over a megabyte); the page gets the few fields it searches
 * and shows (≈ 60 kB gzipped), so the main bundle does not grow at all.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';
import { canonicalEmojiOf } from '../../shared/emoji.ts';
import type { CatalogueEntry } from './src/state/emoji.ts';

interface EmojibaseEntry {
  hexcode: string;
  emoji: string;
  label: string;
  tags?: string[];
  group?: number;
  order?: number;
  version: number;
}

// Emojibase's group 2 is the skin-tone and hair swatches, not emoji anyone sends on their own.
const COMPONENT_GROUP = 2;
// Newer emoji show as empty boxes on many phones still in use; these have been in every
// major system's font for a couple of years.
const NEWEST_VERSION = 15.1;

const require = createRequire(import.meta.url);
const read = (locale: string): EmojibaseEntry[] => JSON.parse(readFileSync(require.resolve(`emojibase-data/${locale}/data.json`), 'utf8'));

/** Every emoji the picker offers, in Unicode's order. */
export function emojiCatalogue(): CatalogueEntry[] {
  const zh = new Map(read('zh').map((e) => [e.hexcode, e]));
  return read('en')
    .filter((e) => e.group !== undefined && e.group !== COMPONENT_GROUP && e.version <= NEWEST_VERSION)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .flatMap((e) => {
      const z = zh.get(e.hexcode);
      // The canonical form is what the server stores, so "mine" and the recent list match it; an
      // entry the server would refuse as a reaction is not offered.
      const emoji = canonicalEmojiOf(e.emoji);
      return emoji === null ? [] : [[emoji, e.group!, e.label, (e.tags ?? []).join(' '), z?.label ?? '', (z?.tags ?? []).join(' ')]];
    });
}

const ID = 'virtual:emoji-catalogue';

export function emojiCataloguePlugin(): Plugin {
  return {
    name: 'quanzi-emoji-catalogue',
    resolveId: (id) => (id === ID ? `\0${ID}` : null),
    load: (id) => (id === `\0${ID}` ? `export default ${JSON.stringify(emojiCatalogue())};` : null),
  };
}
