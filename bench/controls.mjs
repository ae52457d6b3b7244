#!/usr/bin/env node
// `npm run bench:controls`: what two response/identity controls cost per request, measured through
// the real `portcullis protect` process against a baseline of the same gateway on the same 10 KB
// JSON body with the control absent:
//   /plain             baseline: no credential, response streamed untouched
//   /jwt               + JWT bearer verification (ES256, remote JWKS, cached after the first fetch)
//   /filtered          + response property filtering (buffer, JSON.parse, strip 80 members, stringify)
//   /filtered-scanned  + the same and the sensitive-data scan of the filtered value
// See bench/README.md ("bench/controls.mjs") for the method. Plain ESM JavaScript: no build step.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { stringify as toYaml } from 'yaml';
import { makeItem } from './page.mjs';
import { benchLock, commandOutput, freePort, tail } from './lib.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const WRK_LUA = path.join(BENCH_DIR, 'wrk.lua');
const PORTCULLIS_BIN = path.join(ROOT, 'bin', 'portcullis.js');
const PORTCULLIS_MAIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

const SUT_CPU = 0; // the gateway, alone
const LOAD_CPU = 1; // wrk, and this harness with the upstream and JWKS servers it hosts

const ISSUER = 'https://bench.local';
const AUDIENCE = 'bench';
const ITEMS = 40;
const UNDECLARED = ['internalNote', 'costPrice'];
// Every class the sensitive-data control knows: an operation allowing all of them is never scanned.
const ALL_DATA_CLASSES = ['email', 'phone', 'ip-address', 'jwt', 'payment-card', 'iban', 'national-id', 'private-key', 'cloud-secret', 'password-hash'];
/**
 * Distinct tokens the jwt-fresh scenario sends in turn: more than the gateway's verified-token
 * cache holds (identity.jwt.verifiedCacheEntries, 10 000 by default), so a cyclic walk over them
 * always misses and every request pays for a full signature check.
 */
const FRESH_TOKENS = 12_000;
/** The upstream pauses this long mid-body when asked to, so a streaming gateway can be told from a buffering one. */
const SPLIT_MS = 400;

const SCENARIOS = [
  { id: 'plain', path: '/plain', control: 'none — the baseline (streamed)', streamed: true },
  { id: 'jwt', path: '/jwt', control: 'JWT bearer, ES256, cached remote JWKS; one token (verified-token cache hits)', streamed: true, auth: 'one' },
  { id: 'jwt-fresh', path: '/jwt', control: `JWT bearer, ES256, cached remote JWKS; ${FRESH_TOKENS} tokens in turn (every request verifies the signature)`, streamed: true, auth: 'pool' },
  { id: 'filtered', path: '/filtered', control: `response property filter (${ITEMS * UNDECLARED.length} members stripped)`, streamed: false },
  { id: 'filtered-scanned', path: '/filtered-scanned', control: 'property filter + sensitive-data scan', streamed: false },
  { id: 'limited', path: '/limited', control: 'rate limit per principal (a limit never reached; memory, or Redis with --redis)', streamed: true },
];
const BASELINE = 'plain';

const USAGE = `usage: node bench/controls.mjs [options]      (npm run bench:controls -- [options])
  --duration <s>      seconds per measured run (integer, default 5)
  --rounds <n>        interleaved rounds (default 3)
  --connections <n>   wrk connections (default 32)
  --warmup <s>        warm-up seconds per scenario before round 1 (default 1)
  --quick             smoke check: --rounds 1 --duration 2 (explicit flags still win)
  --keep-tmp          keep bench/results/tmp/<stamp>/ (spec, config, gateway log) after the run
  --redis <url>       keep the /limited scenario's rate-limit counters in this Redis (loopback only)
  -h, --help`;

// ---------------------------------------------------------------------------------------------
// Options

function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        duration: { type: 'string' },
        rounds: { type: 'string' },
        connections: { type: 'string' },
        warmup: { type: 'string' },
        quick: { type: 'boolean', default: false },
        'keep-tmp': { type: 'boolean', default: false },
        redis: { type: 'string' },
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
  const int = (name, fallback) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) usageError(`--${name} must be an integer >= 1, got ${raw}`);
    return n;
  };
  return {
    duration: int('duration', values.quick ? 2 : 5),
    rounds: int('rounds', values.quick ? 1 : 3),
    connections: int('connections', 32),
    warmup: int('warmup', 1),
    quick: values.quick,
    keepTmp: values['keep-tmp'],
    redis: redisUrl(values.redis),
  };
}

/** Only a loopback Redis is ever a target of a benchmark. */
function redisUrl(raw) {
  if (raw === undefined) return undefined;
  let u;
  try { u = new URL(raw); } catch { usageError(`--redis must be a redis:// URL, got ${raw}`); }
  if (u.protocol !== 'redis:' || !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) usageError(`--redis must name a loopback redis:// server, got ${raw}`);
  return raw;
}

function usageError(msg) {
  console.error(`bench:controls: ${msg}\n${USAGE}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Small utilities

class BenchError extends Error {}
const lock = benchLock({ log: (m) => log(m), fail: (m) => new BenchError(m) });

const log = (msg) => process.stderr.write(`[bench:controls] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((p, q) => p - q);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const shown = (f) => (f.startsWith(ROOT) ? path.relative(ROOT, f) : f);



function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

/**
 * One request on a fresh connection. `firstByteMs` is when the first body byte arrived: how the
 * streaming probe tells a relayed body from a buffered one.
 */
function httpGet(port, p, headers = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get({ host: '127.0.0.1', port, path: p, headers, agent: false, timeout: 5000 }, (res) => {
      const headMs = performance.now() - t0;
      let firstByteMs = NaN;
      const chunks = [];
      res.on('data', (c) => {
        if (chunks.length === 0) firstByteMs = performance.now() - t0;
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), headMs, firstByteMs }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------
// /proc accounting

const CLK_TCK = Number(commandOutput('getconf', ['CLK_TCK'])) || 100;

/** utime+stime+cutime+cstime of one process (all its threads), in seconds. */
function processCpuS(pid) {
  const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK;
}

/**
 * Per-CPU ticks from /proc/stat: busy (all but idle and iowait), task (user+nice+system, the part
 * comparable with processes' utime+stime; irq/softirq are accounted apart) and total.
 */
function cpuTimes() {
  const out = {};
  for (const line of fs.readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const v = m[2].trim().split(/\s+/).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal (guest is inside user)
    out[m[1]] = { busy: total - v[3] - v[4], task: v[0] + v[1] + v[2], total };
  }
  return out;
}

function busyPct(before, after, cpu) {
  const dt = after[cpu].total - before[cpu].total;
  return dt > 0 ? Math.min(100, Math.max(0, (100 * (after[cpu].busy - before[cpu].busy)) / dt)) : NaN;
}

const sumCpuUsage = (u) => (u.user + u.system) / 1e6;

function foreignPct(before, after, cpu, oursS, wallS) {
  const taskS = (after[cpu].task - before[cpu].task) / CLK_TCK;
  return Math.min(100, Math.max(0, (100 * (taskS - oursS)) / wallS));
}

/** How busy each CPU is before anything starts: other work on the machine disturbs every number. */
async function machineLoad(ms = 1500) {
  const a = cpuTimes();
  await sleep(ms);
  const b = cpuTimes();
  return Object.fromEntries(Object.keys(b).map((id) => [`cpu${id}`, busyPct(a, b, id)]));
}

// ---------------------------------------------------------------------------------------------
// Child processes: each in its own process group, all stopped on exit, error or signal.

const children = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

async function stopAll() {
  for (const c of children) killGroup(c, 'SIGTERM');
  const deadline = Date.now() + 3000;
  while (children.size && Date.now() < deadline) await sleep(50);
  for (const c of children) killGroup(c, 'SIGKILL');
}

function track(child) {
  children.add(child);
  child.exitInfo = null;
  child.on('exit', (code, signal) => {
    child.exitInfo = { code, signal };
    children.delete(child);
  });
  child.on('error', (err) => {
    child.exitInfo = { error: err.message };
    children.delete(child);
  });
  return child;
}


// ---------------------------------------------------------------------------------------------




process.on('exit', () => {
  for (const c of children) killGroup(c, 'SIGKILL');
  lock.release();
});

// ---------------------------------------------------------------------------------------------
// The upstream body: deterministic, so every run (and every machine) measures the same bytes.


function makeBody() {
  const value = { items: Array.from({ length: ITEMS }, (_, i) => makeItem(i)), next: null };
  const filtered = { items: value.items.map(({ internalNote: _n, costPrice: _c, ...declared }) => declared), next: null };
  const bytes = Buffer.from(JSON.stringify(value));
  return { bytes, value, filtered, filteredBytes: Buffer.byteLength(JSON.stringify(filtered)) };
}

// ---------------------------------------------------------------------------------------------
// In-process servers (CPU 1, like the harness): the upstream and the issuer's JWKS endpoint.

function serverOf(handler) {
  const server = http.createServer(handler);
  // The gateway's upstream pool keeps connections; nothing here should be the one closing them.
  server.keepAliveTimeout = 120_000;
  server.maxRequestsPerSocket = 0;
  return server;
}

async function startUpstream(body) {
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  const half = Math.floor(body.length / 2);
  const stats = { served: 0 };
  const server = serverOf((req, res) => {
    stats.served += 1;
    if (req.headers['x-bench-split'] === '1') {
      // Streaming probe: half the body now, the rest later. A gateway relaying the body shows the
      // first bytes at once; one buffering it shows nothing before the pause ends.
      res.writeHead(200, headers);
      res.write(body.subarray(0, half));
      setTimeout(() => res.end(body.subarray(half)), SPLIT_MS);
      return;
    }
    res.writeHead(200, headers);
    res.end(body);
  });
  return { server, stats, port: await listen(server) };
}

async function startJwks(jwk) {
  const body = Buffer.from(JSON.stringify({ keys: [jwk] }));
  const stats = { fetches: 0 };
  const server = serverOf((req, res) => {
    if (req.url !== '/jwks') {
      res.writeHead(404).end();
      return;
    }
    stats.fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.end(body);
  });
  return { server, stats, port: await listen(server) };
}

async function makeIssuer(tmp) {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const sign = (jti) => new SignJWT(jti === undefined ? {} : { jti })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('u1')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);
  const token = await sign(undefined);
  const pool = [];
  for (let i = 0; i < FRESH_TOKENS; i++) pool.push(await sign(`t${i}`));
  const tokensFile = path.join(tmp, 'tokens.txt');
  fs.writeFileSync(tokensFile, `${pool.join('\n')}\n`);
  return { jwk, token, tokensFile };
}

// ---------------------------------------------------------------------------------------------
// The contract and the gateway configuration

function makeSpec() {
  const streamedResponse = { 200: { description: 'The page, undescribed: relayed as it comes.' } };
  const filteredResponse = { 200: { description: 'A page of items.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Page' } } } } };
  // An operation allowing every data class is never buffered for the sensitive-data scan; without
  // this, the control would buffer and scan /plain and /jwt too (their answer is JSON), and the
  // baseline would not be a streamed response.
  const unscanned = { 'x-portcullis-data-classes': ALL_DATA_CLASSES };
  const op = (operationId, security, responses, extra = {}) => ({ get: { operationId, security, responses, ...extra } });
  return {
    openapi: '3.1.0',
    info: { title: 'bench/controls.mjs', version: '1.0.0' },
    paths: {
      '/plain': op('plain', [], streamedResponse, unscanned),
      '/jwt': op('jwt', [{ bearerAuth: [] }], streamedResponse, unscanned),
      '/filtered': op('filtered', [], filteredResponse, unscanned),
      '/filtered-scanned': op('filteredScanned', [], filteredResponse),
      '/limited': op('limited', [], streamedResponse, unscanned),
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Item: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            name: { type: 'string' },
            email: { type: 'string' },
            price: { type: 'number' },
            tags: { type: 'array', items: { type: 'string' } },
          },
        },
        Page: {
          type: 'object',
          properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Item' } }, next: { type: ['string', 'null'] } },
        },
      },
    },
  };
}

function makeConfig({ port, adminPort, upstreamPort, jwksPort, specFile, redis }) {
  // A limit no run reaches: what is measured is the limiter's bookkeeping, not refusals.
  const rateLimit = { limits: [{ name: 'bench', key: 'principal', rate: '1000000000/s', operations: ['limited'] }], ...(redis ? { redis } : {}) };
  return {
    controls: { 'rate-limit': rateLimit },
    listen: `127.0.0.1:${port}`,
    admin: { listen: `127.0.0.1:${adminPort}` },
    store: 'memory',
    upstreams: [{ name: 'bench', url: `http://127.0.0.1:${upstreamPort}`, spec: specFile }], // relative to the config file
    identity: { jwt: { issuers: [{ issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'], jwksUrl: `http://127.0.0.1:${jwksPort}/jwks` }] } },
    log: { level: 'silent' },
  };
}

async function startGateway(configFile, port, logFile) {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn('taskset', ['-c', String(SUT_CPU), process.execPath, PORTCULLIS_BIN, 'protect', '--config', configFile], {
    cwd: ROOT,
    env: { ...process.env, PORTCULLIS_LOG_LEVEL: 'silent' },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  fs.closeSync(fd);
  track(child);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitInfo) throw new BenchError(`the gateway exited during start-up (${JSON.stringify(child.exitInfo)}):\n${tail(logFile)}`);
    try {
      if ((await httpGet(port, '/plain')).status === 200) break;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  if (Date.now() >= deadline) throw new BenchError(`the gateway did not answer GET /plain within 30 s:\n${tail(logFile)}`);
  // taskset execs node, so the pid is the gateway's own: its /proc stat is what we account.
  const comm = fs.readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim();
  if (comm !== 'node') throw new BenchError(`pid ${child.pid} is "${comm}", not the gateway's node process`);
  return child;
}

// ---------------------------------------------------------------------------------------------
// Correctness before load: numbers of a gateway answering the wrong thing mean nothing.

function expect(cond, what, r) {
  if (cond) return;
  const got = r ? ` (got ${r.status} ${JSON.stringify(r.body.toString('utf8').slice(0, 300))})` : '';
  throw new BenchError(`correctness check failed: ${what}${got}`);
}

function parseJson(r, what) {
  expect(/^application\/json\b/.test(r.headers['content-type'] ?? ''), `${what} answers application/json`, r);
  try {
    return JSON.parse(r.body.toString('utf8'));
  } catch {
    return expect(false, `${what} answers valid JSON`, r);
  }
}

async function checkCorrectness(port, body, token) {
  const bearer = { authorization: `Bearer ${token}` };
  const plain = await httpGet(port, '/plain');
  expect(plain.status === 200 && plain.body.equals(body.bytes), '/plain returns the upstream body byte for byte', plain);
  const jwt = await httpGet(port, '/jwt', bearer);
  expect(jwt.status === 200 && jwt.body.equals(body.bytes), '/jwt with the token returns the upstream body byte for byte', jwt);
  const anon = await httpGet(port, '/jwt');
  expect(anon.status === 401, '/jwt without a token answers 401', anon);
  // A flipped signature byte proves the signature is verified, not just the token's shape.
  const forged = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;
  const bad = await httpGet(port, '/jwt', { authorization: `Bearer ${forged}` });
  expect(bad.status === 401, '/jwt with a forged signature answers 401', bad);

  const filtered = await httpGet(port, '/filtered');
  expect(filtered.status === 200, '/filtered answers 200', filtered);
  const fv = parseJson(filtered, '/filtered');
  const text = filtered.body.toString('utf8');
  expect(!UNDECLARED.some((k) => text.includes(k)), `/filtered carries no ${UNDECLARED.join('/')}`, filtered);
  expect(isDeepStrictEqual(fv, body.filtered), '/filtered keeps every declared field unchanged', filtered);
  const scanned = await httpGet(port, '/filtered-scanned');
  expect(scanned.status === 200, '/filtered-scanned answers 200', scanned);
  // Equal to /filtered: the scan found nothing to mask, so it costs a scan and nothing else.
  expect(isDeepStrictEqual(parseJson(scanned, '/filtered-scanned'), body.filtered), '/filtered-scanned equals /filtered (nothing masked)', scanned);
  const limited = await httpGet(port, '/limited');
  expect(limited.status === 200 && limited.body.equals(body.bytes), '/limited returns the upstream body byte for byte', limited);
  expect(/^"bench";r=\d+;t=\d+$/.test(String(limited.headers.ratelimit ?? '')), '/limited carries the RateLimit field of its limit (the limiter ran)', limited);
}

/** Is each scenario's body relayed as it arrives (streamed) or held until complete (buffered)? */
async function checkStreaming(port, token) {
  const out = {};
  for (const sc of SCENARIOS) {
    const headers = { 'x-bench-split': '1', ...(sc.auth ? { authorization: `Bearer ${token}` } : {}) };
    const r = await httpGet(port, sc.path, headers);
    expect(r.status === 200, `streaming probe of ${sc.path} answers 200`, r);
    const streamed = r.firstByteMs < SPLIT_MS / 2;
    const buffered = r.headMs >= SPLIT_MS * 0.75;
    expect(streamed || buffered, `streaming probe of ${sc.path}: first byte after ${Math.round(r.firstByteMs)} ms, head after ${Math.round(r.headMs)} ms — neither clearly streamed nor buffered`);
    expect(streamed === sc.streamed, `${sc.path} is ${sc.streamed ? 'streamed' : 'buffered'} by the gateway (it was ${streamed ? 'streamed' : 'buffered'})`);
    out[sc.id] = { streamed, headMs: r.headMs, firstByteMs: r.firstByteMs };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// wrk runs (bench/wrk.lua reports requests, errors and latency percentiles from its done() hook)

const runs = [];
let interrupted = false;

async function modifiedDecisions(adminPort) {
  // The filter's verdict on every stripped response: shows it acted under load, not only once.
  try {
    const text = (await httpGet(adminPort, '/metrics')).body.toString('utf8');
    const line = text.split('\n').find((l) => l.startsWith('portcullis_control_decisions_total{') && l.includes('excessive-data-exposure') && l.includes('outcome="modified"'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  } catch {
    return NaN;
  }
}

function spawnWrk(opts, sc, duration, check, token, tokensFile, port) {
  const args = ['-t', '1', '-c', String(opts.connections), '-d', `${duration}s`, '--timeout', '5s', '-s', WRK_LUA];
  if (sc.auth === 'one') args.push('-H', `Authorization: Bearer ${token}`);
  args.push(`http://127.0.0.1:${port}${sc.path}`);
  const env = {
    ...process.env, BENCH_METHOD: 'GET', BENCH_BODY_FILE: '', BENCH_RATE: '0', BENCH_THREADS: '1', BENCH_CHECK: check ? '1' : '0',
    BENCH_TOKENS_FILE: sc.auth === 'pool' ? tokensFile : '',
  };
  // A shell that prints its own stat after wrk exits: its cutime+cstime is wrk's CPU time, needed to
  // tell our load from other work on CPU 1.
  const script = `taskset -c ${LOAD_CPU} wrk "$@"; rc=$?; read -r s < /proc/$$/stat; echo "BENCH_SHSTAT $s"; exit $rc`;
  const child = track(spawn('sh', ['-c', script, 'sh', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const guard = setTimeout(() => killGroup(child, 'SIGKILL'), (duration + 30) * 1000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(guard);
      const shStat = stdout.split('\n').find((l) => l.startsWith('BENCH_SHSTAT '));
      const f = shStat ? shStat.slice(shStat.lastIndexOf(')') + 2).split(' ') : [];
      resolve({ code, stdout, stderr, cpuS: shStat ? (Number(f[13]) + Number(f[14])) / CLK_TCK : NaN });
    });
  });
}

async function runWrk(ctx, sc, { phase, round, duration }) {
  const { opts, gateway, upstream, adminPort, token, tokensFile, port, jwks } = ctx;
  const check = phase === 'warmup'; // wrk's response() hook counts every non-2xx, but is too slow to measure with
  const mod0 = await modifiedDecisions(adminPort);
  const served0 = upstream.stats.served;
  const jwks0 = jwks.stats.fetches;
  const cpu0 = cpuTimes();
  const gw0 = processCpuS(gateway.pid);
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  const w = await spawnWrk(opts, sc, duration, check, token, tokensFile, port);
  const wallS = (performance.now() - t0) / 1000;
  const selfS = sumCpuUsage(process.cpuUsage(self0));
  const gw1 = processCpuS(gateway.pid);
  const cpu1 = cpuTimes();
  const served = upstream.stats.served - served0;
  const mod1 = await modifiedDecisions(adminPort);

  const line = w.stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (w.code !== 0 || !line) throw new BenchError(`wrk failed for ${sc.path} (exit ${w.code}):\n${w.stdout}\n${w.stderr}`);
  const r = JSON.parse(line.slice('BENCH_JSON '.length));
  const e = r.errors;
  const rec = {
    phase, round, scenario: sc.id, duration_s: r.duration_us / 1e6, connections: opts.connections,
    requests: r.requests, rps: r.requests / (r.duration_us / 1e6),
    latency_us: r.latency_us, errors: e, non2xx: check ? r.non2xx : e.status, non2xx_counted: check ? 'every response' : 'status >= 400 (wrk)',
    gateway_cpu_s: gw1 - gw0, cpu_us_per_req: r.requests > 0 ? ((gw1 - gw0) * 1e6) / r.requests : NaN,
    cpu0_busy_pct: busyPct(cpu0, cpu1, String(SUT_CPU)), cpu1_busy_pct: busyPct(cpu0, cpu1, String(LOAD_CPU)),
    wrk_cpu_s: w.cpuS, harness_cpu_s: selfS,
    // CPU time on each core that none of our processes account for: other work on the machine.
    foreign_cpu0_pct: foreignPct(cpu0, cpu1, SUT_CPU, gw1 - gw0, wallS),
    foreign_cpu1_pct: foreignPct(cpu0, cpu1, LOAD_CPU, w.cpuS + selfS, wallS),
    upstream_served: served, jwks_fetches: jwks.stats.fetches - jwks0, filter_modified: mod1 - mod0,
  };
  runs.push(rec);
  const socketErrors = e.connect + e.read + e.write + e.timeout;
  // Every 2xx needs an upstream answer; fewer upstream requests than responses means the gateway answered by itself.
  if (socketErrors > 0 || rec.non2xx > 0 || r.requests === 0 || served < r.requests) {
    throw new BenchError(
      `${phase} run of ${sc.path} is invalid: ${r.requests} requests, ${served} served by the upstream, socket errors ` +
        `connect=${e.connect} read=${e.read} write=${e.write} timeout=${e.timeout}, non-2xx ${rec.non2xx}` +
        (r.first_bad ? ` (first: ${r.first_bad})` : '') +
        `\n--- wrk output ---\n${w.stdout}${w.stderr}\n--- gateway log (tail) ---\n${tail(gateway.logFile)}`,
    );
  }
  return rec;
}

// ---------------------------------------------------------------------------------------------
// Reporting

const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const fmt1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const fmtSigned1 = (x) => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}` : '–');
const fmtMs = (us) => (Number.isFinite(us) ? (us / 1000).toFixed(2) : '–');
const fmtPct = (x) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '–');

function measured(scenarioId) {
  return runs.filter((r) => r.phase === 'measured' && r.scenario === scenarioId);
}

/** Median over rounds of f(scenario's run, baseline's run of the same round): robust to drift between rounds. */
function perRound(scenarioId, f) {
  const base = measured(BASELINE);
  return median(measured(scenarioId).map((r) => {
    const b = base.find((x) => x.round === r.round);
    return b ? f(r, b) : NaN;
  }));
}

function summarize() {
  const out = {};
  for (const sc of SCENARIOS) {
    const rs = measured(sc.id);
    out[sc.id] = {
      rounds: rs.length,
      rps: median(rs.map((r) => r.rps)),
      rps_min: Math.min(...rs.map((r) => r.rps)),
      rps_max: Math.max(...rs.map((r) => r.rps)),
      cpu_us_per_req: median(rs.map((r) => r.cpu_us_per_req)),
      p50_us: median(rs.map((r) => r.latency_us.p50)),
      p99_us: median(rs.map((r) => r.latency_us.p99)),
      cpu0_busy_pct: median(rs.map((r) => r.cpu0_busy_pct)),
      cpu1_busy_pct: median(rs.map((r) => r.cpu1_busy_pct)),
      foreign_cpu0_pct_max: Math.max(...rs.map((r) => r.foreign_cpu0_pct)),
      foreign_cpu1_pct_max: Math.max(...rs.map((r) => r.foreign_cpu1_pct)),
      overhead_cpu_us_per_req: perRound(sc.id, (r, b) => r.cpu_us_per_req - b.cpu_us_per_req),
      rps_vs_baseline: perRound(sc.id, (r, b) => r.rps / b.rps),
      // Capped: the gateway also filtered the requests still in flight when wrk stopped counting.
      filter_modified_ratio: median(rs.map((r) => Math.min(1, r.filter_modified / r.requests))),
    };
  }
  return out;
}

function versions() {
  let git = commandOutput('git', ['rev-parse', '--short', 'HEAD']);
  if (!git || /fatal|not a git/i.test(git)) git = 'no commit';
  else if (commandOutput('git', ['status', '--porcelain'])) git += ' (dirty)';
  const cpuModel = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  return {
    node: process.version,
    wrk: (commandOutput('wrk', ['-v']) ?? '').split('\n')[0].replace(/^wrk\s+/, '').replace(/\s+Copyright.*$/, ''),
    portcullis: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
    git,
    kernel: os.release(),
    cpu: `${cpuModel} (${os.cpus().length} logical CPUs)`,
    dist: distState(),
  };
}

/** When dist/ was built, and whether src/ changed since: the gateway measured is dist/, not src/. */
function distState() {
  const built = fs.statSync(PORTCULLIS_MAIN).mtimeMs;
  const newer = [];
  const walk = (dir) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, ent.name);
      if (ent.isDirectory()) walk(f);
      else if (f.endsWith('.ts') && !f.endsWith('.test.ts') && fs.statSync(f).mtimeMs > built) newer.push(shown(f));
    }
  };
  walk(path.join(ROOT, 'src'));
  return { built: new Date(built).toISOString(), srcNewer: newer };
}

function buildReport(ctx, summary) {
  const { opts, ver, body, command, idleLoad, startedAt, streaming, jwksBeforeLoad } = ctx;
  const L = [];
  L.push(`# Portcullis control overhead — ${startedAt}`, '', '## Method', '');
  L.push(`- Machine: ${ver.cpu}, kernel ${ver.kernel}; node ${ver.node}, wrk ${ver.wrk}, portcullis ${ver.portcullis} (git ${ver.git}), ` +
    `dist built ${ver.dist.built}` + (ver.dist.srcNewer.length ? ` — **src changed since: ${ver.dist.srcNewer.join(', ')} (not measured)**` : '') + '.');
  L.push(`- Gateway, alone on CPU ${SUT_CPU}: \`${command}\`. wrk and this harness (which hosts the upstream and the JWKS server) on CPU ${LOAD_CPU}.`);
  L.push(`- Upstream body: ${body.bytes.length} bytes of JSON (\`{"items": [${ITEMS} objects], "next": null}\`), the same for every path; ` +
    `each item has 5 declared fields and ${UNDECLARED.length} undeclared ones (${UNDECLARED.join(', ')}), so filtering strips ` +
    `${ITEMS * UNDECLARED.length} members and sends ${body.filteredBytes} bytes.`);
  L.push(`- Load: wrk, 1 thread, ${opts.connections} keep-alive connections; ${opts.warmup} s warm-up per scenario (every non-2xx counted), then ` +
    `${opts.rounds} interleaved round(s) × ${opts.duration} s in the order ${SCENARIOS.map((s) => s.path).join(', ')}; medians across rounds.`);
  L.push('- CPU µs/req: utime+stime of the gateway process (/proc/<pid>/stat, all threads) before and after each run, divided by completed requests.');
  L.push(`- **Baseline: \`/plain\` is the same gateway, on the same body, through the same upstream, without the control**, so the ` +
    'difference to it is the control\'s cost per request. Overheads are the median of per-round differences (CPU) and ratios (req/s).');
  L.push(`- Checked before load: /plain and /jwt return the upstream bytes exactly; /jwt answers 401 without a token and with a forged ` +
    `signature; /filtered returns exactly the declared fields; /filtered-scanned the same (nothing masked). A probe with a ${SPLIT_MS} ms ` +
    `pause mid-body confirmed ${SCENARIOS.map((s) => `${s.path} ${streaming[s.id].streamed ? 'streamed' : 'buffered'}`).join(', ')}.`);
  L.push(`- Machine load in the 1.5 s before start: ${Object.entries(idleLoad).map(([k, v]) => `${k} ${Math.round(v)}%`).join(', ')}` +
    (Object.values(idleLoad).some((v) => v > 10) ? ' — **not idle: numbers are disturbed**' : '') + '.');
  L.push('');

  L.push(`## Overhead per request (median of ${opts.rounds} × ${opts.duration} s)`, '');
  L.push('| Scenario | Control | req/s | min–max | CPU µs/req | p50 ms | p99 ms | CPU µs/req vs baseline | req/s vs baseline |');
  L.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const sc of SCENARIOS) {
    const s = summary[sc.id];
    const isBase = sc.id === BASELINE;
    L.push(`| \`${sc.id}\` (${sc.path}) | ${sc.control} | ${fmtInt(s.rps)} | ${fmtInt(s.rps_min)}–${fmtInt(s.rps_max)} | ${fmt1(s.cpu_us_per_req)} | ` +
      `${fmtMs(s.p50_us)} | ${fmtMs(s.p99_us)} | ${isBase ? 'baseline' : fmtSigned1(s.overhead_cpu_us_per_req)} | ${isBase ? 'baseline' : fmtPct(s.rps_vs_baseline)} |`);
  }
  L.push('', 'Latency is at saturation (closed loop: p50 ≈ connections ÷ req/s), so it mostly restates throughput.', '');

  L.push('## Runs', '');
  L.push('| Round | Scenario | requests | req/s | CPU µs/req | p50 ms | p99 ms | non-2xx | CPU0 busy | CPU1 busy | other work CPU0 / CPU1 |');
  L.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of runs.filter((x) => x.phase === 'measured')) {
    L.push(`| ${r.round} | \`/${r.scenario}\` | ${fmtInt(r.requests)} | ${fmtInt(r.rps)} | ${fmt1(r.cpu_us_per_req)} | ${fmtMs(r.latency_us.p50)} | ` +
      `${fmtMs(r.latency_us.p99)} | ${r.non2xx} | ${Math.round(r.cpu0_busy_pct)}% | ${Math.round(r.cpu1_busy_pct)}% | ` +
      `${Math.round(r.foreign_cpu0_pct)}% / ${Math.round(r.foreign_cpu1_pct)}% |`);
  }
  L.push('', 'non-2xx in measured runs is wrk\'s count of statuses ≥ 400 (with socket errors: any aborts the run); warm-ups count every non-2xx. ' +
    '"Other work": task CPU time on the core (/proc/stat) not accounted for by the gateway (CPU 0) or wrk and this harness (CPU 1), as a share of the run.', '');

  L.push('## Run health', '');
  const measuredFetches = runs.filter((r) => r.phase === 'measured').reduce((n, r) => n + r.jwks_fetches, 0);
  L.push(`- JWKS fetched ${jwksBeforeLoad} time(s) before load and ${measuredFetches} time(s) during the measured runs` +
    (measuredFetches > 0 ? ' — **the key set was re-fetched under load: the JWT numbers include fetches**' : ' (cached throughout).'));
  for (const sc of SCENARIOS) {
    const s = summary[sc.id];
    const notes = [];
    if (s.cpu0_busy_pct < 90) notes.push(`CPU ${SUT_CPU} only ${Math.round(s.cpu0_busy_pct)}% busy: the gateway was not saturated, req/s is a lower bound (CPU µs/req still holds)`);
    if (s.cpu1_busy_pct > 90) notes.push(`CPU ${LOAD_CPU} (wrk + upstream) ${Math.round(s.cpu1_busy_pct)}% busy: the load side may be the bottleneck`);
    if (s.foreign_cpu0_pct_max > 5) notes.push(`up to ${Math.round(s.foreign_cpu0_pct_max)}% of CPU ${SUT_CPU} used by other processes`);
    if (s.foreign_cpu1_pct_max > 5) notes.push(`up to ${Math.round(s.foreign_cpu1_pct_max)}% of CPU ${LOAD_CPU} used by other processes`);
    if (!sc.streamed && s.filter_modified_ratio < 0.99) notes.push(`the filter modified only ${fmtPct(s.filter_modified_ratio)} of responses`);
    L.push(`- \`${sc.id}\`: CPU${SUT_CPU} ${Math.round(s.cpu0_busy_pct)}% busy, CPU${LOAD_CPU} ${Math.round(s.cpu1_busy_pct)}%` +
      (sc.streamed ? '' : `, filter verdict "modified" on ${fmtPct(s.filter_modified_ratio)} of responses`) +
      (notes.length ? ` — **${notes.join('; ')}**` : ''));
  }
  L.push('');
  return L.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

function preflight() {
  for (const c of ['wrk', 'taskset']) {
    if (!commandOutput('sh', ['-c', `command -v ${c}`])) throw new BenchError(`${c} is missing: apt-get install -y wrk util-linux`);
  }
  if (!fs.existsSync(PORTCULLIS_MAIN)) throw new BenchError(`${shown(PORTCULLIS_MAIN)} is missing: run \`npm run build\``);
  const mask = commandOutput('taskset', ['-p', String(process.pid)]) ?? '';
  const hex = /mask:\s*([0-9a-f,]+)/i.exec(mask)?.[1]?.replace(/,/g, '');
  if (!hex || (BigInt(`0x${hex}`) & 3n) !== 3n) throw new BenchError(`CPUs 0 and 1 must both be available (affinity: ${mask.trim()})`);
  // The harness (and so the upstream and JWKS servers it hosts) lives on the load CPU, with wrk.
  spawnSync('taskset', ['-a', '-p', '-c', String(LOAD_CPU), String(process.pid)], { stdio: 'ignore' });
}

async function setUp(opts, tmp) {
  const body = makeBody();
  const { jwk, token, tokensFile } = await makeIssuer(tmp);
  const upstream = await startUpstream(body.bytes);
  const jwks = await startJwks(jwk);
  const port = await freePort();
  const adminPort = await freePort();
  const specFile = path.join(tmp, 'openapi.yaml');
  const configFile = path.join(tmp, 'portcullis.yaml');
  fs.writeFileSync(specFile, toYaml(makeSpec(), { aliasDuplicateObjects: false }));
  fs.writeFileSync(configFile, toYaml(makeConfig({ port, adminPort, upstreamPort: upstream.port, jwksPort: jwks.port, specFile: path.basename(specFile), redis: opts.redis })));
  const logFile = path.join(tmp, 'gateway.out');
  const gateway = await startGateway(configFile, port, logFile);
  gateway.logFile = logFile;
  const command = `PORTCULLIS_LOG_LEVEL=silent taskset -c ${SUT_CPU} node ${shown(PORTCULLIS_BIN)} protect --config ${shown(configFile)}`;
  return { opts, body, token, tokensFile, upstream, jwks, port, adminPort, gateway, command };
}

async function measure(ctx) {
  for (const sc of SCENARIOS) {
    log(`warm-up ${sc.path} ${ctx.opts.warmup} s`);
    await runWrk(ctx, sc, { phase: 'warmup', round: 0, duration: ctx.opts.warmup });
  }
  for (let round = 1; round <= ctx.opts.rounds; round++) {
    for (const sc of SCENARIOS) {
      const r = await runWrk(ctx, sc, { phase: 'measured', round, duration: ctx.opts.duration });
      log(`r${round} ${sc.path}: ${fmtInt(r.rps)} req/s, ${fmt1(r.cpu_us_per_req)} µs CPU/req, p99 ${fmtMs(r.latency_us.p99)} ms, ` +
        `CPU0 ${Math.round(r.cpu0_busy_pct)}% CPU1 ${Math.round(r.cpu1_busy_pct)}%`);
    }
  }
}

function save(stamp, markdown, data) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const md = path.join(RESULTS_DIR, `${stamp}.md`);
  const json = path.join(RESULTS_DIR, `${stamp}.json`);
  fs.writeFileSync(md, `${markdown}\n`);
  fs.writeFileSync(json, `${JSON.stringify(data, null, 2)}\n`);
  log(`saved ${shown(md)} and ${shown(json)}`);
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const stamp = `${startedAt.replace(/[:.]/g, '-')}-controls`;
  const tmp = path.join(RESULTS_DIR, 'tmp', stamp);
  fs.mkdirSync(tmp, { recursive: true });
  const servers = [];
  const onSignal = async (sig) => {
    if (interrupted) return;
    interrupted = true;
    log(`${sig}: stopping`);
    await stopAll();
    if (!opts.keepTmp) fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, onSignal);

  let exitCode = 0;
  try {
    preflight();
    await lock.acquire();
    const ver = versions();
    if (ver.dist.srcNewer.length) log(`WARNING: src changed after dist/ was built (${ver.dist.srcNewer.join(', ')}): measuring dist/ as built`);
    const idleLoad = await machineLoad();
    const ctx = await setUp(opts, tmp);
    servers.push(ctx.upstream.server, ctx.jwks.server);
    await checkCorrectness(ctx.port, ctx.body, ctx.token);
    const streaming = await checkStreaming(ctx.port, ctx.token);
    const jwksBeforeLoad = ctx.jwks.stats.fetches;
    log(`body ${ctx.body.bytes.length} B (filtered ${ctx.body.filteredBytes} B); checks passed; JWKS fetched ${jwksBeforeLoad}×; ` +
      `${opts.rounds} round(s) × ${opts.duration} s, ${opts.connections} connections`);
    await measure(ctx);
    const summary = summarize();
    const report = buildReport({ ...ctx, ver, idleLoad, startedAt, streaming, jwksBeforeLoad }, summary);
    process.stdout.write(`${report}\n`);
    save(stamp, report, {
      startedAt, options: opts, versions: ver, machineLoadBeforeStart: idleLoad,
      method: { sutCpu: SUT_CPU, loadCpu: LOAD_CPU, clkTck: CLK_TCK, baseline: BASELINE, command: ctx.command, splitProbeMs: SPLIT_MS },
      body: { bytes: ctx.body.bytes.length, filteredBytes: ctx.body.filteredBytes, items: ITEMS, strippedMembers: ITEMS * UNDECLARED.length },
      scenarios: SCENARIOS, streaming, jwksFetchesBeforeLoad: jwksBeforeLoad, summary, runs,
    });
  } catch (err) {
    if (interrupted) await new Promise(() => {}); // the signal handler stops everything and exits
    exitCode = 1;
    process.stderr.write(`\n[bench:controls] FAILED: ${err instanceof BenchError ? err.message : err?.stack ?? err}\n`);
    if (runs.length) {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      const f = path.join(RESULTS_DIR, `${stamp}-failed.json`);
      fs.writeFileSync(f, `${JSON.stringify({ startedAt, options: opts, error: String(err?.message ?? err), runs }, null, 2)}\n`);
      process.stderr.write(`[bench:controls] runs so far saved to ${shown(f)}\n`);
    }
    process.stderr.write(`[bench:controls] spec, config and gateway log kept in ${shown(tmp)}\n`);
  } finally {
    await stopAll();
    for (const s of servers) s.closeAllConnections?.();
    for (const s of servers) s.close();
    if (!opts.keepTmp && exitCode === 0) fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exitCode = exitCode;
}

main();
