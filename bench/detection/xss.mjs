#!/usr/bin/env node
// `node bench/detection/xss.mjs` (after `npm run build`): how the XSS detector (src/detect/xss)
// does on the public corpus in /work/shared/corpus (or $CORPUS): detection rate per attack source,
// false-alarm rate on benign values, per-call latency. Prints a Markdown table. Plain ESM JavaScript.
// The corpus is for measuring only: nothing from it is compiled into the detector.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus';
const LIBINJ = path.join(CORPUS, 'attacks', 'libinjection');
const CRS = path.join(CORPUS, 'attacks', 'crs-regression-tests', 'tests', 'REQUEST-941-APPLICATION-ATTACK-XSS');
const LEGIT = path.join(CORPUS, 'benign', 'openappsec-legit-train');
const VERBOSE = process.argv.includes('--verbose'); // print misses and false alarms

const { xss } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'detect', 'xss', 'index.js')).href);

/** URL decoding as the gateway does it; upstream lines are not always valid UTF-8 percent-encoding. */
function urlDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** Non-comment, non-empty lines of a libinjection data file, URL-decoded. */
function lines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map(urlDecode);
}

/** The values of a query string (`a=1&b=2`), each URL-decoded; a bare token counts as a value. With `names`, names too. */
function queryValues(qs, names = false) {
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

function jsonLeaves(v, out) {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) jsonLeaves(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) jsonLeaves(x, out);
  return out;
}

/** Values of a request body: JSON string leaves when it parses as JSON, else form fields. */
function bodyValues(data) {
  const body = typeof data === 'string' ? data : JSON.stringify(data);
  try {
    return { json: true, values: jsonLeaves(JSON.parse(body), []) };
  } catch {
    return { json: false, values: queryValues(body) };
  }
}

/** CRS 941 cases that expect a rule to fire: the values an XSS detector would see (query, body, cookies, referer). */
function crsCases() {
  const cases = [];
  for (const f of fs.readdirSync(CRS).filter((n) => n.endsWith('.yaml')).sort()) {
    const doc = YAML.parse(fs.readFileSync(path.join(CRS, f), 'utf8'));
    for (const t of doc.tests ?? []) {
      for (const st of t.stages ?? []) {
        const ids = st.output?.log?.expect_ids ?? st.output?.expect_ids;
        if (!ids || ids.length === 0) continue;
        const inp = st.input ?? {};
        const values = [];
        const uri = String(inp.uri ?? '');
        const q = uri.indexOf('?');
        // CRS also inspects argument names, and XML/text bodies whole: so does this extraction (attack side only).
        if (q >= 0) values.push(...queryValues(uri.slice(q + 1), true));
        values.push(urlDecode(q >= 0 ? uri.slice(0, q) : uri)); // some cases put the payload in the path
        if (inp.data !== undefined) {
          const body = typeof inp.data === 'string' ? inp.data : JSON.stringify(inp.data);
          values.push(body, ...bodyValues(inp.data).values, ...queryValues(body, true));
        }
        for (const [k, v] of Object.entries(inp.headers ?? {})) {
          const name = k.toLowerCase();
          if (name === 'cookie') values.push(...String(v).split(/;\s*/).map((c) => urlDecode(c.slice(c.indexOf('=') + 1))));
          else if (!['host', 'accept', 'content-type', 'content-length', 'connection', 'accept-encoding'].includes(name)) values.push(urlDecode(String(v)));
        }
        cases.push({ id: `${doc.rule_id}-${t.test_id}`, values });
      }
    }
  }
  return cases;
}

/** Benign openappsec values: query values of `url` and body values, JSON-body ones marked. */
function legitValues() {
  const all = [];
  const json = [];
  for (const f of fs.readdirSync(LEGIT).filter((n) => n.endsWith('.json')).sort()) {
    for (const r of JSON.parse(fs.readFileSync(path.join(LEGIT, f), 'utf8'))) {
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

const pct = (n, d) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(n > 0 && (100 * n) / d < 0.1 ? 4 : 2)}%`);
const show = (s) => JSON.stringify(s.length > 160 ? `${s.slice(0, 160)}…` : s);

function attackRow(name, values) {
  const missed = values.filter((v) => !xss.detect(v));
  if (VERBOSE) for (const m of missed) console.error(`MISS ${name}: ${show(m)}`);
  return `| ${name} | attacks | ${values.length} | ${values.length - missed.length} | **${pct(values.length - missed.length, values.length)}** detected |`;
}

function benignRow(name, values) {
  const hits = values.filter((v) => xss.detect(v));
  if (VERBOSE) for (const h of hits) console.error(`FP ${name}: ${xss.detect(h).reason} ${show(xss.detect(h).fragment)}`);
  return `| ${name} | benign | ${values.length} | ${hits.length} | **${pct(hits.length, values.length)}** false alarms |`;
}

function latency(values) {
  const sample = values.filter((v) => v.length <= 1024);
  for (const v of sample) xss.detect(v); // warm-up
  const times = [];
  for (let round = 0; round < 3; round++) {
    for (const v of sample) {
      const t0 = process.hrtime.bigint();
      xss.detect(v);
      times.push(Number(process.hrtime.bigint() - t0));
    }
  }
  times.sort((a, b) => a - b);
  const q = (p) => (times[Math.min(times.length - 1, Math.floor(p * times.length))] / 1000).toFixed(2);
  return `p50 ${q(0.5)} µs, p99 ${q(0.99)} µs over ${times.length} calls (${sample.length} values ≤ 1 KB, attacks and benign)`;
}

const rows = [];
const attackValues = [];
let libTotal = 0;
let libHit = 0;
for (const f of fs.readdirSync(LIBINJ).filter((n) => /^xss-.*\.txt$/.test(n)).sort()) {
  const vals = lines(path.join(LIBINJ, f));
  attackValues.push(...vals);
  libTotal += vals.length;
  libHit += vals.filter((v) => xss.detect(v)).length;
  rows.push(attackRow(`libinjection/${f}`, vals));
}
rows.push(`| **libinjection xss-*.txt, all** | attacks | ${libTotal} | ${libHit} | **${pct(libHit, libTotal)}** detected |`);
const crs = crsCases();
const crsMissed = crs.filter((c) => !c.values.some((v) => xss.detect(v)));
if (VERBOSE) for (const c of crsMissed) console.error(`MISS crs ${c.id}: ${c.values.map(show).join(' | ')}`);
rows.push(`| CRS 941 regression cases (expect a rule to fire; any value flagged) | attacks | ${crs.length} | ${crs.length - crsMissed.length} | **${pct(crs.length - crsMissed.length, crs.length)}** detected |`);
const fps = lines(path.join(LIBINJ, 'false_positives.txt'));
rows.push(benignRow('libinjection/false_positives.txt', fps));
const legit = legitValues();
rows.push(benignRow('openappsec legit-train, all query + body values', legit.all));
rows.push(benignRow('openappsec legit-train, JSON-body values only', legit.json));

console.log('| source | kind | values | flagged | rate |');
console.log('| --- | --- | ---: | ---: | --- |');
for (const r of rows) console.log(r);
console.log(`\nLatency per call: ${latency([...attackValues, ...fps, ...legit.all])}`);
