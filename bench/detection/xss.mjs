#!/usr/bin/env node
// `node bench/detection/xss.mjs` (after `npm run build`): how the XSS detector (src/detect/xss)
// does on the public corpus in /work/shared/corpus (or $CORPUS): detection rate per attack source,
// false-alarm rate on benign values, per-call latency. Prints a Markdown table. Plain ESM JavaScript.
// The corpus is for measuring only: nothing from it is compiled into the detector.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bodyValues, crsStages, legitValues, pct, queryValues, show, urlDecode } from './corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus';
const LIBINJ = path.join(CORPUS, 'attacks', 'libinjection');
const CRS = path.join(CORPUS, 'attacks', 'crs-regression-tests', 'tests', 'REQUEST-941-APPLICATION-ATTACK-XSS');
const LEGIT = path.join(CORPUS, 'benign', 'openappsec-legit-train');
const VERBOSE = process.argv.includes('--verbose'); // print misses and false alarms

const { xss } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'detect', 'xss', 'index.js')).href);

/** Non-comment, non-empty lines of a libinjection data file, URL-decoded. */
function lines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map(urlDecode);
}

/** CRS 941 cases that expect a rule to fire: the values an XSS detector would see (query, body, cookies, referer). */
function crsCases() {
  const cases = [];
  for (const { doc, test: t, input: inp } of crsStages(CRS)) {
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
  return cases;
}


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
const legit = legitValues(LEGIT);
rows.push(benignRow('openappsec legit-train, all query + body values', legit.all));
rows.push(benignRow('openappsec legit-train, JSON-body values only', legit.json));

console.log('| source | kind | values | flagged | rate |');
console.log('| --- | --- | ---: | ---: | --- |');
for (const r of rows) console.log(r);
console.log(`\nLatency per call: ${latency([...attackValues, ...fps, ...legit.all])}`);
