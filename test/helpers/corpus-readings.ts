/**
 * Every reading the gateway's detectors would be shown for the shared corpus (`/work/shared/corpus`,
 * or $CORPUS): attack lines and CRS regression requests, benign openappsec requests (path
 * segments, query names and values, header values, JSON leaves and member names, form fields),
 * each value through decodeVariants, de-duplicated. For differential tests of the detectors'
 * pre-checks: the corpus is only read here, never compiled into anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { decodeVariants } from '../../src/detect/decode.js';

export const CORPUS_DIR = process.env.CORPUS ?? '/work/shared/corpus';
export const corpusPresent = (): boolean => fs.existsSync(path.join(CORPUS_DIR, 'attacks')) && fs.existsSync(path.join(CORPUS_DIR, 'benign'));

function urlDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

function files(dir: string, test: (name: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p, test));
    else if (test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Query-string names and values (`+` as a space), URL-decoded. */
function queryParts(qs: string, out: string[]): void {
  for (const part of qs.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const dec = (x: string): string => urlDecode(x.replace(/\+/g, ' '));
    out.push(dec(eq < 0 ? part : part.slice(eq + 1)));
    if (eq > 0) out.push(dec(part.slice(0, eq)));
  }
}

/** A request target's path segments and query parts. */
function targetParts(uri: string, out: string[]): void {
  const q = uri.indexOf('?');
  for (const seg of (q < 0 ? uri : uri.slice(0, q)).split('/')) if (seg !== '') out.push(urlDecode(seg));
  if (q >= 0) queryParts(uri.slice(q + 1), out);
}

/** String leaves and member names of a JSON value. */
function jsonParts(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) jsonParts(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      jsonParts(x, out);
    }
  }
}

/** A body as text: the whole of it, then its JSON parts or form fields. */
function bodyParts(data: string, out: string[]): void {
  out.push(data);
  try {
    jsonParts(JSON.parse(data), out);
  } catch {
    queryParts(data, out);
  }
}

function lines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

/** The raw values, before decoding, by source. */
export function corpusValues(): { attacks: string[]; benign: string[] } {
  const attacks: string[] = [];
  const benign: string[] = [];
  const A = path.join(CORPUS_DIR, 'attacks');
  for (const f of files(path.join(A, 'libinjection'), (n) => n.endsWith('.txt'))) {
    const target = path.basename(f) === 'false_positives.txt' ? benign : attacks;
    for (const l of lines(f)) target.push(urlDecode(l.replace(/\+/g, ' ')), l);
  }
  for (const f of files(path.join(A, 'payloadbox-sqli'), (n) => n.endsWith('.txt'))) for (const l of lines(f)) attacks.push(l.trim());
  for (const f of files(path.join(A, 'patt-nosql-redirect'), (n) => n.endsWith('.txt'))) for (const l of lines(f)) attacks.push(l.trim(), urlDecode(l.trim()));
  for (const f of files(path.join(A, 'crs-regression-tests', 'tests'), (n) => n.endsWith('.yaml'))) {
    const doc = YAML.parse(fs.readFileSync(f, 'utf8')) as { tests?: { stages?: { input?: Record<string, unknown> }[] }[] } | null;
    for (const test of doc?.tests ?? []) {
      for (const stage of test.stages ?? []) {
        const input = stage.input ?? {};
        if (typeof input.uri === 'string') targetParts(input.uri, attacks);
        if (typeof input.data === 'string') bodyParts(input.data, attacks);
        for (const v of Object.values((input.headers ?? {}) as Record<string, unknown>)) if (typeof v === 'string') attacks.push(v);
        if (typeof input.encoded_request === 'string') {
          const raw = Buffer.from(input.encoded_request, 'base64').toString('latin1');
          const sep = raw.indexOf('\r\n\r\n');
          const head = (sep < 0 ? raw : raw.slice(0, sep)).split('\r\n');
          targetParts(head[0]?.split(' ')[1] ?? '', attacks);
          for (const h of head.slice(1)) attacks.push(h.slice(h.indexOf(':') + 1).trim());
          if (sep >= 0) bodyParts(raw.slice(sep + 4), attacks);
        }
      }
    }
  }
  for (const f of files(path.join(CORPUS_DIR, 'benign', 'openappsec-legit-train'), (n) => n.endsWith('.json'))) {
    const recs = JSON.parse(fs.readFileSync(f, 'utf8')) as { url?: string; headers?: Record<string, unknown>; data?: unknown }[];
    for (const r of recs) {
      if (typeof r.url === 'string') targetParts(r.url, benign);
      for (const v of Object.values(r.headers ?? {})) if (typeof v === 'string' && v !== '<redacted>') benign.push(v);
      if (typeof r.data === 'string' && r.data !== '') bodyParts(r.data, benign);
    }
  }
  return { attacks, benign };
}

/**
 * Every distinct decoded reading of the corpus values, as the detectors see them: every attack
 * reading, then benign ones up to `maxChars` characters in all (the whole corpus is ~32 M
 * characters, two thirds of it benign bodies over 1 KB), picked in a seeded order so that a
 * capped run still samples every kind of value.
 */
export function corpusReadings(maxChars = Infinity, values = corpusValues()): string[] {
  const { attacks, benign } = values;
  const readings = (values: string[]): string[] => {
    const set = new Set<string>();
    for (const v of values) if (v !== '') for (const r of decodeVariants(v)) set.add(r);
    return [...set];
  };
  const out = readings(attacks);
  let chars = out.reduce((n, r) => n + r.length, 0);
  const seen = new Set(out);
  const rest = readings(benign).filter((r) => !seen.has(r));
  if (chars + rest.reduce((n, r) => n + r.length, 0) > maxChars) {
    // A fixed shuffle (a 32-bit hash of each reading): the same sample every run, spread over all sources.
    const hash = (r: string): number => {
      let h = 2166136261;
      for (let i = 0; i < r.length; i += 7) h = Math.imul(h ^ r.charCodeAt(i), 16777619);
      return (h ^ r.length) >>> 0;
    };
    rest.sort((a, b) => hash(a) - hash(b));
  }
  for (const r of rest) {
    if (chars + r.length > maxChars) continue;
    out.push(r);
    chars += r.length;
  }
  return out;
}
