/**
 * One observed request/response, whatever source it came from (HAR file, access log, JSON-lines
 * log; later the gateway's own samples). Credentials never survive into a record: header values
 * that carry one are reduced to the scheme seen, and query values and JSON members named like a
 * credential are replaced by REDACTED (redact.ts).
 */
export type AuthScheme = 'bearer' | 'basic' | 'apikey' | 'cookie' | 'none';

export interface TrafficRecord {
  /** Upper-case. */
  method: string;
  /** The path as sent (still percent-encoded), without the query; templating canonicalises it. */
  path: string;
  /** Parsed and decoded; a repeated name gives an array. */
  query: Record<string, string | string[]>;
  status: number;
  /** Epoch milliseconds. */
  time: number;
  durationMs?: number;
  /** Lower-cased names. Credential headers hold an AuthScheme, never their value. */
  requestHeaders: Record<string, string>;
  /** Parsed JSON (HAR only), at most maxBodyBytes. */
  requestBody?: unknown;
  responseBody?: unknown;
  clientIp?: string;
  /**
   * Who called, opaque: a salted hash of the identity the credential carried (principal.ts), or
   * for gateway samples a pseudonym of the gateway's principal id (gateway.ts); never the
   * credential. Absent when the request carried none (discovery then uses clientIp).
   */
  principal?: string;
  /**
   * True when the source does not record credentials (a combined log without a user, a JSON log
   * without headers): the request's auth is unknown, which is not the same as none.
   */
  authUnknown?: true;
  /** Names of the credential-named cookies sent (`session`, `sid`), for the security scheme; never their values. */
  credentialCookies?: string[];
  /**
   * Sensitive data classes found in the bodies before they were masked for storage (gateway
   * samples mask personal data, so the classes are kept here instead of being re-detected).
   */
  dataClasses?: { request?: string[]; response?: string[] };
  /**
   * How many requests this record stands for: gateway samples store repeats (same method, target,
   * status, caller and client address, no body kept) within one flush once. 1 when absent.
   */
  count?: number;
  /** With `count`: the repeats' durations in milliseconds (the first 64), this record's included. */
  durations?: number[];
  /** The gateway answered the request itself (refused it): it never reached the API. Gateway samples only. */
  refused?: true;
}

export const REDACTED = '[redacted]';

/** The bounds of every source. */
export interface SourceOptions {
  /** Longer lines are skipped (and counted), without being held in memory. */
  maxLineLength?: number;
  /** Query parameters kept per record. */
  maxQueryParams?: number;
  /** Headers kept per record. */
  maxHeaders?: number;
  /** Characters kept of a header or query value. */
  maxValueLength?: number;
  /** JSON bodies larger than this (in bytes, decoded) are not parsed. */
  maxBodyBytes?: number;
}

export const SOURCE_DEFAULTS: Readonly<Required<SourceOptions>> = Object.freeze({
  // The gateway refuses targets over 8 KiB; a log line adds a referrer, a user agent and timings.
  maxLineLength: 65_536,
  maxQueryParams: 100,
  maxHeaders: 100,
  maxValueLength: 1_024,
  maxBodyBytes: 262_144,
});

/** An HTTP method token as logs carry it (`GET`, `PROPFIND`); anything else is a malformed record. */
export function isMethodToken(m: unknown): m is string {
  return typeof m === 'string' && /^[A-Za-z][A-Za-z0-9_-]{0,19}$/.test(m);
}

/** A final status code: a record without one (0, a 1xx, garbage) tells nothing about the API. */
export function isFinalStatus(s: unknown): s is number {
  return typeof s === 'number' && Number.isInteger(s) && s >= 100 && s <= 599;
}
