/**
 * Bounded in-memory bookkeeping for abuse signals: every table caps its keys (the least recently
 * touched key goes first) and every key caps its entries, so no caller can grow the gateway's
 * memory by inventing usernames, addresses or object ids.
 */

/** A Map that forgets its least recently touched key beyond `maxKeys`. */
export class BoundedMap<V> {
  private readonly map = new Map<string, V>();
  /** The most recently touched key: touching it again needs no re-insertion (bursts from one caller). */
  private newest: string | undefined;
  constructor(private readonly maxKeys: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined && key !== this.newest) {
      // Re-insert: Map order is the eviction order.
      this.map.delete(key);
      this.map.set(key, v);
      this.newest = key;
    }
    return v;
  }

  peek(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, v: V): void {
    if (key === this.newest && this.map.has(key)) {
      this.map.set(key, v);
      return;
    }
    this.map.delete(key);
    if (this.map.size >= this.maxKeys) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, v);
    this.newest = key;
  }

  delete(key: string): boolean {
    if (key === this.newest) this.newest = undefined;
    return this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  entries(): IterableIterator<[string, V]> {
    return this.map.entries();
  }
}

/**
 * Timestamps of events per key within a sliding window (no fixed-window sawtooth). Only the
 * newest `keep` are held: a count saturates at `keep`, which is all a limit of `keep` needs.
 */
export class SlidingLog {
  private readonly logs: BoundedMap<number[]>;
  constructor(readonly windowMs: number, private readonly keep: number, maxKeys = 100_000) {
    this.logs = new BoundedMap(maxKeys);
  }

  /** Records one event; returns the count within the window, this one included. */
  add(key: string, now = Date.now()): number {
    const log = this.live(key, now) ?? [];
    log.push(now);
    if (log.length > this.keep) log.shift();
    this.logs.set(key, log);
    return log.length;
  }

  count(key: string, now = Date.now()): number {
    return this.live(key, now)?.length ?? 0;
  }

  /** Milliseconds until the count falls below `limit` again (0 when it already is). */
  msUntilBelow(key: string, limit: number, now = Date.now()): number {
    const log = this.live(key, now);
    if (!log || log.length < limit) return 0;
    return Math.max(0, log[log.length - limit]! + this.windowMs - now);
  }

  clear(key: string): void {
    this.logs.delete(key);
  }

  private live(key: string, now: number): number[] | undefined {
    const log = this.logs.get(key);
    if (!log) return undefined;
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < log.length && log[drop]! <= cutoff) drop++;
    if (drop > 0) log.splice(0, drop);
    if (log.length === 0) {
      this.logs.delete(key);
      return undefined;
    }
    return log;
  }
}

/**
 * A high-volume count per key over a sliding window, approximated by `buckets` sub-windows (the
 * oldest one is dropped whole): constant memory and time per event, however many events, for
 * ratios that need no exact count (the share of 404s among a caller's answers).
 */
export class BucketCounter {
  private readonly rings: BoundedMap<{ newest: number; counts: number[] }>;
  private readonly bucketMs: number;
  constructor(windowMs: number, private readonly buckets = 10, maxKeys = 100_000) {
    this.bucketMs = Math.max(1, Math.ceil(windowMs / buckets));
    this.rings = new BoundedMap(maxKeys);
  }

  add(key: string, now = Date.now()): void {
    const at = Math.floor(now / this.bucketMs);
    let ring = this.rings.get(key);
    if (!ring) {
      ring = { newest: at, counts: new Array<number>(this.buckets).fill(0) };
      this.rings.set(key, ring);
    }
    this.advance(ring, at);
    ring.counts[at % this.buckets]! += 1;
  }

  count(key: string, now = Date.now()): number {
    const ring = this.rings.peek(key);
    if (!ring) return 0;
    this.advance(ring, Math.floor(now / this.bucketMs));
    let sum = 0;
    for (const c of ring.counts) sum += c;
    return sum;
  }

  /** Clears the buckets that fell out of the window since the newest one. */
  private advance(ring: { newest: number; counts: number[] }, at: number): void {
    if (at <= ring.newest) return;
    const stale = Math.min(this.buckets, at - ring.newest);
    for (let i = 1; i <= stale; i++) ring.counts[(ring.newest + i) % this.buckets] = 0;
    ring.newest = at;
  }
}

/**
 * Distinct values seen per key within a sliding window (usernames per address, addresses per
 * username, object ids per principal), at most `keep` per key: a count saturates there.
 */
export class DistinctLog {
  private readonly sets: BoundedMap<Map<string, number>>;
  constructor(readonly windowMs: number, private readonly keep: number, maxKeys = 100_000) {
    this.sets = new BoundedMap(maxKeys);
  }

  /** Records `value` under `key`; returns how many distinct values the key has in the window. */
  add(key: string, value: string, now = Date.now()): number {
    const seen = this.live(key, now) ?? new Map<string, number>();
    seen.delete(value);
    if (seen.size >= this.keep) seen.delete(seen.keys().next().value!);
    seen.set(value, now);
    this.sets.set(key, seen);
    return seen.size;
  }

  count(key: string, now = Date.now()): number {
    return this.live(key, now)?.size ?? 0;
  }

  has(key: string, value: string, now = Date.now()): boolean {
    return this.live(key, now)?.has(value) ?? false;
  }

  private live(key: string, now: number): Map<string, number> | undefined {
    const seen = this.sets.get(key);
    if (!seen) return undefined;
    const cutoff = now - this.windowMs;
    // Insertion order is time order (a repeat is re-inserted), so the stale ones lead.
    for (const [v, at] of seen) {
      if (at > cutoff) break;
      seen.delete(v);
    }
    if (seen.size === 0) {
      this.sets.delete(key);
      return undefined;
    }
    return seen;
  }
}

/** Keys held until a moment (lockouts), bounded like the rest. */
export class ExpiringSet {
  private readonly until: BoundedMap<number>;
  constructor(maxKeys = 100_000) {
    this.until = new BoundedMap(maxKeys);
  }

  hold(key: string, ms: number, now = Date.now()): void {
    this.until.set(key, Math.max(this.until.peek(key) ?? 0, now + ms));
  }

  /** Milliseconds the key is still held (0: not held). */
  remaining(key: string, now = Date.now()): number {
    const t = this.until.peek(key);
    if (t === undefined) return 0;
    if (t <= now) {
      this.until.delete(key);
      return 0;
    }
    return t - now;
  }

  release(key: string): void {
    this.until.delete(key);
  }
}

/** The network an address belongs to for counting: its /24 (IPv4) or /64 (IPv6). */
export function networkOf(ip: string): string {
  if (ip.includes(':')) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+)\.\d+$/i.exec(ip);
    if (mapped) return `${mapped[1]}.0/24`;
    return `${expandV6(ip).slice(0, 4).join(':')}::/64`;
  }
  const dot = ip.lastIndexOf('.');
  return dot < 0 ? ip : `${ip.slice(0, dot)}.0/24`;
}

function expandV6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('::', 2);
  const h = head === '' ? [] : head.split(':');
  const t = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const fill = ip.includes('::') ? Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}
