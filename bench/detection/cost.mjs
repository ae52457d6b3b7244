#!/usr/bin/env node
// `node bench/detection/cost.mjs` (after `npm run build`): what detection costs per request body, in
// process: the injection control's evaluate() (every detector, every decoded reading of every value
// and member name) on every benign JSON body of the corpus of 0.8–1.3 KB (real payloads, not
// padded), under an open schema (nothing pinned: the worst case; a contract with enums and formats
// skips more). Prints p50/p99/max over all calls and p50/p99 of each body's median of five calls, after a warm-up. No network: the SSRF guard, which
// resolves names, is not part of this figure.
// Plain ESM JavaScript; the corpus is read, never compiled into anything.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus';
const dist = (p) => import(pathToFileURL(path.join(ROOT, 'dist', 'src', p)).href);
const { validateConfig } = await dist('config/load.js');
const { compileSpec } = await dist('openapi/compile.js');
const { injection } = await dist('controls/injection/index.js');

const doc = {
  openapi: '3.1.0', info: { title: 'cost', version: '1' },
  paths: { '/doc': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: { 200: { description: 'ok' } } } } },
};
const op = compileSpec({ file: 'inline', version: '3.1', doc }, { upstream: 'u', rejectUndeclared: false }).operations[0];
const config = validateConfig({ upstreams: [{ url: 'http://127.0.0.1:1', spec: 'x.yaml' }] }, { baseDir: '/' });
const control = await injection.create({ config });

const dir = path.join(CORPUS, 'benign', 'openappsec-legit-train');
const bodies = [];
for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
  let recs = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  if (!Array.isArray(recs)) recs = recs.requests ?? Object.values(recs);
  for (const r of recs) {
    if (typeof r.data !== 'string' || r.data.length < 800 || r.data.length > 1300) continue;
    try {
      const v = JSON.parse(r.data);
      if (v && typeof v === 'object' && !Array.isArray(v)) bodies.push({ bytes: Buffer.byteLength(r.data), value: v });
    } catch { /* not JSON */ }
  }
}
if (bodies.length < 100) throw new Error(`only ${bodies.length} JSON bodies of 0.8–1.3 KB in ${dir}`);

const ctxOf = (b) => ({
  id: 'r', receivedAt: 0, method: 'POST', path: '/doc', rawQuery: null, query: undefined, headers: {}, clientIp: '127.0.0.1',
  route: { upstream: 'u', item: undefined, operation: op, rawParams: {} },
  principal: { id: 'ip:127.0.0.1', kind: 'anonymous', roles: [], scopes: [] },
  body: { bytes: Buffer.alloc(0), mediaType: 'application/json', value: b.value, decoded: true },
  validated: { params: true, bodyMedia: 'application/json' }, flagged: [], modified: [],
});
const run = (b) => {
  const ctx = ctxOf(b);
  const t = process.hrtime.bigint();
  const v = control.evaluate(ctx, 'requestBody');
  return { us: Number(process.hrtime.bigint() - t) / 1000, verdicts: v.kind === 'pass' ? 0 : 1 };
};
for (let i = 0; i < 3; i++) for (const b of bodies) run(b);
const times = [];
const perBody = bodies.map(() => []);
let blocked = 0;
for (let round = 0; round < 5; round++) {
  bodies.forEach((b, i) => { const r = run(b); times.push(r.us); perBody[i].push(r.us); if (round === 0 && r.verdicts) blocked++; });
}
times.sort((a, b) => a - b);
const at = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
// A body's own cost, without the scheduler's or a collector's pause that happened to hit one of its calls:
// the median of its five calls. Reported beside the raw figures, not instead of them.
const medians = perBody.map((t) => [...t].sort((a, b) => a - b)[2]).sort((a, b) => a - b);
const sizes = bodies.map((b) => b.bytes).sort((a, b) => a - b);
console.log(`| bodies | size p50 | calls | p50 µs | p99 µs | max µs | per-body median: p50 / p99 µs | bodies with a finding |`);
console.log(`| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
console.log(`| ${bodies.length} | ${sizes[sizes.length >> 1]} B | ${times.length} | ${at(times, 0.5)} | ${at(times, 0.99)} | ${times[times.length - 1].toFixed(1)} | ${at(medians, 0.5)} / ${at(medians, 0.99)} | ${blocked} |`);
