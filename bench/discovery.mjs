#!/usr/bin/env node
// `npm run bench:discovery`: what `portcullis discover` costs on a large access log. Writes a
// synthetic combined log (default 100 000 entries: a realistic mix of templates, ids, statuses,
// callers and response times) to a temp file, then, in a fresh child process, runs the discover
// pipeline on it as the CLI does (two passes over the file, the diff against a declared spec,
// risk, learned limits, the OpenAPI export) and reports entries/s and peak memory.
// Imports dist/: run `npm run build` first. See bench/README.md ("bench/discovery.mjs").
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist', 'src');

const USAGE = `usage: node bench/discovery.mjs [options]      (npm run bench:discovery -- [options])
  --entries <n>   log entries to generate (default 100000)
  --rounds <n>    pipeline runs, each in a fresh process; the best and the median are reported (default 3)
  --keep          keep the generated log and spec (their paths are printed)
  --json          print the figures as JSON
After the timed rounds, one untimed run collects garbage every 50 000 records to report the live heap.`;

// xorshift32: the same log every run.
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}

const SLUGS = Array.from({ length: 300 }, (_, i) => `${['red', 'blue', 'green', 'black', 'white', 'steel', 'oak'][i % 7]}-${['chair', 'table', 'lamp', 'desk', 'shelf', 'sofa'][i % 6]}-${i}`);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function clf(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function hex(r, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
}

function uuid(r) {
  const h = hex(r, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** One request: [weight, method, path, statuses] — about 15 endpoints, ids drawn from large ranges. */
function request(r) {
  const x = r();
  const order = 1000 + Math.floor(r() * 50_000);
  if (x < 0.30) return ['GET', `/api/v2/orders/${order}`, [200, 200, 200, 200, 200, 200, 304, 404, 500]];
  if (x < 0.38) return ['POST', '/api/v2/orders', [201, 201, 201, 400, 422]];
  if (x < 0.43) return ['DELETE', `/api/v2/orders/${order}`, [204, 204, 404, 403]];
  if (x < 0.53) return ['GET', `/api/v2/orders/${order}/items/${1 + Math.floor(r() * 20)}`, [200, 200, 200, 404]];
  if (x < 0.61) return ['GET', `/api/v2/users/${uuid(r)}`, [200, 200, 200, 401, 404]];
  if (x < 0.64) return ['GET', '/api/v2/users/me', [200, 200, 401]];
  if (x < 0.72) return ['GET', `/api/v2/products/${SLUGS[Math.floor(r() * SLUGS.length)]}`, [200, 200, 200, 404]];
  if (x < 0.78) return ['GET', `/api/v2/products?page=${1 + Math.floor(r() * 40)}&sort=${r() < 0.5 ? 'price' : 'name'}`, [200]];
  if (x < 0.82) return ['GET', `/api/v2/search?q=${SLUGS[Math.floor(r() * SLUGS.length)].split('-')[1]}`, [200, 200, 500]];
  if (x < 0.86) return ['GET', `/api/v1/orders/${order}`, [200, 200, 410]];
  if (x < 0.91) return ['GET', '/health', [200]];
  if (x < 0.96) return ['GET', `/static/app.${hex(r, 12)}.js`, [200, 304]];
  if (x < 0.98) return ['PUT', `/api/v2/users/${uuid(r)}/avatar`, [200, 413]];
  if (x < 0.99) return ['GET', '/internal/metrics', [200]];
  return ['GET', `/.env`, [404]];
}

async function generate(file, entries) {
  const r = rng(6);
  const out = createWriteStream(file);
  const t0 = Date.parse('2024-05-01T00:00:00Z');
  const users = Array.from({ length: 400 }, (_, i) => `user${i}`);
  let batch = '';
  for (let i = 0; i < entries; i++) {
    const [method, target, statuses] = request(r);
    const client = `10.${Math.floor(r() * 8)}.${Math.floor(r() * 250)}.${1 + Math.floor(r() * 8)}`; // ~16 000 addresses
    const user = r() < 0.3 ? users[Math.floor(r() ** 2 * users.length)] : '-';
    const status = statuses[Math.floor(r() * statuses.length)];
    const seconds = (0.002 + r() ** 3 * 0.8).toFixed(3);
    batch += `${client} - ${user} [${clf(t0 + Math.floor(i * 250 + r() * 100))}] "${method} ${target} HTTP/1.1" ${status} ${Math.floor(r() * 5000)} "-" "bench-client/1.0" ${seconds}\n`;
    if (batch.length > 1 << 16) {
      if (!out.write(batch)) await new Promise((ok) => out.once('drain', ok));
      batch = '';
    }
  }
  out.end(batch);
  await new Promise((ok, ko) => { out.on('finish', ok); out.on('error', ko); });
}

const SPEC = `openapi: 3.1.0
info: { title: bench, version: "2" }
servers: [{ url: /api/v2 }]
paths:
  /orders: { post: { responses: { "201": { description: created } } } }
  /orders/{id}:
    get: { parameters: [{ name: id, in: path, required: true, schema: { type: integer } }], responses: { "200": { description: ok } } }
    delete: { parameters: [{ name: id, in: path, required: true, schema: { type: integer } }], responses: { "204": { description: ok } } }
  /orders/{id}/items/{item}: { get: { responses: { "200": { description: ok } } } }
  /users/{id}: { get: { deprecated: true, responses: { "200": { description: ok } } } }
  /users/me: { get: { responses: { "200": { description: ok } } } }
  /products/{slug}: { get: { responses: { "200": { description: ok } } } }
  /products: { get: { parameters: [{ name: page, in: query, schema: { type: integer } }], responses: { "200": { description: ok } } } }
  /invoices/{id}: { get: { responses: { "200": { description: ok } } } }
`;

/**
 * The measured part, in a child process of its own: the discover pipeline as the CLI runs it.
 * With `gc` (node --expose-gc), a collection every 50 000 records gives the live heap: what the
 * pipeline keeps, garbage aside. That run is not timed.
 */
async function measure(file, specFile, gc) {
  const { discover } = await import(pathToFileURL(path.join(DIST, 'discovery', 'pipeline.js')).href);
  const { readCombinedLog } = await import(pathToFileURL(path.join(DIST, 'discovery', 'sources', 'combined-log.js')).href);
  const { exportOpenApi } = await import(pathToFileURL(path.join(DIST, 'discovery', 'export', 'openapi.js')).href);
  const { renderLimitsYaml } = await import(pathToFileURL(path.join(DIST, 'discovery', 'limits', 'yaml.js')).href);
  const { loadSpec } = await import(pathToFileURL(path.join(DIST, 'openapi', 'load.js')).href);
  const spec = await loadSpec(specFile);
  const rssBefore = process.memoryUsage().rss;
  let heapPeak = 0;
  let rssPeak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapUsed);
    rssPeak = Math.max(rssPeak, m.rss);
  };
  const timer = setInterval(sample, 20);
  const start = process.hrtime.bigint();
  let livePeak = 0;
  const onProgress = gc ? () => { globalThis.gc(); livePeak = Math.max(livePeak, process.memoryUsage().heapUsed); } : undefined;
  const result = await discover(() => readCombinedLog(createReadStream(file), { trailingDuration: 'seconds' }), { spec, onProgress, progressEvery: 50_000 });
  const doc = exportOpenApi(result.inventory);
  const limits = renderLimitsYaml(result.limits.learned, result.limits.unlimited, result.summary);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  sample();
  clearInterval(timer);
  return {
    ms, records: result.summary.records, endpoints: result.endpoints.length, byStatus: result.summary.byStatus,
    paths: Object.keys(doc.paths).length, limits: result.limits.learned.length, limitsBytes: limits.length,
    liveHeapPeakMiB: livePeak / 2 ** 20, rssBeforeMiB: rssBefore / 2 ** 20, rssPeakSampledMiB: rssPeak / 2 ** 20, maxRssMiB: process.resourceUsage().maxRSS / 1024, heapPeakMiB: heapPeak / 2 ** 20,
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({ args: process.argv.slice(2), options: { entries: { type: 'string' }, rounds: { type: 'string' }, keep: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' }, 'child-run': { type: 'string' }, spec: { type: 'string' }, gc: { type: 'boolean' } } }));
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) { console.log(USAGE); return; }
  if (values['child-run']) {
    process.stdout.write(JSON.stringify(await measure(values['child-run'], values.spec, values.gc === true)));
    return;
  }
  const int = (v, name, dflt) => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) { console.error(`--${name} must be a positive integer\n${USAGE}`); process.exit(2); }
    return n;
  };
  const entries = int(values.entries, 'entries', 100_000);
  const rounds = int(values.rounds, 'rounds', 3);
  try {
    statSync(path.join(DIST, 'discovery', 'pipeline.js'));
  } catch {
    console.error('dist/ is missing or old: run `npm run build` first');
    process.exit(1);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portcullis-discovery-bench-'));
  const file = path.join(dir, 'access.log');
  const specFile = path.join(dir, 'openapi.yaml');
  writeFileSync(specFile, SPEC);
  const g0 = Date.now();
  await generate(file, entries);
  const size = statSync(file).size;
  process.stderr.write(`generated ${entries} entries (${(size / 2 ** 20).toFixed(1)} MiB) in ${Date.now() - g0} ms: ${file}\n`);
  const runs = [];
  for (let i = 0; i < rounds; i++) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child-run', file, '--spec', specFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) { console.error(child.stderr); process.exit(1); }
    runs.push(JSON.parse(child.stdout));
    process.stderr.write(`round ${i + 1}/${rounds}: ${runs[i].ms.toFixed(0)} ms\n`);
  }
  const live = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child-run', file, '--spec', specFile, '--gc'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (live.status !== 0) { console.error(live.stderr); process.exit(1); }
  const liveHeapPeakMiB = JSON.parse(live.stdout).liveHeapPeakMiB;
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const rate = (r) => Math.round((r.records / r.ms) * 1000);
  const summary = {
    entries, bytes: size, rounds, node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model,
    entriesPerSecond: { best: rate(best), median: median(runs.map(rate)) },
    ms: { best: Math.round(best.ms), median: Math.round(median(runs.map((r) => r.ms))) },
    maxRssMiB: Math.round(Math.max(...runs.map((r) => r.maxRssMiB))), heapPeakMiB: Math.round(Math.max(...runs.map((r) => r.heapPeakMiB))), liveHeapPeakMiB: Math.round(liveHeapPeakMiB),
    rssBeforeMiB: Math.round(best.rssBeforeMiB), endpoints: best.endpoints, byStatus: best.byStatus, limits: best.limits,
    ...(values.keep ? { file, spec: specFile } : {}),
  };
  if (values.json) { console.log(JSON.stringify(summary, null, 2)); return; }
  console.log(`# portcullis discover on a ${entries}-entry combined access log (${(size / 2 ** 20).toFixed(1)} MiB)

${summary.cpu} (${summary.cpus} CPUs), Node ${summary.node}; ${rounds} rounds, each a fresh process. Two passes over the file
(templates, then aggregates), diff against a 9-operation spec, risk, learned limits, OpenAPI export.

| | best | median |
| --- | ---: | ---: |
| entries/s | ${summary.entriesPerSecond.best} | ${summary.entriesPerSecond.median} |
| time, ms | ${summary.ms.best} | ${summary.ms.median} |

Peak memory (worst round): max RSS ${summary.maxRssMiB} MiB (the process before the run: ${summary.rssBeforeMiB} MiB), heap high-water ${summary.heapPeakMiB} MiB
(garbage included); live heap (after a GC every 50 000 records, an untimed extra run) at most ${summary.liveHeapPeakMiB} MiB.
Found ${summary.endpoints} endpoints (${Object.entries(summary.byStatus).map(([k, v]) => `${v} ${k}`).join(', ')}), ${summary.limits} learned limits.`);
}

await main();
