import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

/**
 * GCRA (the generic cell rate algorithm, a token bucket kept as one timestamp) on top of
 * rate-limiter-flexible, whose own stores count fixed windows (a caller may spend a whole window
 * at its end and another at the start of the next: the sawtooth). Each key holds its theoretical
 * arrival time (TAT): a request of cost c is allowed when `max(TAT, now) + c·T − now ≤ C·T`, with
 * T = the emission interval (window / rate) and C = the capacity (rate + burst). A refused
 * request does not move the TAT, so hammering does not push the refill further away.
 *
 * A limiter is configured as rate-limiter-flexible expects: `points` = C, `duration` = C·T in
 * seconds (the time an empty bucket takes to fill up, never under 1 s since C ≥ rate), so
 * `T = duration·1000 / points` is recovered from the limiter's own options. Results are
 * `RateLimiterRes` like the stock limiters': `consumedPoints` = the bucket level in units,
 * `remainingPoints` = what may still be spent now, and on refusal `msBeforeNext` = how long until
 * this request's cost would fit.
 */
export interface GcraOptions {
  keyPrefix: string;
  /** Capacity C: the rate's count plus the burst. */
  points: number;
  /** C·T in seconds. */
  duration: number;
}

/** Floating-point slack when comparing levels (ms). */
const EPSILON_MS = 1e-6;
/** Past this many keys, expired ones are swept before the next is added (a full bucket has no state). */
const SWEEP_AT_KEYS = 10_000;

interface Decision { allowed: boolean; level: number; retryMs: number }

function decide(tat: number, now: number, cost: number, intervalMs: number, capacityMs: number): Decision {
  const start = Math.max(tat, now);
  const next = start + cost * intervalMs;
  const level = next - now;
  if (level > capacityMs + EPSILON_MS) return { allowed: false, level: start - now, retryMs: Math.ceil(level - capacityMs) };
  return { allowed: true, level, retryMs: 0 };
}

/**
 * In-process GCRA. Still a `RateLimiterMemory` (so rate-limiter-flexible accepts it as an
 * insurance limiter), with `consume` and `get` answering from its own TAT table instead of the
 * fixed-window store. `onConsume` lets an owner count the calls (the Redis fallback counter).
 */
export class GcraMemoryLimiter extends RateLimiterMemory {
  private readonly tats = new Map<string, number>();
  onConsume: (() => void) | undefined;

  constructor(opts: GcraOptions) {
    super({ keyPrefix: opts.keyPrefix, points: opts.points, duration: opts.duration });
  }

  /** Keys with live state (for tests and metrics). */
  get size(): number {
    return this.tats.size;
  }

  override consume(key: string | number, pointsToConsume = 1): Promise<RateLimiterRes> {
    this.onConsume?.();
    const rlKey = this.getKey(key);
    const now = Date.now();
    const capacityMs = this.duration * 1000;
    const intervalMs = capacityMs / this.points;
    const d = decide(this.tats.get(rlKey) ?? 0, now, pointsToConsume, intervalMs, capacityMs);
    if (!d.allowed) {
      return Promise.reject(new RateLimiterRes(0, Math.max(1, d.retryMs), this.points + 1, false));
    }
    if (!this.tats.has(rlKey) && this.tats.size >= SWEEP_AT_KEYS) this.sweep(now);
    this.tats.set(rlKey, now + d.level);
    const used = Math.ceil(d.level / intervalMs - 1e-9);
    return Promise.resolve(new RateLimiterRes(Math.max(0, this.points - used), Math.ceil(d.level), used, false));
  }

  override get(key: string | number): Promise<RateLimiterRes | null> {
    const tat = this.tats.get(this.getKey(key));
    const now = Date.now();
    if (tat === undefined || tat <= now) return Promise.resolve(null);
    const used = Math.ceil((tat - now) / ((this.duration * 1000) / this.points) - 1e-9);
    return Promise.resolve(new RateLimiterRes(Math.max(0, this.points - used), Math.ceil(tat - now), used, false));
  }

  private sweep(now: number): void {
    for (const [k, tat] of this.tats) if (tat <= now) this.tats.delete(k);
  }
}

/**
 * The same algorithm as one Lua script (atomic, on the Redis clock so instances with skewed clocks
 * agree), plugged in through rate-limiter-flexible's `customIncrTtlLuaScript`. ARGV as that
 * library passes them: cost, whole seconds of duration (unused), points (C), duration (C·T, s).
 * The key holds the TAT in ms and expires when the bucket is full again.
 */
export const GCRA_LUA = `
local cost = tonumber(ARGV[1])
local cap = tonumber(ARGV[3])
local cap_ms = tonumber(ARGV[4]) * 1000
local interval = cap_ms / cap
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local nxt = tat + cost * interval
local level = nxt - now
if level > cap_ms + ${EPSILON_MS} then
  local retry = math.ceil(level - cap_ms)
  if retry < 1 then retry = 1 end
  return { cap + 1, retry }
end
local ttl = math.ceil(level)
if ttl < 1 then ttl = 1 end
redis.call('SET', KEYS[1], string.format('%.3f', nxt), 'PX', ttl)
return { math.ceil(level / interval - 0.000000001), ttl }
`;

/**
 * A Redis-backed GCRA limiter whose failures (Redis down, not ready, slow) fall over to `insurance`,
 * an in-memory GCRA of the same shape: limits keep holding per instance while Redis is away.
 * The client must be used by these limiters only: rate-limiter-flexible defines its script on the
 * client under one command name (`rlflxIncr`), so a stock RateLimiterRedis on the same client would
 * replace it.
 */
export function createGcraRedisLimiter(client: Redis, opts: GcraOptions, insurance: GcraMemoryLimiter): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: client,
    keyPrefix: opts.keyPrefix,
    points: opts.points,
    duration: opts.duration,
    customIncrTtlLuaScript: GCRA_LUA,
    // Not ready (connecting, reconnecting) → straight to the insurance limiter instead of queueing.
    rejectIfRedisNotReady: true,
    insuranceLimiter: insurance,
  });
}
