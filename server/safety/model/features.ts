/**
 * The model's view of a message: hashed features of the normalized text (safety/normalize.ts, so
 * the evasions the rules undo are undone here too). Character n-grams of 1–4 over the compact
 * form (letters, digits and CJK only) carry Chinese words and spelled-apart handles; word
 * unigrams and bigrams of the folded form carry English. Each feature is hashed (FNV-1a) into a
 * fixed number of buckets, so the model is one array and needs no vocabulary.
 */
import { compactText, normalizeText, type NormalizedText } from '../normalize.ts';

export const BUCKET_BITS = 18;
const MASK = (1 << BUCKET_BITS) - 1;
const MAX_CHARS = 600;
const WORD = /[a-z0-9]+/g;
const DIGIT = /[0-9]/;
const DIGITS = /[0-9]/g;
// An @mention of a member (usernames: 3–32 of a–z, 0–9, _) names a person, not what the message
// is: a username such as u_e0ca462dc8 reads like the random handles of contact spam, and "@a and
// @b, see you tomorrow" was held for its names. Mentions are read as one feature, "someone is
// mentioned"; @all / @everyone stay words (the "everyone join the new group" kind uses them), and
// so does an address's @ (someone@example.com).
const MENTION = /(?<![\p{L}\p{N}_.])@(?!(?:all|everyone|here)(?![a-z0-9_]))[a-z0-9_]{3,32}(?![a-z0-9_])/gu;

/**
 * Visits every feature of the text: its bucket, and where it comes from (`source.slice(start, end)`
 * names it), so the hot path and the explanation for staff walk the same features.
 */
export type FeatureKind = 'chars' | 'word' | 'words' | 'shape';

export function visitFeatures(normalized: NormalizedText, visit: (bucket: number, source: string, start: number, end: number, kind: FeatureKind) => void): void {
  let mentions = 0;
  let folded = normalized.folded.length > MAX_CHARS ? normalized.folded.slice(0, MAX_CHARS) : normalized.folded;
  let compactSource = normalized.compact;
  if (folded.includes('@')) {
    MENTION.lastIndex = 0;
    const unmentioned = folded.replace(MENTION, () => {
      mentions++;
      return ' ';
    });
    if (mentions > 0) {
      folded = unmentioned;
      compactSource = compactText(unmentioned);
    }
  }
  const cut = compactSource.length > MAX_CHARS ? compactSource.slice(0, MAX_CHARS) : compactSource;
  // Digits as one class: which digits a number has says nothing (a QQ number, a price, a year),
  // only that there is one and how long it is. Otherwise "1411750000 人" borrows a QQ number's weight.
  const compact = DIGIT.test(cut) ? cut.replace(DIGITS, '0') : cut;
  for (let n = 1; n <= 4; n++) {
    for (let i = 0; i + n <= compact.length; i++) visit(hash(compact, i, i + n, n), compact, i, i + n, 'chars');
  }
  let previous = -1;
  let previousStart = 0;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(folded); match !== null; match = WORD.exec(folded)) {
    const start = match.index;
    const end = start + match[0].length;
    const word = hash(folded, start, end, 11);
    visit(word, folded, start, end, 'word');
    if (previous !== -1) visit(((previous * 16777619) ^ word ^ 0x5bd1e995) & MASK, folded, previousStart, end, 'words');
    previous = word;
    previousStart = start;
  }
  // Length and shape: very short messages and digit-heavy ones behave differently.
  const shape = `len:${Math.min(8, Math.floor(compact.length / 12))}`;
  visit(hash(shape, 0, 6, 13), shape, 0, shape.length, 'shape');
  if (mentions > 0) {
    const mentioned = mentions > 1 ? 'mentions:2' : 'mentions:1';
    visit(hash(mentioned, 0, mentioned.length, 17), mentioned, 0, mentioned.length, 'shape');
  }
}

/** Buckets of the message's features, each once. `into` is reused to keep the hot path free of garbage. */
export function featuresOfNormalized(normalized: NormalizedText, into: Set<number> = new Set()): Set<number> {
  into.clear();
  visitFeatures(normalized, (bucket) => into.add(bucket));
  return into;
}

export function featuresOf(text: string, into: Set<number> = new Set()): Set<number> {
  return featuresOfNormalized(normalizeText(text.length > MAX_CHARS * 2 ? text.slice(0, MAX_CHARS * 2) : text), into);
}

function hash(text: string, start: number, end: number, salt: number): number {
  let h = (2166136261 ^ salt) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h & MASK;
}
