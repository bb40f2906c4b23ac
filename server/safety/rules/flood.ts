// Rule "flood": repetition. The same or near-same text again and again (in one room or across
// rooms), mention spam, and messages that are a wall of one character or of emoji.

import type { ActivityStore, TextFingerprint } from '../activity.ts';
import { countMentions } from '../mentions.ts';
import { finding } from '../reasons.ts';
import { present, type SafetyRule } from '../rule.ts';
import type { SafetyReason, Strictness } from '../types.ts';

interface FloodLimits {
  /** Earlier near-duplicates within the window after which a repeat is held. */
  repeatsBeforeHold: number;
  /** Distinct rooms carrying the same text within the window that mean a cross-room spam run. */
  roomsBeforeBlock: number;
  mentionsBeforeHold: number;
  longestRun: number;
  emojiWall: number;
}

const LIMITS: Record<Exclude<Strictness, 'off'>, FloodLimits> = {
  lenient: { repeatsBeforeHold: 4, roomsBeforeBlock: 4, mentionsBeforeHold: 10, longestRun: 60, emojiWall: 60 },
  standard: { repeatsBeforeHold: 2, roomsBeforeBlock: 3, mentionsBeforeHold: 5, longestRun: 30, emojiWall: 30 },
  strict: { repeatsBeforeHold: 1, roomsBeforeBlock: 2, mentionsBeforeHold: 3, longestRun: 15, emojiWall: 15 },
};

export const REPEAT_WINDOW_MS = 10 * 60 * 1000;
// "ok", "+1", "哈哈哈", "收到" are repeated all day by honest people; only longer texts count.
const MIN_FINGERPRINT_LENGTH = 6;
const MIN_NEAR_DUPLICATE_LENGTH = 12;
const NEAR_DUPLICATE_SIMILARITY = 0.8;
const EMOJI = /\p{Extended_Pictographic}/gu;
const DIGIT = /\p{N}/u;
const DIGITS = /\p{N}+/gu;

export function createFloodRule(activity: ActivityStore): SafetyRule {
  return {
    name: 'flood',
    exemptible: true,
    check({ message, text, ctx, strictness }) {
      if (strictness === 'off') return [];
      const limits = LIMITS[strictness];
      const reasons: Array<SafetyReason | null> = [];

      const fingerprint = fingerprintOf(text.compact, ctx.roomId, ctx.now);
      if (fingerprint !== null) {
        const earlier = activity.rememberText(ctx.sender.id, fingerprint, REPEAT_WINDOW_MS);
        const duplicates = earlier.filter((f) => isNearDuplicate(f, fingerprint));
        const rooms = duplicates.length === 0 ? 1 : new Set([ctx.roomId, ...duplicates.map((f) => f.roomId)]).size;
        if (rooms >= limits.roomsBeforeBlock) {
          reasons.push(finding('FLOOD_CROSS_ROOM', 'block', strictness, { fixed: true, detail: `${rooms} rooms` }));
        } else if (duplicates.length >= limits.repeatsBeforeHold) {
          reasons.push(finding('FLOOD_REPEATED_TEXT', 'hold', strictness, { fixed: true, detail: `${duplicates.length + 1} times` }));
        }
      }

      const mentions = countMentions(message, text);
      if (mentions > limits.mentionsBeforeHold) {
        reasons.push(finding('FLOOD_MENTION_SPAM', 'hold', strictness, { fixed: true, detail: `${mentions} mentions` }));
      }

      // Both checks need at least `limit` characters; most chat lines are far shorter.
      const run = text.original.length >= limits.longestRun ? longestRun(text.original) : 0;
      if (run >= limits.longestRun) {
        reasons.push(finding('FLOOD_REPEATED_CHARS', run >= limits.longestRun * 4 ? 'hold' : 'flag', strictness, { fixed: true }));
      }

      const emoji = text.original.length >= limits.emojiWall ? (text.original.match(EMOJI)?.length ?? 0) : 0;
      // Mostly emoji, not a long post that happens to carry many.
      if (emoji >= limits.emojiWall && emoji * 2 >= text.compact.length + emoji) {
        reasons.push(finding('FLOOD_EMOJI_WALL', emoji >= limits.emojiWall * 3 ? 'hold' : 'flag', strictness, { fixed: true }));
      }
      return present(reasons);
    },
  };
}

/**
 * The cross-room finding for text seen in `rooms` rooms (this one included), at the room's
 * strictness, or null below its limit. Shared with the gateways' sightings (safety/sightings.ts),
 * which see the rooms other gateways served.
 */
export function crossRoomReason(rooms: number, strictness: Strictness): SafetyReason | null {
  if (strictness === 'off' || rooms < LIMITS[strictness].roomsBeforeBlock) return null;
  return finding('FLOOD_CROSS_ROOM', 'block', strictness, { fixed: true, detail: `${rooms} rooms` });
}

function fingerprintOf(compact: string, roomId: string, at: number): TextFingerprint | null {
  // Digits are dropped so that "…加我 v123" / "…加我 v124" count as the same text.
  const key = DIGIT.test(compact) ? compact.replace(DIGITS, '') : compact;
  if (key.length < MIN_FINGERPRINT_LENGTH) return null;
  return { key, roomId, at };
}

/** Same key, or Jaccard similarity of character bigrams ≥ 0.8 for texts long enough to compare. */
function isNearDuplicate(a: TextFingerprint, b: TextFingerprint): boolean {
  if (a.key === b.key) return true;
  if (a.key.length < MIN_NEAR_DUPLICATE_LENGTH || b.key.length < MIN_NEAR_DUPLICATE_LENGTH) return false;
  const shorter = Math.min(a.key.length, b.key.length);
  const longer = Math.max(a.key.length, b.key.length);
  if (shorter < longer * NEAR_DUPLICATE_SIMILARITY) return false;
  const x = (a.bigrams ??= bigramsOf(a.key));
  const y = (b.bigrams ??= bigramsOf(b.key));
  // shared / (|x| + |y| - shared) >= s  ⇔  shared >= s (|x| + |y|) / (1 + s). Stop as soon as
  // the bigrams still unread cannot reach that: most pairs of unrelated texts stop early.
  const needed = (NEAR_DUPLICATE_SIMILARITY * (x.length + y.length)) / (1 + NEAR_DUPLICATE_SIMILARITY);
  let shared = 0;
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    if (shared + Math.min(x.length - i, y.length - j) < needed) return false;
    if (x[i] === y[j]) {
      shared++;
      i++;
      j++;
    } else if (x[i] < y[j]) i++;
    else j++;
  }
  return shared >= needed;
}

// Bigrams as sorted, de-duplicated 32-bit codes (two UTF-16 units): one small typed array per
// text instead of a Set of short strings, which kept the garbage collector busy under load.
function bigramsOf(key: string): Uint32Array {
  const codes = new Uint32Array(Math.max(0, key.length - 1));
  for (let i = 0; i + 1 < key.length; i++) codes[i] = ((key.charCodeAt(i) << 16) | key.charCodeAt(i + 1)) >>> 0;
  codes.sort();
  let unique = 0;
  for (let i = 0; i < codes.length; i++) if (i === 0 || codes[i] !== codes[i - 1]) codes[unique++] = codes[i];
  return codes.subarray(0, unique);
}

/** Longest run of one code point, ignoring whitespace ("哈哈哈…" counts, "   " does not). */
function longestRun(text: string): number {
  let longest = 0;
  let current = 0;
  let previous = '';
  for (const ch of text) {
    if (ch === previous && ch.trim() !== '') current++;
    else current = 1;
    previous = ch;
    if (current > longest) longest = current;
  }
  return longest;
}
