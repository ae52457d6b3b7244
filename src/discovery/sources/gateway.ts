import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { maskJsonValue, MAX_REPORTED_PATHS, scanJsonValue } from '../../detect/data-classes/index.js';
import { authScheme, isCredentialName, redactJson } from './redact.js';
import { REDACTED, SOURCE_DEFAULTS, type SourceOptions, type TrafficRecord } from './record.js';

/**
 * What the gateway hands over at the end of a request: references to what it already holds, so
 * the hot path copies nothing. Everything is reduced, redacted and bounded later, in
 * `gatewayRecord`, off the request's path.
 */
export interface GatewayObservation {
  method: string;
  /** The canonical path the gateway decided on. */
  path: string;
  query: ReadonlyMap<string, readonly string[]> | undefined;
  /** The canonical query string the gateway forwarded (null: none): what makes two requests repeats. */
  rawQuery: string | null;
  headers: IncomingHttpHeaders;
  status: number;
  /** Epoch milliseconds the request arrived. */
  time: number;
  durationMs: number;
  clientIp: string;
  /** The authenticated principal's id; undefined for anonymous callers. */
  principalId: string | undefined;
  /** The gateway refused the request (its answer, not the API's). */
  refused: boolean;
  /** Parsed JSON bodies, only for requests picked for body sampling. */
  requestBody?: unknown;
  responseBody?: unknown;
}

export interface GatewaySourceOptions extends SourceOptions {
  /** Serialized size a stored body may have, after masking; larger bodies are left out. */
  maxStoredBodyBytes?: number;
  /** JSON values a body may have to be scanned and stored (a body with more is left out). */
  maxBodyNodes?: number;
}

export type GatewayBounds = Readonly<Required<GatewaySourceOptions>>;

export const GATEWAY_SOURCE_DEFAULTS: GatewayBounds = Object.freeze({ ...SOURCE_DEFAULTS, maxStoredBodyBytes: 16_384, maxBodyNodes: 5_000 });

/** The bounds with the defaults filled in: resolved once by a sampler, not per record. */
export function gatewayBounds(opts: GatewaySourceOptions = {}): GatewayBounds {
  const b = { ...GATEWAY_SOURCE_DEFAULTS };
  for (const k of Object.keys(b) as (keyof GatewaySourceOptions)[]) if (opts[k] !== undefined) b[k] = opts[k];
  return Object.freeze(b);
}

/**
 * One gateway observation as a TrafficRecord, in the shape the offline sources give: credentials
 * reduced to their scheme or REDACTED, the principal pseudonymised, and bodies stored only once
 * masked of personal data (their classes kept in `dataClasses`). A body that could not be
 * scanned whole, or is too large once masked, is left out rather than stored half-checked.
 */
export function gatewayRecord(o: GatewayObservation, b: GatewayBounds = GATEWAY_SOURCE_DEFAULTS): TrafficRecord {
  const record: TrafficRecord = {
    method: o.method,
    path: o.path,
    query: reduceQuery(o.query, b.maxQueryParams, b.maxValueLength),
    status: o.status,
    time: o.time,
    durationMs: Math.round(o.durationMs * 1000) / 1000,
    requestHeaders: reduceNodeHeaders(o.headers, b.maxHeaders, b.maxValueLength),
    clientIp: o.clientIp,
  };
  if (o.principalId !== undefined) record.principal = pseudonym(o.principalId);
  if (o.refused) record.refused = true;
  const inRequest = new Set<string>();
  const inResponse = new Set<string>();
  const request = o.requestBody === undefined ? undefined : storableBody(o.requestBody, b.maxBodyNodes, b.maxStoredBodyBytes, inRequest);
  const response = o.responseBody === undefined ? undefined : storableBody(o.responseBody, b.maxBodyNodes, b.maxStoredBodyBytes, inResponse);
  if (request !== undefined) record.requestBody = request;
  if (response !== undefined) record.responseBody = response;
  if (inRequest.size > 0 || inResponse.size > 0) {
    record.dataClasses = {};
    if (inRequest.size > 0) record.dataClasses.request = [...inRequest].sort();
    if (inResponse.size > 0) record.dataClasses.response = [...inResponse].sort();
  }
  return record;
}

function reduceQuery(query: ReadonlyMap<string, readonly string[]> | undefined, maxParams: number, maxValueLength: number): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!query) return out;
  let n = 0;
  for (const [name, values] of query) {
    if (n++ >= maxParams) break;
    const kept = values.map((v) => (isCredentialName(name) ? REDACTED : v.length > maxValueLength ? v.slice(0, maxValueLength) : v));
    out[name] = kept.length === 1 ? kept[0]! : kept;
  }
  return out;
}

/**
 * As `reduceHeaders` does for the offline sources, on the shape Node already gives: names
 * lower-cased, repeats joined (`Cookie` with `; `, others with `, `). Written apart because it
 * runs for every request the gateway samples, and the generic one re-normalises every name.
 */
function reduceNodeHeaders(headers: IncomingHttpHeaders, maxHeaders: number, maxValueLength: number): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  for (const name in headers) {
    const v = headers[name];
    if (v === undefined || name.charCodeAt(0) === 58 /* ':' HTTP/2 pseudo-headers */) continue;
    if (n++ >= maxHeaders) break;
    const value = typeof v === 'string' ? v : v.join(', ');
    out[name] = isCredentialName(name) ? authScheme(name, value) : value.length > maxValueLength ? value.slice(0, maxValueLength) : value;
  }
  return out;
}

function storableBody(value: unknown, maxNodes: number, maxBytes: number, classes: Set<string>): unknown {
  const masked = maskJsonValue(redactJson(value), { maxNodes });
  if (masked.truncated) return undefined;
  for (const f of masked.masked) classes.add(f.cls);
  // The mask lists only its first findings: past them, the classes come from a full scan.
  if (masked.masked.length >= MAX_REPORTED_PATHS) for (const c of scanJsonValue(value, { maxNodes }).classes) classes.add(c);
  const text = JSON.stringify(masked.value);
  return text !== undefined && Buffer.byteLength(text) <= maxBytes ? masked.value : undefined;
}

/** Principals repeat: their pseudonyms are remembered (cleared whole when the table fills). */
const pseudonyms = new Map<string, string>();
const MAX_PSEUDONYMS = 10_000;

/**
 * A stable pseudonym for a principal id (`sub` of a token, an API key's id): enough to count
 * distinct callers and per-caller rates, without the id itself in the store.
 */
export function pseudonym(principalId: string): string {
  let p = pseudonyms.get(principalId);
  if (p === undefined) {
    if (pseudonyms.size >= MAX_PSEUDONYMS) pseudonyms.clear();
    p = createHash('sha256').update(principalId).digest('base64url').slice(0, 16);
    pseudonyms.set(principalId, p);
  }
  return p;
}
