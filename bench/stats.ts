/**
 * Latency histograms and the small statistics the report quotes (median with range).
 */

const MIN_MS = 0.001;
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
// 1 µs × 1.01^2100 ≈ 1.2 million ms: anything slower is "the run was broken", not a latency.
const BUCKETS = 2100;

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Log-bucketed histogram: 1 % resolution and constant memory however many samples a step
 * records (a W2 step can deliver millions), so recording costs the load generator nothing.
 */
export class Histogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  max = 0;
  private sum = 0;

  record(ms: number): void {
    const v = ms > MIN_MS ? ms : MIN_MS;
    const index = Math.min(BUCKETS - 1, Math.floor(Math.log(v / MIN_MS) / LOG_GROWTH));
    this.counts[index]! += 1;
    this.count += 1;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** Upper edge of the bucket holding the q-quantile, capped at the largest sample. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const target = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= target) return Math.min(this.max, MIN_MS * GROWTH ** (i + 1));
    }
    return this.max;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      p50: round3(this.quantile(0.5)),
      p90: round3(this.quantile(0.9)),
      p99: round3(this.quantile(0.99)),
      max: round3(this.max),
      mean: this.count === 0 ? 0 : round3(this.sum / this.count),
    };
  }
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median with its range over interleaved rounds: the form every figure is quoted in. */
export function spread(values: number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), n: finite.length };
}

/** Exact quantile of a small sample set (W6 request times, W4 recovery times). */
export function quantileOf(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
