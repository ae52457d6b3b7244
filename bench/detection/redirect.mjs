#!/usr/bin/env node
// `node bench/detection/redirect.mjs [--verbose]` (after `npm run build`): how the open-redirect
// detector (src/detect/redirect) does on the public corpus in /work/shared/corpus (or $CORPUS):
// detection on the PayloadsAllTheThings open-redirect lists, flags on the values of redirect-style
// parameters in benign traffic, per-call latency. Prints Markdown tables. Plain ESM JavaScript.
// The corpus is for measuring only: nothing from it is compiled into the detector.
//
// How payload lines are read: each line is one redirect value as it arrives in a parameter, URL-decoded
// once (the gateway's decoding). Lines that are a request template (`/?url=…&next=…`, `/redirect?url=…`)
// are scored by the values of their redirect-style parameters (detected when any is flagged). Lines
// that are meant to be appended to a site's own URL rather than sent as a parameter (`/.example.com`
// → `https://trusted.com.example.com`), bare look-alike domains (`〱google.com`) and JavaScript-string
// payloads (`";alert(0);//`, `\x6A…`) are kept and counted: they are the detector's known misses.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus';
const PATT = path.join(CORPUS, 'attacks', 'patt-nosql-redirect');
const LEGIT = path.join(CORPUS, 'benign', 'openappsec-legit-train');
const VERBOSE = process.argv.includes('--verbose');

const { openRedirect, isRedirectParameter } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'detect', 'redirect', 'index.js')).href);

function urlDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** `[name, value]` pairs of a query string or form body, both URL-decoded (`+` is a space). */
function pairs(qs) {
  const out = [];
  for (const part of qs.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const dec = (x) => urlDecode(x.replace(/\+/g, ' '));
    out.push(eq < 0 ? [dec(part), ''] : [dec(part.slice(0, eq)), dec(part.slice(eq + 1))]);
  }
  return out;
}

/** `[name, value]` pairs of JSON string leaves, named by their nearest key. */
function jsonPairs(v, key, out) {
  if (typeof v === 'string') out.push([key, v]);
  else if (Array.isArray(v)) for (const x of v) jsonPairs(x, key, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) jsonPairs(x, k, out);
  return out;
}

const pct = (n, d) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(2)}%`);
const show = (s) => JSON.stringify(s.length > 140 ? `${s.slice(0, 140)}…` : s);

// ---- attacks
const TEMPLATE = /^\/[a-z]*\?[^=&]+=/i;
const files = fs.readdirSync(PATT).filter((n) => n.startsWith('open-redirect-') && n.endsWith('.txt')).sort();
const rows = [];
const attackValues = [];
let total = 0;
let detected = 0;
let templates = 0;
const reasons = {};
for (const f of files) {
  const lines = fs.readFileSync(path.join(PATT, f), 'utf8').split('\n').filter((l) => l.trim() !== '');
  let hits = 0;
  for (const line of lines) {
    let values;
    if (TEMPLATE.test(line)) {
      templates++;
      values = pairs(line.slice(line.indexOf('?') + 1)).filter(([k]) => isRedirectParameter(k)).map(([, v]) => v);
    } else values = [urlDecode(line)];
    attackValues.push(...values);
    const found = values.map((v) => openRedirect.detect(v)).find((d) => d);
    if (found) {
      hits++;
      reasons[found.reason] = (reasons[found.reason] ?? 0) + 1;
    } else if (VERBOSE) console.error(`MISS ${f}: ${show(line)}`);
  }
  total += lines.length;
  detected += hits;
  rows.push(`| ${f} | ${lines.length} | ${hits} | **${pct(hits, lines.length)}** |`);
}
console.log('### Attacks: PayloadsAllTheThings open-redirect lines (one line = one redirect value, URL-decoded once)\n');
console.log('| file | lines | detected | rate |');
console.log('| --- | ---: | ---: | --- |');
for (const r of rows) console.log(r);
console.log(`| **all** | ${total} | ${detected} | **${pct(detected, total)}** |`);
console.log(`\n${templates} lines are request templates (\`/?url=…&next=…\`), scored by their redirect-parameter values.`);
console.log(`Reasons on detected lines: ${Object.entries(reasons).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);

// ---- benign: values of redirect-style parameters in the benign corpus
const benign = [];
for (const f of fs.readdirSync(LEGIT).filter((n) => n.endsWith('.json')).sort()) {
  for (const r of JSON.parse(fs.readFileSync(path.join(LEGIT, f), 'utf8'))) {
    let host = '';
    try {
      host = new URL(r.url).hostname;
    } catch {
      host = String(Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'host')?.[1] ?? '');
    }
    const site = String(r.site ?? '');
    const q = r.url.indexOf('?');
    const found = [];
    if (q >= 0) found.push(...pairs(r.url.slice(q + 1)));
    if (r.data !== undefined && r.data !== null && r.data !== '') {
      const body = typeof r.data === 'string' ? r.data : JSON.stringify(r.data);
      try {
        jsonPairs(JSON.parse(body), '', found);
      } catch {
        found.push(...pairs(body));
      }
    }
    for (const [k, v] of found) if (v !== '' && isRedirectParameter(k)) benign.push({ name: k, value: v, host, site });
  }
}

/** The registrable-ish tail of a host (`www.shop.example.co.uk` → `example.co.uk`, `a.example.com` → `example.com`). */
function base(h) {
  const parts = h.toLowerCase().replace(/\.$/, '').split('.');
  const n = parts.length >= 3 && parts[parts.length - 2].length <= 3 && parts[parts.length - 1].length === 2 ? 3 : 2;
  return parts.slice(-n).join('.');
}
/** The host a flagged absolute URL points to, or undefined when it does not parse. */
function targetHost(v) {
  try {
    return new URL(v.trim(), 'https://base.invalid/').hostname;
  } catch {
    return undefined;
  }
}

const groups = { relative: [], sameSite: [], otherSite: [], trick: [] };
for (const b of benign) {
  const d = openRedirect.detect(b.value);
  if (!d) {
    groups.relative.push(b);
    continue;
  }
  b.d = d;
  if (d.confidence > 0.6) groups.trick.push(b);
  else {
    const t = targetHost(b.value);
    const own = [b.host, b.site].filter(Boolean).map(base);
    (t && own.includes(base(t)) ? groups.sameSite : groups.otherSite).push(b);
  }
}
console.log('\n### Benign: values of redirect-style parameters (isRedirectParameter) in openappsec legit-train query strings and bodies\n');
console.log('| group | values | share |');
console.log('| --- | ---: | --- |');
console.log(`| all redirect-parameter values | ${benign.length} | 100% |`);
console.log(`| not flagged (relative or no URL) | ${groups.relative.length} | ${pct(groups.relative.length, benign.length)} |`);
console.log(`| flagged ≤ 0.6, **same-site** absolute URL (expected: exempted by configured own hosts) | ${groups.sameSite.length} | ${pct(groups.sameSite.length, benign.length)} |`);
console.log(`| flagged ≤ 0.6, other-site absolute URL (analytics/SSO/CDN; a real redirect there would be open) | ${groups.otherSite.length} | ${pct(groups.otherSite.length, benign.length)} |`);
console.log(`| flagged > 0.6 (trick reasons): **false alarms** | ${groups.trick.length} | **${pct(groups.trick.length, benign.length)}** |`);
const names = {};
for (const b of benign) names[b.name.toLowerCase()] = (names[b.name.toLowerCase()] ?? 0) + 1;
console.log(`\nParameter names seen: ${Object.entries(names).sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, n]) => `${k} ${n}`).join(', ')}`);
if (VERBOSE) {
  for (const [g, list] of Object.entries(groups)) {
    if (g === 'relative') continue;
    for (const b of list) console.error(`FLAG ${g} ${b.d.reason} ${b.d.confidence} ${b.name}= ${show(b.value)} (site ${b.site || b.host})`);
  }
}

// ---- cost
/** ns/call over a value set: the best of `rounds` timed passes after a warm-up (the machine may be shared). */
function nsPerCall(values, rounds = 5) {
  for (const v of values) openRedirect.detect(v);
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (const v of values) openRedirect.detect(v);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / values.length);
  }
  return Math.round(best);
}
const ordinary = ['/account', 'orders/5?x=1', '#top', '/', '/cart?step=2', 'https://example.com/a', 'home'];
console.log('\n### Cost\n');
console.log('| value set | values | ns/call |');
console.log('| --- | ---: | ---: |');
console.log(`| benign redirect-parameter values | ${benign.length} | ${nsPerCall(benign.map((b) => b.value))} |`);
console.log(`| short relative paths and one URL | ${ordinary.length} distinct × 5000 | ${nsPerCall(Array(5000).fill(ordinary).flat())} |`);
console.log(`| attack values | ${attackValues.length} | ${nsPerCall(attackValues)} |`);
console.log(`| one 1 MB value | 1 | ${nsPerCall([' '.repeat(1 << 20) + '//evil.example'], 5)} |`);
