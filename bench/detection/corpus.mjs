// What every bench/detection script needs to read the public corpus the way the gateway reads a
// request: URL decoding, query strings, JSON leaves and bodies, benign openappsec values, and the
// two formatting helpers of their reports. Plain ESM JavaScript; the corpus is only read here.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** URL decoding as the gateway does it; upstream lines are not always valid UTF-8 percent-encoding. */
export function urlDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** The values of a query string (`a=1&b=2`), each URL-decoded; a bare token counts as a value. With `names`, names too. */
export function queryValues(qs, names = false) {
  const out = [];
  for (const part of qs.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const dec = (x) => urlDecode(x.replace(/\+/g, ' '));
    out.push(dec(eq < 0 ? part : part.slice(eq + 1)));
    if (names && eq > 0) out.push(dec(part.slice(0, eq)));
  }
  return out;
}

/** The string leaves of a parsed JSON value (member names not included). */
export function jsonLeaves(v, out) {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) jsonLeaves(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) jsonLeaves(x, out);
  return out;
}

/** Values of a request body: JSON string leaves when it parses as JSON, else form fields. */
export function bodyValues(data) {
  const body = typeof data === 'string' ? data : JSON.stringify(data);
  try {
    return { json: true, values: jsonLeaves(JSON.parse(body), []) };
  } catch {
    return { json: false, values: queryValues(body) };
  }
}

/** Benign openappsec values in `dir`: query values of `url` and body values, the JSON-body ones also listed apart. */
export function legitValues(dir) {
  const all = [];
  const json = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    for (const r of JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) {
      const q = r.url.indexOf('?');
      if (q >= 0) all.push(...queryValues(r.url.slice(q + 1)));
      if (r.data === undefined || r.data === null || r.data === '') continue;
      const ct = String(Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '');
      const { values } = bodyValues(r.data);
      all.push(...values);
      if (ct.includes('json')) json.push(...values);
    }
  }
  return { all: all.filter((v) => v !== ''), json: json.filter((v) => v !== '') };
}

export const pct = (n, d) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(n > 0 && (100 * n) / d < 0.1 ? 4 : 2)}%`);
export const show = (s) => JSON.stringify(s.length > 160 ? `${s.slice(0, 160)}…` : s);

/** Mean ns per `det.detect()` call over `values` (raw, no decoding): one warm-up pass, then the best of 5 rounds. */
export function nsPerCall(det, values) {
  for (const v of values) det.detect(v);
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (const v of values) det.detect(v);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / values.length);
  }
  return best;
}

/** Every stage of the go-ftw YAML tests in `dir` that expects a rule to fire, as `{ doc, test, input }`, in file order. */
export function* crsStages(dir) {
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const doc = YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    for (const test of doc.tests ?? []) {
      for (const st of test.stages ?? []) {
        const ids = st.output?.log?.expect_ids ?? st.output?.expect_ids;
        if (ids && ids.length > 0) yield { doc, test, input: st.input ?? {} };
      }
    }
  }
}

/** A raw request (go-ftw `encoded_request`, base64) as method, uri, headers and body; read as Latin-1. */
export function parseRaw(b64) {
  const raw = Buffer.from(b64, 'base64').toString('latin1');
  const sep = raw.indexOf('\r\n\r\n');
  const head = (sep < 0 ? raw : raw.slice(0, sep)).split('\r\n');
  const [method, uri] = head[0].split(' ');
  const headers = {};
  for (const line of head.slice(1)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim()] = line.slice(c + 1).trim();
  }
  return { method, uri, headers, data: sep < 0 ? undefined : raw.slice(sep + 4).replace(/\r\n\r\n$/, '') };
}
