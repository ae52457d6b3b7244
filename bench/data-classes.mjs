#!/usr/bin/env node
// `npm run bench:data-classes`: what the sensitive-data scan (src/detect/data-classes) costs per
// JSON body, with the detectors' pre-checks on (what the gateway runs) and off (the baseline: every
// detector on every string), side by side in interleaved rounds. Imports dist/: run `npm run build`
// first. See bench/README.md ("bench/data-classes.mjs"). Plain ESM JavaScript: no build step.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { makeItem, WORDS } from './page.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODULE = path.join(ROOT, 'dist', 'src', 'detect', 'data-classes', 'index.js');
const SRC_DIR = path.join(ROOT, 'src', 'detect', 'data-classes');

const USAGE = `usage: node bench/data-classes.mjs [options]      (npm run bench:data-classes -- [options])
  --rounds <n>     interleaved rounds (default 7)
  --ms <n>         milliseconds per measurement (default 250)
  --quick          3 rounds of 100 ms (smoke check)
  --other <file>   also time this build of data-classes/index.js (e.g. a copy of an older dist/), as a third column`;

function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { rounds: { type: 'string' }, ms: { type: 'string' }, quick: { type: 'boolean' }, other: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) { console.log(USAGE); process.exit(0); }
  const int = (v, name, dflt) => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) { console.error(`--${name} must be a positive integer\n${USAGE}`); process.exit(2); }
    return n;
  };
  return {
    rounds: int(values.rounds, 'rounds', values.quick ? 3 : 7),
    ms: int(values.ms, 'ms', values.quick ? 100 : 250),
    other: values.other && path.resolve(values.other),
  };
}

// ---------------------------------------------------------------------------------------------
// Bodies: deterministic, so every run measures the same values.


/** The page bench/controls.mjs serves: 40 items, 5 declared and 2 undeclared members each. */
function realisticBody() {
  return { items: Array.from({ length: 40 }, (_, i) => makeItem(i)), next: null };
}

/** Long prose with what prose holds (prices, dates, times, versions, URLs, percentages), no sensitive value. */
function textHeavyBody() {
  const word = (n) => WORDS[(n * 13 + 5) % WORDS.length];
  const extras = (n) => [`$${(n % 90) + 9}.99`, `2024-0${(n % 9) + 1}-1${n % 10}`, `${(n % 12) + 1}:30`, `v${n % 4}.${n % 10}.${n % 7}`,
    `https://docs.example.com/guides/${word(n)}-${word(n + 1)}`, `${(n * 7) % 100}%`, `${n * 3} items`][n % 7];
  const sentence = (n) => {
    const words = Array.from({ length: 9 + (n % 8) }, (_, k) => (k === 4 ? extras(n + k) : word(n * 3 + k)));
    return `${words.join(' ')}.`.replace(/^./, (c) => c.toUpperCase());
  };
  const paragraph = (n) => Array.from({ length: 6 }, (_, k) => sentence(n * 6 + k)).join(' ');
  const article = (i) => ({
    id: `art-${100 + i}`,
    title: `${word(i)} and ${word(i + 3)}: notes on the ${word(i + 5)} release`,
    summary: sentence(i * 11),
    body: Array.from({ length: 4 }, (_, k) => paragraph(i * 4 + k)).join('\n\n'),
    author: { name: `${word(i + 7)} ${word(i + 9)}`, handle: `@${word(i + 2)}` },
    tags: [word(i), word(i + 4), 'release-notes'],
    publishedAt: `2024-03-${String(10 + (i % 18)).padStart(2, '0')}T09:${String(i % 60).padStart(2, '0')}:00Z`,
    stats: { views: 1200 + i * 37, likes: 40 + i, readMinutes: 4 + (i % 5) },
  });
  return { articles: Array.from({ length: 12 }, (_, i) => article(i)), total: 12 };
}

function luhnComplete(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return body + ((10 - (sum % 10)) % 10);
}

function germanIban(account) {
  const bban = `37040044${String(account).padStart(10, '0')}`;
  // MOD 97 of BBAN + "DE00" (D=13, E=14), folded as we go.
  let rem = 0;
  for (const ch of `${bban}131400`) rem = (rem * 10 + Number(ch)) % 97;
  const iban = `DE${String(98 - rem).padStart(2, '0')}${bban}`;
  return iban.match(/.{1,4}/g).join(' ');
}

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const CRYPT64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 40 customer records, each with one value of every class, amid ordinary members. */
function sensitiveBody() {
  const fill = (n, alphabet, seed) => Array.from({ length: n }, (_, k) => alphabet[(k * 7 + seed) % alphabet.length]).join('');
  const customer = (i) => ({
    id: 5000 + i,
    name: `${WORDS[i % WORDS.length]} ${WORDS[(i + 5) % WORDS.length]}`,
    email: `${WORDS[i % WORDS.length]}.${i}@example.org`,
    phone: `+1 415 555 ${String(2600 + i)}`,
    card: luhnComplete(`411111111111${String(100 + i)}`),
    iban: germanIban(532013000 + i),
    ssn: `078-05-${String(1120 + i)}`,
    lastLoginIp: `10.0.${i}.${(i * 7) % 250}`,
    session: JWT,
    apiKey: `AKIA${fill(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', i)}`,
    passwordHash: `$2b$12$${fill(53, CRYPT64, i)}`,
    note: `customer since ${2010 + (i % 14)}, prefers email`,
    balance: (i * 1234) / 100,
  });
  return { customers: Array.from({ length: 40 }, (_, i) => customer(i)) };
}

// ---------------------------------------------------------------------------------------------
// Measurement

const ALL = ['private-key', 'jwt', 'cloud-secret', 'password-hash', 'email', 'payment-card', 'iban', 'national-id', 'phone', 'ip-address'];
/** What the sensitive-data control scans for by default: every class but email, phone, ip-address and jwt. */
const DENIED = ALL.filter((c) => !['email', 'phone', 'ip-address', 'jwt'].includes(c));

function cases() {
  const bodies = [
    ['realistic (40 items, bench:controls page)', realisticBody()],
    ['clean text-heavy (12 articles)', textHeavyBody()],
    ['many sensitive values (40 customers)', sensitiveBody()],
  ];
  const out = [];
  for (const [name, value] of bodies) {
    for (const [setName, classes] of [['denied (6)', DENIED], ['all (10)', ALL]]) {
      out.push({ name, bytes: Buffer.byteLength(JSON.stringify(value)), value, setName, classes: new Set(classes), op: 'scanJsonValue' });
    }
  }
  const sensitive = bodies[2][1];
  out.push({ name: bodies[2][0], bytes: Buffer.byteLength(JSON.stringify(sensitive)), value: sensitive, setName: 'denied (6)', classes: new Set(DENIED), op: 'maskJsonValue' });
  return out;
}

/** µs per call: calls in batches until `ms` have passed. */
function measure(fn, ms) {
  let calls = 0;
  let batch = 1;
  const t0 = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  for (;;) {
    for (let i = 0; i < batch; i++) fn();
    calls += batch;
    const elapsed = process.hrtime.bigint() - t0;
    if (elapsed >= budget) return Number(elapsed) / 1000 / calls;
    if (batch < 1024) batch *= 2;
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (us) => (us >= 100 ? us.toFixed(0) : us.toFixed(1));

async function load(file) {
  if (!fs.existsSync(file)) {
    console.error(`${path.relative(process.cwd(), file)} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
  return import(pathToFileURL(file).href);
}

/** Source files changed since dist/ was built: the numbers would not be theirs. */
function staleSources() {
  const built = fs.statSync(MODULE).mtimeMs;
  return fs.readdirSync(SRC_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && fs.statSync(path.join(SRC_DIR, f)).mtimeMs > built);
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const lib = await load(MODULE);
  const other = opts.other ? await load(opts.other) : undefined;
  const list = cases();
  const variants = [
    { id: 'off', label: 'pre-checks off (baseline)', run: (c) => lib[c.op](c.value, { classes: c.classes, maxNodes: 1e6, prefilter: false }) },
    { id: 'on', label: 'pre-checks on', run: (c) => lib[c.op](c.value, { classes: c.classes, maxNodes: 1e6 }) },
  ];
  if (other) variants.push({ id: 'other', label: 'other build', run: (c) => other[c.op](c.value, { classes: c.classes, maxNodes: 1e6 }) });

  // Correctness before speed: both paths (and the other build) must give the same answer.
  for (const c of list) {
    const results = variants.map((v) => v.run(c));
    for (let i = 1; i < results.length; i++) {
      if (!isDeepStrictEqual(results[i], results[0])) {
        console.error(`${c.name} / ${c.setName} / ${c.op}: ${variants[i].label} differs from ${variants[0].label}`);
        process.exit(1);
      }
    }
    const r = results[0];
    c.found = c.op === 'scanJsonValue' ? r.paths.length : r.masked.length;
  }

  process.stderr.write(`warm-up, then ${opts.rounds} interleaved rounds × ${list.length} cases × ${variants.length} variants × ${opts.ms} ms\n`);
  for (const c of list) for (const v of variants) measure(() => v.run(c), Math.min(200, opts.ms));
  const samples = list.map(() => variants.map(() => []));
  for (let r = 0; r < opts.rounds; r++) {
    for (let ci = 0; ci < list.length; ci++) {
      // Alternate which variant goes first, so neither always runs right after the other.
      const order = variants.map((_, i) => i);
      if (r % 2) order.reverse();
      for (const vi of order) samples[ci][vi].push(measure(() => variants[vi].run(list[ci]), opts.ms));
    }
    process.stderr.write(`round ${r + 1}/${opts.rounds} done\n`);
  }
  report(opts, list, variants, samples);
}

function report(opts, list, variants, samples) {
  const L = [];
  L.push('# data-classes scan: pre-checks on vs off', '');
  L.push(`- ${new Date().toISOString()}, node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, load avg ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  L.push(`- ${opts.rounds} interleaved rounds, ${opts.ms} ms per measurement; µs per call are medians across rounds, the speed-up is the median of the per-round ratios.`);
  L.push('- `maxNodes: 1e6`, default `maxStringLength`; "denied (6)" is what the sensitive-data control scans for by default.');
  const stale = staleSources();
  if (stale.length > 0) L.push(`- ⚠ changed since dist/ was built (not measured): ${stale.join(', ')}`);
  L.push('');
  const otherCols = variants.length > 2 ? ' | other build µs | other ÷ on' : '';
  L.push(`| body | bytes | classes | call | found | off µs (baseline) | on µs | speed-up${otherCols} |`);
  L.push(`| --- | ---: | --- | --- | ---: | ---: | ---: | ---:${variants.length > 2 ? ' | ---: | ---:' : ''} |`);
  list.forEach((c, ci) => {
    const [off, on, oth] = samples[ci];
    const ratio = median(off.map((x, r) => x / on[r]));
    let row = `| ${c.name} | ${c.bytes} | ${c.setName} | ${c.op} | ${c.found} | ${fmt(median(off))} | ${fmt(median(on))} | ${ratio.toFixed(1)}× |`;
    if (oth) row += ` ${fmt(median(oth))} | ${median(oth.map((x, r) => x / on[r])).toFixed(1)}× |`;
    L.push(row);
  });
  L.push('', '"found": reported paths (at most 50 per body). Results were checked equal across all columns before timing.');
  console.log(L.join('\n'));
}

await main();
