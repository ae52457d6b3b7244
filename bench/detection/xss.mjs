#!/usr/bin/env node
// `node bench/detection/xss.mjs [--verbose]` (after `npm run build`): how the XSS detector (src/detect/xss)
// does on the public corpus in /work/shared/corpus (or $CORPUS): detection rate per attack source and, for
// the CRS 941 regression cases, per paranoia level of the rule each case tests; false-alarm rate on benign
// values (findings that count at paranoia level 1, the default, and at any level); per-call latency.
// Prints a Markdown table. Plain ESM JavaScript.
// The corpus is for measuring only: nothing from it is compiled into the detector.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bodyValues, crsStages, legitValues, parseRaw, pct, queryValues, show, urlDecode } from './corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus';
const LIBINJ = path.join(CORPUS, 'attacks', 'libinjection');
const CRS = path.join(CORPUS, 'attacks', 'crs-regression-tests', 'tests', 'REQUEST-941-APPLICATION-ATTACK-XSS');
const LEGIT = path.join(CORPUS, 'benign', 'openappsec-legit-train');
const VERBOSE = process.argv.includes('--verbose'); // print misses and false alarms

const dist = (...p) => import(pathToFileURL(path.join(ROOT, 'dist', 'src', ...p)).href);
const { xss } = await dist('detect', 'xss', 'index.js');
const { decodeVariants } = await dist('detect', 'decode.js');
const { xmlValues } = await dist('gateway', 'parse', 'xml-values.js');

/**
 * Paranoia level of each CRS 941 rule. The regression tests do not carry it; it comes from the
 * `tag:'paranoia-level/N'` of each rule and the `-= Paranoia Level N =-` section markers of
 * coreruleset/coreruleset rules/REQUEST-941-APPLICATION-ATTACK-XSS.conf (read at 4.31.0-dev, commit
 * 00d2c783eaa652aa1dc46e43d3b6cf461f075f5a). The corpus tests are 4.28.0+14; the one level that moved in
 * between 4.15 and 4.31 is 941120 (PL2 → PL1, coreruleset PR #4291, merged 2025-10, before 4.28).
 * The 941 file has no PL3 or PL4 rule.
 */
const PL = {
  941100: 1, 941110: 1, 941120: 1, 941130: 1, 941140: 1, 941160: 1, 941170: 1, 941180: 1, 941190: 1,
  941200: 1, 941210: 1, 941220: 1, 941230: 1, 941240: 1, 941250: 1, 941260: 1, 941270: 1, 941280: 1,
  941290: 1, 941300: 1, 941310: 1, 941350: 1, 941360: 1, 941370: 1, 941390: 1, 941400: 1,
  941101: 2, 941150: 2, 941181: 2, 941320: 2, 941330: 2, 941340: 2, 941380: 2,
};

/** A finding that counts at paranoia level `pl` (a finding's level is 1 when absent). */
const at = (v, pl) => {
  const d = xss.detect(v);
  return d && (d.paranoia ?? 1) <= pl ? d : undefined;
};
const atPL1 = (v) => at(v, 1);

/** Non-comment, non-empty lines of a libinjection data file, URL-decoded. */
function lines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map(urlDecode);
}

/**
 * CRS 941 cases that expect a rule to fire: the values an XSS detector would see (query, body, cookies,
 * referer, other non-standard headers), from the YAML input or the raw `encoded_request`. An XML body also
 * gives its text and attribute values, as the gateway reads them (src/gateway/parse/xml-values.ts).
 */
function crsCases() {
  const cases = [];
  for (const { doc, test: t, input: given } of crsStages(CRS)) {
    const inp = given.encoded_request ? parseRaw(given.encoded_request) : given;
    const values = [];
    const uri = String(inp.uri ?? '');
    const q = uri.indexOf('?');
    // CRS also inspects argument and cookie names, and XML/text bodies whole: so does this extraction (attack side only).
    if (q >= 0) values.push(...queryValues(uri.slice(q + 1), true));
    values.push(urlDecode(q >= 0 ? uri.slice(0, q) : uri)); // some cases put the payload in the path
    if (inp.data !== undefined && inp.data !== null) {
      const body = typeof inp.data === 'string' ? inp.data : JSON.stringify(inp.data);
      values.push(body, ...bodyValues(inp.data).values, ...queryValues(body, true));
      if (/^\s*<(?:\?xml|[a-z])/i.test(body)) values.push(...xmlValues(body).map((x) => x.value));
    }
    for (const [k, v] of Object.entries(inp.headers ?? {})) {
      const name = k.toLowerCase();
      if (name === 'cookie') values.push(...String(v).split(/;\s*/).flatMap((c) => [urlDecode(c.slice(c.indexOf('=') + 1)), urlDecode(c.slice(0, Math.max(0, c.indexOf('='))))]));
      else if (!['host', 'accept', 'content-type', 'content-length', 'connection', 'accept-encoding'].includes(name)) values.push(urlDecode(String(v)));
    }
    const rule = Number(doc.rule_id);
    cases.push({ id: `${rule}-${t.test_id}`, rule, pl: PL[rule] ?? 0, desc: String(t.desc ?? '').trim(), values: values.filter((v) => v !== '') });
  }
  return cases;
}

function attackRow(name, values) {
  const missed = values.filter((v) => !atPL1(v));
  if (VERBOSE) for (const m of missed) console.error(`MISS ${name}${xss.detect(m) ? ` (PL${xss.detect(m).paranoia} only)` : ''}: ${show(m)}`);
  return { hit: values.length - missed.length, row: `| ${name} | attacks | ${values.length} | ${values.length - missed.length} | **${pct(values.length - missed.length, values.length)}** detected |` };
}

/** False alarms: findings that count at PL1 (the default), at PL2, and at any paranoia level. */
function benignRow(name, values) {
  let p1 = 0;
  let p2 = 0;
  let any = 0;
  for (const v of values) {
    const d = xss.detect(v);
    if (!d) continue;
    any++;
    if ((d.paranoia ?? 1) <= 1) p1++;
    if ((d.paranoia ?? 1) <= 2) p2++;
    if (VERBOSE) console.error(`FP PL${d.paranoia ?? 1} ${name}: ${d.reason} ${show(d.fragment)}`);
  }
  return `| ${name} | benign | ${values.length} | ${p1} | **${pct(p1, values.length)}** false alarms at PL1; ${p2} (${pct(p2, values.length)}) at PL2; ${any} (${pct(any, values.length)}) at any PL |`;
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
  const r = attackRow(`libinjection/${f}`, vals);
  libHit += r.hit;
  rows.push(r.row);
}
rows.push(`| **libinjection xss-*.txt, all** (findings at PL1) | attacks | ${libTotal} | ${libHit} | **${pct(libHit, libTotal)}** detected |`);

// A case is judged at its rule's own paranoia level (the level the CRS test runs at): a PL2 finding
// catches a PL2 case, not a PL1 one. "any value flagged" counts a finding at any level.
const crs = crsCases();
const caughtAt = (c, pl) => c.values.some((v) => at(v, pl));
const caught = (c) => caughtAt(c, Math.max(1, c.pl));
const missed = crs.filter((c) => !caught(c));
for (const level of [1, 2, 3, 4]) {
  const cs = crs.filter((c) => c.pl === level);
  const hit = cs.filter(caught).length;
  rows.push(`| CRS 941 cases, rule PL${level} (judged at PL${level}) | attacks | ${cs.length} | ${hit} | **${pct(hit, cs.length)}** detected |`);
}
const anyHit = crs.filter((c) => caughtAt(c, 4)).length;
rows.push(`| CRS 941 regression cases (expect a rule to fire; any value flagged, any PL) | attacks | ${crs.length} | ${anyHit} | **${pct(anyHit, crs.length)}** detected |`);
// The gateway does not hand a detector the value alone: it also tries its decoded readings (double URL
// encoding, %uXXXX, entities, escapes; src/detect/decode.ts). This row reads each case that way.
const gwHit = crs.filter((c) => c.values.some((v) => decodeVariants(v).some((x) => at(x, Math.max(1, c.pl))))).length;
rows.push(`| CRS 941 cases, each value through the gateway's decodeVariants (at the rule's PL) | attacks | ${crs.length} | ${gwHit} | **${pct(gwHit, crs.length)}** detected |`);
const fps = lines(path.join(LIBINJ, 'false_positives.txt'));
rows.push(benignRow('libinjection/false_positives.txt', fps));
const legit = legitValues(LEGIT);
rows.push(benignRow('openappsec legit-train, all query + body values', legit.all));
rows.push(benignRow('openappsec legit-train, JSON-body values only', legit.json));

console.log('| source | kind | values | flagged | rate |');
console.log('| --- | --- | ---: | ---: | --- |');
for (const r of rows) console.log(r);
console.log(`\nLatency per call: ${latency([...attackValues, ...fps, ...legit.all])}`);

const byRule = new Map();
for (const c of missed) byRule.set(c.rule, (byRule.get(c.rule) ?? 0) + 1);
console.log(`\nCRS misses by rule (PL): ${[...byRule].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([r, n]) => `${r} (PL${PL[r] ?? '?'}): ${n}`).join(', ') || 'none'}`);
if (VERBOSE) for (const c of missed) console.error(`MISS crs ${c.id} PL${c.pl} (${c.desc}): ${c.values.map(show).join(' | ')}`);
