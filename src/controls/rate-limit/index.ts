import type { Redis } from 'ioredis';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Control, ControlFactory } from '../../core/control.js';
import type { RequestContext } from '../../core/context.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import { compileConfig, type CompiledLimit } from './config.js';
import { ConcurrencyTable, releaseConcurrency } from './concurrency.js';
import { createGcraRedisLimiter, GcraMemoryLimiter } from './gcra.js';
import { closeRedis, connectRedis } from '../../store/redis.js';

export type { RateLimitConfig, RateLimitSpec, LimitKey } from './config.js';
export { releaseConcurrency } from './concurrency.js';
export { parseRate } from './rate.js';

export const RULE_RATE_LIMIT = 'abuse/rate-limit';
export const RULE_CONCURRENCY = 'abuse/concurrency';
/** Flagged (an event, the request passes) when decisions fell back to memory because Redis was away. */
export const RULE_DEGRADED = 'abuse/rate-limit-store-unavailable';
const DEGRADED_EVENT_EVERY_MS = 60_000;

/** A concurrency slot not released after this long is presumed leaked and stops counting. */
export const CONCURRENCY_STALE_MS = 300_000;

let fallbacksTotal = 0;
/** Decisions every rate-limit control of this process took in memory because Redis was away (monotonic, across reloads). */
export function redisFallbacksTotal(): number {
  return fallbacksTotal;
}

/** The control object, with what the gateway may read or call beyond `Control`. */
export interface RateLimitControl extends Control {
  /** Decisions the in-memory insurance limiter took because Redis was unreachable, not ready or too slow. */
  readonly redisFallbacks: number;
  /** Quits the Redis client, if any. Idempotent. */
  close(): Promise<void>;
}

interface Limiter { spec: CompiledLimit; limiter: RateLimiterAbstract }
type Outcome = { limit: Limiter; allowed: boolean; res: RateLimiterRes };

/**
 * Rate limits and concurrency caps (OWASP API4, unrestricted resource consumption): each
 * configured limit is a GCRA bucket per principal, client IP, operation or for all traffic, with an
 * optional burst and per-operation costs; over any of them → 429 with `Retry-After` and the IETF
 * `RateLimit-Policy` / `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers-09). Counters live
 * in memory, or in Redis to be shared by several gateway instances; while Redis is away each
 * instance keeps limiting on its own in memory (never open) and counts `redisFallbacks`.
 */
export const rateLimit: ControlFactory = {
  id: 'rate-limit',
  phases: ['abuse'],
  defaultMode: 'block',
  description: 'Requests over a rate limit (per principal, IP, operation or global) or over the in-flight cap per principal: 429 with Retry-After.',
  create: async ({ config, operations, persistent }) => {
    const raw = (config.controls['rate-limit'] ?? {}) as Record<string, unknown>;
    // The top-level `redis` (`--redis`) is where shared counters live unless the control names its own.
    const cfg = compileConfig(raw.redis === undefined && config.redis ? { ...raw, redis: config.redis } : raw, operations);
    let fallbacks = 0;
    let client: Redis | undefined;
    if (cfg.redis !== undefined && cfg.limits.length > 0) client = await connectRedis(cfg.redis);
    const buckets = bucketStore(persistent);
    const limiters: Limiter[] = cfg.limits.map((spec) => {
      const opts = { keyPrefix: `portcullis:rl:${spec.name}`, points: spec.capacity, duration: spec.fillSec };
      if (!client) return { spec, limiter: buckets.take(opts) };
      const insurance = new GcraMemoryLimiter(opts);
      insurance.onConsume = () => { fallbacks += 1; fallbacksTotal += 1; };
      return { spec, limiter: createGcraRedisLimiter(client, opts, insurance) };
    });
    buckets.retire();
    const table = cfg.concurrency === undefined ? undefined : new ConcurrencyTable(cfg.concurrency, CONCURRENCY_STALE_MS);
    // While Redis is away the limits hold per instance: say so with an event, at most once a minute, not once a request.
    let reportedFallbacks = 0;
    let reportedAt = -Infinity;
    const degraded = (): Verdict | undefined => {
      if (fallbacks === reportedFallbacks || Date.now() - reportedAt < DEGRADED_EVENT_EVERY_MS) return undefined;
      const since = fallbacks - reportedFallbacks;
      reportedFallbacks = fallbacks;
      reportedAt = Date.now();
      return {
        kind: 'flag', ruleId: RULE_DEGRADED, owasp: 'API4:2023', severity: 'medium', status: 200,
        detail: 'Redis is unreachable or slow: rate limits are enforced in this instance\'s memory only (not shared across instances).',
        evidence: { decisionsInMemory: since },
      };
    };
    let closed = false;

    const control: RateLimitControl = {
      id: 'rate-limit',
      phases: ['abuse'],
      // Only a concurrency cap holds anything until the exchange ends.
      ...(table ? { onRequestEnd: releaseConcurrency } : {}),
      get redisFallbacks() { return fallbacks; },
      async close() {
        if (closed || !client) return;
        closed = true;
        await closeRedis(client);
      },
      appliesTo: () => table !== undefined || limiters.length > 0,
      evaluate(ctx) {
        if (table && !table.acquire(ctx, ctx.principal.id)) return concurrencyBlock(table.max);
        const op = ctx.route?.operation;
        const ids = op ? (op.operationId ? [op.operationId, op.key] : [op.key]) : [];
        const due: Array<{ limit: Limiter; cost: number }> = [];
        for (const l of limiters) {
          if (l.spec.operations && !ids.some((id) => l.spec.operations?.has(id))) continue;
          const cost = costOf(l.spec, ids);
          if (cost > 0) due.push({ limit: l, cost });
        }
        if (due.length === 0) return PASS;
        return Promise.all(due.map(({ limit, cost }) => consume(limit, keyOf(limit.spec, ctx), cost))).then(
          (outcomes) => {
            const refused = outcomes.filter((o) => !o.allowed);
            if (refused.length === 0) {
              announce(ctx, outcomes);
              return degraded() ?? PASS;
            }
            releaseConcurrency(ctx);
            return rateBlock(refused.reduce((a, b) => (b.res.msBeforeNext > a.res.msBeforeNext ? b : a)));
          },
          (e: unknown) => {
            releaseConcurrency(ctx);
            throw e;
          },
        );
      },
    };
    return control;
  },
};

/**
 * In-memory buckets outlive a config reload (kept in the gateway's persistent state): a limit with
 * the same name, capacity and fill time keeps its counters, so a reload does not hand every caller
 * a fresh allowance. Buckets of limits the new config no longer has are dropped with it.
 */
function bucketStore(persistent: Map<string, unknown> | undefined): { take(opts: GcraOpts): GcraMemoryLimiter; retire(): void } {
  const previous = (persistent?.get('rate-limit') as Map<string, GcraMemoryLimiter> | undefined) ?? new Map<string, GcraMemoryLimiter>();
  const current = new Map<string, GcraMemoryLimiter>();
  return {
    take(opts) {
      const id = `${opts.keyPrefix}|${opts.points}|${opts.duration}`;
      const limiter = current.get(id) ?? previous.get(id) ?? new GcraMemoryLimiter(opts);
      current.set(id, limiter);
      return limiter;
    },
    retire() { persistent?.set('rate-limit', current); },
  };
}
type GcraOpts = { keyPrefix: string; points: number; duration: number };

/** Quits the Redis client of a rate-limit control (on shutdown or after a reload swapped it out); other controls are left alone. */
export async function closeRateLimit(control: Control): Promise<void> {
  if (control.id === 'rate-limit' && typeof (control as Partial<RateLimitControl>).close === 'function') await (control as RateLimitControl).close();
}

function costOf(spec: CompiledLimit, ids: readonly string[]): number {
  for (const id of ids) {
    const c = spec.cost.get(id);
    if (c !== undefined) return c;
  }
  return 1;
}

function keyOf(spec: CompiledLimit, ctx: RequestContext): string {
  switch (spec.key) {
    case 'principal': return ctx.principal.id;
    case 'ip': return ctx.clientIp;
    case 'operation': {
      const op = ctx.route?.operation;
      // Unrouted requests share one bucket: their paths are the caller's to vary.
      return op ? `${op.upstream} ${op.key}` : '(unrouted)';
    }
    case 'global': return '*';
  }
}

async function consume(limit: Limiter, key: string, cost: number): Promise<Outcome> {
  try {
    return { limit, allowed: true, res: await limit.limiter.consume(key, cost) };
  } catch (e) {
    if (e instanceof RateLimiterRes) return { limit, allowed: false, res: e };
    throw e;
  }
}

/**
 * An allowed request learns where it stands: the RateLimit fields of the limit closest to
 * refusing (the least remaining share), so a client can slow down before it is refused.
 */
function announce(ctx: RequestContext, outcomes: Outcome[]): void {
  let closest: Outcome | undefined;
  for (const o of outcomes) {
    if (!closest || o.res.remainingPoints / o.limit.spec.capacity < closest.res.remainingPoints / closest.limit.spec.capacity) closest = o;
  }
  if (!closest) return;
  const s = closest.limit.spec;
  const name = `"${s.name}"`;
  // GCRA: the bucket is full again (the quota "resets") once the time it still holds has passed.
  const reset = Math.max(0, Math.ceil(closest.res.msBeforeNext / 1000));
  (ctx.responseHeaders ??= []).push(['ratelimit-policy', `${name};q=${s.rate.points};w=${s.rate.durationSec}`], ['ratelimit', `${name};r=${closest.res.remainingPoints};t=${reset}`]);
}

function rateBlock({ limit, res }: Outcome): Verdict {
  const s = limit.spec;
  const retry = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  const name = `"${s.name}"`;
  return {
    kind: 'block', ruleId: RULE_RATE_LIMIT, owasp: 'API4:2023', severity: 'medium', status: 429,
    detail: `Rate limit ${name} (${s.rateText} per ${s.key}${s.burst > 0 ? `, burst ${s.burst}` : ''}) exceeded: retry in ${retry} s.`,
    evidence: { limit: s.name, key: s.key, rate: s.rateText, burst: s.burst, retryAfterSec: retry },
    headers: {
      'Retry-After': String(retry),
      'RateLimit-Policy': `${name};q=${s.rate.points};w=${s.rate.durationSec}`,
      RateLimit: `${name};r=0;t=${retry}`,
    },
  };
}

function concurrencyBlock(max: number): Verdict {
  return {
    kind: 'block', ruleId: RULE_CONCURRENCY, owasp: 'API4:2023', severity: 'medium', status: 429,
    detail: `Too many requests in flight for this caller (at most ${max}).`,
    evidence: { limit: 'concurrency', key: 'principal', max },
    headers: { 'Retry-After': '1' },
  };
}
