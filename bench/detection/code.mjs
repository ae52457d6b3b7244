#!/usr/bin/env node
// `node bench/detection/code.mjs [--verbose]` (after `npx tsc -p tsconfig.build.json`): how the
// server-side code-injection detector (src/detect/code) does: detection on the CRS regression cases
// of REQUEST-934 (generic: Node.js, Perl, Ruby, …) and REQUEST-933 (PHP), per rule id and paranoia
// level, alone and combined with the gateway's other injection detectors ("any detector": the
// gateway runs them all); false alarms on the benign openappsec requests; time per call.
// Values go through the gateway's decoding (decodeVariants) first: a value counts as flagged when
// any of its readings is. A finding counts at PL n when its `paranoia` (default 1) is ≤ n.
// Plain ESM JavaScript; prints Markdown tables. The corpus is for measuring only.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { pct, show, urlDecode } from './corpus.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus';
const CRS = path.join(CORPUS, 'attacks', 'crs-regression-tests', 'tests');
const LEGIT = path.join(CORPUS, 'benign', 'openappsec-legit-train');
const VERBOSE = process.argv.includes('--verbose');

const dist = (p) => import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'detect', p)).href);
const { code, phpUpload } = await dist('code/index.js');
const { xmlValues } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'gateway', 'parse', 'xml-values.js')).href);
/** This detector as the gateway would run it: `code` on every input, `phpUpload` on file names. */
const MINE = [code, phpUpload];
/** Headers the gateway does not scan (src/controls/shared/inputs.ts UNSCANNED_HEADERS). */
const UNSCANNED = new Set(['authorization', 'proxy-authorization', 'cookie', 'host', 'content-length', 'content-type', 'content-encoding',
  'transfer-encoding', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade', 'expect', 'accept', 'accept-encoding',
  'accept-language', 'accept-charset', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since',
  'if-range', 'range', 'cache-control', 'pragma', 'dnt', 'priority', 'upgrade-insecure-requests']);
const { decodeVariants } = await dist('decode.js');
const { INJECTION_DETECTORS } = await dist('injection.js');

/**
 * Paranoia level of each rule, from the `paranoia-level/N` tags of CRS 4.2x's
 * REQUEST-933/934 rule files as remembered (the corpus holds the tests only); `?` marks the
 * uncertain ones. `scope`: what the rule is about, and whether it is this detector's business.
 */
const RULES = {
  933100: [1, 'php open tag', true], 933110: [1, 'php file upload (filename)', false], 933111: [3, 'php file upload', false],
  933120: [1, 'php.ini directive', true], 933130: [1, 'php superglobal', true], 933131: [3, 'php superglobal (fuzzy)', true],
  933135: [1, 'php variable variable ${', true], 933140: [1, 'php:// stream (traversal)', false], 933150: [1, 'php high-risk function name', true],
  933151: [2, 'php medium-risk function name', true], 933152: [2 /* ? */, 'php function name (chain)', true], 933153: [3 /* ? */, 'php function name (chain)', true],
  933160: [1, 'php function call', true], 933161: [3, 'php low-value function call', true], 933170: [1, 'php object injection', true],
  933180: [1, 'php variable function call', true], 933190: [3, 'php closing tag', true], 933200: [1, 'php wrapper scheme', false],
  933210: [1, 'php obfuscated call', true], 933211: [3, 'php obfuscated call', true], 933220: [1 /* ? */, 'php session file name', false],
  934100: [1, 'node.js injection', true], 934101: [2, 'node.js injection (extended)', true], 934110: [1, 'SSRF cloud metadata', false],
  934120: [2, 'SSRF IP forms', false], 934130: [1, 'prototype pollution', false], 934140: [2, 'perl interpolation', true],
  934150: [1, 'ruby injection', true], 934160: [1, 'node.js DoS (while(true))', true], 934170: [1, 'data: scheme', false],
  934180: [2, 'SSTI', false], 934190: [1 /* ? */, 'SSRF scheme-less host', false], 934200: [1 /* ? */, 'SSTI', false],
  934210: [3, 'ORM lookup traversal', false], 934220: [2, 'ORM lookup traversal', false],
};
const DIRS = ['REQUEST-934-APPLICATION-ATTACK-GENERIC', 'REQUEST-933-APPLICATION-ATTACK-PHP'];

/** An input as the gateway collects it: kind, parameter/member name, value. */
const inp = (kind, name, value) => ({ kind, name, value });

/** Query-string pairs, URL-decoded (`+` as space): keys and values. */
function queryInputs(qs, kind = 'query') {
  const out = [];
  for (const part of qs.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const dec = (x) => urlDecode(x.replace(/\+/g, ' '));
    const name = dec(eq < 0 ? part : part.slice(0, eq));
    out.push(inp(kind === 'query' ? 'query-key' : 'body-key', undefined, name));
    if (eq >= 0) out.push(inp(kind, name, dec(part.slice(eq + 1))));
  }
  return out;
}

/** JSON string leaves and member names. */
function jsonInputs(v, out, name) {
  if (typeof v === 'string') out.push(inp('body', name, v));
  else if (Array.isArray(v)) for (const x of v) jsonInputs(x, out, name);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(inp('body-key', undefined, k)); jsonInputs(x, out, k); }
  return out;
}

/** Multipart parts as the gateway's parser hands them over: a text part's value, a file part's file name. */
function multipartInputs(body, boundary) {
  const out = [];
  for (const part of body.split(`--${boundary}`)) {
    const crlf = part.indexOf('\r\n\r\n');
    const sep = crlf >= 0 ? crlf : part.indexOf('\n\n');
    if (sep < 0) continue;
    const head = part.slice(0, sep);
    const name = /\bname="([^"]*)"/.exec(head)?.[1];
    const filename = /\bfilename="([^"]*)"/.exec(head)?.[1];
    if (filename !== undefined) out.push(inp('body', name, filename));
    else out.push(inp('body', name, part.slice(sep).replace(/^\r?\n\r?\n/, '').replace(/\r?\n$/, '')));
  }
  return out;
}

/** A body's inputs by its content type: multipart, JSON, XML (text, attribute values, names), else a form. */
function bodyInputs(data, contentType = '') {
  const body = typeof data === 'string' ? data : Array.isArray(data) ? data.join('\r\n') : JSON.stringify(data);
  const boundary = /multipart\/form-data;.*boundary=("?)([^";]+)\1/i.exec(contentType)?.[2] ?? /^--(-*\w+)\r?\n/.exec(body)?.[1];
  if (boundary) return { json: false, inputs: multipartInputs(body, boundary) };
  try {
    return { json: true, inputs: jsonInputs(JSON.parse(body), [], undefined) };
  } catch {
    // not JSON
  }
  if (/^\s*</.test(body)) {
    const out = [inp('document', undefined, body)];
    for (const v of xmlValues(body)) out.push(inp(v.kind === 'name' ? 'body-key' : 'body', v.name, v.value));
    return { json: false, inputs: out };
  }
  return { json: false, inputs: queryInputs(body, 'body') };
}

/** CRS cases of 933/934 that expect a rule to fire, as the inputs the gateway would collect. */
function crsCases() {
  const cases = [];
  for (const dir of DIRS) {
    for (const f of fs.readdirSync(path.join(CRS, dir)).filter((n) => n.endsWith('.yaml')).sort()) {
      const doc = YAML.parse(fs.readFileSync(path.join(CRS, dir, f), 'utf8'));
      const rule = Number(f.slice(0, 6)); // 933200.yaml says rule_id 9331200
      for (const t of doc.tests ?? []) {
        for (const st of t.stages ?? []) {
          const expect = st.output?.log?.expect_ids ?? st.output?.expect_ids;
          if (!expect || expect.length === 0) continue;
          const input = st.input ?? {};
          const inputs = [];
          const headers = Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
          const uri = String(input.uri ?? '');
          const q = uri.indexOf('?');
          if (q >= 0) inputs.push(...queryInputs(uri.slice(q + 1)));
          // Path segments: the gateway scans path parameters; an unrouted path is scanned whole.
          for (const seg of (q >= 0 ? uri.slice(0, q) : uri).split('/')) if (seg !== '') inputs.push(inp('path', undefined, urlDecode(seg)));
          if (input.data !== undefined && input.data !== null) inputs.push(...bodyInputs(input.data, headers['content-type'] ?? '').inputs);
          for (const [name, v] of Object.entries(headers)) {
            if (name === 'cookie') {
              for (const c of v.split(/;\s*/)) {
                const eq = c.indexOf('=');
                inputs.push(inp('cookie-key', undefined, eq < 0 ? c : c.slice(0, eq)));
                if (eq >= 0) inputs.push(inp('cookie', c.slice(0, eq), urlDecode(c.slice(eq + 1))));
              }
            } else if (!UNSCANNED.has(name) && name !== 'user-agent' && name !== 'proxy-connection') inputs.push(inp('header', name, v));
          }
          const [pl, about, scope] = RULES[rule] ?? [0, '?', false];
          cases.push({ id: `${rule}-${t.test_id}`, rule, pl, about, scope, inputs: inputs.filter((x) => x.value !== '') });
        }
      }
    }
  }
  return cases;
}

/** Benign openappsec inputs: query names and values, form fields, JSON names and string leaves, header values. */
function legitInputs() {
  const all = [];
  const json = [];
  const headers = [];
  for (const f of fs.readdirSync(LEGIT).filter((n) => n.endsWith('.json')).sort()) {
    for (const r of JSON.parse(fs.readFileSync(path.join(LEGIT, f), 'utf8'))) {
      const q = r.url.indexOf('?');
      if (q >= 0) all.push(...queryInputs(r.url.slice(q + 1)));
      for (const [k, v] of Object.entries(r.headers ?? {})) {
        if (typeof v === 'string' && v !== '<redacted>' && !UNSCANNED.has(k.toLowerCase())) headers.push(inp('header', k.toLowerCase(), v));
      }
      if (r.data === undefined || r.data === null || r.data === '') continue;
      const ct = String(Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '');
      const { inputs } = bodyInputs(r.data, ct);
      all.push(...inputs);
      if (ct.includes('json')) json.push(...inputs);
    }
  }
  const keep = (a) => a.filter((x) => x.value !== '' && x.value !== '<redacted>' && x.kind !== 'document');
  return { all: keep(all), json: keep(json), headers: keep(headers) };
}

const applies = (det, x) => (det.appliesTo ? det.appliesTo(x.kind, x.name) : x.kind !== 'document');
/** The gateway's reading of an input by one detector at paranoia level `pl` (documents are read as sent). */
function flag(det, x, pl = 4) {
  if (!applies(det, x)) return undefined;
  for (const v of x.kind === 'document' ? [x.value] : decodeVariants(x.value)) {
    const d = det.detect(v);
    if (d && (d.paranoia ?? 1) <= pl && d.confidence >= (det.minConfidence ?? 0)) return d;
  }
  return undefined;
}
const mineFlag = (x, pl) => MINE.map((d) => flag(d, x, pl)).find((d) => d);
const anyFlag = (x, pl) => mineFlag(x, pl) ?? INJECTION_DETECTORS.map((d) => flag(d, x, pl)).find((d) => d);


/** Mean ns per detect() call on raw values (no decoding), best of 5 rounds. */
function nsPerCall(det, values) {
  for (let i = 0; i < 3; i++) for (const v of values) det.detect(v);
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (const v of values) det.detect(v);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / values.length);
  }
  return best;
}

const cases = crsCases();
// A case is judged at its rule's own paranoia level (the level the CRS test is run at).
for (const c of cases) {
  const pl = Math.max(1, c.pl);
  c.mine = c.inputs.some((x) => mineFlag(x, pl));
  c.any = c.mine || c.inputs.some((x) => anyFlag(x, pl));
}
console.log('| rule | PL | about | code\'s scope | cases | code detector | any detector |');
console.log('| --- | ---: | --- | --- | ---: | ---: | ---: |');
const rules = [...new Set(cases.map((c) => c.rule))];
for (const r of rules) {
  const cs = cases.filter((c) => c.rule === r);
  const m = cs.filter((c) => c.mine).length;
  const a = cs.filter((c) => c.any).length;
  console.log(`| ${r} | ${cs[0].pl} | ${cs[0].about} | ${cs[0].scope ? 'yes' : 'no'} | ${cs.length} | ${m} (${pct(m, cs.length)}) | ${a} (${pct(a, cs.length)}) |`);
}
console.log('\n| CRS cases | cases | code detector | any detector |');
console.log('| --- | ---: | ---: | ---: |');
for (const [label, sel] of [
  ['934, PL1 rules', (c) => c.rule < 934000 ? false : c.pl === 1],
  ['933, PL1 rules', (c) => c.rule < 934000 && c.pl === 1],
  ['933 + 934, PL1 rules', (c) => c.pl === 1],
  ['933 + 934, PL1 rules in code\'s scope', (c) => c.pl === 1 && c.scope],
  ['933 + 934, PL2 rules', (c) => c.pl === 2],
  ['933 + 934, PL2 rules in code\'s scope', (c) => c.pl === 2 && c.scope],
  ['933 + 934, PL3+ rules', (c) => c.pl >= 3],
  ['933 + 934, all', () => true],
]) {
  const cs = cases.filter(sel);
  const m = cs.filter((c) => c.mine).length;
  const a = cs.filter((c) => c.any).length;
  console.log(`| ${label} | ${cs.length} | ${m} (**${pct(m, cs.length)}**) | ${a} (**${pct(a, cs.length)}**) |`);
}
if (VERBOSE) for (const c of cases.filter((x) => !x.any || (x.scope && !x.mine))) console.error(`MISS ${c.id} PL${c.pl}${c.any ? ' (others catch)' : ''}: ${c.inputs.map((x) => `${x.kind}:${show(x.value)}`).join(' | ')}`);

const legit = legitInputs();
console.log('\n| benign source | values | code flags, PL1 | code flags, any PL (1–4) |');
console.log('| --- | ---: | ---: | ---: |');
for (const [label, vals] of [['openappsec legit-train, query/form/JSON names and values', legit.all], ['  of which JSON-body names and values', legit.json], ['openappsec legit-train, header values', legit.headers]]) {
  let p1 = 0;
  let p4 = 0;
  for (const x of vals) {
    const d = mineFlag(x, 4);
    if (!d) continue;
    p4++;
    if ((d.paranoia ?? 1) <= 1) p1++;
    if (VERBOSE) console.error(`FP PL${d.paranoia ?? 1} ${d.reason} ${show(d.fragment)} in ${x.kind}:${show(x.value)}`);
  }
  console.log(`| ${label} | ${vals.length} | ${p1} (**${pct(p1, vals.length)}**) | ${p4} (**${pct(p4, vals.length)}**) |`);
}

const sample = [...legit.all, ...legit.headers].map((x) => x.value).filter((v) => v.length <= 4096);
const short = sample.filter((v) => v.length <= 64);
const attacks = cases.filter((c) => c.scope).flatMap((c) => c.inputs.map((x) => x.value));
console.log(`\n| mean ns/call (raw values, no decoding) | benign ≤ 4 KB (${sample.length}) | benign ≤ 64 chars (${short.length}) | CRS in-scope case values (${attacks.length}) |`);
console.log('| --- | ---: | ---: | ---: |');
console.log(`| code | ${nsPerCall(code, sample).toFixed(0)} | ${nsPerCall(code, short).toFixed(0)} | ${nsPerCall(code, attacks).toFixed(0)} |`);
