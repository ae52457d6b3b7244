#!/usr/bin/env node
// `node bench/detection/java.mjs [--verbose]` (after `npx tsc -p tsconfig.build.json`): how the Java
// detector (src/detect/java) does on the OWASP CRS REQUEST-944 regression cases (those that expect a
// rule to fire), alone and together with the JNDI detector (the gateway runs both), per rule id and
// by the rule's paranoia level; false alarms on the benign openappsec requests (query names and
// values, form fields, JSON member names and string leaves, header values); and time per call.
// Values go through the gateway's decoding (decodeVariants) first: a value counts as flagged when
// any of its readings is. "at PL" counts a finding only when its paranoia level is ≤ the rule's.
// The corpus is for measuring only: nothing from it is compiled into the detector.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { nsPerCall, parseRaw, pct, queryValues, show, urlDecode } from './corpus.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus';
const DIR944 = path.join(CORPUS, 'attacks', 'crs-regression-tests', 'tests', 'REQUEST-944-APPLICATION-ATTACK-JAVA');
const LEGIT = path.join(CORPUS, 'benign', 'openappsec-legit-train');
const VERBOSE = process.argv.includes('--verbose');

const dist = (p) => import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'detect', p)).href);
const { java } = await dist('java/index.js');
const { jndi } = await dist('jndi/index.js');
const { decodeVariants } = await dist('decode.js');
// XML bodies: the gateway hands detectors the text, attribute values and names (src/controls/shared/inputs.ts).
const { xmlValues } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'gateway', 'parse', 'xml-values.js')).href);
const xmlParts = (text) => { try { return xmlValues(text).map((x) => x.value); } catch { return []; } };

/** The paranoia level of each CRS 944 rule (CRS v4). */
const RULE_PL = { 944100: 1, 944110: 1, 944120: 1, 944130: 1, 944140: 1, 944150: 1, 944151: 2, 944152: 4, 944200: 2, 944210: 2, 944240: 2, 944250: 2, 944260: 2, 944300: 3 };

function jsonParts(v, out) {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) jsonParts(x, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); jsonParts(x, out); }
  return out;
}

function multipartValues(body, boundary) {
  const out = [];
  for (const part of body.split(`--${boundary}`)) {
    const sep = part.indexOf('\r\n\r\n') >= 0 ? part.indexOf('\r\n\r\n') : part.indexOf('\n\n');
    if (sep < 0) continue;
    const head = part.slice(0, sep);
    for (const m of head.matchAll(/\b(?:name|filename)="([^"]*)"/g)) out.push(m[1]);
    const content = part.slice(sep).replace(/^\r?\n\r?\n/, '').replace(/\r?\n$/, '');
    out.push(content);
    if (/content-type:[^\r\n]*xml/i.test(head)) out.push(...xmlParts(content));
    if (/content-type:\s*application\/json/i.test(head)) {
      try { jsonParts(JSON.parse(content), out); } catch { /* not JSON */ }
    }
  }
  return out;
}

function bodyValues(data, contentType = '') {
  const body = typeof data === 'string' ? data : JSON.stringify(data);
  const boundary = /multipart\/form-data;.*boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
  if (boundary) return { json: false, values: multipartValues(body, boundary) };
  if (/xml/i.test(contentType)) return { json: false, values: xmlParts(body) };
  try {
    return { json: true, values: jsonParts(JSON.parse(body), []) };
  } catch {
    return { json: false, values: queryValues(body, true) };
  }
}

/** CRS 944 cases expecting a rule to fire, as the values the gateway hands a detector. */
function crsCases() {
  const cases = [];
  for (const f of fs.readdirSync(DIR944).filter((n) => n.endsWith('.yaml')).sort()) {
    const doc = YAML.parse(fs.readFileSync(path.join(DIR944, f), 'utf8'));
    for (const t of doc.tests ?? []) {
      for (const st of t.stages ?? []) {
        const expect = st.output?.log?.expect_ids ?? st.output?.expect_ids;
        if (!expect || expect.length === 0) continue;
        const inp = st.input?.encoded_request ? parseRaw(st.input.encoded_request) : (st.input ?? {});
        const values = [];
        const uri = String(inp.uri ?? '');
        const q = uri.indexOf('?');
        if (q >= 0) values.push(...queryValues(uri.slice(q + 1), true), urlDecode(uri.slice(q + 1)));
        values.push(urlDecode(q >= 0 ? uri.slice(0, q) : uri));
        const ct = String(Object.entries(inp.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '');
        if (inp.data !== undefined && inp.data !== '') {
          const body = typeof inp.data === 'string' ? inp.data : JSON.stringify(inp.data);
          values.push(body, ...bodyValues(inp.data, ct).values, ...queryValues(body, true));
        }
        for (const [k, v] of Object.entries(inp.headers ?? {})) {
          const name = k.toLowerCase();
          if (name === 'cookie') values.push(...String(v).split(/;\s*/).flatMap((c) => [urlDecode(c.slice(c.indexOf('=') + 1)), urlDecode(c.slice(0, Math.max(0, c.indexOf('=')))), urlDecode(c)]));
          else if (!['host', 'accept', 'content-type', 'content-length', 'connection', 'accept-encoding'].includes(name)) values.push(urlDecode(String(v)));
        }
        cases.push({ rule: doc.rule_id, id: `${doc.rule_id}-${t.test_id}`, values: values.filter((v) => v !== '') });
      }
    }
  }
  return cases;
}

/** Benign openappsec values: query and form names/values, JSON member names and string leaves, header values. */
function legitValues() {
  const all = [];
  const json = [];
  const headers = [];
  for (const f of fs.readdirSync(LEGIT).filter((n) => n.endsWith('.json')).sort()) {
    for (const r of JSON.parse(fs.readFileSync(path.join(LEGIT, f), 'utf8'))) {
      const q = r.url.indexOf('?');
      if (q >= 0) all.push(...queryValues(r.url.slice(q + 1), true));
      for (const [, v] of Object.entries(r.headers ?? {})) if (v !== '<redacted>') headers.push(String(v));
      if (r.data === undefined || r.data === null || r.data === '') continue;
      const ct = String(Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '');
      const { values } = bodyValues(r.data, ct);
      all.push(...values);
      if (ct.includes('json')) json.push(...values);
    }
  }
  const ne = (a) => a.filter((v) => v !== '');
  return { all: ne(all), json: ne(json), headers: ne(headers) };
}

/** The first detection over a value's decoded readings, by one detector or the first of several. */
function flag(dets, v) {
  for (const x of decodeVariants(v)) {
    for (const det of dets) {
      const d = det.detect(x);
      if (d) return d;
    }
  }
  return undefined;
}
/** Best paranoia level at which any reading of any value is flagged (Infinity: none). */
function caseLevel(dets, values) {
  let best = Infinity;
  for (const v of values) {
    for (const x of decodeVariants(v)) {
      for (const det of dets) {
        const d = det.detect(x);
        if (d) best = Math.min(best, d.paranoia ?? 1);
      }
    }
  }
  return best;
}


const cases = crsCases();
const combos = [['java', [java]], ['jndi', [jndi]], ['jndi+java', [jndi, java]]];
const byRule = new Map();
for (const c of cases) {
  if (!byRule.has(c.rule)) byRule.set(c.rule, []);
  byRule.get(c.rule).push(c);
  c.level = Object.fromEntries(combos.map(([name, dets]) => [name, caseLevel(dets, c.values)]));
  if (VERBOSE && c.level['jndi+java'] > RULE_PL[c.rule]) console.error(`MISS@PL${RULE_PL[c.rule]} ${c.id} (best ${c.level['jndi+java']}): ${c.values.map(show).join(' | ')}`);
}

const cell = (list, name, pl) => {
  const at = list.filter((c) => c.level[name] <= pl).length;
  const any = list.filter((c) => c.level[name] !== Infinity).length;
  return `${at} (${pct(at, list.length)}) / ${any} (${pct(any, list.length)})`;
};
console.log('CRS REQUEST-944 cases expecting a rule to fire. Each cell: detected at the rule\'s paranoia level / detected at any level.\n');
console.log('| rule | PL | cases | java | jndi | jndi+java |');
console.log('| --- | ---: | ---: | --- | --- | --- |');
for (const [rule, list] of [...byRule.entries()].sort((a, b) => a[0] - b[0])) {
  const pl = RULE_PL[rule] ?? 1;
  console.log(`| ${rule} | ${pl} | ${list.length} | ${combos.map(([n]) => cell(list, n, pl)).join(' | ')} |`);
}
for (const pl of [1, 2, 3, 4]) {
  const list = cases.filter((c) => (RULE_PL[c.rule] ?? 1) === pl);
  if (list.length) console.log(`| **all PL${pl} rules** | ${pl} | ${list.length} | ${combos.map(([n]) => cell(list, n, pl)).join(' | ')} |`);
}
console.log(`| **all** | – | ${cases.length} | ${combos.map(([n]) => { const at = cases.filter((c) => c.level[n] <= (RULE_PL[c.rule] ?? 1)).length; const any = cases.filter((c) => c.level[n] !== Infinity).length; return `${at} (${pct(at, cases.length)}) / ${any} (${pct(any, cases.length)})`; }).join(' | ')} |`);

const legit = legitValues();
console.log('\nFalse alarms of the java detector on benign openappsec legit-train values (PL1 / any level):\n');
console.log('| source | values | flagged at PL1 | flagged at any level |');
console.log('| --- | ---: | ---: | ---: |');
const reasons = new Map();
for (const [label, vals] of [['query/form/JSON names and values', legit.all], ['JSON-body names and values only', legit.json], ['header values (not <redacted>)', legit.headers]]) {
  let pl1 = 0;
  let any = 0;
  for (const v of vals) {
    const d = flag([java], v);
    if (!d) continue;
    any++;
    if ((d.paranoia ?? 1) === 1) pl1++;
    const key = `${d.reason}@PL${d.paranoia ?? 1}`;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
    if (VERBOSE) console.error(`FP ${label}: ${d.reason} PL${d.paranoia ?? 1} ${show(d.fragment)} in ${show(v)}`);
  }
  console.log(`| ${label} | ${vals.length} | ${pl1} (${pct(pl1, vals.length)}) | ${any} (${pct(any, vals.length)}) |`);
}
if (reasons.size) console.log(`\nFalse alarms by reason: ${[...reasons.entries()].map(([k, n]) => `${k} ${n}`).join(', ')}`);

const sample = [...legit.all, ...legit.headers].filter((v) => v.length <= 4096);
const short = sample.filter((v) => v.length <= 64);
const attacks = cases.flatMap((c) => c.values).filter((v) => v.length <= 4096);
console.log(`\n| detector | mean ns/call, benign values ≤ 4 KB (${sample.length}) | mean ns/call, benign values ≤ 64 chars (${short.length}) | mean ns/call, CRS 944 values (${attacks.length}) |`);
console.log('| --- | ---: | ---: | ---: |');
for (const det of [java, jndi]) console.log(`| ${det.id} | ${nsPerCall(det, sample).toFixed(0)} | ${nsPerCall(det, short).toFixed(0)} | ${nsPerCall(det, attacks).toFixed(0)} |`);
