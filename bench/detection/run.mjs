#!/usr/bin/env node
// `node bench/detection/run.mjs` (after `npm run build`): end-to-end detection and false alarms of the
// gateway as a user runs it. A real `portcullis protect` process (dist/) sits in front of a tiny
// in-harness upstream (node:http, 200 {"ok":true} to everything); every corpus value is sent over
// HTTP to 127.0.0.1 in three placements (query `GET /search?q=`, form `POST /form` `comment=`,
// JSON `POST /json` {"comment": …}) and the gateway's answer is recorded. `--latency` adds a
// ~1 KB JSON body p50/p99 comparison: through the gateway vs straight to the upstream.
// See bench/detection/README.md for the method and how to read the output. Plain ESM JavaScript:
// no build step. Only 127.0.0.1 is ever a network target.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { benchLock, freePort, tail } from '../lib.mjs';
import { bodyValues, jsonLeaves, queryValues, show, urlDecode } from './corpus.mjs';
import { crsParanoia } from './crs-paranoia.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const SPEC = path.join(HERE, 'openapi.yaml');
const SEEDS = path.join(HERE, 'seeds');
const PORTCULLIS_MAIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const PORTCULLIS_BIN = path.join(ROOT, 'bin', 'portcullis.js');
const MAX_LEN = 8192; // the spec's maxLength: longer values are skipped (counted)
const MAX_TARGET = 8192; // the gateway's default limits.requestTargetBytes: a longer query URL cannot be carried (414)
const PLACEMENTS = ['query', 'form', 'json'];
const SEED = 0x5eed1e55; // fixed sampling seed

const USAGE = `usage: node bench/detection/run.mjs [options]
  --benign <n>        benign openappsec values sampled (fixed seed), each sent in all three placements
                      (default 20000, at most 30000; the default run stays under ~100 000 requests)
  --max-per-source <n> attack values sampled per source file group (default 6000; sqli-forums is 14k)
  --concurrency <n>   requests in flight (default 8), keep-alive agent
  --quick             sample 10% of everything (attacks, benign, latency bodies)
  --latency           also the ~1 KB JSON body p50/p99, gateway vs upstream direct (concurrency 1)
  --latency-only      only the --latency part
  --verbose           the first 30 values per rule that fired on benign values (false alarms), and misses
  --corpus <dir>      corpus root (default $CORPUS or /work/shared/corpus)
  --log-level <lvl>   PORTCULLIS_LOG_LEVEL for the gateway (default: the gateway's own default)
  --no-lock           do not take the shared bench lock ($TMPDIR/portcullis-bench.lock)
  --no-isolate        run in the host's network namespace (default: the harness, the upstream and the
                      gateway run in a fresh network namespace with only loopback, via unshare(1),
                      so the SSRF guard's DNS lookups of corpus host names never leave the machine)
  --keep-tmp          keep bench/results/tmp/detection-<stamp>/ (gateway log) after a good run
  --dry-run           load and sample the corpus, print the plan, send nothing
  -h, --help`;

// ---------------------------------------------------------------------------------------------
// Options

function usageError(msg) {
  console.error(`detection: ${msg}\n${USAGE}`);
  process.exit(2);
}

function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        benign: { type: 'string' },
        'max-per-source': { type: 'string' },
        concurrency: { type: 'string' },
        quick: { type: 'boolean', default: false },
        latency: { type: 'boolean', default: false },
        'latency-only': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        corpus: { type: 'string' },
        'log-level': { type: 'string' },
        'no-lock': { type: 'boolean', default: false },
        'no-isolate': { type: 'boolean', default: false },
        'keep-tmp': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    usageError(err.message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name, fallback, min, max = Infinity) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) usageError(`--${name} must be an integer in [${min}, ${max}], got ${raw}`);
    return n;
  };
  return {
    benign: int('benign', 20000, 0, 30000),
    maxPerSource: int('max-per-source', 6000, 1),
    concurrency: int('concurrency', 8, 1, 256),
    quick: values.quick,
    latency: values.latency || values['latency-only'],
    detection: !values['latency-only'],
    verbose: values.verbose,
    corpus: path.resolve(values.corpus ?? process.env.CORPUS ?? '/work/shared/corpus'),
    logLevel: values['log-level'] ?? null,
    lock: !values['no-lock'],
    isolate: !values['no-isolate'],
    keepTmp: values['keep-tmp'],
    dryRun: values['dry-run'],
  };
}

const opts = parseOptions(process.argv.slice(2));
const log = (msg) => process.stderr.write(`[detection] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
class BenchError extends Error {}

// ---------------------------------------------------------------------------------------------
// Network isolation: re-run this script inside `unshare -n` (a network namespace with only lo), so
// that nothing the gateway does (its SSRF guard resolves host names found in URL values through the
// system resolver) can reach anything but 127.0.0.1. Lookups then fail at once ("unresolved").

const NETNS_ENV = 'PORTCULLIS_DETECTION_NETNS';
if (opts.isolate && !opts.dryRun && process.env[NETNS_ENV] !== '1') {
  const ns = [...(process.getuid?.() === 0 ? [] : ['-r']), '-n', '--', 'sh', '-c'];
  const probe = spawnSync('unshare', [...ns, 'ip link set lo up'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    console.error(`detection: cannot create a loopback-only network namespace (unshare ${ns.join(' ')} 'ip link set lo up': ` +
      `${probe.error?.message ?? (String(probe.stderr).trim() || `exit ${probe.status}`)}).\n` +
      'Pass --no-isolate to run in the host namespace (the gateway then resolves host names found in the corpus through the system resolver).');
    process.exit(1);
  }
  const child = spawn('unshare', [...ns, 'ip link set lo up && exec "$0" "$@"', process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, [NETNS_ENV]: '1' } });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => {
    console.error(`detection: unshare failed: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
  await new Promise(() => {}); // the child does the work; exit follows its exit
}
const ISOLATED = process.env[NETNS_ENV] === '1';

// ---------------------------------------------------------------------------------------------
// Deterministic sampling

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(xs, seed = SEED) {
  const rnd = mulberry32(seed);
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** At most n items, a fixed-seed sample that keeps the original order. */
function sample(xs, n, seed = SEED) {
  if (xs.length <= n) return xs.slice();
  const idx = shuffled(xs.map((_, i) => i), seed).slice(0, n).sort((p, q) => p - q);
  return idx.map((i) => xs[i]);
}

const quickN = (n) => (opts.quick ? Math.max(1, Math.ceil(n / 10)) : n);

// ---------------------------------------------------------------------------------------------
// Corpus extraction (the same readings as bench/detection/xss.mjs and misc.mjs)

/** Non-comment, non-empty lines of a file; `decode` URL-decodes each (libinjection lines are URL-encoded). */
function fileLines(file, decode) {
  return fs.readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => (decode ? urlDecode(l) : l));
}

/** Seed lines: `#` comments skipped; `\r`, `\n`, `\t`, `\uXXXX` and `\\` unescaped (as bench/detection/misc.mjs). */
function seedLines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/\\(r|n|t|u[0-9a-fA-F]{4}|\\)/g, (_, e) => (e === 'r' ? '\r' : e === 'n' ? '\n' : e === 't' ? '\t' : e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16)))));
}

function walk(dir, filter) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, filter));
    else if (filter(e.name)) out.push(p);
  }
  return out;
}

/**
 * CRS regression cases of one folder that expect a rule to fire: per case, the values a detector
 * would see (query values and names, the path, the body whole, its values and field names, cookie
 * names and values, other headers), as bench/detection/xss.mjs extracts them. Cases with `no_expect_ids` only are
 * not attacks and are left out.
 */
function crsCases(dir) {
  const cases = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const doc = YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    for (const t of doc.tests ?? []) {
      for (const [si, st] of (t.stages ?? []).entries()) {
        const ids = st.output?.log?.expect_ids ?? st.output?.expect_ids;
        if (!ids || ids.length === 0) continue;
        const inp = st.input ?? st.stage?.input ?? {};
        const values = [];
        const uri = String(inp.uri ?? '');
        const q = uri.indexOf('?');
        if (q >= 0) values.push(...queryValues(uri.slice(q + 1), true));
        values.push(urlDecode(q >= 0 ? uri.slice(0, q) : uri)); // some cases put the payload in the path
        if (inp.data !== undefined && inp.data !== null) {
          const body = typeof inp.data === 'string' ? inp.data : JSON.stringify(inp.data);
          values.push(body, ...bodyValues(inp.data).values, ...queryValues(body, true));
        }
        for (const [k, v] of Object.entries(inp.headers ?? {})) {
          const name = k.toLowerCase();
          // The gateway reads cookie names as well as values (controls/shared/inputs.ts).
          if (name === 'cookie') values.push(...String(v).split(/;\s*/).flatMap((c) => (c.includes('=') ? [urlDecode(c.slice(0, c.indexOf('='))), urlDecode(c.slice(c.indexOf('=') + 1))] : [urlDecode(c)])));
          else if (!['host', 'accept', 'content-type', 'content-length', 'connection', 'accept-encoding'].includes(name)) values.push(urlDecode(String(v)));
        }
        const uniq = [...new Set(values.filter((v) => v !== ''))];
        if (uniq.length) cases.push({ id: `${doc.rule_id}-${t.test_id}${t.stages.length > 1 ? `.${si + 1}` : ''}`, rule: doc.rule_id, pl: crsParanoia(doc.rule_id), values: uniq });
      }
    }
  }
  return cases;
}

/**
 * Benign openappsec values: every query value of `url`, and every JSON string leaf (bodies that parse
 * as JSON) or form field (x-www-form-urlencoded bodies). Other bodies (text, multipart, protobuf…)
 * are not read. Each value keeps where it came from (query / form / json) for the breakdown.
 */
function benignValues(dir) {
  const origin = new Map(); // value -> first origin
  const stats = { records: 0, bodiesRead: 0, bodiesSkipped: 0 };
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    for (const r of JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) {
      stats.records += 1;
      const add = (v, o) => {
        if (typeof v === 'string' && v !== '' && !origin.has(v)) origin.set(v, o);
      };
      const url = String(r.url ?? '');
      const q = url.indexOf('?');
      if (q >= 0) for (const v of queryValues(url.slice(q + 1).split('#')[0])) add(v, 'query');
      if (r.data === undefined || r.data === null || r.data === '') continue;
      const ct = String(Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '').toLowerCase();
      const body = typeof r.data === 'string' ? r.data : JSON.stringify(r.data);
      let parsed;
      let isJson = false;
      try {
        parsed = JSON.parse(body);
        isJson = true;
      } catch {
        /* not JSON */
      }
      if (isJson) {
        stats.bodiesRead += 1;
        for (const v of jsonLeaves(parsed, [])) add(v, 'json');
      } else if (ct.includes('application/x-www-form-urlencoded')) {
        stats.bodiesRead += 1;
        for (const v of queryValues(body)) add(v, 'form');
      } else {
        stats.bodiesSkipped += 1;
      }
    }
  }
  return { values: [...origin].map(([value, from]) => ({ value, from })), stats };
}

/** Raw JSON bodies of the benign corpus (parsed objects/arrays), for the --latency part. */
function benignJsonBodies(dir) {
  const out = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    for (const r of JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) {
      if (typeof r.data !== 'string' || r.data === '') continue;
      try {
        const v = JSON.parse(r.data);
        if (v && typeof v === 'object') out.push(v);
      } catch {
        /* not JSON */
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The attack classes and their sources

function loadAttackClasses(corpus) {
  const A = path.join(corpus, 'attacks');
  const LIB = path.join(A, 'libinjection');
  const CRS = path.join(A, 'crs-regression-tests', 'tests');
  const libFiles = (re) => fs.readdirSync(LIB).filter((n) => re.test(n)).sort().map((n) => path.join(LIB, n));
  const lines = (files, decode) => files.flatMap((f) => fileLines(f, decode));
  const crs = (folder) => ({ kind: 'crs', name: `CRS ${folder.split('-')[1]} regression cases (expect a rule)`, cases: crsCases(path.join(CRS, folder)) });
  const flat = (name, values) => ({ kind: 'values', name, values });
  const classes = [
    { id: 'sqli', sources: [
      flat('libinjection sqli-*.txt', lines(libFiles(/^sqli-.*\.txt$/), true)),
      flat('payloadbox-sqli **/*.txt', lines(walk(path.join(A, 'payloadbox-sqli'), (n) => n.endsWith('.txt')), false)),
    ] },
    { id: 'xss', sources: [
      flat('libinjection xss-*.txt', lines(libFiles(/^xss-.*\.txt$/), true)),
      crs('REQUEST-941-APPLICATION-ATTACK-XSS'),
    ] },
    { id: 'nosql', sources: [flat('patt nosql-*.txt', lines(walk(path.join(A, 'patt-nosql-redirect'), (n) => /^nosql-.*\.txt$/.test(n)), false))] },
    { id: 'cmdi', sources: [crs('REQUEST-932-APPLICATION-ATTACK-RCE')] },
    { id: 'traversal', sources: [crs('REQUEST-930-APPLICATION-ATTACK-LFI')] },
    { id: 'java/jndi', sources: [crs('REQUEST-944-APPLICATION-ATTACK-JAVA')] },
    { id: 'generic (ssti, proto)', sources: [crs('REQUEST-934-APPLICATION-ATTACK-GENERIC')] },
  ];
  if (fs.existsSync(SEEDS)) {
    for (const f of fs.readdirSync(SEEDS).filter((n) => n.endsWith('.txt')).sort()) {
      classes.push({ id: `seeds/${f.replace(/\.txt$/, '')}`, sources: [flat(`bench/detection/seeds/${f} (hand-written)`, seedLines(path.join(SEEDS, f)))] });
    }
  }
  // de-duplicate within a source, then sample (fixed seed)
  for (const c of classes) {
    for (const s of c.sources) {
      if (s.kind === 'values') {
        s.total = new Set(s.values).size;
        s.values = sample([...new Set(s.values)], quickN(opts.maxPerSource));
      } else {
        s.total = s.cases.length;
        s.cases = sample(s.cases, quickN(opts.maxPerSource));
      }
    }
  }
  return classes;
}

// ---------------------------------------------------------------------------------------------
// Placements

/** Why a value cannot be sent (skipped, counted), or null. */
function unsendable(value) {
  if (value.length > MAX_LEN) return `longer than ${MAX_LEN}`;
  if (!value.isWellFormed()) return 'lone surrogate';
  return null;
}

/** Why a value cannot be carried by one placement (skipped there, counted), or null. */
function unsendableIn(placement, value) {
  if (placement === 'query' && '/search?q='.length + encodeURIComponent(value).length > MAX_TARGET) return `query target > ${MAX_TARGET} bytes`;
  return null;
}

function buildRequest(placement, value) {
  if (placement === 'query') return { method: 'GET', path: `/search?q=${encodeURIComponent(value)}`, headers: {} };
  if (placement === 'form') {
    return { method: 'POST', path: '/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `comment=${encodeURIComponent(value)}` };
  }
  return { method: 'POST', path: '/json', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ comment: value }) };
}

// ---------------------------------------------------------------------------------------------
// Processes: the gateway in its own process group, stopped on exit, error and signals

let gateway = null;
const lock = benchLock({ log, fail: (m) => new BenchError(m) });

function killGateway(signal) {
  if (!gateway || gateway.exitInfo) return;
  try {
    process.kill(-gateway.pid, signal);
  } catch {
    try {
      gateway.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

async function stopGateway() {
  if (!gateway) return;
  killGateway('SIGTERM');
  const deadline = Date.now() + 3000;
  while (!gateway.exitInfo && Date.now() < deadline) await sleep(50);
  killGateway('SIGKILL');
}

process.on('exit', () => {
  killGateway('SIGKILL');
  lock.release();
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: stopping the gateway`);
    killGateway('SIGTERM');
    setTimeout(() => process.exit(130), 300).unref();
    process.exitCode = 130;
  });
}

function startGateway({ upstreamPort, port, adminPort, logFile }) {
  const fd = fs.openSync(logFile, 'a');
  const env = { ...process.env };
  if (opts.logLevel) env.PORTCULLIS_LOG_LEVEL = opts.logLevel;
  const args = [PORTCULLIS_BIN, 'protect', '--to', `http://127.0.0.1:${upstreamPort}`, '--spec', SPEC,
    '--listen', `127.0.0.1:${port}`, '--admin', `127.0.0.1:${adminPort}`, '--store', 'memory'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', fd, fd], detached: true });
  fs.closeSync(fd);
  child.exitInfo = null;
  child.logFile = logFile;
  child.cmdline = `node ${path.relative(ROOT, PORTCULLIS_BIN)} ${args.slice(1).map((a) => (a === SPEC ? path.relative(ROOT, SPEC) : a)).join(' ')}`;
  child.on('exit', (code, signal) => {
    child.exitInfo = { code, signal };
  });
  child.on('error', (err) => {
    child.exitInfo = { code: null, signal: null, error: err.message };
  });
  return child;
}

async function waitReady(child, port, adminPort, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  const lineRe = new RegExp(`listening on http://127\\.0\\.0\\.1:${port}(?!\\d)`);
  while (Date.now() < deadline) {
    if (child.exitInfo) throw new BenchError(`the gateway exited during start-up (${JSON.stringify(child.exitInfo)}):\n${tail(child.logFile)}`);
    if (lineRe.test(fs.readFileSync(child.logFile, 'utf8'))) {
      try {
        const r = await once(false, { port: adminPort, method: 'GET', path: '/readyz', headers: {} });
        if (r.status === 200) return;
      } catch {
        /* not yet */
      }
    }
    await sleep(100);
  }
  throw new BenchError(`the gateway was not ready after ${timeoutMs / 1000}s (expected a line matching ${lineRe} and /readyz 200):\n${tail(child.logFile)}`);
}

// ---------------------------------------------------------------------------------------------
// The upstream: 200 {"ok":true} to everything, bodies read and discarded

function startUpstream(port) {
  const counter = { requests: 0 };
  const srv = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    counter.requests += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '11' });
      res.end('{"ok":true}');
    });
  });
  return new Promise((resolve, reject) => {
    srv.on('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve({ srv, counter }));
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP client


/** One request; resolves { status, body, ms, headers } (ms: from write to last byte) or rejects on socket errors. */
function once(agent, { port, method, path: p, headers, body }) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers: h, agent, timeout: 15_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout after 15 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/** A request with one retry on a reset keep-alive socket (the gateway closes sockets after maxRequestsPerSocket). */
async function send(agent, req) {
  try {
    return await once(agent, req);
  } catch (err) {
    if (!['ECONNRESET', 'EPIPE', 'ECONNREFUSED'].includes(err.code)) throw err;
    return once(agent, req);
  }
}

/** What the gateway's answer means: passed (upstream's 200), injection/<det>, or another rule/status. */
function classify(r) {
  if (r.status === 200 && r.body === '{"ok":true}') return { outcome: 'passed', rule: null };
  let rule = null;
  if (String(r.headers['content-type'] ?? '').startsWith('application/problem+json')) {
    try {
      rule = JSON.parse(r.body).rule ?? null;
    } catch {
      /* not JSON */
    }
  }
  if (rule && rule.startsWith('injection/')) return { outcome: 'detected', rule };
  return { outcome: 'other', rule: rule ?? `status ${r.status} (no rule)` };
}

async function runPool(jobs, concurrency, fn, label) {
  let next = 0;
  let done = 0;
  const started = Date.now();
  let lastLog = started;
  const worker = async () => {
    while (next < jobs.length) {
      if (process.exitCode === 130) return;
      const j = jobs[next++];
      await fn(j);
      done += 1;
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        const rate = done / ((Date.now() - started) / 1000);
        log(`${label}: ${done}/${jobs.length} (${rate.toFixed(0)} req/s, ~${((jobs.length - done) / rate).toFixed(0)} s left)`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return (Date.now() - started) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Reporting helpers

const pct = (n, d) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(n > 0 && (100 * n) / d < 0.1 ? 3 : 1)}%`);
const quantile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
const fmtMs = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const countsText = (m) => ([...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') || '—');
const inc = (m, k, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

function stamp() {
  return new Date().toISOString().replace(/[:.]/g, '-').replace(/Z$/, '');
}

function srcNewerThanDist() {
  try {
    const built = fs.statSync(PORTCULLIS_MAIN).mtimeMs;
    return walk(path.join(ROOT, 'src'), (n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))
      .filter((f) => fs.statSync(f).mtimeMs > built).map((f) => path.relative(ROOT, f));
  } catch {
    return [];
  }
}

async function scrapeMetrics(adminPort) {
  try {
    const r = await once(false, { port: adminPort, method: 'GET', path: '/metrics', headers: {} });
    if (r.status !== 200) return { error: `status ${r.status}` };
    const decisions = [];
    const durations = new Map();
    for (const line of r.body.split('\n')) {
      let m = /^portcullis_control_decisions_total\{([^}]*)\} (\S+)/.exec(line);
      if (m) {
        const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
        decisions.push({ ...labels, count: Number(m[2]) });
        continue;
      }
      m = /^portcullis_request_duration_seconds_(sum|count)\{operation="([^"]*)"\} (\S+)/.exec(line);
      if (m) {
        const d = durations.get(m[2]) ?? {};
        d[m[1]] = Number(m[3]);
        durations.set(m[2], d);
      }
    }
    return { decisions, durations: [...durations].map(([operation, d]) => ({ operation, count: d.count, meanMs: (1000 * d.sum) / d.count })) };
  } catch (err) {
    return { error: err.message };
  }
}

// ---------------------------------------------------------------------------------------------
// Part 1: detection and false alarms

function planDetection() {
  const classes = loadAttackClasses(opts.corpus);
  const benign = benignValues(path.join(opts.corpus, 'benign', 'openappsec-legit-train'));
  const benignSample = sample(benign.values, quickN(opts.benign));
  const fps = [...new Set(fileLines(path.join(opts.corpus, 'attacks', 'libinjection', 'false_positives.txt'), true))];
  const fpSample = sample(fps, quickN(fps.length));
  const skipped = new Map(); // value -> reason, in every placement
  const skippedIn = Object.fromEntries(PLACEMENTS.map((p) => [p, new Map()])); // placement -> value -> reason
  const toSend = new Set();
  const consider = (v) => {
    const why = unsendable(v);
    if (why) {
      skipped.set(v, why);
      return;
    }
    toSend.add(v);
    for (const p of PLACEMENTS) {
      const w = unsendableIn(p, v);
      if (w) skippedIn[p].set(v, w);
    }
  };
  for (const c of classes) for (const s of c.sources) for (const v of s.kind === 'values' ? s.values : s.cases.flatMap((k) => k.values)) consider(v);
  for (const { value } of benignSample) consider(value);
  for (const v of fpSample) consider(v);
  const jobs = shuffled([...toSend].flatMap((value) => PLACEMENTS.filter((p) => !skippedIn[p].has(value)).map((placement) => ({ placement, value }))), SEED + 1);
  const isSkipped = (p, v) => skipped.has(v) || skippedIn[p].has(v);
  return { classes, benign, benignSample, fps, fpSample, skipped, skippedIn, isSkipped, jobs };
}

function attackReport(plan, outcomes, out) {
  const get = (p, v) => outcomes[p].get(v);
  out.push('## Detection (attacks)\n');
  out.push('A value is *detected* when the gateway answers 400 with an `injection/*` rule. A CRS case (one request, several');
  out.push('values) is detected in a placement when any of its values is. "other 4xx" is a block by another rule (contract,');
  out.push('protocol…), **not** counted as a detection. "skipped" (not sent, not in "items"): longer than 8192 characters or a lone\nsurrogate (every placement), or a query URL over the gateway\'s 8 KiB request-target limit once URL-encoded (query only).\n');
  const summary = [];
  const summaryPl1 = [];
  const balanced = [];
  const passRate = benignPassRates(plan, outcomes);
  /** One row per placement: how many of `items` (each a list of values) the gateway detected. */
  const count = (c, s, label, items, tot) => {
    for (const p of PLACEMENTS) {
      let n = 0;
      let skip = 0;
      let det = 0;
      let refused = 0;
      const byDet = new Map();
      const other = new Map();
      const misses = [];
      for (const vals of items) {
        const sent = vals.filter((v) => !plan.isSkipped(p, v));
        if (sent.length === 0) {
          skip += 1;
          continue;
        }
        n += 1;
        const res = sent.map((v) => get(p, v)).filter(Boolean);
        const hit = res.find((r) => r.outcome === 'detected');
        if (hit || res.some((r) => r.rule?.startsWith('protocol/'))) refused += 1;
        if (hit) {
          det += 1;
          inc(byDet, hit.rule.slice('injection/'.length));
        } else {
          const o = res.find((r) => r.outcome === 'other');
          if (o) inc(other, o.rule);
          if (opts.verbose) misses.push(sent);
        }
      }
      for (const t of tot) {
        t[p].n += n;
        t[p].det += det;
        t[p].refused += refused;
      }
      out.push(`| ${label} | ${p} | ${n} | ${skip} | ${det} | **${pct(det, n)}** | ${countsText(byDet)} | ${countsText(other)} |`);
      if (opts.verbose) for (const m of misses.slice(0, 30)) console.error(`MISS ${c.id} / ${s.name} / ${p}: ${m.map(show).join(' | ')}`);
    }
  };
  const totals = () => Object.fromEntries(PLACEMENTS.map((p) => [p, { n: 0, det: 0, refused: 0 }]));
  const rates = (t, key = 'det') => PLACEMENTS.map((p) => `${pct(t[p][key], t[p].n)} (${t[p][key]}/${t[p].n})`).join(' | ');
  const summaryRefusedPl1 = [];
  for (const c of plan.classes) {
    out.push(`### ${c.id}\n`);
    out.push('| source | placement | items | skipped | detected | rate | by detector | other 4xx (rule) |');
    out.push('| --- | --- | ---: | ---: | ---: | ---: | --- | --- |');
    const classTot = totals();
    const classTotPl1 = totals();
    for (const s of c.sources) {
      const items = s.kind === 'values' ? s.values.map((v) => [v]) : s.cases.map((k) => k.values);
      const label = `${s.name}${s.kind === 'crs' ? ' (cases)' : ''}${s.total > items.length ? ` — ${items.length} of ${s.total} sampled` : ''}`;
      // A CRS case counts at paranoia level 1 when the rule it tests is a PL1 rule (crs-paranoia.mjs).
      count(c, s, label, items, s.kind === 'crs' ? [classTot] : [classTot, classTotPl1]);
      if (s.kind === 'crs') count(c, s, `${s.name}, PL1 rules only (cases)`, s.cases.filter((k) => k.pl === 1).map((k) => k.values), [classTotPl1]);
    }
    out.push('');
    summary.push(`| ${c.id} | ${rates(classTot)} |`);
    summaryPl1.push(`| ${c.id} | ${rates(classTotPl1)} |`);
    summaryRefusedPl1.push(`| ${c.id} | ${rates(classTotPl1, 'refused')} |`);
    balanced.push(`| ${c.id} | ${PLACEMENTS.map((p) => (classTot[p].n === 0 ? '–' : `${((classTot[p].det / classTot[p].n + passRate[p]) / 2 * 100).toFixed(1)}%`)).join(' | ')} |`);
  }
  out.push('### Summary: detection rate per class and placement\n');
  out.push('| class | query | form | JSON |');
  out.push('| --- | ---: | ---: | ---: |');
  out.push(...summary, '');
  out.push('### Summary at paranoia level 1: CRS cases of PL1 rules only\n');
  out.push('The gateway runs at paranoia level 1. CRS tags each rule with the level it belongs to; here a CRS source counts');
  out.push('only the cases of its PL1 rules (levels from `bench/detection/crs-paranoia.mjs`); the other sources count whole.\n');
  out.push('| class | query | form | JSON |');
  out.push('| --- | ---: | ---: | ---: |');
  out.push(...summaryPl1, '');
  out.push('### Summary at paranoia level 1: refused by the gateway\n');
  out.push('The same cases, counting also those the protocol layer refused before any detector ran (a `protocol/*` rule:');
  out.push('an encoded NUL in a query or form value, for example). Such a request never reaches the upstream either; the');
  out.push('false-alarm side already counts every refusal, whatever the rule. Contract refusals are not counted here.\n');
  out.push('| class | query | form | JSON |');
  out.push('| --- | ---: | ---: | ---: |');
  out.push(...summaryRefusedPl1, '');
  out.push('### Balanced accuracy per class and placement\n');
  out.push('(detection rate of the class + share of the sampled benign values passed in the same placement) / 2.\n');
  out.push('| class | query | form | JSON |');
  out.push('| --- | ---: | ---: | ---: |');
  out.push(...balanced, '');
}

/** Per placement, the share of sampled benign values the gateway passed (the true-negative rate). */
function benignPassRates(plan, outcomes) {
  return Object.fromEntries(PLACEMENTS.map((p) => {
    let n = 0;
    let passed = 0;
    for (const { value } of plan.benignSample) {
      if (plan.isSkipped(p, value)) continue;
      n += 1;
      if (outcomes[p].get(value)?.outcome === 'passed') passed += 1;
    }
    return [p, n === 0 ? 1 : passed / n];
  }));
}

function benignReport(plan, outcomes, out) {
  out.push('## False alarms (benign)\n');
  out.push('A benign value is a false alarm when the gateway answers anything but the upstream\'s 200 (every 4xx counts,');
  out.push('whatever the rule). The openappsec values are sampled (fixed seed) after de-duplication; "from" is where the');
  out.push('value was found in the recorded request.\n');
  out.push('| benign source | placement | values | skipped | false alarms | rate | rules that fired |');
  out.push('| --- | --- | ---: | ---: | ---: | ---: | --- |');
  const groups = [
    ['openappsec legit-train, all sampled values', plan.benignSample.map((b) => b.value)],
    ['… of which found in JSON bodies', plan.benignSample.filter((b) => b.from === 'json').map((b) => b.value)],
    ['… of which found in query strings', plan.benignSample.filter((b) => b.from === 'query').map((b) => b.value)],
    ['… of which found in form bodies', plan.benignSample.filter((b) => b.from === 'form').map((b) => b.value)],
    ['libinjection false_positives.txt', plan.fpSample],
  ];
  const verbose = [];
  for (const [name, values] of groups) {
    for (const p of PLACEMENTS) {
      let n = 0;
      let skip = 0;
      let fa = 0;
      const rules = new Map();
      const examples = new Map();
      for (const v of values) {
        if (plan.isSkipped(p, v)) {
          skip += 1;
          continue;
        }
        n += 1;
        const r = outcomes[p].get(v);
        if (!r || r.outcome === 'passed') continue;
        fa += 1;
        inc(rules, r.rule);
        if (!examples.has(r.rule)) examples.set(r.rule, []);
        if (examples.get(r.rule).length < 30) examples.get(r.rule).push(v);
      }
      out.push(`| ${name} | ${p} | ${n} | ${skip} | ${fa} | **${pct(fa, n)}** | ${countsText(rules)} |`);
      if (opts.verbose && !name.startsWith('…')) {
        for (const [rule, vs] of examples) verbose.push(`\n**${name}, ${p}, ${rule}** (first ${vs.length}):\n`, ...vs.map((v) => `- \`${show(v)}\``));
      }
    }
  }
  out.push('');
  if (opts.verbose && verbose.length) out.push('### False alarms, first 30 values per rule\n', ...verbose, '');
}

async function detectionPart({ port, adminPort, upstream, raw, out }) {
  const plan = planDetection();
  const nAttack = plan.classes.reduce((a, c) => a + c.sources.reduce((b, s) => b + (s.kind === 'values' ? s.values.length : s.cases.length), 0), 0);
  const skipReasons = new Map();
  for (const why of plan.skipped.values()) inc(skipReasons, `${why} (all placements)`);
  for (const p of PLACEMENTS) for (const why of plan.skippedIn[p].values()) inc(skipReasons, why);
  log(`corpus: ${nAttack} attack items in ${plan.classes.length} classes; benign ${plan.benignSample.length} of ${plan.benign.values.length} distinct openappsec values ` +
    `(${plan.benign.stats.records} records, ${plan.benign.stats.bodiesRead} bodies read, ${plan.benign.stats.bodiesSkipped} neither JSON nor form) + ${plan.fpSample.length} false_positives.txt; ` +
    `skipped: ${countsText(skipReasons)}; ${plan.jobs.length} requests planned`);
  if (opts.dryRun) return null;
  const outcomes = Object.fromEntries(PLACEMENTS.map((p) => [p, new Map()]));
  const lat = Object.fromEntries(PLACEMENTS.map((p) => [p, []]));
  const errors = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const upBefore = upstream.counter.requests;
  const seconds = await runPool(plan.jobs, opts.concurrency, async ({ placement, value }) => {
    try {
      const r = await send(agent, { port, ...buildRequest(placement, value) });
      const c = classify(r);
      outcomes[placement].set(value, { ...c, status: r.status });
      lat[placement].push(r.ms);
    } catch (err) {
      errors.push({ placement, value, error: err.message });
      outcomes[placement].set(value, { outcome: 'error', rule: `error: ${err.code ?? err.message}`, status: null });
    }
  }, 'detection');
  agent.destroy();
  if (process.exitCode === 130) throw new BenchError('interrupted');
  const passed = PLACEMENTS.reduce((a, p) => a + [...outcomes[p].values()].filter((o) => o.outcome === 'passed').length, 0);
  const reached = upstream.counter.requests - upBefore;
  if (errors.length > plan.jobs.length * 0.01) {
    throw new BenchError(`${errors.length} of ${plan.jobs.length} requests failed at the socket level (first: ${JSON.stringify(errors[0])}):\n${tail(gateway.logFile)}`);
  }

  out.push(`Detection part: ${plan.jobs.length} requests in ${seconds.toFixed(1)} s (${(plan.jobs.length / seconds).toFixed(0)} req/s, ${opts.concurrency} in flight, keep-alive), ` +
    `${passed} passed to the upstream (the upstream counted ${reached}), ${errors.length} socket errors. ` +
    `Skipped values (not sent): ${countsText(skipReasons)}.\n`);
  attackReport(plan, outcomes, out);
  benignReport(plan, outcomes, out);

  out.push('## Latency per request (client-side, detection part)\n');
  out.push(`From writing the request to the last byte of the answer, at ${opts.concurrency} in flight (so it includes queueing), every answer (passed and blocked).\n`);
  out.push('| placement | requests | p50 ms | p99 ms | max ms |');
  out.push('| --- | ---: | ---: | ---: | ---: |');
  for (const p of PLACEMENTS) {
    const s = lat[p].slice().sort((a, b) => a - b);
    out.push(`| ${p} | ${s.length} | ${fmtMs(quantile(s, 0.5))} | ${fmtMs(quantile(s, 0.99))} | ${fmtMs(s[s.length - 1])} |`);
  }
  out.push('');

  const metrics = await scrapeMetrics(adminPort);
  raw.metricsAfterDetection = metrics;
  out.push('## The gateway\'s own /metrics (after the detection part)\n');
  if (metrics.error) out.push(`(could not read /metrics: ${metrics.error})\n`);
  else {
    out.push('| control | rule | outcome | count |');
    out.push('| --- | --- | --- | ---: |');
    for (const d of metrics.decisions.sort((a, b) => b.count - a.count)) out.push(`| ${d.control} | ${d.rule} | ${d.outcome} | ${d.count} |`);
    out.push('\n| operation | requests | mean duration ms (portcullis_request_duration_seconds) |');
    out.push('| --- | ---: | ---: |');
    for (const d of metrics.durations) out.push(`| ${d.operation} | ${d.count} | ${fmtMs(d.meanMs)} |`);
    out.push('');
  }

  raw.detection = {
    requests: plan.jobs.length, seconds, errors: errors.slice(0, 100), errorCount: errors.length,
    skipped: [...plan.skipped, ...PLACEMENTS.flatMap((p) => [...plan.skippedIn[p]].map(([v, r]) => [v, `${p}: ${r}`]))]
      .map(([value, reason]) => ({ value: value.length > 300 ? `${value.slice(0, 300)}…` : value, length: value.length, reason })),
    classes: plan.classes.map((c) => ({ id: c.id, sources: c.sources.map((s) => ({ name: s.name, kind: s.kind, total: s.total, items: s.kind === 'values' ? s.values : s.cases })) })),
    benign: plan.benignSample, falsePositivesTxt: plan.fpSample,
    outcomes: Object.fromEntries(PLACEMENTS.map((p) => [p, [...outcomes[p]].map(([value, o]) => ({ value, ...o }))])),
  };
  return true;
}

// ---------------------------------------------------------------------------------------------
// Part 2: ~1 KB JSON body latency, gateway vs upstream direct

/** A leaf the gateway accepts as well-formed JSON: strings cut to 200 (never mid-surrogate), unsafe integers as strings. */
function clean(v) {
  if (typeof v === 'string') return v.slice(0, 200).toWellFormed();
  if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) return String(v);
  return v;
}

/**
 * A deterministic ~1 KB JSON object (target length 900–1100 bytes) built from one corpus body: its
 * leaves flattened to dotted keys (`__proto__`/`constructor`/`prototype` parts dropped, the gateway refuses
 * `__proto__`), added while they fit, then a `pad` string up to the target length.
 */
function kiloBody(src, i) {
  const target = 900 + ((i * 7919) % 201);
  const leaves = [];
  const flatten = (v, key) => {
    if (leaves.length > 200) return;
    if (v && typeof v === 'object') {
      for (const [k, x] of Array.isArray(v) ? v.map((x, j) => [String(j), x]) : Object.entries(v)) flatten(x, key ? `${key}.${k}` : k);
    } else leaves.push([key || 'value', clean(v)]);
  };
  flatten(src, '');
  const obj = { n: i };
  for (const [k, v] of leaves) {
    if (/(^|\.)(__proto__|constructor|prototype)(\.|$)/.test(k) || !k.isWellFormed() || Object.hasOwn(obj, k.slice(0, 60))) continue;
    obj[k.slice(0, 60)] = v;
    if (Buffer.byteLength(JSON.stringify(obj)) > target - 20) {
      delete obj[k.slice(0, 60)];
      break;
    }
  }
  obj.pad = '';
  const missing = target - Buffer.byteLength(JSON.stringify(obj));
  if (missing > 0) obj.pad = 'x'.repeat(missing);
  return JSON.stringify(obj);
}

async function latencyPart({ port, upstreamPort, out, raw }) {
  const srcs = benignJsonBodies(path.join(opts.corpus, 'benign', 'openappsec-legit-train'));
  if (srcs.length === 0) throw new BenchError('no JSON bodies in the benign corpus');
  const nMeasured = quickN(2000);
  const nWarm = quickN(500);
  const bodies = [];
  const seen = new Set();
  for (let i = 0; bodies.length < nMeasured + nWarm && i < (nMeasured + nWarm) * 4; i++) {
    const b = kiloBody(srcs[i % srcs.length], i);
    if (!seen.has(b)) {
      seen.add(b);
      bodies.push(b);
    }
  }
  const warm = bodies.slice(0, nWarm);
  const measured = bodies.slice(nWarm);
  const sizes = measured.map((b) => Buffer.byteLength(b)).sort((a, b) => a - b);
  log(`latency: ${nWarm} warm-up + ${measured.length} measured bodies (${sizes[0]}–${sizes[sizes.length - 1]} bytes), gateway and upstream direct, alternating, concurrency 1`);
  if (opts.dryRun) return;
  const gwAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const upAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const req = (body) => ({ method: 'POST', path: '/doc', headers: { 'content-type': 'application/json' }, body });
  for (const b of warm) {
    await send(gwAgent, { port, ...req(b) });
    await send(upAgent, { port: upstreamPort, ...req(b) });
  }
  const gw = [];
  const up = [];
  const statuses = new Map();
  for (const [i, b] of measured.entries()) {
    if (process.exitCode === 130) throw new BenchError('interrupted');
    // alternate which goes first, so neither always follows the other's GC
    const first = i % 2 === 0;
    const a = first ? await send(gwAgent, { port, ...req(b) }) : null;
    const d = await send(upAgent, { port: upstreamPort, ...req(b) });
    const g = a ?? await send(gwAgent, { port, ...req(b) });
    const c = classify(g);
    inc(statuses, c.outcome === 'passed' ? '200 passed' : c.rule);
    gw.push({ ms: g.ms, passed: c.outcome === 'passed' });
    up.push(d.ms);
  }
  gwAgent.destroy();
  upAgent.destroy();
  const sortedG = gw.map((x) => x.ms).sort((a, b) => a - b);
  const sortedGp = gw.filter((x) => x.passed).map((x) => x.ms).sort((a, b) => a - b);
  const sortedU = up.slice().sort((a, b) => a - b);
  out.push('## Latency of a ~1 KB JSON body (`POST /doc`, open schema), gateway vs upstream direct\n');
  out.push(`${measured.length} distinct bodies (${sizes[0]}–${sizes[sizes.length - 1]} bytes, built from benign corpus JSON bodies), each sent once through the gateway`);
  out.push(`and once straight to the upstream, sequentially (concurrency 1, one keep-alive socket each), after ${nWarm} warm-up bodies to each.`);
  out.push(`Client-side, from writing the request to the last byte. Gateway answers: ${countsText(statuses)}.\n`);
  out.push('| target | requests | p50 ms | p99 ms | max ms |');
  out.push('| --- | ---: | ---: | ---: | ---: |');
  out.push(`| upstream direct | ${sortedU.length} | ${fmtMs(quantile(sortedU, 0.5))} | ${fmtMs(quantile(sortedU, 0.99))} | ${fmtMs(sortedU[sortedU.length - 1])} |`);
  out.push(`| through the gateway | ${sortedG.length} | ${fmtMs(quantile(sortedG, 0.5))} | ${fmtMs(quantile(sortedG, 0.99))} | ${fmtMs(sortedG[sortedG.length - 1])} |`);
  if (sortedGp.length !== sortedG.length) out.push(`| through the gateway, passed only | ${sortedGp.length} | ${fmtMs(quantile(sortedGp, 0.5))} | ${fmtMs(quantile(sortedGp, 0.99))} | ${fmtMs(sortedGp[sortedGp.length - 1])} |`);
  out.push(`| **added by the gateway** | | **${fmtMs(quantile(sortedG, 0.5) - quantile(sortedU, 0.5))}** | **${fmtMs(quantile(sortedG, 0.99) - quantile(sortedU, 0.99))}** | |`);
  out.push('');
  raw.latency = { warmup: nWarm, bodies: measured.length, sizes: { min: sizes[0], max: sizes[sizes.length - 1] }, statuses: Object.fromEntries(statuses), gatewayMs: gw, upstreamMs: up };
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  if (!fs.existsSync(PORTCULLIS_MAIN)) {
    throw new BenchError(`${path.relative(ROOT, PORTCULLIS_MAIN)} is missing: run \`npm run build\` first (this harness runs the built gateway)`);
  }
  if (!fs.existsSync(opts.corpus)) throw new BenchError(`corpus not found at ${opts.corpus} (--corpus or $CORPUS)`);
  const st = stamp();
  const tmpDir = path.join(RESULTS_DIR, 'tmp', `detection-${st}`);
  fs.mkdirSync(tmpDir, { recursive: true });
  const out = [];
  const raw = { stamp: st, options: opts };

  if (opts.dryRun) {
    if (opts.detection) await detectionPart({ out, raw });
    if (opts.latency) await latencyPart({ out, raw });
    fs.rmSync(tmpDir, { recursive: true, force: true });
    return;
  }
  if (opts.lock) await lock.acquire(10 * 60_000);

  const [upstreamPort, port, adminPort] = [await freePort(), await freePort(), await freePort()];
  const upstream = await startUpstream(upstreamPort);
  upstream.srv.unref();
  gateway = startGateway({ upstreamPort, port, adminPort, logFile: path.join(tmpDir, 'gateway.log') });
  await waitReady(gateway, port, adminPort);
  // sanity: a benign request passes, the two hand checks are detected
  const probeAgent = new http.Agent({ keepAlive: false });
  const checks = [
    ['query', 'hello world', 'passed'], ['form', 'hello world', 'passed'], ['json', 'hello world', 'passed'],
    ['query', "1' OR 1=1--", 'detected'], ['json', '<script>alert(1)</script>', 'detected'],
  ];
  const sanity = [];
  for (const [p, v, want] of checks) {
    const r = await send(probeAgent, { port, ...buildRequest(p, v) });
    const c = classify(r);
    sanity.push({ placement: p, value: v, status: r.status, ...c });
    if (want === 'passed' && c.outcome !== 'passed') throw new BenchError(`a benign ${p} request got ${r.status} ${r.body}: the harness's spec or upstream is wrong`);
    if (want === 'detected' && c.outcome !== 'detected') log(`warning: ${p} ${JSON.stringify(v)} was not detected (${r.status} ${c.rule ?? ''})`);
  }
  raw.sanity = sanity;
  const stale = srcNewerThanDist();
  const head = ['# portcullis end-to-end detection harness\n'];
  head.push(`- run ${st}, Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  head.push(`- gateway: \`${gateway.cmdline}\` (dist/ built ${fs.statSync(PORTCULLIS_MAIN).mtime.toISOString()}${stale.length ? `; **${stale.length} src/ files are newer than the build**: ${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}` : ''})`);
  head.push(`- network: ${ISOLATED ? 'a loopback-only network namespace (unshare -n): the SSRF guard\'s DNS lookups fail at once, so URL values naming hosts are "unresolved" (flagged, let through)' : '**host namespace (--no-isolate)**: the SSRF guard resolves corpus host names through the system resolver'}`);
  head.push(`- corpus: ${opts.corpus}; options: benign ${opts.benign}, max per source ${opts.maxPerSource}, concurrency ${opts.concurrency}${opts.quick ? ', **--quick (10% samples)**' : ''}`);
  head.push(`- hand checks: ${sanity.map((s) => `${s.placement} ${JSON.stringify(s.value)} → ${s.status} ${s.rule ?? ''}`).join('; ')}\n`);
  out.push(...head);

  if (opts.detection) await detectionPart({ port, adminPort, upstream, raw, out });
  if (opts.latency) await latencyPart({ port, upstreamPort, out, raw });

  await stopGateway();
  upstream.srv.close();
  upstream.srv.closeAllConnections();
  lock.release();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const rawFile = path.join(RESULTS_DIR, `detection-${st}.json`);
  fs.writeFileSync(rawFile, JSON.stringify(raw));
  const mdFile = path.join(RESULTS_DIR, `detection-${st}.md`);
  fs.writeFileSync(mdFile, `${out.join('\n')}\n`);
  console.log(out.join('\n'));
  log(`raw per-value outcomes: ${path.relative(ROOT, rawFile)}; report: ${path.relative(ROOT, mdFile)}`);
  if (!opts.keepTmp) fs.rmSync(tmpDir, { recursive: true, force: true });
}

main().catch(async (err) => {
  if (err instanceof BenchError) console.error(`detection: ${err.message}`);
  else console.error(err);
  if (gateway) console.error(`gateway log kept in ${path.relative(ROOT, gateway.logFile)}`);
  await stopGateway();
  process.exit(1);
});
