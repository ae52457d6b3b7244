import { COUNT_BUCKETS, Histogram, type Quantiles } from './histogram.js';

/**
 * Requests per principal per window, as a distribution: each (principal, window) pair in which
 * the principal called at least once is one sample, its request count the value. A limit
 * learned from it says how many requests a caller makes in a window when it calls at all.
 *
 * Windows are fixed and aligned (`floor(time / windowMs)`). A principal's open window is kept
 * until a later record of it closes it, or a sweep closes every window older than the current
 * one; `finish` closes the rest. Records are expected roughly in time order (logs are): a record
 * older than its principal's open window closes that window and starts a new sample, so unsorted
 * input splits samples (lowering the figures), never merges them. The first and last window of
 * a log are partial, and count low for the same reason.
 *
 * Bounded: at most `maxActive` principals have an open window; when the map is full and no
 * window can be swept, further principals are not tracked until the next window (`untracked`).
 */
export interface RateOptions {
  windowMs: number;
  maxActive: number;
}

export const RATE_DEFAULTS: Readonly<RateOptions> = Object.freeze({ windowMs: 60_000, maxActive: 5_000 });

export interface RateDistribution extends Quantiles {
  windowMs: number;
  /** Records of principals not tracked because `maxActive` principals had an open window. */
  untracked: number;
}

interface Open {
  window: number;
  n: number;
}

export class PrincipalRates {
  private readonly open = new Map<string, Open>();
  private readonly dist = new Histogram(COUNT_BUCKETS);
  private untracked = 0;
  private sweptAt = -Infinity;

  constructor(private readonly o: Readonly<RateOptions> = RATE_DEFAULTS) {}

  /** `n` requests of one principal at `time` (a record can stand for repeats). */
  add(principal: string, time: number, n = 1): void {
    const window = Math.floor(time / this.o.windowMs);
    const cur = this.open.get(principal);
    if (cur) {
      if (cur.window === window) cur.n += n;
      else {
        this.dist.add(cur.n);
        cur.window = window;
        cur.n = n;
      }
      return;
    }
    if (this.open.size >= this.o.maxActive) {
      if (window > this.sweptAt) this.sweep(window);
      if (this.open.size >= this.o.maxActive) { this.untracked += n; return; }
    }
    this.open.set(principal, { window, n });
  }

  /** Closes every window before `window`. Runs at most once per window, so its cost is amortised. */
  private sweep(window: number): void {
    this.sweptAt = window;
    for (const [p, o] of this.open) {
      if (o.window < window) {
        this.dist.add(o.n);
        this.open.delete(p);
      }
    }
  }

  /** Closes the open windows and returns the distribution; undefined without samples. */
  finish(): RateDistribution | undefined {
    for (const o of this.open.values()) this.dist.add(o.n);
    this.open.clear();
    const q = this.dist.quantiles();
    return q && { ...q, windowMs: this.o.windowMs, untracked: this.untracked };
  }
}
