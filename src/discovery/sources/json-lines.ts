import { baseRecord } from './base-record.js';
import { isIP } from 'node:net';
import { lineSource, type LineInput, type TrafficSource } from './lines.js';
import { splitTarget } from './query.js';
import { isFinalStatus, isMethodToken, SOURCE_DEFAULTS, type SourceOptions, type TrafficRecord } from './record.js';

/**
 * JSON-lines logs: one object per line (pino-http, Caddy, Envoy JSON access logs, most log
 * shippers). Each field is found by name; a name may be a dotted path into nested objects
 * (`req.method`), and a list of names is tried in order, so the defaults read the common shapes.
 */
export interface JsonLinesFields {
  method: string | readonly string[];
  /** A path, possibly with a query (`/a?b=1`). */
  path: string | readonly string[];
  /** An absolute URL or a target; read when no path field is present. */
  url: string | readonly string[];
  status: string | readonly string[];
  /** Epoch milliseconds or seconds (numbers below 1e11 are seconds), or a date string. */
  time: string | readonly string[];
  duration: string | readonly string[];
  clientIp: string | readonly string[];
  /** An object of request headers. */
  headers: string | readonly string[];
}

export const JSON_LINES_FIELDS: Readonly<JsonLinesFields> = Object.freeze({
  method: ['method', 'request.method', 'req.method', 'http.method', 'http_method'],
  path: ['path', 'request.path', 'req.path', 'uri', 'request.uri', 'http.path'],
  url: ['url', 'request.url', 'req.url', 'http.url'],
  status: ['status', 'statusCode', 'status_code', 'response.status', 'res.statusCode', 'http.status_code'],
  time: ['time', 'timestamp', '@timestamp', 'ts'],
  duration: ['duration', 'duration_ms', 'durationMs', 'responseTime', 'response_time', 'latency', 'elapsed'],
  clientIp: ['clientIp', 'client_ip', 'remote_addr', 'remoteAddress', 'ip', 'request.remote_ip', 'req.remoteAddress'],
  headers: ['headers', 'request.headers', 'req.headers'],
});

export interface JsonLinesOptions extends SourceOptions {
  fields?: Partial<JsonLinesFields>;
  /** The unit of the duration field (Caddy logs seconds; pino-http's responseTime is milliseconds). */
  durationUnit?: 'seconds' | 'milliseconds' | 'microseconds';
}

const UNIT_MS = { seconds: 1000, milliseconds: 1, microseconds: 0.001 } as const;
const MAX_PATH_DEPTH = 8;

function lookup(obj: Record<string, unknown>, names: string | readonly string[]): unknown {
  for (const name of typeof names === 'string' ? [names] : names) {
    if (Object.hasOwn(obj, name)) return obj[name]; // a literal dotted key wins over a path
    if (!name.includes('.')) continue;
    let cur: unknown = obj;
    const steps = name.split('.', MAX_PATH_DEPTH);
    for (const step of steps) {
      if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, step)) { cur = undefined; break; }
      cur = (cur as Record<string, unknown>)[step];
    }
    if (cur !== undefined) return cur;
  }
  return undefined;
}

function number(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d{1,15}(?:\.\d{1,9})?$/.test(v)) return Number(v);
  return undefined;
}

function parseTime(v: unknown): number | undefined {
  const n = number(v);
  if (n !== undefined) return n < 1e11 ? Math.round(n * 1000) : n;
  if (typeof v === 'string' && v.length <= 64) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function headerEntries(v: unknown): Array<[string, string]> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
  const out: Array<[string, string]> = [];
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (typeof val === 'string' || typeof val === 'number') out.push([k, String(val)]);
    else if (Array.isArray(val)) for (const x of val) if (typeof x === 'string') out.push([k, x]);
  }
  return out;
}

export function parseJsonLine(line: string, options: JsonLinesOptions = {}): TrafficRecord | string {
  const o = { ...SOURCE_DEFAULTS, ...options };
  const f = { ...JSON_LINES_FIELDS, ...options.fields };
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return 'json';
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return 'not-an-object';
  const rec = obj as Record<string, unknown>;
  const method = lookup(rec, f.method);
  if (!isMethodToken(method)) return 'method';
  let target = lookup(rec, f.path);
  if (typeof target !== 'string') target = lookup(rec, f.url);
  const split = typeof target === 'string' ? splitTarget(target) : undefined;
  if (!split) return 'path';
  const status = number(lookup(rec, f.status));
  if (!isFinalStatus(status)) return 'status';
  const time = parseTime(lookup(rec, f.time));
  if (time === undefined) return 'time';
  const headers = lookup(rec, f.headers);
  const record = baseRecord(method, split, status, time, headerEntries(headers), o);
  // Without a headers object the line does not say which credentials came.
  if (headers === null || typeof headers !== 'object') record.authUnknown = true;
  const d = number(lookup(rec, f.duration));
  if (d !== undefined && d >= 0) record.durationMs = d * UNIT_MS[options.durationUnit ?? 'milliseconds'];
  const ip = lookup(rec, f.clientIp);
  if (typeof ip === 'string' && isIP(ip)) record.clientIp = ip;
  return record;
}

/** Reads a JSON-lines log as it streams; bad lines are counted in `stats`, never thrown. */
export function readJsonLines(input: LineInput, options: JsonLinesOptions = {}): TrafficSource {
  return lineSource(input, (line) => parseJsonLine(line, options), options.maxLineLength);
}
