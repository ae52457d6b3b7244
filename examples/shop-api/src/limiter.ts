/** Fixed-window counter: good enough for a demo, and deterministic for tests. */
export class Limiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly max: number, private readonly windowMs: number) {}

  /** Seconds until `key` may try again, or 0 if it is under its limit. Does not count. */
  retryAfter(key: string, now = Date.now()): number {
    const w = this.windows.get(key);
    if (w === undefined || w.resetAt <= now || w.count < this.max) return 0;
    return Math.ceil((w.resetAt - now) / 1000);
  }

  /** Counts one event for `key`. */
  hit(key: string, now = Date.now()): void {
    const w = this.windows.get(key);
    if (w === undefined || w.resetAt <= now) this.windows.set(key, { count: 1, resetAt: now + this.windowMs });
    else w.count += 1;
  }

  /** Counts one event and returns the retry-after seconds if that exceeded the limit (0 = allowed). */
  take(key: string, now = Date.now()): number {
    const wait = this.retryAfter(key, now);
    if (wait === 0) this.hit(key, now);
    return wait;
  }
}
