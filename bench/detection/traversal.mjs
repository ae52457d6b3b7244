#!/usr/bin/env node
// `node bench/detection/traversal.mjs [--verbose]` (after `npm run build`): how the path traversal /
// LFI / RFI detector (src/detect/traversal) does on the public corpus in /work/shared/corpus (or
// $CORPUS): detection per CRS 930/931 rule file and paranoia level, false alarms on benign values and
// URL paths, per-call latency. Prints Markdown tables. Plain ESM JavaScript.
// The corpus is for measuring only: nothing from it is compiled into the detector.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bodyValues, crsStages, pct, queryValues, show, urlDecode } from './corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus';
const CRS = path.join(CORPUS, 'attacks', 'crs-regression-tests', 'tests');
const FOLDERS = ['REQUEST-930-APPLICATION-ATTACK-LFI', 'REQUEST-931-APPLICATION-ATTACK-RFI'];
const LEGIT = path.join(CORPUS, 'benign', 'openappsec-legit-train');
const VERBOSE = process.argv.includes('--verbose'); // print misses and false alarms

const { traversal } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'detect', 'traversal', 'index.js')).href);

/**
 * Paranoia level of each rule, from the CRS v4 rule files (REQUEST-930/931-*.conf; the regression
 * YAML does not carry it). 930140 is newer than the rule sets known here: reported as "?".
 */
const PARANOIA = { 930100: 1, 930110: 1, 930120: 1, 930121: 2, 930130: 1, 931100: 1, 931110: 1, 931120: 1, 931130: 2, 931131: 2 };
/** Rules whose targets include request headers (minus Referer; User-Agent included); the others look at args, cookies, the file name. */
const HEADER_RULES = new Set([930100, 930110, 930121]);
const PLAIN_HEADERS = new Set(['host', 'accept', 'content-type', 'content-length', 'connection', 'accept-encoding', 'accept-language', 'referer', 'cookie']);

/** CRS 930/931 cases that expect a rule to fire, with the attacker-controlled values a detector would see. */
function crsCases() {
  const cases = [];
  for (const folder of FOLDERS) {
    for (const { doc, test: t, input: inp } of crsStages(path.join(CRS, folder))) {
      const values = [];
      const uri = String(inp.uri ?? '');
      const q = uri.indexOf('?');
      // CRS inspects argument names too (930120), and XML/text bodies whole: so does this extraction (attack side only).
      if (q >= 0) values.push(...queryValues(uri.slice(q + 1), true));
      values.push(urlDecode(q >= 0 ? uri.slice(0, q) : uri));
      if (inp.data !== undefined) {
        const body = typeof inp.data === 'string' ? inp.data : JSON.stringify(inp.data);
        values.push(body, ...bodyValues(inp.data).values, ...queryValues(body, true));
      }
      for (const [k, v] of Object.entries(inp.headers ?? {})) {
        const name = k.toLowerCase();
        if (name === 'cookie') values.push(...String(v).split(/;\s*/).map((c) => urlDecode(c.slice(c.indexOf('=') + 1))));
        else if (HEADER_RULES.has(doc.rule_id) && !PLAIN_HEADERS.has(name)) values.push(urlDecode(String(v)));
      }
      cases.push({ id: `${doc.rule_id}-${t.test_id}`, folder: folder.slice(8, 11), rule: doc.rule_id, values: values.filter((v) => v !== '') });
    }
  }
  return cases;
}

/** Benign openappsec values: query values, form fields, JSON string leaves (JSON ones marked), and URL paths. */
function legitValues() {
  const all = [];
  const json = [];
  const paths = [];
  for (const f of fs.readdirSync(LEGIT).filter((n) => n.endsWith('.json')).sort()) {
    for (const r of JSON.parse(fs.readFileSync(path.join(LEGIT, f), 'utf8'))) {
      let u = r.url;
      const scheme = u.indexOf('://');
      if (scheme >= 0 && scheme < 10) u = u.slice(u.indexOf('/', scheme + 3) >>> 0);
      const q = u.indexOf('?');
      paths.push(urlDecode(q >= 0 ? u.slice(0, q) : u));
      if (q >= 0) all.push(...queryValues(u.slice(q + 1)));
      if (r.data === undefined || r.data === null || r.data === '') continue;
      const ct = String(Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '');
      const { values } = bodyValues(r.data);
      all.push(...values);
      if (ct.includes('json')) json.push(...values);
    }
  }
  return { all: all.filter((v) => v !== ''), json: json.filter((v) => v !== ''), paths: paths.filter((v) => v !== '') };
}


function benignRow(name, values) {
  const hits = values.filter((v) => traversal.detect(v));
  if (VERBOSE) for (const h of hits) console.error(`FP ${name}: ${traversal.detect(h).reason} ${show(traversal.detect(h).fragment)} in ${show(h)}`);
  return `| ${name} | ${values.length} | ${hits.length} | **${pct(hits.length, values.length)}** |`;
}

/** ns/call over a value set: the best of `rounds` timed passes after a warm-up (the machine may be shared). */
function nsPerCall(values, rounds = 5) {
  for (const v of values) traversal.detect(v);
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (const v of values) traversal.detect(v);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / values.length);
  }
  return Math.round(best);
}

const cases = crsCases();
const flagged = (c) => c.values.some((v) => traversal.detect(v));
for (const c of cases) c.hit = flagged(c);
if (VERBOSE) for (const c of cases.filter((x) => !x.hit)) console.error(`MISS crs ${c.id}: ${c.values.map(show).join(' | ')}`);

console.log('### Attacks: CRS regression cases that expect a rule to fire (case detected when any of its values is flagged)\n');
console.log('| group | cases | detected | rate |');
console.log('| --- | ---: | ---: | --- |');
const row = (name, cs) => console.log(`| ${name} | ${cs.length} | ${cs.filter((c) => c.hit).length} | **${pct(cs.filter((c) => c.hit).length, cs.length)}** |`);
for (const rule of [...new Set(cases.map((c) => c.rule))]) row(`${rule} (PL${PARANOIA[rule] ?? '?'})`, cases.filter((c) => c.rule === rule));
for (const folder of ['930', '931']) {
  for (const pl of [1, 2, '?']) {
    const cs = cases.filter((c) => c.folder === folder && (PARANOIA[c.rule] ?? '?') === pl);
    if (cs.length > 0) row(`**${folder} PL${pl}**`, cs);
  }
  row(`**${folder} all**`, cases.filter((c) => c.folder === folder));
}

const legit = legitValues();
console.log('\n### False alarms: openappsec legit-train (20,000 benign requests)\n');
console.log('| values | count | flagged | rate |');
console.log('| --- | ---: | ---: | --- |');
console.log(benignRow('all query values + form fields + JSON string leaves', legit.all));
console.log(benignRow('JSON-body string leaves only', legit.json));
console.log(benignRow('URL paths', legit.paths));

const attackValues = cases.flatMap((c) => c.values);
const ordinary = legit.all.filter((v) => v.length <= 1024);
console.log('\n### Cost\n');
console.log('| value set | values | ns/call |');
console.log('| --- | ---: | ---: |');
console.log(`| benign values ≤ 1 KB | ${ordinary.length} | ${nsPerCall(ordinary)} |`);
console.log(`| benign URL paths | ${legit.paths.length} | ${nsPerCall(legit.paths)} |`);
console.log(`| CRS attack values | ${attackValues.length} | ${nsPerCall(attackValues)} |`);
const big = 'a/b'.repeat(350_000);
console.log(`| one 1 MB value (head + tail scanned) | 1 | ${nsPerCall([big], 20)} |`);
