import type { Redis } from 'ioredis';
import type { ReplayStore } from './service.js';

/** Default bound of the in-memory store: ~100k ids of 32 hex chars is a few MB. */
export const DEFAULT_MEMORY_REPLAY_ENTRIES = 100_000;
/** A full sweep is O(n); at capacity we run it at most this often and evict in between. */
const FULL_SWEEP_INTERVAL_MS = 1_000;
/** Expired entries swept from the oldest end on each claim: keeps claims O(1) amortised. */
const LAZY_SWEEP_BATCH = 8;

export interface MemoryReplayStoreOptions {
  /** At most this many live ids are remembered. Default DEFAULT_MEMORY_REPLAY_ENTRIES. */
  maxEntries?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * One process's replay memory. Bounded: expired ids are swept, and only when every remembered id
 * is still live does a new claim evict the oldest one.
 *
 * Trade-off at capacity: we evict (fail open for the oldest id, which could then be replayed
 * within its TTL) rather than refuse new claims (fail closed, which would let a flood of solved
 * challenges lock every honest client out). Reaching capacity takes `maxEntries` *solved*
 * challenges within one expiry window, so size it above your peak rate × expiry; use
 * RedisReplayStore when several gateway instances share traffic.
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** id → expiry (ms). Map keeps insertion order, so the first key is the oldest claim. */
  readonly #entries = new Map<string, number>();
  #lastFullSweep = -Infinity;

  constructor(opts: MemoryReplayStoreOptions = {}) {
    const max = opts.maxEntries ?? DEFAULT_MEMORY_REPLAY_ENTRIES;
    if (!Number.isInteger(max) || max < 1) throw new RangeError('maxEntries must be a positive integer');
    this.#maxEntries = max;
    this.#now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  async claim(id: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    this.#sweepOldest(now);
    const expiry = this.#entries.get(id);
    if (expiry !== undefined) {
      if (expiry > now) return false;
      this.#entries.delete(id);
    }
    if (this.#entries.size >= this.#maxEntries) this.#makeRoom(now);
    this.#entries.set(id, now + Math.max(1, ttlMs));
    return true;
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }

  #sweepOldest(now: number): void {
    let n = 0;
    for (const [id, expiry] of this.#entries) {
      if (expiry > now || n++ >= LAZY_SWEEP_BATCH) return;
      this.#entries.delete(id);
    }
  }

  #makeRoom(now: number): void {
    // TTLs differ, so an expired id can sit behind a live one: a full sweep finds it.
    if (now - this.#lastFullSweep >= FULL_SWEEP_INTERVAL_MS) {
      this.#lastFullSweep = now;
      for (const [id, expiry] of this.#entries) if (expiry <= now) this.#entries.delete(id);
    }
    // Over capacity with only live ids: evict the oldest (see the trade-off above).
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) return;
      this.#entries.delete(oldest.value);
    }
  }
}

/**
 * Shared replay memory for several gateway instances. `SET key 1 PX ttl NX` is atomic, so two
 * instances receiving the same payload at once cannot both accept it. The client is the
 * caller's: this store never closes it. Redis errors propagate (the caller's check fails closed).
 */
export class RedisReplayStore implements ReplayStore {
  constructor(private readonly client: Redis, private readonly prefix = 'portcullis:challenge:replay:') {}

  async claim(id: string, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const res = await this.client.set(this.prefix + id, '1', 'PX', ttl, 'NX');
    return res === 'OK';
  }
}
