// What a room's staff decided before, as a signal on what is sent now (the tg-spam idea: spam
// comes in waves of the same text, and the admins' decisions are the best labels there are).
// A text near-identical to one staff rejected (or removed after reports) is held at once; one
// near-identical to a text they approved passes what the content rules would only have held.
//
// "Near-identical" is Jaccard similarity ≥ 0.8 of character bigrams of the compact text with digits
// dropped (so "加我 v123" and "加我 v124" are one text; bigrams, because in a short chat line a
// word slipped in the middle costs three trigrams and only two bigrams). A 64-bit SimHash of them rules
// out nearly every unrelated precedent with two popcounts before any set is compared, so a room
// with hundreds of decisions costs a few microseconds a message, and a room with none costs nothing.

import { normalizeText } from './normalize.ts';
import { verdictOf } from './pipeline.ts';
import { finding } from './reasons.ts';
import type { RuleName, SafetyReason, Strictness, Verdict } from './types.ts';

export type PrecedentDecision = 'approved' | 'rejected' | 'removed';

export interface Precedent {
  decision: PrecedentDecision;
  decidedAt: Date;
  shape: TextShape;
}

export interface TextShape {
  /** Sorted, distinct bigram hashes. */
  grams: Uint32Array;
  high: number;
  low: number;
}

export interface PrecedentMatch {
  precedent: Precedent;
  similarity: number;
}

const SIMILAR = 0.8;
// Two texts with Jaccard 0.8 differ in about 10 of 64 SimHash bits; unrelated ones in about 32.
const MAX_HAMMING = 22;
// Shorter texts ("ok", "收到", "+1") are approved and rejected for reasons that are not the words.
const MIN_COMPACT_LENGTH = 8;
const DIGITS = /\p{N}+/gu;

/** The shape of a text for comparing, or null when it is too short to compare. */
export function shapeOf(text: string): TextShape | null {
  const compact = normalizeText(text).compact.replace(DIGITS, '');
  if (compact.length < MIN_COMPACT_LENGTH) return null;
  const hashes = new Uint32Array(compact.length - 1);
  for (let i = 0; i + 2 <= compact.length; i++) hashes[i] = gramHash(compact, i, 0x811c9dc5);
  hashes.sort();
  let unique = 0;
  for (let i = 0; i < hashes.length; i++) if (i === 0 || hashes[i] !== hashes[i - 1]) hashes[unique++] = hashes[i]!;
  const grams = hashes.slice(0, unique);
  const votes = new Int32Array(64);
  for (const gram of grams) {
    const second = mix(gram);
    for (let bit = 0; bit < 32; bit++) {
      votes[bit]! += (gram >>> bit) & 1 ? 1 : -1;
      votes[bit + 32]! += (second >>> bit) & 1 ? 1 : -1;
    }
  }
  let high = 0;
  let low = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (votes[bit]! > 0) low |= 1 << bit;
    if (votes[bit + 32]! > 0) high |= 1 << bit;
  }
  return { grams, high: high >>> 0, low: low >>> 0 };
}

/** The most similar near-identical precedent (the latest of equals), or null. */
export function findPrecedent(shape: TextShape | null, precedents: readonly Precedent[]): PrecedentMatch | null {
  if (shape === null || precedents.length === 0) return null;
  let best: PrecedentMatch | null = null;
  for (const precedent of precedents) {
    const other = precedent.shape;
    if (popcount(other.high ^ shape.high) + popcount(other.low ^ shape.low) > MAX_HAMMING) continue;
    const similarity = jaccard(shape.grams, other.grams);
    if (similarity < SIMILAR) continue;
    if (best === null || similarity > best.similarity || (similarity === best.similarity && precedent.decidedAt > best.precedent.decidedAt)) best = { precedent, similarity };
  }
  return best;
}

// Holds the room's staff may overrule by approving: what the content rules and the model judged.
// Rate, flood and probation are about the sender's pace and standing, not the words.
const OVERRULABLE: ReadonlySet<RuleName> = new Set(['links', 'scam', 'privacy', 'keywords', 'model']);

/** The verdict with the precedent weighed in: held like a rejected text, or let through like an approved one. */
export function weighPrecedent(verdict: Verdict, match: PrecedentMatch | null, strictness: Strictness): Verdict {
  if (match === null || strictness === 'off') return verdict;
  const detail = `${Math.round(match.similarity * 100)} % similar to a message ${match.precedent.decision === 'approved' ? 'approved' : match.precedent.decision === 'removed' ? 'removed after reports' : 'rejected'} on ${match.precedent.decidedAt.toISOString().slice(0, 10)}`;
  if (match.precedent.decision !== 'approved') {
    const reason = finding('PRECEDENT_REJECTED', 'hold', strictness, { detail });
    return reason ? verdictOf([...verdict.reasons, reason]) : verdict;
  }
  if (verdict.action !== 'hold') return verdict;
  const stopping = verdict.reasons.filter((r) => r.action === 'hold' || r.action === 'block');
  if (!stopping.every((r) => OVERRULABLE.has(r.rule))) return verdict;
  const softened = verdict.reasons.map((r): SafetyReason => (r.action === 'hold' ? { ...r, action: 'flag', detail: r.detail ? `${r.detail}; ${detail}` : detail } : r));
  const reason = finding('PRECEDENT_APPROVED', 'flag', strictness, { fixed: true, detail });
  return verdictOf(reason ? [...softened, reason] : softened);
}

/** Whether two shapes are near-identical (the SimHash first, then the sets). */
export function nearIdentical(a: TextShape, b: TextShape): boolean {
  if (popcount(a.high ^ b.high) + popcount(a.low ^ b.low) > MAX_HAMMING) return false;
  return jaccard(a.grams, b.grams) >= SIMILAR;
}

function jaccard(a: Uint32Array, b: Uint32Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

function gramHash(text: string, start: number, seed: number): number {
  let h = seed;
  for (let i = start; i < start + 2; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

function mix(value: number): number {
  let h = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
