/**
 * The model's view of a message: hashed features of the normalized text (safety/normalize.ts, so
 * the evasions the rules undo are undone here too). Character n-grams of 1–4 over the compact
 * form (letters, digits and CJK only) carry Chinese words and spelled-apart handles; word
 * unigrams and bigrams of the folded form carry English. Each feature is hashed (FNV-1a) into a
 * fixed number of buckets, so the model is one array and needs no vocabulary.
 */
import { normalizeText } from '../normalize.ts';

export const BUCKET_BITS = 18;
const MASK = (1 << BUCKET_BITS) - 1;
const MAX_CHARS = 600;

/** Buckets of the message's features, each once. `into` is reused to keep the hot path free of garbage. */
export function featuresOf(text: string, into: Set<number> = new Set()): Set<number> {
  into.clear();
  const normalized = normalizeText(text.length > MAX_CHARS * 2 ? text.slice(0, MAX_CHARS * 2) : text);
  const compact = normalized.compact.slice(0, MAX_CHARS);
  for (let n = 1; n <= 4; n++) {
    for (let i = 0; i + n <= compact.length; i++) into.add(hash(compact, i, i + n, n));
  }
  let previous = -1;
  for (const match of normalized.folded.slice(0, MAX_CHARS).matchAll(/[a-z0-9]+/g)) {
    const word = hash(match[0], 0, match[0].length, 11);
    into.add(word);
    if (previous !== -1) into.add(((previous * 16777619) ^ word ^ 0x5bd1e995) & MASK);
    previous = word;
  }
  // Length and shape: very short messages and digit-heavy ones behave differently.
  into.add(hash(`len:${Math.min(8, Math.floor(compact.length / 12))}`, 0, 6, 13));
  return into;
}

function hash(text: string, start: number, end: number, salt: number): number {
  let h = (2166136261 ^ salt) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h & MASK;
}
