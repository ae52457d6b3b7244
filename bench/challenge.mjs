#!/usr/bin/env node
// `node bench/challenge.mjs` (after `npm run build`): what each proof-of-work difficulty level
// costs. For each level it issues N challenges, solves each with the Node solver
// (portcullis/solver) and verifies it, then prints a markdown table for docs/challenge.md.
// Solving is sequential (one challenge at a time, the solver's own lanes in parallel), so the
// numbers are what one client waits. Plain ESM JavaScript: no build step beyond `npm run build`.
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { benchLock } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(path.join(ROOT, 'dist', 'src', p)).href;
const { ChallengeService, DIFFICULTY_LEVELS } = await import(dist('abuse/challenge/service.js'));
const { MemoryReplayStore } = await import(dist('abuse/challenge/replay-store.js'));
const { solveChallenge } = await import(dist('solver/index.js'));

// Sized so the whole run stays under two minutes on the 2-core reference machine.
const DEFAULT_N = { 1: 200, 2: 100, 3: 60, 4: 30, 5: 15 };
const THROUGHPUT_BATCH = 200;

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' }, // multiply every N
    concurrency: { type: 'string' }, // solver lanes; default: the solver's own
  },
});
const scale = Number(args.scale);
const concurrency = args.concurrency === undefined ? undefined : Number(args.concurrency);

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const fmt = (x, digits = 1) => x.toFixed(digits);

const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(' ');
const lock = benchLock({ log: (m) => console.error(m), fail: (m) => new Error(m) });
await lock.acquire();
try {
  const svc = new ChallengeService({ hmacKey: 'bench-key-0123456789abcdef0123456789', replay: new MemoryReplayStore() });
  const binding = { method: 'POST', path: '/api/v2/auth/login' };
  const rows = [];
  const started = performance.now();
  for (const level of [1, 2, 3, 4, 5]) {
    const n = Math.max(5, Math.round(DEFAULT_N[level] * scale));
    const { cost, maxCounter } = DIFFICULTY_LEVELS[level];
    const solve = [], verify = [], issue = [];
    for (let i = 0; i < n; i++) {
      let t = performance.now();
      const challenge = await svc.issue(binding, level);
      issue.push(performance.now() - t);
      t = performance.now();
      const header = await solveChallenge(challenge, concurrency === undefined ? {} : { concurrency });
      solve.push(performance.now() - t);
      t = performance.now();
      const result = await svc.verify(header, binding);
      verify.push(performance.now() - t);
      if (!result.ok || result.level !== level) throw new Error(`level ${level}: verify said ${JSON.stringify(result)}`);
    }
    for (const a of [solve, verify, issue]) a.sort((x, y) => x - y);
    rows.push({ level, cost, maxCounter, n, solve, verify, issue });
    console.error(`level ${level}: ${n} challenges, median ${fmt(quantile(solve, 0.5))} ms`);
  }
  // Latency above is one verify at a time; a gateway verifies many at once, which amortises the
  // Web Crypto round trips. Measure that on level-1 payloads (verify cost does not depend on level).
  const batch = [];
  for (let i = 0; i < THROUGHPUT_BATCH; i++) batch.push(await solveChallenge(await svc.issue(binding, 1)));
  const t0 = performance.now();
  const results = await Promise.all(batch.map((h) => svc.verify(h, binding)));
  const concurrentUs = ((performance.now() - t0) / THROUGHPUT_BATCH) * 1000;
  if (!results.every((r) => r.ok)) throw new Error('concurrent verify refused a genuine payload');
  const total = (performance.now() - started) / 1000;

  console.log(`| level | difficulty (PBKDF2 cost × max counter) | N | median solve ms | p90 solve ms | median verify µs | median issue µs |`);
  console.log(`| ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
  for (const r of rows) {
    console.log(`| ${r.level} | ${r.cost} × ${r.maxCounter} | ${r.n} | ${fmt(quantile(r.solve, 0.5))} | ${fmt(quantile(r.solve, 0.9))} `
      + `| ${fmt(quantile(r.verify, 0.5) * 1000, 0)} | ${fmt(quantile(r.issue, 0.5) * 1000, 0)} |`);
  }
  console.log('');
  console.log(`Verifying ${THROUGHPUT_BATCH} payloads concurrently: ${fmt(concurrentUs, 0)} µs each (wall time / count).`);
  console.log('');
  console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, `
    + `solver lanes: ${concurrency ?? 'default'}, load average before: ${loadBefore}, `
    + `${new Date().toISOString().slice(0, 10)}, ${fmt(total)} s in all.`);
} finally {
  lock.release();
}
