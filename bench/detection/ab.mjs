#!/usr/bin/env node
// `A=/tmp/base B=. node bench/detection/ab.mjs [DET=sqli] [ROUNDS=7]`: two builds of the injection
// control (each a checkout with dist/ built) compared in one process, on cost.mjs's bodies, calls
// interleaved body by body (which build goes first alternates), so a shared or throttled host slows
// both alike: only ratios from one run mean anything. Prints, for each build:
//   - cost.mjs's figures (evaluate(): p50/p99 over calls, p50/p99 of per-body medians);
//   - per detector, the time of its detect() on every reading of every input of a body (the median
//     of the rounds per body), summed over all bodies and over the slowest 5% (by A's median);
//   - readings and characters each detector is shown, and any body whose verdict or per-detector
//     finding differs between the builds (a cost change must not change one).
// DET=name[,name] limits the per-detector part to those detectors. VALUES=1 adds the same per-detector
// comparison on corpus values beyond the cost bodies (every libinjection line, 20,000 benign openappsec
// values, each decoded as the gateway does), so that a change that pays on analytics beacons is seen
// to cost nothing on attacks, prose and form bodies. Plain ESM JavaScript.
import fs from 'node:fs';
import path from 'node:path';
import { costBodies, costFigures, loadBuild, timeEvaluate } from './cost-setup.mjs';
import { legitValues, urlDecode } from './corpus.mjs';

const A = process.env.A ?? '/tmp/base';
const B = process.env.B ?? '.';
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus';
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const ONLY = process.env.DET ? new Set(process.env.DET.split(',')) : undefined;
if (path.resolve(A) === path.resolve(B)) console.error('warning: A and B are the same checkout');

const builds = [await loadBuild(A), await loadBuild(B)];
const bodies = costBodies(CORPUS);
/** A name per detector: its id, numbered when another detector has the same one (the upload check is also `code`). */
const labelsOf = (bu) => bu.detectors.map((d, i, all) => {
  const n = all.slice(0, i).filter((x) => x.id === d.id).length;
  return n === 0 ? d.id : `${d.id} (${n + 1})`;
});
const labels = builds.map(labelsOf);
if (labels[0].join() !== labels[1].join()) throw new Error(`the builds run different detectors: ${labels[0].join(', ')} / ${labels[1].join(', ')}`);
const ids = labels[0].filter((id) => !ONLY || ONLY.has(id) || ONLY.has(id.split(' ')[0]));
for (const id of ONLY ?? []) if (!ids.some((x) => x.split(' ')[0] === id)) throw new Error(`no detector ${id} (have ${labels[0].join(', ')})`);

/**
 * What each detector of `build` is shown for body `b`: every decoded reading of every input it applies
 * to, as the control's evaluate() would show them were nothing found (the bodies are benign).
 */
function readingsOf(k, b) {
  const build = builds[k];
  const per = new Map(labels[k].map((l) => [l, []]));
  for (const input of build.collectInputs(build.ctxOf(b))) {
    const variants = input.kind === 'document' ? [input.value] : build.decodeVariants(input.value);
    build.detectors.forEach((d, j) => {
      const applies = input.kind === 'document' ? d.readsDocuments === true : d.appliesTo === undefined || d.appliesTo(input.kind, input.name);
      if (applies) per.get(labels[k][j]).push(...variants);
    });
  }
  return per;
}
const detectorOf = builds.map((bu, k) => new Map(bu.detectors.map((d, j) => [labels[k][j], d])));
const readings = builds.map((_, k) => bodies.map((b) => readingsOf(k, b)));

// Same findings in both builds: the body's verdict, and per detector the first finding over its readings.
const firstFinding = (k, i, id) => {
  const d = detectorOf[k].get(id);
  for (const v of readings[k][i].get(id)) { const h = d.detect(v); if (h) return `${h.reason} ${h.confidence}`; }
  return '';
};
const diffs = [];
bodies.forEach((b, i) => {
  const va = timeEvaluate(builds[0], b).verdict;
  const vb = timeEvaluate(builds[1], b).verdict;
  if (va !== vb) diffs.push(`body ${i}: verdict ${va} vs ${vb}`);
  for (const id of ids) {
    const fa = firstFinding(0, i, id);
    const fb = firstFinding(1, i, id);
    if (fa !== fb) diffs.push(`body ${i} ${id}: ${JSON.stringify(fa)} vs ${JSON.stringify(fb)}`);
  }
});

// Timed part. Each round visits every body once; per body, both builds' evaluate() then both builds'
// per-detector loops, the build order alternating with the body and the round.
const evalTimes = builds.map(() => []);
const evalPerBody = builds.map(() => bodies.map(() => []));
/** What every detector's work rests on: collecting the inputs of a fresh context and decoding each. */
const INPUTS = 'inputs + decoding';
const timed = [...ids, INPUTS];
const detPerBody = builds.map(() => new Map(timed.map((id) => [id, bodies.map(() => [])])));
function timeInputs(k, i) {
  const build = builds[k];
  const t = process.hrtime.bigint();
  for (const input of build.collectInputs(build.ctxOf(bodies[i]))) if (input.kind !== 'document') build.decodeVariants(input.value);
  return Number(process.hrtime.bigint() - t) / 1000;
}
function timeDetector(k, i, id) {
  if (id === INPUTS) return timeInputs(k, i);
  const d = detectorOf[k].get(id);
  const list = readings[k][i].get(id);
  const t = process.hrtime.bigint();
  for (let j = 0; j < list.length; j++) d.detect(list[j]);
  return Number(process.hrtime.bigint() - t) / 1000;
}
const WARMUP = 3;
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  const record = round >= WARMUP;
  for (let i = 0; i < bodies.length; i++) {
    const order = (i + round) % 2 === 0 ? [0, 1] : [1, 0];
    for (const k of order) {
      const us = timeEvaluate(builds[k], bodies[i]).us;
      if (record) { evalTimes[k].push(us); evalPerBody[k][i].push(us); }
    }
    for (const id of timed) {
      for (const k of order) {
        const us = timeDetector(k, i, id);
        if (record) detPerBody[k].get(id)[i].push(us);
      }
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fig = builds.map((_, k) => costFigures(evalTimes[k], evalPerBody[k]));
const baseMedians = evalPerBody[0].map(median);
const tailCount = Math.max(1, Math.round(bodies.length * 0.05));
const tail = baseMedians.map((m, i) => [m, i]).sort((a, b) => b[0] - a[0]).slice(0, tailCount).map(([, i]) => i);
const sumMedians = (k, id, idx) => idx.reduce((s, i) => s + median(detPerBody[k].get(id)[i]), 0);
const all = bodies.map((_, i) => i);
const ratio = (a, b) => (a > 0 ? `${(b / a).toFixed(2)}×` : '–');
const f1 = (x) => x.toFixed(1);

console.log(`A = ${path.resolve(A)}\nB = ${path.resolve(B)}\n${bodies.length} bodies, ${ROUNDS} rounds after ${WARMUP} warm-up, interleaved; slowest 5% = ${tailCount} bodies by A's median evaluate()\n`);
const tailMean = (k) => tail.reduce((s, i) => s + median(evalPerBody[k][i]), 0) / tail.length;
console.log('| build | calls | p50 µs | p99 µs | max µs | per-body median p50 / p99 µs | slowest 5%: mean of medians µs |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
fig.forEach((f, k) => console.log(`| ${'AB'[k]} | ${f.calls} | ${f1(f.p50)} | ${f1(f.p99)} | ${f1(f.max)} | ${f1(f.medP50)} / ${f1(f.medP99)} | ${f1(tailMean(k))} |`));
console.log(`| B/A | | ${ratio(fig[0].p50, fig[1].p50)} | ${ratio(fig[0].p99, fig[1].p99)} | | ${ratio(fig[0].medP50, fig[1].medP50)} / ${ratio(fig[0].medP99, fig[1].medP99)} | ${ratio(tailMean(0), tailMean(1))} |\n`);

const count = (k, id, idx) => idx.reduce((s, i) => s + readings[k][i].get(id).length, 0);
const chars = (k, id, idx) => idx.reduce((s, i) => s + readings[k][i].get(id).reduce((n, v) => n + v.length, 0), 0);
console.log('Per detector: µs per body (sum of per-body medians ÷ bodies); readings and characters per body.\n');
console.log('| detector | all: A µs | B µs | B/A | slowest 5%: A µs | B µs | B/A | share of A\'s tail | readings A / B (tail) | chars A / B (tail) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const tailTotal = ids.reduce((s, id) => s + sumMedians(0, id, tail), 0);
const rows = timed.map((id) => ({ id, a: sumMedians(0, id, all) / all.length, b: sumMedians(1, id, all) / all.length, ta: sumMedians(0, id, tail) / tail.length, tb: sumMedians(1, id, tail) / tail.length }));
rows.sort((x, y) => y.ta - x.ta);
for (const r of rows) {
  if (r.id === INPUTS) continue;
  console.log(`| ${r.id} | ${f1(r.a)} | ${f1(r.b)} | ${ratio(r.a, r.b)} | ${f1(r.ta)} | ${f1(r.tb)} | ${ratio(r.ta, r.tb)} | ${((100 * r.ta * tail.length) / tailTotal).toFixed(0)}% | ${(count(0, r.id, tail) / tail.length).toFixed(1)} / ${(count(1, r.id, tail) / tail.length).toFixed(1)} | ${(chars(0, r.id, tail) / tail.length).toFixed(0)} / ${(chars(1, r.id, tail) / tail.length).toFixed(0)} |`);
}
const tot = (key) => rows.reduce((s, r) => s + (r.id === INPUTS ? 0 : r[key]), 0);
console.log(`| **detectors** | ${f1(tot('a'))} | ${f1(tot('b'))} | ${ratio(tot('a'), tot('b'))} | ${f1(tot('ta'))} | ${f1(tot('tb'))} | ${ratio(tot('ta'), tot('tb'))} | 100% | | |`);
const inp = rows.find((r) => r.id === INPUTS);
console.log(`| ${INPUTS} | ${f1(inp.a)} | ${f1(inp.b)} | ${ratio(inp.a, inp.b)} | ${f1(inp.ta)} | ${f1(inp.tb)} | ${ratio(inp.ta, inp.tb)} | | | |\n`);
console.log(diffs.length === 0 ? 'Findings: identical in both builds (verdicts of every body; first finding of every detector shown).' : `Findings DIFFER (${diffs.length}):\n${diffs.slice(0, 20).join('\n')}`);
if (diffs.length > 0) process.exitCode = 1;

if (process.env.VALUES === '1') {
  const lib = path.join(CORPUS, 'attacks', 'libinjection');
  const attacks = [];
  for (const f of fs.readdirSync(lib).filter((n) => n.endsWith('.txt')).sort()) {
    for (const l of fs.readFileSync(path.join(lib, f), 'utf8').split('\n')) if (l.trim() !== '' && !l.startsWith('#')) attacks.push(urlDecode(l));
  }
  const benign = legitValues(path.join(CORPUS, 'benign', 'openappsec-legit-train')).all.slice(0, 20_000);
  console.log('\nPer detector on corpus values: ms for all their readings (per chunk of 500 values the best of 8 rounds, builds alternating).\n');
  console.log('| detector | attacks: A ms | B ms | B/A | benign: A ms | B ms | B/A |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const sets = [attacks, benign].map((values) => builds.map((bu) => values.map((v) => bu.decodeVariants(v))));
  const timeSet = (id, perBuild) => {
    const best = builds.map(() => []);
    const chunks = Math.ceil(perBuild[0].length / 500);
    for (let round = 0; round < 8; round++) {
      for (let c = 0; c < chunks; c++) {
        for (const k of (c + round) % 2 === 0 ? [0, 1] : [1, 0]) {
          const d = detectorOf[k].get(id);
          const t = process.hrtime.bigint();
          for (const rs of perBuild[k].slice(c * 500, (c + 1) * 500)) for (const r of rs) d.detect(r);
          best[k][c] = Math.min(best[k][c] ?? Infinity, Number(process.hrtime.bigint() - t) / 1e6);
        }
      }
    }
    return best.map((b) => b.reduce((x, y) => x + y, 0));
  };
  for (const id of ids) {
    const [a, b] = sets.map((perBuild) => timeSet(id, perBuild));
    console.log(`| ${id} | ${a[0].toFixed(1)} | ${a[1].toFixed(1)} | ${ratio(a[0], a[1])} | ${b[0].toFixed(1)} | ${b[1].toFixed(1)} | ${ratio(b[0], b[1])} |`);
  }
}

