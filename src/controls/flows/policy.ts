import type { FlowKind } from '../../openapi/operations.js';

/** Counts per whom: the account named in the request, the client address, its /24 (/64), the caller. */
export interface FlowCounts { perUser?: number; perIp?: number; perNet?: number; perPrincipal?: number }

export interface FlowPolicy {
  /** Where the request names the account (`body/username`); default the first of body/username, body/email, body/login, body/user. */
  userField?: string;
  /** The sliding window every count of this flow is taken over. */
  windowSec: number;
  /** Attempts allowed per window (each request counts); over → 429. */
  attempts?: FlowCounts;
  /** Failed attempts (the upstream answered one of `failureStatus`) per window; reaching one → locked out for `lockoutSec`. */
  failures?: FlowCounts;
  lockoutSec: number;
  /** Upstream statuses that count as a failed attempt. */
  failureStatus: number[];
  /** Successful attempts (2xx) per caller per UTC day. */
  dailyQuota?: number;
  /** Credential-stuffing detection (login): many accounts from one source with few successes, or one account from many sources. */
  stuffing?: { accountsPerSource: number; sourcesPerAccount: number; maxSuccessRatio: number } | false;
  /** Progressive delay: from the `afterFailures`-th failure of an account or address on, hold each attempt baseMs·2ⁿ (at most maxMs). */
  delay?: { afterFailures: number; baseMs: number; maxMs: number } | false;
}

const FAILED = [400, 401, 403, 404, 422];

/**
 * What each kind of flow gets unless configured otherwise: the limits a careful API would
 * enforce itself (OWASP ASVS 2.2.1 for logins, NIST 800-63B's 100 failures as an outer bound).
 */
export const FLOW_DEFAULTS: Readonly<Record<FlowKind, FlowPolicy>> = {
  login: {
    windowSec: 900, lockoutSec: 900, failureStatus: FAILED,
    failures: { perUser: 5, perIp: 20, perNet: 100 },
    stuffing: { accountsPerSource: 10, sourcesPerAccount: 10, maxSuccessRatio: 0.25 },
    delay: { afterFailures: 3, baseMs: 250, maxMs: 4_000 },
  },
  otp: {
    windowSec: 900, lockoutSec: 900, failureStatus: FAILED,
    failures: { perUser: 5, perPrincipal: 5, perIp: 20 },
    delay: { afterFailures: 2, baseMs: 500, maxMs: 4_000 },
  },
  'password-reset': { windowSec: 900, lockoutSec: 900, failureStatus: FAILED, attempts: { perUser: 3, perIp: 10, perNet: 30 } },
  signup: { windowSec: 600, lockoutSec: 600, failureStatus: FAILED, attempts: { perIp: 5, perNet: 20 } },
  checkout: { windowSec: 60, lockoutSec: 60, failureStatus: FAILED, attempts: { perPrincipal: 5 }, dailyQuota: 100 },
};

/** The defaults of a kind with the configured fields over them (objects merge one level deep). */
export function mergePolicy(kind: FlowKind, override: Partial<FlowPolicy> | undefined): FlowPolicy {
  const base = FLOW_DEFAULTS[kind];
  if (!override) return base;
  const merged: FlowPolicy = { ...base, ...override };
  for (const k of ['attempts', 'failures'] as const) if (override[k]) merged[k] = { ...base[k], ...override[k] };
  // A partial stuffing or delay on a kind that has none by default takes the login defaults for the rest.
  for (const k of ['stuffing', 'delay'] as const) {
    const o = override[k];
    if (o) (merged as unknown as Record<string, unknown>)[k] = { ...(base[k] || FLOW_DEFAULTS.login[k]), ...o };
  }
  return merged;
}
