/**
 * A fixed-size histogram for quantiles over a stream (latencies, requests per principal per
 * window): geometric buckets, `bucketsPerOctave` to each doubling from `min` up to `max`.
 * Memory is the bucket array, whatever the number of values.
 *
 * A quantile is the largest value seen in the bucket that holds its rank, so it is exact when a
 * bucket holds one value (every integer up to about 1.44 × bucketsPerOctave), and otherwise at
 * most one bucket width above the true value (2^(1/bucketsPerOctave): +9 % at 8, +4.4 % at 16),
 * never below it: a limit read from it errs on the side of letting callers through.
 */
export interface HistogramOptions {
  /** Values at or below it share the first bucket. */
  min: number;
  /** Values above it share the last bucket. */
  max: number;
  bucketsPerOctave: number;
}

export const LATENCY_BUCKETS: Readonly<HistogramOptions> = Object.freeze({ min: 0.01, max: 1e7, bucketsPerOctave: 8 });
export const COUNT_BUCKETS: Readonly<HistogramOptions> = Object.freeze({ min: 1, max: 1e9, bucketsPerOctave: 16 });

export interface Quantiles {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
}

export class Histogram {
  private readonly counts: Float64Array;
  private readonly maxima: Float64Array;
  private n = 0;
  private top = -Infinity;

  constructor(private readonly o: Readonly<HistogramOptions>) {
    const size = Math.ceil(Math.log2(o.max / o.min) * o.bucketsPerOctave) + 2;
    this.counts = new Float64Array(size);
    this.maxima = new Float64Array(size).fill(-Infinity);
  }

  private index(v: number): number {
    if (v <= this.o.min) return 0;
    return Math.min(this.counts.length - 1, Math.floor(Math.log2(v / this.o.min) * this.o.bucketsPerOctave) + 1);
  }

  /** Non-finite and negative values are ignored. */
  add(v: number, times = 1): void {
    if (!Number.isFinite(v) || v < 0 || !(times > 0)) return;
    const i = this.index(v);
    this.counts[i]! += times;
    if (v > this.maxima[i]!) this.maxima[i] = v;
    if (v > this.top) this.top = v;
    this.n += times;
  }

  get samples(): number {
    return this.n;
  }

  /** The q-quantile (0 < q ≤ 1) by the nearest-rank method; undefined without samples. */
  quantile(q: number): number | undefined {
    if (this.n === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return this.maxima[i]!;
    }
    return this.top;
  }

  quantiles(): Quantiles | undefined {
    if (this.n === 0) return undefined;
    return { p50: this.quantile(0.5)!, p90: this.quantile(0.9)!, p95: this.quantile(0.95)!, p99: this.quantile(0.99)!, max: this.top, samples: this.n };
  }
}
