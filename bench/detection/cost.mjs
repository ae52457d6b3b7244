#!/usr/bin/env node
// `node bench/detection/cost.mjs` (after `npm run build`): what detection costs per request body, in
// process: the injection control's evaluate() (every detector, every decoded reading of every value
// and member name) on every benign JSON body of the corpus of 0.8–1.3 KB (real payloads, not
// padded), under an open schema (nothing pinned: the worst case; a contract with enums and formats
// skips more). Prints p50/p99/max over all calls and p50/p99 of each body's median of five calls, after a warm-up. No network: the SSRF guard, which
// resolves names, is not part of this figure. To compare two builds, use ab.mjs (same process, interleaved).
// Plain ESM JavaScript; the corpus is read, never compiled into anything.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { costBodies, costFigures, loadBuild, timeEvaluate } from './cost-setup.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus';
const build = await loadBuild(ROOT);
const bodies = costBodies(CORPUS);

for (let i = 0; i < 3; i++) for (const b of bodies) timeEvaluate(build, b);
const times = [];
const perBody = bodies.map(() => []);
let blocked = 0;
for (let round = 0; round < 5; round++) {
  bodies.forEach((b, i) => { const r = timeEvaluate(build, b); times.push(r.us); perBody[i].push(r.us); if (round === 0 && r.verdict) blocked++; });
}
const f = costFigures(times, perBody);
const sizes = bodies.map((b) => b.bytes).sort((a, b) => a - b);
console.log(`| bodies | size p50 | calls | p50 µs | p99 µs | max µs | per-body median: p50 / p99 µs | bodies with a finding |`);
console.log(`| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
console.log(`| ${bodies.length} | ${sizes[sizes.length >> 1]} B | ${f.calls} | ${f.p50.toFixed(1)} | ${f.p99.toFixed(1)} | ${f.max.toFixed(1)} | ${f.medP50.toFixed(1)} / ${f.medP99.toFixed(1)} | ${blocked} |`);
