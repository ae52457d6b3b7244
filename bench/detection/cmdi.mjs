#!/usr/bin/env node
// `node bench/detection/cmdi.mjs [--verbose]` (after `npm run build`): how the OS command injection
// detector (src/detect/cmdi) does on the public corpus in /work/shared/corpus (or $CORPUS): detection
// rate on the CRS 932 (RCE) regression cases, overall and by paranoia level; false-alarm rate on benign
// values; mean ns per detect() call on benign values. Prints a Markdown table. Plain ESM JavaScript.
// A CRS case is judged at its rule's paranoia level: a finding counts when its `paranoia` (1 when
// absent) is at most that level. False alarms are counted at PL1 (the default) and at any level.
// The corpus is for measuring only: nothing from it is compiled into the detector.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crsStages, legitValues, pct, queryValues, show, urlDecode } from './corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus';
const CRS = path.join(CORPUS, 'attacks', 'crs-regression-tests', 'tests', 'REQUEST-932-APPLICATION-ATTACK-RCE');
const LIBINJ_FP = path.join(CORPUS, 'attacks', 'libinjection', 'false_positives.txt');
const LEGIT = path.join(CORPUS, 'benign', 'openappsec-legit-train');
const VERBOSE = process.argv.includes('--verbose'); // print misses and false alarms

const { cmdi } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'detect', 'cmdi', 'index.js')).href);

/**
 * Paranoia level of each CRS 932 rule. The regression tests do not carry it; it comes from the
 * `paranoia-level/N` tags of rules/REQUEST-932-APPLICATION-ATTACK-RCE.conf. Every entry not marked `?`
 * was read from that file (OWASP_CRS/4.23.0-dev, coreruleset@00ae2fa). The four marked `?` are rules
 * that file does not have yet (the corpus is v4.28): their level is what their tests say (932340
 * test 21 "`who` … detected at PL1", 932350 "`id` … only block at PL-3") or their siblings' level.
 */
const PL = {
  932120: 1, 932125: 1, 932130: 1, 932140: 1, 932160: 1, 932170: 1, 932171: 1, 932175: 1, 932180: 1,
  932230: 1, 932235: 1, 932250: 1, 932260: 1, 932270: 1, 932280: 1, 932330: 1, 932370: 1, 932380: 1,
  932340: 1 /* ? */, 932390: 1 /* ? */,
  932131: 2, 932161: 2, 932200: 2, 932205: 2, 932206: 2, 932207: 2, 932210: 2, 932220: 2, 932231: 2, 932236: 2,
  932239: 2, 932240: 2, 932271: 2, 932281: 2, 932300: 2, 932310: 2, 932320: 2, 932371: 2,
  932190: 3, 932232: 3, 932237: 3, 932238: 3, 932301: 3, 932311: 3, 932321: 3, 932331: 3,
  932350: 3 /* ? */, 932290: 4 /* ? */,
};

function jsonLeaves(v, out, keys = false) {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) jsonLeaves(x, out, keys);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (keys) out.push(k);
      jsonLeaves(x, out, keys);
    }
  }
  return out;
}

/** Values of a request body: JSON string leaves when it parses as JSON, else form fields. */
function bodyValues(data, keys = false) {
  const body = typeof data === 'string' ? data : JSON.stringify(data);
  try {
    return { json: true, values: jsonLeaves(JSON.parse(body), [], keys) };
  } catch {
    return { json: false, values: queryValues(body, keys) };
  }
}

/** XML attribute values and text nodes (CRS also inspects XML:/*), entity-decoded for the few entities tests use. */
function xmlValues(body) {
  if (!/^\s*<\?xml|^\s*<[a-z]/i.test(body)) return [];
  const ent = (s) => s.replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16))).replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const out = [];
  for (const m of body.matchAll(/="([^"]*)"|>([^<]+)</g)) out.push(ent(m[1] ?? m[2]));
  return out;
}

/** Request headers every test sends; only rules that target all headers (932170, Shellshock) see them. */
const STANDARD_HEADERS = new Set(['host', 'accept', 'accept-encoding', 'accept-language', 'content-type', 'content-length', 'connection', 'proxy-connection', 'user-agent', 'referer', 'cookie']);

/** Headers CRS 932 inspects: cookies, User-Agent, Referer, X-Filename; for 932170 every header. */
function headerValues(headers, rule) {
  const out = [];
  for (const [k, v] of Object.entries(headers ?? {})) {
    const name = k.toLowerCase();
    if (rule === 932170 && !STANDARD_HEADERS.has(name)) out.push(urlDecode(String(v)));
    else if (name === 'cookie') {
      for (const c of String(v).split(/;\s*/)) {
        const eq = c.indexOf('=');
        out.push(urlDecode(c.slice(eq + 1)));
        if (eq > 0) out.push(urlDecode(c.slice(0, eq)));
      }
    } else if (name === 'referer' || name === 'x-filename' || name === 'x_filename' || name === 'x-file-name') out.push(urlDecode(String(v)));
    else if (name === 'user-agent' && v !== 'OWASP CRS test agent') out.push(urlDecode(String(v)));
  }
  return out;
}

/** CRS 932 cases that expect a rule to fire: the attacker-controlled values of each. */
function crsCases() {
  const cases = [];
  for (const { doc, test: t, input: inp } of crsStages(CRS)) {
    const values = [];
    const uri = String(inp.uri ?? '');
    const q = uri.indexOf('?');
    // CRS inspects argument names too (ARGS_NAMES), so does this extraction (attack side only).
    if (q >= 0) values.push(...queryValues(uri.slice(q + 1), true));
    if (inp.data !== undefined && inp.data !== null) {
      const body = typeof inp.data === 'string' ? inp.data : JSON.stringify(inp.data);
      values.push(...bodyValues(inp.data, true).values, ...xmlValues(body));
      // multipart: the file name and the part bodies
      for (const m of body.matchAll(/filename="([^"]*)"/g)) values.push(m[1]);
    }
    const rule = Number(doc.rule_id);
    values.push(...headerValues(inp.headers, rule));
    cases.push({ id: `${rule}-${t.test_id}`, rule, pl: PL[rule] ?? 0, desc: String(t.desc ?? '').trim(), values: values.filter((v) => v !== '') });
  }
  return cases;
}

const lines = (file) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map(urlDecode);

const rows = [];
const crs = crsCases();
/** The finding, if it counts at paranoia level `pl`. */
const flagAt = (v, pl) => {
  const d = cmdi.detect(v);
  return d && (d.paranoia ?? 1) <= pl ? d : undefined;
};
const caught = (c) => c.values.some((v) => flagAt(v, Math.max(1, c.pl)));
const missed = crs.filter((c) => !caught(c));
for (const level of [1, 2, 3, 4]) {
  const at = crs.filter((c) => c.pl === level);
  const hit = at.filter(caught).length;
  rows.push(`| CRS 932 cases, rule PL${level} | attacks | ${at.length} | ${hit} | **${pct(hit, at.length)}** detected |`);
}
rows.push(`| **CRS 932 cases, all** (expect a rule to fire; any value flagged at the rule's PL) | attacks | ${crs.length} | ${crs.length - missed.length} | **${pct(crs.length - missed.length, crs.length)}** detected |`);

function benignRow(name, values) {
  const hits = values.filter((v) => cmdi.detect(v));
  const pl1 = hits.filter((v) => flagAt(v, 1)).length;
  if (VERBOSE) for (const h of hits) console.error(`FP PL${cmdi.detect(h).paranoia ?? 1} ${name}: ${cmdi.detect(h).reason} ${show(cmdi.detect(h).fragment)} in ${show(h)}`);
  return `| ${name} | benign | ${values.length} | ${pl1} | **${pct(pl1, values.length)}** false alarms at PL1; ${hits.length} (${pct(hits.length, values.length)}) at any PL |`;
}
const fps = lines(LIBINJ_FP);
const legit = legitValues(LEGIT);
rows.push(benignRow('libinjection/false_positives.txt', fps));
rows.push(benignRow('openappsec legit-train, all query + body values', legit.all));
rows.push(benignRow('openappsec legit-train, JSON-body values only', legit.json));

/** Mean ns per call over all benign values (the common case: every free-text field of every request). */
function meanNs(values) {
  for (const v of values) cmdi.detect(v); // warm-up
  const rounds = 3;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const v of values) cmdi.detect(v);
  return Number(process.hrtime.bigint() - t0) / (rounds * values.length);
}

console.log('| source | kind | values/cases | flagged | rate |');
console.log('| --- | --- | ---: | ---: | --- |');
for (const r of rows) console.log(r);
const benign = [...fps, ...legit.all];
console.log(`\nMean ${meanNs(benign).toFixed(0)} ns per detect() call over ${benign.length} benign values (mean length ${(benign.reduce((a, v) => a + v.length, 0) / benign.length).toFixed(0)} chars).`);

const byRule = new Map();
for (const c of missed) byRule.set(c.rule, (byRule.get(c.rule) ?? 0) + 1);
console.log(`\nMisses by rule (PL): ${[...byRule].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} (PL${PL[r] ?? '?'}): ${n}`).join(', ')}`);
if (VERBOSE) for (const c of missed) console.error(`MISS ${c.id} PL${c.pl}: ${c.values.map(show).join(' | ')}`);
