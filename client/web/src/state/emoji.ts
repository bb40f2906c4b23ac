/**
 * What the emoji picker knows, free of the page: its categories, search over the catalogue's
 * English and Chinese names and keywords, and the emoji I used lately (kept in local storage so
 * they come first on every visit). The catalogue itself is loaded by state/emoji-catalogue.ts.
 */
import type { KeyValueStorage } from './outbox.ts';

/** One emoji: itself (as the server stores it), its Unicode group, then name and keywords in English and Chinese. */
export type CatalogueEntry = [emoji: string, group: number, en: string, enKeywords: string, zh: string, zhKeywords: string];

/** The six reactions a message offers at once; the picker has the rest. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '🙏'];

export type CategoryId = 'smileys' | 'people' | 'animals' | 'food' | 'activities' | 'travel' | 'objects' | 'symbols' | 'flags';

/** The picker's tabs, each one Unicode (emojibase) group, in the order people look for them. */
export const CATEGORIES: ReadonlyArray<{ id: CategoryId; group: number; icon: string }> = [
  { id: 'smileys', group: 0, icon: '😀' },
  { id: 'people', group: 1, icon: '👋' },
  { id: 'animals', group: 3, icon: '🐱' },
  { id: 'food', group: 4, icon: '🍜' },
  { id: 'activities', group: 6, icon: '⚽' },
  { id: 'travel', group: 5, icon: '🚲' },
  { id: 'objects', group: 7, icon: '💡' },
  { id: 'symbols', group: 8, icon: '🔣' },
  { id: 'flags', group: 9, icon: '🏁' },
];

export function inCategory(catalogue: readonly CatalogueEntry[], id: CategoryId): CatalogueEntry[] {
  const group = CATEGORIES.find((c) => c.id === id)?.group;
  return catalogue.filter((e) => e[1] === group);
}

// How well a word fits a name or keyword list; lower is better, null is no match.
function fit(word: string, name: string, keywords: string): number | null {
  if (name === word) return 0;
  if (name.startsWith(word)) return 1;
  if (name.split(' ').some((w) => w.startsWith(word))) return 2;
  if (keywords.split(' ').some((k) => k === word)) return 3;
  if (keywords.split(' ').some((k) => k.startsWith(word))) return 4;
  // Chinese is written without spaces: 猫 is found inside 大笑的猫.
  if (name.includes(word) || keywords.includes(word)) return 5;
  return null;
}

/**
 * The emoji whose names or keywords, in either language, match every word of `query`: best
 * fits first (the name itself, then a name's word, then a keyword), Unicode's order within a fit.
 * A pasted emoji finds itself.
 */
export function searchEmoji(catalogue: readonly CatalogueEntry[], query: string, limit = 120): CatalogueEntry[] {
  const words = query.trim().toLowerCase().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return [];
  const scored: Array<{ entry: CatalogueEntry; score: number; at: number }> = [];
  catalogue.forEach((entry, at) => {
    if (entry[0] === query.trim()) return scored.push({ entry, score: -1, at });
    const en = entry[2].toLowerCase();
    const enKeywords = entry[3].toLowerCase();
    let score = 0;
    for (const word of words) {
      const best = Math.min(fit(word, en, enKeywords) ?? Infinity, fit(word, entry[4], entry[5]) ?? Infinity);
      if (best === Infinity) return;
      score += best;
    }
    scored.push({ entry, score, at });
  });
  return scored
    .sort((a, b) => a.score - b.score || a.at - b.at)
    .slice(0, limit)
    .map((s) => s.entry);
}

const RECENT_KEY = 'quanzi.recentEmoji';
const RECENT_MAX = 24;

/** The emoji I picked lately, newest first. */
export class RecentEmoji {
  constructor(private readonly storage: KeyValueStorage | null) {}

  list(): string[] {
    try {
      const saved: unknown = JSON.parse(this.storage?.getItem(RECENT_KEY) ?? '[]');
      return Array.isArray(saved) ? saved.filter((e): e is string => typeof e === 'string').slice(0, RECENT_MAX) : [];
    } catch {
      return [];
    }
  }

  use(emoji: string): void {
    const next = [emoji, ...this.list().filter((e) => e !== emoji)].slice(0, RECENT_MAX);
    try {
      this.storage?.setItem(RECENT_KEY, JSON.stringify(next));
    } catch {
      // A full or refused storage only costs the list its memory.
    }
  }
}
