#!/usr/bin/env node
// `node bench/detection/misc.mjs [--verbose]` (after `npm run build`): how the SSTI, JNDI,
// prototype-pollution and CRLF detectors (src/detect/{ssti,jndi,proto,crlf}) do: detection rate on
// hand-written seeds (bench/detection/seeds/*.txt) and on the CRS regression cases of the rules that
// concern each detector, false alarms on the benign openappsec requests, and time per call.
// Values go through the gateway's own decoding (decodeVariants) first, as in the pipeline: a value
// counts as flagged when any of its readings is. Plain ESM JavaScript; prints a Markdown table.
// The corpus is for measuring only: nothing from it is compiled into the detectors.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { nsPerCall, pct, queryValues, show, urlDecode } from './corpus.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus';
const CRS = path.join(CORPUS, 'attacks', 'crs-regression-tests', 'tests');
const LEGIT = path.join(CORPUS, 'benign', 'openappsec-legit-train');
const VERBOSE = process.argv.includes('--verbose');

const load = (name) => import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'detect', name, 'index.js')).href);
const { ssti } = await load('ssti');
const { jndi } = await load('jndi');
const { protoPollution } = await load('proto');
const { crlf } = await load('crlf');
const { decodeVariants } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'detect', 'decode.js')).href);

/**
 * Per detector: its seed file and the CRS rule ids whose cases it is measured on. `primary` rules
 * are about what the detector looks for; `related` ones overlap only partly (reported separately).
 */
const DETECTORS = [
  { det: ssti, seeds: 'ssti.txt', primary: { dir: 'REQUEST-934-APPLICATION-ATTACK-GENERIC', ids: [934180, 934200] }, related: { dir: 'REQUEST-934-APPLICATION-ATTACK-GENERIC', ids: [934101] } },
  { det: jndi, seeds: 'jndi.txt', primary: { dir: 'REQUEST-944-APPLICATION-ATTACK-JAVA', ids: [944150, 944151, 944152] } },
  { det: protoPollution, seeds: 'proto.txt', primary: { dir: 'REQUEST-934-APPLICATION-ATTACK-GENERIC', ids: [934130] } },
  { det: crlf, seeds: 'crlf.txt', primary: { dir: 'REQUEST-921-PROTOCOL-ATTACK', ids: [921110, 921120, 921140, 921160] }, related: { dir: 'REQUEST-921-PROTOCOL-ATTACK', ids: [921130, 921150, 921151, 921190] } },
];

/** Seed lines: `#` comments skipped; `\r`, `\n`, `\t`, `\uXXXX` and `\\` unescaped (so CR/LF fit on a line). */
function seedLines(file) {
  return fs.readFileSync(path.join(HERE, 'seeds', file), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/\\(r|n|t|u[0-9a-fA-F]{4}|\\)/g, (_, e) => (e === 'r' ? '\r' : e === 'n' ? '\n' : e === 't' ? '\t' : e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16)))));
}

/** JSON string leaves and member names. */
function jsonParts(v, out) {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) jsonParts(x, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); jsonParts(x, out); }
  return out;
}

/** Multipart form fields as a multipart parser hands them over: each part's name, filename and (text) value. */
function multipartValues(body, boundary) {
  const out = [];
  for (const part of body.split(`--${boundary}`)) {
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const head = part.slice(0, sep);
    for (const m of head.matchAll(/\b(?:name|filename)="([^"]*)"/g)) out.push(m[1]);
    if (/content-type:\s*(?!text\/)/i.test(head)) continue; // file content is not a form field
    out.push(part.slice(sep + 4).replace(/\r\n$/, ''));
  }
  return out;
}

function bodyValues(data, contentType = '') {
  const body = typeof data === 'string' ? data : JSON.stringify(data);
  const boundary = /multipart\/form-data;.*boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
  if (boundary) return { json: false, values: multipartValues(body, boundary) };
  try {
    return { json: true, values: jsonParts(JSON.parse(body), []) };
  } catch {
    return { json: false, values: queryValues(body, true) };
  }
}

/** CRS cases of the given rules that expect a rule to fire, as the values a detector would see (query, path, body, headers, cookies). */
function crsCases({ dir, ids }) {
  const cases = [];
  for (const f of fs.readdirSync(path.join(CRS, dir)).filter((n) => n.endsWith('.yaml')).sort()) {
    const doc = YAML.parse(fs.readFileSync(path.join(CRS, dir, f), 'utf8'));
    if (!ids.includes(doc.rule_id)) continue;
    for (const t of doc.tests ?? []) {
      for (const st of t.stages ?? []) {
        const expect = st.output?.log?.expect_ids ?? st.output?.expect_ids;
        if (!expect || expect.length === 0) continue;
        const inp = st.input ?? {};
        const values = [];
        const uri = String(inp.uri ?? '');
        const q = uri.indexOf('?');
        if (q >= 0) values.push(...queryValues(uri.slice(q + 1), true), urlDecode(uri.slice(q + 1)));
        values.push(urlDecode(q >= 0 ? uri.slice(0, q) : uri));
        if (inp.data !== undefined) {
          const body = typeof inp.data === 'string' ? inp.data : JSON.stringify(inp.data);
          values.push(body, ...bodyValues(inp.data).values, ...queryValues(body, true));
        }
        for (const [k, v] of Object.entries(inp.headers ?? {})) {
          const name = k.toLowerCase();
          if (name === 'cookie') values.push(...String(v).split(/;\s*/).flatMap((c) => [urlDecode(c.slice(c.indexOf('=') + 1)), urlDecode(c)]));
          else if (!['host', 'accept', 'content-type', 'content-length', 'connection', 'accept-encoding'].includes(name)) values.push(urlDecode(String(v)));
        }
        cases.push({ id: `${doc.rule_id}-${t.test_id}`, values });
      }
    }
  }
  return cases;
}

/** Benign openappsec values: query names and values, form names and values, JSON member names and string leaves. */
function legitValues() {
  const all = [];
  const json = [];
  for (const f of fs.readdirSync(LEGIT).filter((n) => n.endsWith('.json')).sort()) {
    for (const r of JSON.parse(fs.readFileSync(path.join(LEGIT, f), 'utf8'))) {
      const q = r.url.indexOf('?');
      if (q >= 0) all.push(...queryValues(r.url.slice(q + 1), true));
      if (r.data === undefined || r.data === null || r.data === '') continue;
      const ct = String(Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '');
      const { values } = bodyValues(r.data, ct);
      all.push(...values);
      if (ct.includes('json')) json.push(...values);
    }
  }
  return { all: all.filter((v) => v !== ''), json: json.filter((v) => v !== '') };
}

/** The gateway's reading of a value: the first detection over its decoded variants. */
function flag(det, v) {
  for (const x of decodeVariants(v)) {
    const d = det.detect(x);
    if (d) return d;
  }
  return undefined;
}


const legit = legitValues();
const rows = [];
const speed = [];
for (const { det, seeds, primary, related } of DETECTORS) {
  const id = det.id;
  const seedVals = seedLines(seeds);
  const seedMiss = seedVals.filter((v) => !flag(det, v));
  if (VERBOSE) for (const m of seedMiss) console.error(`MISS ${id} seeds: ${show(m)}`);
  rows.push(`| ${id} | seeds/${seeds} (hand-written) | attacks | ${seedVals.length} | ${seedVals.length - seedMiss.length} | **${pct(seedVals.length - seedMiss.length, seedVals.length)}** detected |`);
  for (const [label, sel] of [['CRS', primary], ['CRS, partly related', related]]) {
    if (!sel) continue;
    const cases = crsCases(sel);
    const missed = cases.filter((c) => !c.values.some((v) => flag(det, v)));
    if (VERBOSE) for (const c of missed) console.error(`MISS ${id} crs ${c.id}: ${c.values.map(show).join(' | ')}`);
    rows.push(`| ${id} | ${label} ${sel.ids.join(', ')} (cases expecting a rule to fire) | attacks | ${cases.length} | ${cases.length - missed.length} | **${pct(cases.length - missed.length, cases.length)}** detected |`);
  }
  for (const [label, vals] of [['openappsec legit-train, all query/form/JSON names and values', legit.all], ['openappsec legit-train, JSON-body names and values only', legit.json]]) {
    const hits = [];
    for (const v of vals) {
      const d = flag(det, v);
      if (d) hits.push([v, d]);
    }
    if (VERBOSE) for (const [v, d] of hits) console.error(`FP ${id}: ${d.reason} ${show(d.fragment)} in ${show(v)}`);
    rows.push(`| ${id} | ${label} | benign | ${vals.length} | ${hits.length} | **${pct(hits.length, vals.length)}** false alarms |`);
  }
  const sample = legit.all.filter((v) => v.length <= 4096);
  const short = sample.filter((v) => v.length <= 64);
  speed.push(`| ${id} | ${nsPerCall(det, sample).toFixed(0)} | ${nsPerCall(det, short).toFixed(0)} | ${nsPerCall(det, seedVals).toFixed(0)} |`);
}

console.log('| detector | source | kind | values | flagged | rate |');
console.log('| --- | --- | --- | ---: | ---: | --- |');
for (const r of rows) console.log(r);
const nAll = legit.all.filter((v) => v.length <= 4096).length;
const nShort = legit.all.filter((v) => v.length <= 64).length;
console.log(`\n| detector | mean ns/call, benign values ≤ 4 KB (${nAll}) | mean ns/call, benign values ≤ 64 chars (${nShort}) | mean ns/call, seed attacks |`);
console.log('| --- | ---: | ---: | ---: |');
for (const s of speed) console.log(s);
