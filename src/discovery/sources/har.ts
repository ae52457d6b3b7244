import { baseRecord } from './base-record.js';
import { splitTarget } from './query.js';
import { redactJson } from './redact.js';
import { isFinalStatus, isMethodToken, SOURCE_DEFAULTS, type SourceOptions, type TrafficRecord } from './record.js';

/**
 * HAR 1.2 files (browser dev tools, proxies such as mitmproxy and Charles export them). A HAR is
 * one JSON document, so it is parsed whole; `maxHarBytes` bounds what that costs, and entries are
 * read up to `maxEntries`. Bodies are kept only when JSON (`application/json`, `…+json`), at most
 * `maxBodyBytes` once decoded, and with credential-named members redacted; binary, text and
 * form bodies are counted, not kept.
 */
export interface HarOptions extends SourceOptions {
  maxHarBytes?: number;
  maxEntries?: number;
}

export const HAR_DEFAULTS = { maxHarBytes: 256 * 1024 * 1024, maxEntries: 100_000 } as const;

export interface HarStats {
  entries: number;
  records: number;
  /** Entries not read as a record, by reason (`request`, `url`, `status`, `time`, `over-limit`). */
  skipped: Record<string, number>;
  bodies: { json: number; notJson: number; tooLarge: number; invalid: number };
}

export interface HarResult {
  records: TrafficRecord[];
  stats: HarStats;
  /** Set when the input is not a HAR at all (or too large); records is then empty. */
  error?: 'too-large' | 'json' | 'not-har';
}

const JSON_MIME = /^application\/(?:[A-Za-z0-9.!#$&^_-]+\+)?json(?:\s*;|$)/i;

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function nameValues(v: unknown): Array<[string, string]> {
  if (!Array.isArray(v)) return [];
  const out: Array<[string, string]> = [];
  for (const h of v) {
    const o = obj(h);
    if (o && typeof o['name'] === 'string' && typeof o['value'] === 'string') out.push([o['name'], o['value']]);
  }
  return out;
}

function jsonBody(text: unknown, mimeType: unknown, encoding: unknown, max: number, stats: HarStats): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  if (typeof mimeType !== 'string' || !JSON_MIME.test(mimeType.trim())) { stats.bodies.notJson++; return undefined; }
  let raw = text;
  if (encoding === 'base64') {
    // Checked before decoding: base64 is 4 characters for 3 bytes.
    if (text.length > Math.ceil(max / 3) * 4) { stats.bodies.tooLarge++; return undefined; }
    raw = Buffer.from(text, 'base64').toString('utf8');
  }
  if (Buffer.byteLength(raw, 'utf8') > max) { stats.bodies.tooLarge++; return undefined; }
  try {
    const v: unknown = JSON.parse(raw);
    stats.bodies.json++;
    return redactJson(v);
  } catch {
    stats.bodies.invalid++;
    return undefined;
  }
}

function skip(stats: HarStats, reason: string): void {
  stats.skipped[reason] = (stats.skipped[reason] ?? 0) + 1;
}

/** Reads a HAR (its text, or the parsed document). Bad entries are counted in `stats`, never thrown. */
export function parseHar(input: string | unknown, options: HarOptions = {}): HarResult {
  const o = { ...SOURCE_DEFAULTS, ...HAR_DEFAULTS, ...options };
  const stats: HarStats = { entries: 0, records: 0, skipped: {}, bodies: { json: 0, notJson: 0, tooLarge: 0, invalid: 0 } };
  let doc: unknown = input;
  if (typeof input === 'string') {
    if (input.length > o.maxHarBytes) return { records: [], stats, error: 'too-large' };
    try {
      doc = JSON.parse(input);
    } catch {
      return { records: [], stats, error: 'json' };
    }
  }
  const entries = obj(obj(doc)?.['log'])?.['entries'];
  if (!Array.isArray(entries)) return { records: [], stats, error: 'not-har' };

  const records: TrafficRecord[] = [];
  for (const e of entries) {
    stats.entries++;
    if (records.length >= o.maxEntries) { skip(stats, 'over-limit'); continue; }
    const entry = obj(e);
    const req = obj(entry?.['request']);
    const res = obj(entry?.['response']);
    if (!entry || !req || !res) { skip(stats, 'request'); continue; }
    const method = req['method'];
    if (!isMethodToken(method)) { skip(stats, 'request'); continue; }
    const split = typeof req['url'] === 'string' ? splitTarget(req['url']) : undefined;
    if (!split) { skip(stats, 'url'); continue; }
    const status = res['status'];
    // Status 0: the request never got a response (blocked, aborted); nothing to learn about the API.
    if (!isFinalStatus(status)) { skip(stats, 'status'); continue; }
    const time = typeof entry['startedDateTime'] === 'string' ? Date.parse(entry['startedDateTime']) : NaN;
    if (Number.isNaN(time)) { skip(stats, 'time'); continue; }
    const record = baseRecord(method, split, status, time, nameValues(req['headers']), o);
    if (typeof entry['time'] === 'number' && Number.isFinite(entry['time']) && entry['time'] >= 0) record.durationMs = entry['time'];
    const post = obj(req['postData']);
    const requestBody = post ? jsonBody(post['text'], post['mimeType'], undefined, o.maxBodyBytes, stats) : undefined;
    if (requestBody !== undefined) record.requestBody = requestBody;
    const content = obj(res['content']);
    const responseBody = content ? jsonBody(content['text'], content['mimeType'], content['encoding'], o.maxBodyBytes, stats) : undefined;
    if (responseBody !== undefined) record.responseBody = responseBody;
    records.push(record);
    stats.records++;
  }
  return { records, stats };
}
