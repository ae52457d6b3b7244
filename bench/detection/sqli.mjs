#!/usr/bin/env node
// Measures the SQLi detector (src/detect/sqli) on the shared corpus: detection rate per attack
// source, false-alarm rate on benign values, per-call latency. Imports dist/: run `npm run build`
// first. Plain ESM JavaScript: no build step. Usage: node bench/detection/sqli.mjs [--misses N] [--fps N]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = process.env.CORPUS_DIR ?? '/work/shared/corpus';
const { sqli } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'detect', 'sqli', 'index.js')).href);

const { values: args } = parseArgs({ options: { misses: { type: 'string', default: '0' }, fps: { type: 'string', default: '0' } } });

/** Upstream lines are URL-encoded; some are not valid UTF-8 percent-encoding, so fall back to a byte-wise decode. */
function decode(line) {
  try {
    return decodeURIComponent(line.replace(/\+/g, ' '));
  } catch {
    return line.replace(/\+/g, ' ').replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
}

function listFiles(dir, test) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, test));
    else if (test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Non-empty, non-comment lines of a file. */
function lines(file, { skipHash = true } = {}) {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !(skipHash && l.startsWith('#')));
}

function queryValues(url) {
  const q = url.indexOf('?');
  if (q < 0) return [];
  return url
    .slice(q + 1)
    .split('&')
    .map((kv) => decode(kv.includes('=') ? kv.slice(kv.indexOf('=') + 1) : kv))
    .filter((v) => v !== '');
}

function jsonLeaves(node, out) {
  if (typeof node === 'string') {
    if (node !== '') out.push(node);
  } else if (Array.isArray(node)) {
    for (const n of node) jsonLeaves(n, out);
  } else if (node && typeof node === 'object') {
    for (const n of Object.values(node)) jsonLeaves(n, out);
  }
  return out;
}

/** Benign values of one open-appsec record: query values, plus form fields or JSON string leaves of the body. */
function recordValues(rec) {
  const ct = Object.entries(rec.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  const query = queryValues(rec.url ?? '');
  const body = [];
  const data = typeof rec.data === 'string' ? rec.data : '';
  let isJson = false;
  if (data !== '') {
    if (/json/i.test(ct) || /^\s*[[{]/.test(data)) {
      try {
        jsonLeaves(JSON.parse(data), body);
        isJson = /json/i.test(ct);
      } catch {
        /* not JSON after all */
      }
    } else if (/x-www-form-urlencoded/i.test(ct)) {
      body.push(...queryValues('?' + data));
    }
  }
  return { query, body, isJson };
}

function rate(hits, n) {
  return n === 0 ? 'n/a' : `${((100 * hits) / n).toFixed(2)}%`;
}

const rows = [];
const misses = [];
function measureAttacks(name, values) {
  let hit = 0;
  for (const v of values) {
    if (sqli.detect(v)) hit++;
    else misses.push(`${name}: ${v}`);
  }
  rows.push([name, 'detection', values.length, hit, rate(hit, values.length)]);
  return { n: values.length, hit };
}

const fpExamples = [];
function measureBenign(name, values) {
  let hit = 0;
  for (const v of values) {
    const d = sqli.detect(v);
    if (d) {
      hit++;
      fpExamples.push(`${name}: [${d.reason} ${d.confidence}] ${v.slice(0, 160)}`);
    }
  }
  rows.push([name, 'false alarms', values.length, hit, rate(hit, values.length)]);
}

// Attacks.
const libDir = path.join(CORPUS, 'attacks', 'libinjection');
const libValues = listFiles(libDir, (n) => n.startsWith('sqli-') && n.endsWith('.txt')).flatMap((f) => lines(f).map(decode));
// payloadbox lines are raw payloads, some with %XX escapes; `+` there is SQL concatenation, not a space.
const pbDecode = (l) => l.trim().replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
const pbFiles = listFiles(path.join(CORPUS, 'attacks', 'payloadbox-sqli'), (n) => n.endsWith('.txt'));
const pbValues = pbFiles.flatMap((f) => lines(f, { skipHash: false }).map(pbDecode));
const pbSql = pbFiles.filter((f) => !f.includes('NoSQL')).flatMap((f) => lines(f, { skipHash: false }).map(pbDecode));
measureAttacks('libinjection sqli-*.txt (33 files)', libValues);
measureAttacks('payloadbox-sqli Intruder/** (all 24 files)', pbValues);
measureAttacks('payloadbox-sqli without detect/NoSQL', pbSql);

// CRS 942 (SQLi) regression cases that expect a rule to fire: a request counts as detected when any
// of its values (last path segment, query, form body, cookie or other header values) is flagged.
// A cross-check, not a tuning set. Cases given only as `encoded_request` are skipped.
const crsDir = path.join(CORPUS, 'attacks', 'crs-regression-tests', 'tests', 'REQUEST-942-APPLICATION-ATTACK-SQLI');
if (fs.existsSync(crsDir)) {
  const { parse } = await import('yaml');
  let n = 0;
  let hit = 0;
  let n100 = 0;
  let hit100 = 0;
  for (const f of listFiles(crsDir, (x) => x.endsWith('.yaml'))) {
    for (const test of parse(fs.readFileSync(f, 'utf8'))?.tests ?? []) {
      for (const stage of test.stages ?? []) {
        const input = stage.input ?? {};
        if (!(stage.output?.log?.expect_ids?.length > 0) || input.encoded_request) continue;
        const uri = String(input.uri ?? '');
        const pathPart = uri.split('?')[0] ?? '';
        const values = [...queryValues(uri), decode(pathPart.slice(pathPart.lastIndexOf('/') + 1))];
        if (typeof input.data === 'string') values.push(...queryValues('?' + input.data), decode(input.data), input.data);
        for (const [k, v] of Object.entries(input.headers ?? {})) {
          if (/^(host|user-agent|accept)$/i.test(k)) continue;
          values.push(String(v), ...String(v).split(';').map((c) => decode(c.slice(c.indexOf('=') + 1).trim())));
        }
        const libRule = path.basename(f) === '942100.yaml';
        n++;
        if (libRule) n100++;
        if (values.some((v) => sqli.detect(v))) {
          hit++;
          if (libRule) hit100++;
        }
        else misses.push(`crs ${path.basename(f)}#${test.test_id}: ${values.join(' | ').slice(0, 200)}`);
      }
    }
  }
  rows.push(['CRS 942100 requests (PL1 libinjection rule)', 'detection', n100, hit100, rate(hit100, n100)]);
  rows.push(['CRS 942* requests (all rules, PL1-4)', 'detection', n, hit, rate(hit, n)]);
}

// Benign.
measureBenign('libinjection false_positives.txt', lines(path.join(libDir, 'false_positives.txt')).map(decode));
const all = [];
const jsonBody = [];
for (const f of listFiles(path.join(CORPUS, 'benign', 'openappsec-legit-train'), (n) => n.endsWith('.json'))) {
  for (const rec of JSON.parse(fs.readFileSync(f, 'utf8'))) {
    const { query, body, isJson } = recordValues(rec);
    all.push(...query, ...body);
    if (isJson) jsonBody.push(...body);
  }
}
measureBenign('openappsec benign: all values', all);
measureBenign('openappsec benign: JSON-body values', jsonBody);

// Latency: attack and benign values up to 1 KB, measured separately after a warm-up pass.
function latency(values) {
  const sample = values.filter((v) => v.length <= 1024);
  for (const v of sample.slice(0, 20000)) sqli.detect(v);
  const times = [];
  for (const v of sample) {
    const t0 = process.hrtime.bigint();
    sqli.detect(v);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(1);
  return `${times.length} values: p50 ${pct(50)} µs, p99 ${pct(99)} µs`;
}
const latAttack = latency([...libValues, ...pbValues]);
const latBenign = latency(all);
const big = 'a'.repeat(1 << 20) + "' OR 1=1--";
const t0 = process.hrtime.bigint();
sqli.detect(big);
const bigMs = (Number(process.hrtime.bigint() - t0) / 1e6).toFixed(2);

console.log('| Set | Metric | Values | Flagged | Rate |');
console.log('|---|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`\nLatency per call, values ≤ 1 KB: attacks ${latAttack}; benign ${latBenign}. One 1 MB value: ${bigMs} ms`);
const nm = Number(args.misses);
if (nm > 0) console.log('\nMisses:\n' + misses.slice(0, nm).join('\n'));
const nf = Number(args.fps);
if (nf > 0) console.log('\nFalse alarms:\n' + fpExamples.slice(0, nf).join('\n'));
