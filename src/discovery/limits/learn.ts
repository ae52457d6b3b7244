import type { EndpointInventory } from '../inventory/endpoint.js';
import type { DiscoveredEndpoint } from '../report/model.js';

/**
 * Learned rate limits: per endpoint, from the distribution of requests per principal per window
 * (inventory/rates.ts), a recommended steady rate for the rate-limit control, keyed on the
 * principal as the gateway keys it (the authenticated subject, else the client IP).
 *
 * The rate is the p99 of that distribution times a headroom that shrinks as the evidence grows
 * (×2 at low confidence, ×1.5 medium, ×1.25 high), rounded up, and never under MIN_RATE: at p99,
 * about one caller-window in a hundred of the traffic seen would have gone over, and the headroom
 * is there so that it would not. Burst is 0: the GCRA limiter already lets a fresh caller spend
 * the whole rate at once.
 *
 * Confidence, from the sample size: high from 300 caller-windows and 20 callers, medium from 50
 * and 5, low below. A p99 of fewer than 100 samples is close to the maximum seen.
 */
export type Confidence = 'low' | 'medium' | 'high';

export interface LearnedLimit {
  method: string;
  /** The observed template. */
  path: string;
  /** `METHOD /template` as the gateway names the operation: the declared template when there is one. */
  operation: string;
  windowMs: number;
  /** Caller-windows measured, and distinct callers. */
  samples: number;
  principals: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  confidence: Confidence;
  /** The rate-limit control's `rate` (`24/min`). */
  rate: string;
  burst: number;
}

export interface Unlimited {
  method: string;
  path: string;
  reason: string;
}

export const MIN_RATE = 10;
const HEADROOM: Record<Confidence, number> = { low: 2, medium: 1.5, high: 1.25 };
const UNITS: ReadonlyArray<[number, string]> = [[1000, 's'], [60_000, 'min'], [3_600_000, 'h'], [86_400_000, 'day']];

export function confidenceOf(samples: number, principals: number): Confidence {
  if (samples >= 300 && principals >= 20) return 'high';
  if (samples >= 50 && principals >= 5) return 'medium';
  return 'low';
}

export function rateUnit(windowMs: number): string {
  const u = UNITS.find(([ms]) => ms === windowMs);
  if (!u) throw new Error(`a learned limit's window must be 1 s, 1 min, 1 h or 1 day (got ${windowMs} ms)`);
  return u[1];
}

/** The limit for one endpoint, or why there is none. `d` says how the spec names it. */
export function learnLimit(e: EndpointInventory, d: DiscoveredEndpoint | undefined, specGiven: boolean): LearnedLimit | Unlimited {
  const base = { method: e.method, path: e.template };
  if (specGiven && !d?.spec) return { ...base, reason: 'not declared in the spec: the gateway names only declared operations (declare it, then run again)' };
  const r = e.rates;
  if (!r || r.samples === 0) return { ...base, reason: 'no caller could be identified (no credential, no client IP)' };
  const confidence = confidenceOf(r.samples, e.principals.distinct);
  const rate = Math.max(MIN_RATE, Math.ceil(r.p99 * HEADROOM[confidence]));
  return {
    ...base,
    operation: d?.spec ? `${d.spec.method} ${d.spec.path}` : `${e.method} ${e.template}`,
    windowMs: r.windowMs, samples: r.samples, principals: e.principals.distinct,
    p50: r.p50, p90: r.p90, p99: r.p99, max: r.max, confidence, rate: `${rate}/${rateUnit(r.windowMs)}`, burst: 0,
  };
}

export function isLearned(x: LearnedLimit | Unlimited): x is LearnedLimit {
  return 'rate' in x;
}
