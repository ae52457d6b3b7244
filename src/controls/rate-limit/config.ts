import type { CompiledOperation } from '../../openapi/compile.js';
import { PortcullisError } from '../../errors.js';
import { parseRate, type Rate } from './rate.js';

export type LimitKey = 'principal' | 'ip' | 'operation' | 'global';
const LIMIT_KEYS: readonly LimitKey[] = ['principal', 'ip', 'operation', 'global'];

/** One limit: a steady rate per key, with an optional burst on top, over some or all operations. */
export interface RateLimitSpec {
  /** Shown in events and the RateLimit headers, and prefixes the counters' keys; default `<key>-<rate>` (`principal-100/min`). Unique. */
  name?: string;
  /**
   * What is counted: `principal` per caller (the authenticated subject, else `ip:<client ip>`),
   * `ip` per client IP whoever is authenticated, `operation` per operation across all callers,
   * `global` all traffic the limit applies to.
   */
  key: LimitKey;
  /** The steady rate, `"<n>/<unit>"`: `100/min`, `10/s`, `5000/h`, `20000/day` (n from 1 to 1e9). */
  rate: string;
  /**
   * Extra requests (cost units) allowed at once above the steady rate: a fresh key may spend
   * rate + burst immediately, then earns one back every window/rate (GCRA, no fixed-window sawtooth). Default 0.
   */
  burst?: number;
  /** Only these operations (operationId or `METHOD /template`); default all, including unrouted requests. */
  operations?: string[];
  /** Weight per operation (operationId or `METHOD /template` → integer cost ≥ 0; 0 = not counted); default 1. */
  cost?: Record<string, number>;
}

export interface RateLimitConfig {
  /** The limits every request is checked against (each one that applies must allow it). Default none. */
  limits?: RateLimitSpec[];
  /** At most `perPrincipal` requests in flight per principal in this gateway process; released when the response ends. Default off. */
  concurrency?: { perPrincipal: number };
  /** `redis://…` or `rediss://…`: counters shared by every gateway instance; default in this process's memory. */
  redis?: string;
}

/** A limit ready to evaluate. */
export interface CompiledLimit {
  name: string;
  key: LimitKey;
  rateText: string;
  rate: Rate;
  burst: number;
  /** rate.points + burst. */
  capacity: number;
  /** Seconds an empty bucket takes to fill (capacity · window / rate). */
  fillSec: number;
  operations: ReadonlySet<string> | undefined;
  cost: ReadonlyMap<string, number>;
}

export interface CompiledConfig {
  limits: CompiledLimit[];
  concurrency: number | undefined;
  redis: string | undefined;
}

const MAX_BURST = 1_000_000_000;
/** Printable ASCII without quotes or backslashes: safe as an sf-string in RateLimit headers and as a key prefix. */
const NAME = /^[\x21\x23-\x5b\x5d-\x7e](?:[\x20\x21\x23-\x5b\x5d-\x7e]{0,62}[\x21\x23-\x5b\x5d-\x7e])?$/;

const where = (path: string): string => `controls.rate-limit${path}`;

/** Checks the whole config and reports every problem at once (PC_ERR_CONFIG_INVALID). */
export function compileConfig(raw: unknown, operations: readonly CompiledOperation[] | undefined): CompiledConfig {
  const problems: string[] = [];
  const cfg = (raw ?? {}) as RateLimitConfig;
  if (typeof cfg !== 'object' || Array.isArray(cfg)) {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where('')}: must be an object`, { where: where('') });
  }
  const known = operations ? new Set(operations.flatMap((o) => (o.operationId ? [o.key, o.operationId] : [o.key]))) : undefined;
  const limits: CompiledLimit[] = [];
  const names = new Set<string>();
  const list = cfg.limits ?? [];
  if (!Array.isArray(list)) problems.push(`${where('.limits')}: must be a list`);
  else {
    list.forEach((l, i) => {
      const at = where(`.limits[${i}]`);
      if (typeof l !== 'object' || l === null) { problems.push(`${at}: must be an object`); return; }
      if (!LIMIT_KEYS.includes(l.key)) problems.push(`${at}.key: must be one of ${LIMIT_KEYS.join(', ')}`);
      let rate: Rate | undefined;
      try {
        rate = parseRate(l.rate);
      } catch (e) {
        problems.push(`${at}.rate: ${(e as Error).message}`);
      }
      const burst = l.burst ?? 0;
      if (!Number.isInteger(burst) || burst < 0 || burst > MAX_BURST) problems.push(`${at}.burst: must be an integer from 0 to ${MAX_BURST}`);
      const name = l.name ?? `${String(l.key)}-${typeof l.rate === 'string' ? l.rate.replace(/\s+/g, '').toLowerCase() : '?'}`;
      if (typeof name !== 'string' || !NAME.test(name)) problems.push(`${at}.name: 1 to 64 printable ASCII characters, no quotes or backslashes`);
      else if (names.has(name)) problems.push(`${at}.name: "${name}" is used by another limit (name each limit${l.name === undefined ? ': two limits have the same key and rate' : ''})`);
      names.add(name);
      let ops: Set<string> | undefined;
      if (l.operations !== undefined) {
        if (!Array.isArray(l.operations) || l.operations.some((o) => typeof o !== 'string')) problems.push(`${at}.operations: must be a list of operationIds or "METHOD /template"`);
        else {
          ops = new Set(l.operations);
          for (const o of ops) if (known && !known.has(o)) problems.push(`${at}.operations: "${o.slice(0, 120)}" names no operation of the specs`);
        }
      }
      const cost = new Map<string, number>();
      const capacity = (rate?.points ?? 0) + (Number.isInteger(burst) ? burst : 0);
      if (l.cost !== undefined) {
        if (typeof l.cost !== 'object' || l.cost === null || Array.isArray(l.cost)) problems.push(`${at}.cost: must map operations to costs`);
        else {
          for (const [op, c] of Object.entries(l.cost)) {
            if (!Number.isInteger(c) || c < 0) problems.push(`${at}.cost.${op}: must be an integer ≥ 0`);
            else if (rate && c > capacity) problems.push(`${at}.cost.${op}: ${c} is more than the limit allows at once (${capacity} = rate + burst), so the operation could never pass`);
            if (known && !known.has(op)) problems.push(`${at}.cost: "${op.slice(0, 120)}" names no operation of the specs`);
            cost.set(op, c);
          }
        }
      }
      if (rate && typeof name === 'string') {
        limits.push({ name, key: l.key, rateText: l.rate.trim(), rate, burst, capacity, fillSec: (capacity * rate.durationSec) / rate.points, operations: ops, cost });
      }
    });
  }
  let concurrency: number | undefined;
  if (cfg.concurrency !== undefined) {
    const n = (cfg.concurrency as { perPrincipal?: unknown } | null)?.perPrincipal;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1_000_000) problems.push(`${where('.concurrency.perPrincipal')}: must be an integer from 1 to 1000000`);
    else concurrency = n;
  }
  if (cfg.redis !== undefined && (typeof cfg.redis !== 'string' || !/^rediss?:\/\/./.test(cfg.redis))) {
    problems.push(`${where('.redis')}: must be a redis:// or rediss:// URL`);
  }
  if (problems.length > 0) {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where('')}: ${problems.length} problem(s): ${problems[0]}${problems.length > 1 ? ' …' : ''}`, {
      where: where(''), details: problems, hint: 'Rates look like "100/min", "10/s", "5000/h" or "20000/day"; keys are principal, ip, operation or global.',
    });
  }
  return { limits, concurrency, redis: cfg.redis };
}
