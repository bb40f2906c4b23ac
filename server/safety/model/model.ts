/**
 * The trained text model (npm run safety:train writes it): two logistic regressions over the
 * hashed features — how likely the message should not be allowed as it is, and how likely it
 * should be blocked outright — with the thresholds chosen on the validation split. Weights are
 * stored as int8 with one scale per head (model.bin), so loading is one file read.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeText, type NormalizedText } from '../normalize.ts';
import { BUCKET_BITS, visitFeatures, type FeatureKind } from './features.ts';

export const MODEL_DIR = path.dirname(fileURLToPath(import.meta.url));
const BUCKETS = 1 << BUCKET_BITS;
// Features of a message are capped (features.ts: 600 characters → at most ~2,800 n-grams and words);
// the table holds them all, and most messages fill a tenth of it.
const SEEN_BITS = 12;
const SEEN_SLOTS = 1 << SEEN_BITS;
// Message numbers kept beside a bucket in one int32 slot (0 marks a slot never used).
const GENERATIONS = 1 << (31 - BUCKET_BITS);

export interface ModelMeta {
  version: 1;
  bucketBits: number;
  heads: { notAllowed: HeadMeta; block: HeadMeta };
  /** How the pipeline weighs the scores beside the rules (model-signal.ts), chosen on the validation split. */
  combination?: CombinationThresholds;
  trainedOn: { train: number; validation: number; decisions: number };
  figures: Record<string, unknown>;
}

interface HeadMeta {
  bias: number;
  scale: number;
  /** Score at or above which the head's action applies (chosen on the validation split). */
  threshold: number;
}

export interface CombinationThresholds {
  /** notAllowed score at which the model alone holds. */
  hold: number;
  /** block score at which the model alone blocks. */
  block: number;
  /** block score at which the model blocks when a content rule found something too. */
  blockWithEvidence: number;
  /** notAllowed score at which a rule's flag becomes a hold. */
  holdWithEvidence: number;
  /** Below this notAllowed score a judgement rule's hold is softened to a flag. */
  clear: number;
  /** Below this block score a judgement rule's block is softened to a hold. */
  keepBlock: number;
}

export interface ModelScore {
  notAllowed: number;
  block: number;
}

export interface WeighedFeature {
  /** The n-gram or word(s) as the model saw them (normalized). */
  feature: string;
  weight: number;
}

export class TextModel {
  // Scoring is memory-bound (a few hundred random reads a message), so both heads' weights of a
  // bucket sit side by side, and each bucket counts once per message through a small open-addressed
  // table that stays in the CPU cache (a Set or a stamp per bucket does not). Nothing is allocated.
  // A slot holds the message's number beside the bucket, so a new message starts with an empty
  // table without clearing its 16 KiB (which cost as much as a short message's scoring).
  private readonly interleaved: Int8Array;
  private readonly seen = new Int32Array(SEEN_SLOTS);
  private generation = 0;
  private sumNotAllowed = 0;
  private sumBlock = 0;
  private readonly add = (bucket: number): void => {
    const key = (this.generation << BUCKET_BITS) | bucket;
    let slot = Math.imul(bucket, 0x9e3779b1) >>> (32 - SEEN_BITS);
    for (let probe = 0; probe < SEEN_SLOTS; probe++) {
      const held = this.seen[slot]!;
      if (held === key) return;
      if (held >>> BUCKET_BITS !== this.generation) break;
      slot = (slot + 1) & (SEEN_SLOTS - 1);
    }
    this.seen[slot] = key;
    this.sumNotAllowed += this.interleaved[2 * bucket]!;
    this.sumBlock += this.interleaved[2 * bucket + 1]!;
  };

  constructor(
    readonly meta: ModelMeta,
    private readonly notAllowed: Int8Array,
    private readonly block: Int8Array,
  ) {
    this.interleaved = new Int8Array(2 * BUCKETS);
    for (let i = 0; i < BUCKETS; i++) {
      this.interleaved[2 * i] = notAllowed[i]!;
      this.interleaved[2 * i + 1] = block[i]!;
    }
  }

  score(text: string): ModelScore {
    return this.scoreNormalized(normalizeText(text));
  }

  scoreNormalized(text: NormalizedText): ModelScore {
    if (++this.generation >= GENERATIONS) {
      this.seen.fill(0);
      this.generation = 1;
    }
    this.sumNotAllowed = 0;
    this.sumBlock = 0;
    visitFeatures(text, this.add);
    const { notAllowed, block } = this.meta.heads;
    return { notAllowed: sigmoid(notAllowed.bias + this.sumNotAllowed * notAllowed.scale), block: sigmoid(block.bias + this.sumBlock * block.scale) };
  }

  /**
   * The features that weighed most towards refusing, for staff ("model: 验证码, send me"). Only
   * run for a verdict that is not `allow`, so it may allocate. Overlapping n-grams of one phrase
   * are kept once: the longest that carries weight.
   */
  explain(text: NormalizedText, head: 'notAllowed' | 'block' = 'notAllowed', count = 3): WeighedFeature[] {
    const weights = head === 'block' ? this.block : this.notAllowed;
    const scale = this.meta.heads[head].scale;
    // Strings are cut only for the few features shown: a held message's hundreds of n-grams are
    // weighed as positions, each bucket once (its first readable feature names it).
    const named = new Set<number>();
    const candidates: Array<{ weight: number; source: string; start: number; end: number }> = [];
    visitFeatures(text, (bucket, source, start, end, kind) => {
      const weight = weights[bucket]!;
      if (weight <= 0 || named.has(bucket) || !readable(source, start, end, kind)) return;
      named.add(bucket);
      candidates.push({ weight: weight * scale, source, start, end });
    });
    candidates.sort((x, y) => y.weight - x.weight);
    const chosen: typeof candidates = [];
    for (const f of candidates) {
      if (chosen.length >= count) break;
      if (chosen.some((c) => c.source === f.source && c.start < f.end && f.start < c.end)) continue;
      chosen.push(f);
    }
    return chosen.map((c) => ({ feature: c.source.slice(c.start, c.end), weight: Math.round(c.weight * 100) / 100 }));
  }

  /** The model's own call at its thresholds. */
  decide(text: string): 'allow' | 'hold' | 'block' {
    const s = this.score(text);
    if (s.block >= this.meta.heads.block.threshold) return 'block';
    return s.notAllowed >= this.meta.heads.notAllowed.threshold ? 'hold' : 'allow';
  }
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** Features a reviewer can read: word pairs, longer words, Chinese n-grams ("to", "gi" say nothing). */
function readable(source: string, start: number, end: number, kind: FeatureKind): boolean {
  if (kind === 'words') return true;
  if (kind === 'word') return end - start >= 4;
  if (kind !== 'chars' || end - start < 2) return false;
  for (let i = start; i < end; i++) if (isHan(source.charCodeAt(i))) return true;
  return false;
}

/** CJK ideographs of the basic and extension-A blocks and the compatibility block: what Chinese chat is written in. */
function isHan(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff);
}

/** The committed model, or null when none has been trained yet. */
export function loadModel(dir = MODEL_DIR): TextModel | null {
  let meta: ModelMeta;
  let weights: Buffer;
  try {
    meta = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as ModelMeta;
    weights = readFileSync(path.join(dir, 'model.bin'));
  } catch {
    return null;
  }
  if (meta.bucketBits !== BUCKET_BITS || weights.length !== 2 * BUCKETS) throw new Error('model.bin does not match this version of the features: run npm run safety:train');
  const bytes = new Int8Array(weights.buffer, weights.byteOffset, weights.length);
  return new TextModel(meta, bytes.slice(0, BUCKETS), bytes.slice(BUCKETS));
}
