/**
 * The trained text model (npm run safety:train writes it): two logistic regressions over the
 * hashed features — how likely the message should not be allowed as it is, and how likely it
 * should be blocked outright — with the thresholds chosen on the validation split. Weights are
 * stored as int8 with one scale per head (model.bin), so loading is one file read.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUCKET_BITS, featuresOf } from './features.ts';

export const MODEL_DIR = path.dirname(fileURLToPath(import.meta.url));
const BUCKETS = 1 << BUCKET_BITS;

export interface ModelMeta {
  version: 1;
  bucketBits: number;
  heads: { notAllowed: HeadMeta; block: HeadMeta };
  trainedOn: { train: number; validation: number; decisions: number };
  figures: Record<string, unknown>;
}

interface HeadMeta {
  bias: number;
  scale: number;
  /** Score at or above which the head's action applies (chosen on the validation split). */
  threshold: number;
}

export interface ModelScore {
  notAllowed: number;
  block: number;
  /** The features that weighed most towards refusing, as bucket numbers (staff see them as "model"). */
  top: number[];
}

export class TextModel {
  private readonly scratch = new Set<number>();

  constructor(
    readonly meta: ModelMeta,
    private readonly notAllowed: Int8Array,
    private readonly block: Int8Array,
  ) {}

  score(text: string): ModelScore {
    const features = featuresOf(text, this.scratch);
    let a = this.meta.heads.notAllowed.bias;
    let b = this.meta.heads.block.bias;
    let best = 0;
    let bestWeight = 0;
    for (const f of features) {
      const w = this.notAllowed[f]!;
      a += w * this.meta.heads.notAllowed.scale;
      b += this.block[f]! * this.meta.heads.block.scale;
      if (w > bestWeight) {
        bestWeight = w;
        best = f;
      }
    }
    return { notAllowed: sigmoid(a), block: sigmoid(b), top: bestWeight > 0 ? [best] : [] };
  }

  /** The model's own call at its thresholds. */
  decide(text: string): 'allow' | 'hold' | 'block' {
    const s = this.score(text);
    if (s.block >= this.meta.heads.block.threshold) return 'block';
    return s.notAllowed >= this.meta.heads.notAllowed.threshold ? 'hold' : 'allow';
  }
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

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
