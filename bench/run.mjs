#!/usr/bin/env node
// `npm run bench`: throughput, CPU per request and same-load latency of
//   (a) the static nginx origin directly, (b) nginx as a plain reverse proxy,
//   (c) a policy-free node:http + undici proxy (bench/bare-proxy.mjs, the baseline),
//   (d) portcullis with contract validation on (skipped while dist/src/cli/main.js is missing),
// side by side in one run. See bench/README.md for the method and how to read the output.
// Plain ESM JavaScript on purpose: it needs no build step.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchLock, commandOutput, freePort, tail } from './lib.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const WRK_LUA = path.join(BENCH_DIR, 'wrk.lua');
const SPEC = path.join(BENCH_DIR, 'openapi.yaml');
const CONTRACT_CONTROLS = path.join(BENCH_DIR, 'contract.yaml');
const POST_BODY_FILE = path.join(BENCH_DIR, 'post-body.json');
const PORTCULLIS_MAIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const PORTCULLIS_BIN = path.join(ROOT, 'bin', 'portcullis.js');

/** Unmeasured seconds at the offered rate before each fixed-rate run. */
const SETTLE_S = 2;
const SUT_CPU = 0; // the system under test, alone
const LOAD_CPU = 1; // wrk, the nginx origin and this harness

// The origin's fixed answers. They must validate against bench/openapi.yaml's responses.
const ORIGIN_GET_BODY = '{"id":42,"name":"Ergonomic mechanical keyboard, 75% layout"}';
const ORIGIN_POST_BODY = '{"id":1001,"status":"created"}';

const USAGE = `usage: node bench/run.mjs [options]      (npm run bench -- [options])
  --duration <s>      seconds per measured run (integer, default 10)
  --rounds <n>        interleaved rounds, throughput and fixed-rate phase each (default 3)
  --connections <n>   wrk connections (default 64)
  --threads <n>       wrk threads (default 1; wrk has one core)
  --warmup <s>        warm-up seconds per target and scenario (default 5)
  --quick             smoke check: --duration 2 --rounds 1 --warmup 1 (explicit flags still win)
  --targets <list>    subset of a,b,c,d,g (default all; e is added by --with-logging)
  --with-logging      also run (e): portcullis with PORTCULLIS_LOG_LEVEL=info, access log to a file
  --keep-tmp          keep bench/results/tmp/<stamp>/ (nginx confs, server logs) after the run
  --portcullis-bin <f>  script started as (d)/(e) instead of bin/portcullis.js (same CLI arguments);
                      for testing the harness, or comparing another build
  --compare-bin <f>   also run (f): portcullis from this script (another build, e.g. a git worktree
                      of an older commit), interleaved with (d) in every round: an A/B in one run
  -h, --help`;

// ---------------------------------------------------------------------------------------------
// Options

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      threads: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      targets: { type: 'string' },
      'with-logging': { type: 'boolean', default: false },
      'compare-bin': { type: 'string' },
      'keep-tmp': { type: 'boolean', default: false },
      'portcullis-bin': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name, fallback, min) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) usageError(`--${name} must be an integer >= ${min}, got ${raw}`);
    return n;
  };
  const quick = values.quick;
  const targets = (values.targets ?? 'a,b,c,d,g').split(',').map((t) => t.trim()).filter(Boolean);
  for (const t of targets) if (!['a', 'b', 'c', 'd', 'e', 'f', 'g'].includes(t)) usageError(`unknown target ${t}`);
  if (values['with-logging'] && !targets.includes('e')) targets.push('e');
  if (values['compare-bin'] && !targets.includes('f')) targets.push('f');
  if (targets.includes('f') && !values['compare-bin']) usageError('target f needs --compare-bin');
  return {
    duration: int('duration', quick ? 2 : 10, 1),
    rounds: int('rounds', quick ? 1 : 3, 1),
    connections: int('connections', 64, 1),
    threads: int('threads', 1, 1),
    warmup: int('warmup', quick ? 1 : 5, 1),
    quick,
    targets,
    keepTmp: values['keep-tmp'],
    portcullisBin: values['portcullis-bin'] ? path.resolve(values['portcullis-bin']) : null,
    compareBin: values['compare-bin'] ? path.resolve(values['compare-bin']) : null,
  };
}

function usageError(msg) {
  console.error(`bench: ${msg}\n${USAGE}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Small utilities

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((p, q) => p - q);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

class BenchError extends Error {}
const lock = benchLock({ log: (m) => log(m), fail: (m) => new BenchError(m) });


function httpRequest({ port, method = 'GET', path: p, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers, agent: false, timeout: 5000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}


// ---------------------------------------------------------------------------------------------
// /proc accounting

const CLK_TCK = Number(commandOutput('getconf', ['CLK_TCK'])) || 100;

function readStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    // utime(14) stime(15) cutime(16) cstime(17): the process (all its threads) plus reaped children
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

/** CPU ticks of pid and every live descendant (nginx master + workers, node + any children). */
function treeTicks(rootPid) {
  const byParent = new Map();
  const stats = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(name);
    if (!st) continue;
    stats.set(Number(name), st);
    if (!byParent.has(st.ppid)) byParent.set(st.ppid, []);
    byParent.get(st.ppid).push(Number(name));
  }
  let ticks = 0;
  let procs = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    const st = stats.get(pid);
    if (!st) continue;
    ticks += st.ticks;
    procs += 1;
    stack.push(...(byParent.get(pid) ?? []));
  }
  return { ticks, procs };
}

/**
 * Per-CPU ticks from /proc/stat: busy (everything but idle/iowait), task (user+nice+system, the
 * part comparable with processes' utime+stime; irq/softirq are accounted apart here) and total.
 */
function cpuTimes() {
  const out = {};
  for (const line of fs.readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const v = m[2].trim().split(/\s+/).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal (guest is inside user)
    const idle = v[3] + v[4];
    out[m[1]] = { busy: total - idle, task: v[0] + v[1] + v[2], total };
  }
  return out;
}

/** System-wide TCP passive opens (accepted connections) from /proc/net/snmp. */
function tcpPassiveOpens() {
  const lines = fs.readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Tcp:'));
  const names = lines[0].split(/\s+/);
  const vals = lines[1].split(/\s+/);
  return Number(vals[names.indexOf('PassiveOpens')]);
}

const clampPct = (x) => Math.min(100, Math.max(0, x));

/** How busy each CPU is over `ms` before anything starts: the machine should be idle. */
async function machineLoad(ms = 1500) {
  const a = cpuTimes();
  await sleep(ms);
  const b = cpuTimes();
  const out = {};
  for (const id of Object.keys(b)) {
    const dt = b[id].total - a[id].total;
    out[`cpu${id}`] = dt > 0 ? clampPct((100 * (b[id].busy - a[id].busy)) / dt) : NaN;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Processes: every child gets its own process group; all are stopped on exit or signal.

const children = new Set();

function startProcess(name, cmd, args, { cpu, env = process.env, logFile }) {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn('taskset', ['-c', String(cpu), cmd, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  fs.closeSync(fd);
  child.benchName = name;
  child.logFile = logFile;
  child.exitInfo = null;
  children.add(child);
  child.on('exit', (code, signal) => {
    child.exitInfo = { code, signal };
    children.delete(child);
  });
  child.on('error', (err) => {
    child.exitInfo = { code: null, signal: null, error: err.message };
    children.delete(child);
  });
  return child;
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

async function stopAll() {
  const live = [...children];
  for (const c of live) killGroup(c, 'SIGTERM');
  const deadline = Date.now() + 3000;
  while (children.size && Date.now() < deadline) await sleep(50);
  for (const c of [...children]) killGroup(c, 'SIGKILL');
}

process.on('exit', () => {
  for (const c of children) killGroup(c, 'SIGKILL');
  lock.release();
});


async function waitReady(child, { port, readyLine, probe, timeoutMs = 30_000 }) {
  const deadline = Date.now() + timeoutMs;
  const lineRe = readyLine ? new RegExp(`listening on http://127\\.0\\.0\\.1:${port}(?!\\d)`) : null;
  while (Date.now() < deadline) {
    if (child.exitInfo) {
      throw new BenchError(`${child.benchName} exited during start-up (${JSON.stringify(child.exitInfo)}):\n${tail(child.logFile)}`);
    }
    const lineOk = !lineRe || lineRe.test(fs.readFileSync(child.logFile, 'utf8'));
    if (lineOk) {
      try {
        await probe();
        return;
      } catch {
        /* not yet */
      }
    }
    await sleep(100);
  }
  throw new BenchError(
    `${child.benchName} not ready after ${timeoutMs / 1000}s` +
      (lineRe ? ` (expected a line matching ${lineRe})` : '') +
      `:\n${tail(child.logFile)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// nginx configuration (origin on CPU 1, reverse proxy on CPU 0)

function nginxCommon(dir, name) {
  return `daemon off;
master_process on;
worker_processes 1;
pid ${dir}/${name}.pid;
error_log ${dir}/${name}-error.log warn;
events { worker_connections 4096; }
`;
}

function nginxHttpCommon(dir, name) {
  return `  access_log off;
  server_tokens off;
  client_body_temp_path ${dir}/${name}-temp/body;
  proxy_temp_path ${dir}/${name}-temp/proxy;
  fastcgi_temp_path ${dir}/${name}-temp/fastcgi;
  uwsgi_temp_path ${dir}/${name}-temp/uwsgi;
  scgi_temp_path ${dir}/${name}-temp/scgi;
  client_body_buffer_size 16k;
  client_max_body_size 1m;
  keepalive_timeout 75s;
  keepalive_requests 100000000;
`;
}

function originConf(dir, port, statusPort) {
  // `return` goes through ngx_http_send_response(), which reads and discards the request body
  // before answering, so keep-alive POSTs work (run.mjs checks it: see checkOriginKeepAlive).
  return `${nginxCommon(dir, 'origin')}http {
${nginxHttpCommon(dir, 'origin')}
  server {
    listen 127.0.0.1:${port} backlog=4096;
    default_type application/json;
    location ~ "^/items/[0-9]+$" {
      return 200 '${ORIGIN_GET_BODY}';
    }
    location = /items {
      if ($request_method != POST) { return 405; }
      return 201 '${ORIGIN_POST_BODY}';
    }
    location / {
      return 404 '{"error":"not_found"}';
    }
  }
  server {
    listen 127.0.0.1:${statusPort};
    location / { stub_status; }
  }
}
`;
}

function proxyConf(dir, port, originPort) {
  return `${nginxCommon(dir, 'proxy')}http {
${nginxHttpCommon(dir, 'proxy')}
  upstream origin {
    server 127.0.0.1:${originPort};
    keepalive 128;
    keepalive_requests 100000000;
    keepalive_timeout 75s;
  }
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

// ---------------------------------------------------------------------------------------------
// Scenarios and targets

const POST_BODY = fs.readFileSync(POST_BODY_FILE, 'utf8');

const SCENARIOS = [
  {
    id: 'get',
    label: 'GET /items/42?fields=name',
    method: 'GET',
    path: '/items/42?fields=name',
    expect: { status: 200, body: ORIGIN_GET_BODY },
    invalid: { method: 'GET', path: '/items/forty-two?fields=name' },
  },
  {
    id: 'post',
    label: `POST /items (${Buffer.byteLength(POST_BODY)} B JSON)`,
    method: 'POST',
    path: '/items',
    bodyFile: POST_BODY_FILE,
    body: POST_BODY,
    expect: { status: 201, body: ORIGIN_POST_BODY },
    invalid: {
      method: 'POST',
      path: '/items',
      body: JSON.stringify({ ...JSON.parse(POST_BODY), owner_email: 'not-an-email', unexpected: true }),
    },
  },
];

const TARGET_INFO = {
  a: { key: 'direct', label: '(a) upstream direct', cpu: LOAD_CPU },
  b: { key: 'nginx', label: '(b) nginx proxy', cpu: SUT_CPU },
  c: { key: 'bare', label: '(c) bare Node proxy', cpu: SUT_CPU },
  d: { key: 'portcullis', label: '(d) portcullis', cpu: SUT_CPU },
  e: { key: 'portcullis-log', label: '(e) portcullis + access log', cpu: SUT_CPU },
  f: { key: 'portcullis-compare', label: '(f) portcullis, --compare-bin build', cpu: SUT_CPU },
  g: { key: 'portcullis-contract', label: '(g) portcullis, contract controls only', cpu: SUT_CPU },
};

// ---------------------------------------------------------------------------------------------
// wrk

let originStatusPort = 0;
let interrupted = false; // set by a signal: the main flow then stops quietly, the handler cleans up
let originPid = 0;

async function originStatus() {
  const r = await httpRequest({ port: originStatusPort, path: '/' });
  const m = /accepts handled requests\s+(\d+)\s+(\d+)\s+(\d+)/.exec(r.body);
  if (!m) throw new BenchError(`unexpected stub_status output: ${r.body}`);
  return { accepts: Number(m[1]), requests: Number(m[3]) };
}

const runs = [];

async function runWrk(opts, { target, scenario, phase, round, duration, rate = 0, check = false }) {
  const url = `http://127.0.0.1:${target.port}${scenario.path}`;
  const env = {
    ...process.env,
    BENCH_METHOD: scenario.method,
    BENCH_BODY_FILE: scenario.bodyFile ?? '',
    BENCH_RATE: String(rate),
    BENCH_THREADS: String(opts.threads),
    BENCH_CHECK: check ? '1' : '0',
  };
  const wrkArgs = ['-t', String(opts.threads), '-c', String(opts.connections), '-d', `${duration}s`, '--timeout', '5s', '-s', WRK_LUA, url];
  // Run wrk under a shell that reports its own stat afterwards: its cutime+cstime is wrk's CPU time.
  const script = `taskset -c ${LOAD_CPU} wrk "$@"; rc=$?; read -r s < /proc/$$/stat; echo "BENCH_SHSTAT $s"; exit $rc`;

  const o0 = await originStatus();
  const tcp0 = tcpPassiveOpens();
  const sut0 = treeTicks(target.process.pid);
  const org0 = treeTicks(originPid);
  const cpu0 = cpuTimes();
  const self0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();

  const child = spawn('sh', ['-c', script, 'sh', ...wrkArgs], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.benchName = 'wrk';
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const guard = setTimeout(() => killGroup(child, 'SIGKILL'), (duration + 30) * 1000);
  const code = await new Promise((resolve) => {
    child.on('exit', (c) => resolve(c));
    child.on('error', (e) => { stderr += e.message; resolve(-1); });
  });
  clearTimeout(guard);
  children.delete(child);

  const t1 = process.hrtime.bigint();
  const cpu1 = cpuTimes();
  const self1 = process.cpuUsage(self0);
  const sut1 = treeTicks(target.process.pid);
  const org1 = treeTicks(originPid);
  const tcp1 = tcpPassiveOpens();
  const o1 = await originStatus();
  const shStat = stdout.split('\n').find((l) => l.startsWith('BENCH_SHSTAT '));
  let wrkTicks = NaN;
  if (shStat) {
    const f = shStat.slice(shStat.lastIndexOf(')') + 2).split(' ');
    wrkTicks = Number(f[13]) + Number(f[14]);
  }

  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (code !== 0 || !line) {
    throw new BenchError(`wrk failed for ${target.label} ${scenario.label} (exit ${code}):\n${stdout}\n${stderr}`);
  }
  const w = JSON.parse(line.slice('BENCH_JSON '.length));
  const wallS = Number(t1 - t0) / 1e9;
  const busyPct = (id) => {
    const dt = cpu1[id].total - cpu0[id].total;
    return dt > 0 ? (100 * (cpu1[id].busy - cpu0[id].busy)) / dt : NaN;
  };
  const sutCpuS = (sut1.ticks - sut0.ticks) / CLK_TCK;
  const originCpuS = (org1.ticks - org0.ticks) / CLK_TCK;
  const wrkCpuS = wrkTicks / CLK_TCK;
  const harnessCpuS = (self1.user + self1.system) / 1e6;
  const taskS = (id) => (cpu1[id].task - cpu0[id].task) / CLK_TCK;
  // CPU time on each core that none of our processes account for: other work on the machine.
  const ours0 = target.cpu === SUT_CPU ? sutCpuS : 0;
  const ours1 = wrkCpuS + originCpuS + harnessCpuS;
  const rps = w.requests / (w.duration_us / 1e6);
  const rec = {
    phase,
    round,
    target: target.id,
    scenario: scenario.id,
    duration_s: w.duration_us / 1e6,
    connections: opts.connections,
    requests: w.requests,
    rps,
    target_rate: rate || null,
    achieved_ratio: rate ? rps / rate : null,
    errors: w.errors,
    non2xx_checked: w.checked,
    non2xx: w.non2xx,
    conn_close_responses: w.checked ? w.conn_close : null,
    latency_us: w.latency_us,
    sut_cpu_s: sutCpuS,
    sut_procs: sut0.procs,
    cpu_us_per_req: w.requests > 0 ? (sutCpuS * 1e6) / w.requests : NaN,
    wrk_cpu_s: wrkCpuS,
    origin_cpu_s: originCpuS,
    cpu0_busy_pct: busyPct(String(SUT_CPU)),
    cpu1_busy_pct: busyPct(String(LOAD_CPU)),
    foreign_cpu0_pct: clampPct((100 * (taskS(String(SUT_CPU)) - ours0)) / wallS),
    foreign_cpu1_pct: Number.isFinite(wrkCpuS) ? clampPct((100 * (taskS(String(LOAD_CPU)) - ours1)) / wallS) : NaN,
    origin_conns_opened: o1.accepts - o0.accepts - 1, // minus the status request's own connection
    origin_requests: o1.requests - o0.requests - 1,
    // Machine-wide TCP accepts during the run (wrk's connections + the origin's + anything else
    // running on the machine): context only, see keepAliveProbe() for the precise check.
    tcp_passive_opens_machine: tcp1 - tcp0,
  };
  runs.push(rec);

  const e = w.errors;
  const socketErrors = e.connect + e.read + e.write + e.timeout;
  if (socketErrors > 0 || e.status > 0 || w.non2xx > 0 || w.requests === 0) {
    throw new BenchError(
      `${phase} run of ${target.label} ${scenario.label} is invalid: ${w.requests} requests, socket errors ` +
        `connect=${e.connect} read=${e.read} write=${e.write} timeout=${e.timeout}, status>=400: ${e.status}` +
        (w.checked ? `, non-2xx: ${w.non2xx}${w.first_bad ? ` (first: ${w.first_bad})` : ''}` : '') +
        `\n--- wrk output ---\n${stdout}${stderr}` +
        (target.process.logFile ? `\n--- ${target.label} log (tail) ---\n${tail(target.process.logFile)}` : ''),
    );
  }
  return rec;
}

// ---------------------------------------------------------------------------------------------
// Correctness checks (before any load): each target must answer like the origin, and
// portcullis must actually reject what the contract forbids.

async function send(port, req) {
  const headers = { accept: 'application/json' };
  if (req.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(req.body));
  }
  return httpRequest({ port, method: req.method, path: req.path, headers, body: req.body });
}

async function checkTarget(target) {
  for (const sc of SCENARIOS) {
    const r = await send(target.port, sc);
    if (r.status !== sc.expect.status || r.body !== sc.expect.body) {
      throw new BenchError(
        `${target.label} answered ${sc.label} with ${r.status} ${JSON.stringify(r.body.slice(0, 300))}; ` +
          `expected ${sc.expect.status} ${sc.expect.body}` +
          (target.process.logFile ? `\n--- log (tail) ---\n${tail(target.process.logFile)}` : ''),
      );
    }
    if (target.validates) {
      const bad = await send(target.port, sc.invalid);
      if (bad.status < 400 || bad.status > 499) {
        throw new BenchError(
          `${target.label} answered a contract-violating ${sc.invalid.method} ${sc.invalid.path} with ${bad.status}, ` +
            `expected a 4xx: contract validation does not seem to be on, so its numbers would not mean what the table says.`,
        );
      }
    }
  }
}

/**
 * Does the target keep client connections alive? Sends KEEPALIVE_PROBE sequential requests through
 * one keep-alive agent socket and counts the sockets it took. wrk reconnects silently when a server
 * closes a connection (e.g. a max-requests-per-socket limit), so this is the way to see it.
 */
const KEEPALIVE_PROBE = 2500;
async function keepAliveProbe(target) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set();
  try {
    for (let i = 0; i < KEEPALIVE_PROBE; i++) {
      await new Promise((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port: target.port, path: SCENARIOS[0].path, agent, headers: { accept: 'application/json' } }, (res) => {
          res.resume();
          res.on('end', resolve);
          res.on('error', reject);
        });
        req.on('socket', (sock) => sockets.add(sock));
        req.on('error', reject);
      });
    }
  } finally {
    agent.destroy();
  }
  return { requests: KEEPALIVE_PROBE, connections: sockets.size };
}

/** The origin must keep POST connections alive (it has to read and discard the body to do so). */
function checkOriginKeepAlive(rec, opts) {
  // Reconnects after an occasional socket hiccup are noise (they show in the run health notes);
  // broken keep-alive means about one connection per request. Fail only well short of that.
  const allowed = Math.max(Math.ceil(opts.connections * opts.threads * 1.25) + 4, Math.ceil(rec.requests * 0.01));
  if (rec.origin_conns_opened > allowed) {
    throw new BenchError(
      `the nginx origin opened ${rec.origin_conns_opened} connections for ${rec.requests} direct ${rec.scenario} ` +
        `requests on ${opts.connections} wrk connections: keep-alive is broken, results would measure reconnects`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting

const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const fmtMs = (us) => (Number.isFinite(us) ? (us / 1000).toFixed(2) : '–');
const fmtSignedMs = (us) => (Number.isFinite(us) ? `${us >= 0 ? '+' : '−'}${(Math.abs(us) / 1000).toFixed(2)}` : '–');
const fmtPct = (x) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '–');
const fmt1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');

function summarize(phase, targetId, scenarioId) {
  const rs = runs.filter((r) => r.phase === phase && r.target === targetId && r.scenario === scenarioId);
  if (rs.length === 0) return null;
  return {
    n: rs.length,
    rps: median(rs.map((r) => r.rps)),
    rps_min: Math.min(...rs.map((r) => r.rps)),
    rps_max: Math.max(...rs.map((r) => r.rps)),
    cpu_us_per_req: median(rs.map((r) => r.cpu_us_per_req)),
    p50_us: median(rs.map((r) => r.latency_us.p50)),
    p99_us: median(rs.map((r) => r.latency_us.p99)),
    p999_us: median(rs.map((r) => r.latency_us.p999)),
    cpu0_busy_pct: median(rs.map((r) => r.cpu0_busy_pct)),
    cpu1_busy_pct: median(rs.map((r) => r.cpu1_busy_pct)),
    foreign_cpu0_pct_max: Math.max(...rs.map((r) => r.foreign_cpu0_pct)),
    foreign_cpu1_pct_max: Math.max(...rs.map((r) => r.foreign_cpu1_pct)),
    wrk_cpu_pct: median(rs.map((r) => (100 * r.wrk_cpu_s) / r.duration_s)),
    origin_conns_opened_max: Math.max(...rs.map((r) => r.origin_conns_opened)),

    origin_forwarded_ratio: median(rs.map((r) => r.origin_requests / r.requests)),
    target_rate: rs[0].target_rate,
    achieved_ratio: median(rs.map((r) => r.achieved_ratio)),
    achieved_ratio_min: Math.min(...rs.map((r) => r.achieved_ratio ?? NaN)),
    achieved_ratio_max: Math.max(...rs.map((r) => r.achieved_ratio ?? NaN)),
  };
}

/** Median over rounds of (target req/s ÷ reference req/s) in the same round: robust to drift. */
function roundRatio(phase, targetId, refId, scenarioId) {
  const rs = runs.filter((r) => r.phase === phase && r.scenario === scenarioId);
  const ratios = [];
  for (const r of rs.filter((x) => x.target === targetId)) {
    const ref = rs.find((x) => x.target === refId && x.round === r.round);
    if (ref) ratios.push(r.rps / ref.rps);
  }
  return ratios.length ? median(ratios) : NaN;
}

function versions() {
  const first = (s) => (s ?? '').split('\n')[0];
  const undiciPkg = path.join(ROOT, 'node_modules', 'undici', 'package.json');
  let git = commandOutput('git', ['rev-parse', '--short', 'HEAD']);
  if (!git || /fatal|not a git/i.test(git)) git = 'no commit';
  else if (commandOutput('git', ['status', '--porcelain'])) git += ' (dirty)';
  const cpuModel = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  return {
    node: process.version,
    nginx: first(commandOutput('nginx', ['-v'])).replace(/^nginx version:\s*nginx\//, ''),
    wrk: first(commandOutput('wrk', ['-v'])).replace(/^wrk\s+/, '').replace(/\s+Copyright.*$/, ''),
    undici: fs.existsSync(undiciPkg) ? JSON.parse(fs.readFileSync(undiciPkg, 'utf8')).version : 'missing',
    portcullis: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
    git,
    kernel: os.release(),
    cpu: `${cpuModel} (${os.cpus().length} logical CPUs)`,
  };
}

function buildReport(ctx) {
  const { opts, targets, rates, rateBasis, startedAt, skipped, ver, idleLoad } = ctx;
  const L = [];
  const ids = targets.map((t) => t.id);
  L.push(`# Portcullis benchmark — ${startedAt}`);
  L.push('');
  L.push('## Method');
  L.push('');
  L.push(`- Machine: ${ver.cpu}, kernel ${ver.kernel}. System under test pinned alone on CPU ${SUT_CPU} (\`taskset -c ${SUT_CPU}\`); ` +
    `wrk, the static nginx origin and this harness on CPU ${LOAD_CPU}. Each server is its own process.`);
  L.push(`- Versions: node ${ver.node}, nginx ${ver.nginx}, wrk ${ver.wrk}, undici ${ver.undici}, portcullis ${ver.portcullis} (git ${ver.git}).`);
  L.push(`- Load: wrk, ${opts.threads} thread(s), ${opts.connections} keep-alive connections. Warm-up ${opts.warmup} s per target and scenario ` +
    `(with a per-response non-2xx check), then ${opts.rounds} interleaved round(s) of ${opts.duration} s ` +
    `(each round: every scenario × every target, in order ${ids.join(',')}); medians across rounds are reported.`);
  L.push(`- Same-load latency: after the throughput rounds, ${opts.rounds} interleaved round(s) of ${opts.duration} s, each after ${SETTLE_S} s unmeasured at the same rate, at a fixed offered rate ` +
    `(${rateBasis}), paced open-loop by wrk's delay() hook on a per-thread schedule.`);
  L.push('- CPU µs/req: utime+stime of the SUT process and its descendants (nginx: master + worker) from /proc/<pid>/stat, ' +
    'before/after each run, divided by completed requests. For (a) it is the origin nginx.');
  L.push('- A run with any socket error, timeout or status ≥ 400 aborts the benchmark; before loading, each target must return ' +
    "the origin's exact status and body, and portcullis must reject a contract-violating request with a 4xx.");
  for (const t of targets.filter((x) => x.command)) L.push(`- ${t.label}: \`${t.command}\``);
  const idleText = Object.entries(idleLoad).map(([k, v]) => `${k} ${Math.round(v)}%`).join(', ');
  const notIdle = Object.values(idleLoad).some((v) => v > 10);
  L.push(`- Machine load in the 1.5 s before start: ${idleText}${notIdle ? ' — **not idle: other work was running, numbers are disturbed**' : ''}.`);
  if (skipped.length) for (const s of skipped) L.push(`- **Skipped:** ${s}`);
  L.push('');

  L.push(`## Throughput (closed loop, ${opts.connections} connections, median of ${opts.rounds} × ${opts.duration} s)`);
  L.push('');
  L.push('| Scenario | Target | req/s | min–max | vs bare proxy | vs nginx | CPU µs/req | p50 ms | p99 ms |');
  L.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const thr = {};
  for (const sc of SCENARIOS) {
    thr[sc.id] = {};
    for (const t of targets) thr[sc.id][t.id] = summarize('throughput', t.id, sc.id);
    const bare = thr[sc.id].c;
    const ngx = thr[sc.id].b;
    for (const t of targets) {
      const s = thr[sc.id][t.id];
      if (!s) continue;
      s.vs_bare = bare ? roundRatio('throughput', t.id, 'c', sc.id) : NaN;
      s.vs_nginx = ngx ? roundRatio('throughput', t.id, 'b', sc.id) : NaN;
      L.push(`| ${sc.label} | ${t.label} | ${fmtInt(s.rps)} | ${fmtInt(s.rps_min)}–${fmtInt(s.rps_max)} | ` +
        `${fmtPct(s.vs_bare)} | ${fmtPct(s.vs_nginx)} | ${fmt1(s.cpu_us_per_req)} | ` +
        `${fmtMs(s.p50_us)} | ${fmtMs(s.p99_us)} |`);
    }
  }
  L.push('');
  L.push('"vs" columns: median over rounds of the ratio within the same round (robust to machine drift between rounds). ' +
    `Latency in this table is at saturation (closed loop: p50 ≈ connections ÷ req/s); compare latency in the next table. ` +
    `(a) shares CPU ${LOAD_CPU} with wrk, so it is the origin's reference ceiling, not a proxy result.`);
  L.push('');

  const fixed = {};
  if (rates) {
    L.push(`## Latency at the same offered load (${SCENARIOS.map((sc) => `${sc.id.toUpperCase()} ${fmtInt(rates[sc.id])} req/s`).join(', ')})`);
    L.push('');
    L.push('| Scenario | Target | offered req/s | achieved | p50 ms | p99 ms | p99.9 ms | added p50 / p99 vs direct | added p50 / p99 vs bare proxy | CPU µs/req |');
    L.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const sc of SCENARIOS) {
      fixed[sc.id] = {};
      for (const t of targets) fixed[sc.id][t.id] = summarize('fixed-rate', t.id, sc.id);
      const direct = fixed[sc.id].a;
      const bare = fixed[sc.id].c;
      for (const t of targets) {
        const s = fixed[sc.id][t.id];
        if (!s) continue;
        const ok = rateOk(s);
        const vs = (ref) => (ref && t.id !== ref.id ? `${fmtSignedMs(s.p50_us - ref.p50_us)} / ${fmtSignedMs(s.p99_us - ref.p99_us)}` : '–');
        L.push(`| ${sc.label} | ${t.label} | ${fmtInt(s.target_rate)} | ${fmtInt(s.rps)} (${fmtPct(s.achieved_ratio)})${ok ? '' : ' ⚠'} | ` +
          `${fmtMs(s.p50_us)} | ${fmtMs(s.p99_us)} | ${fmtMs(s.p999_us)} | ${vs(direct && { ...direct, id: 'a' })} | ` +
          `${vs(bare && { ...bare, id: 'c' })} | ${fmt1(s.cpu_us_per_req)} |`);
      }
    }
    L.push('');
    L.push('Added latency = this target minus the reference target, both measured at the same offered rate (medians of p50/p99 across rounds). ' +
      '⚠ = achieved rate off the offered rate by more than 5% in some round: that row does not compare at equal load.');
    L.push('');
  }

  // The issue's targets: reported, not asserted.
  L.push('## Targets (reported, not asserted)');
  L.push('');
  const verdicts = [];
  const c = (sc) => thr[sc]?.c;
  // Judged for the default build (d) and for the contract-only one (g), each against the same run's bare proxy.
  for (const id of ['d', 'g']) {
    const name = id === 'd' ? 'portcullis (default controls)' : 'portcullis (contract controls only)';
    const t = (sc) => thr[sc]?.[id];
    if (!t('get') && !t('post')) {
      verdicts.push(`SKIP ${name} — (${id}) not in the run`);
      continue;
    }
    const ratioLine = (sc, min, what) => {
      if (!t(sc) || !c(sc)) return `SKIP ${what} ≥ ${min * 100}% of bare proxy req/s — needs (c) and (${id}) in the run`;
      const r = roundRatio('throughput', id, 'c', sc);
      return `${r >= min ? 'PASS' : 'FAIL'} ${what}: ${(r * 100).toFixed(1)}% of bare proxy req/s (median of per-round ratios; ` +
        `medians ${fmtInt(t(sc).rps)} vs ${fmtInt(c(sc).rps)}); target ≥ ${min * 100}%`;
    };
    verdicts.push(ratioLine('get', 0.8, `${name} GET throughput`));
    verdicts.push(ratioLine('post', 0.7, `${name} validated JSON POST throughput`));
    for (const sc of SCENARIOS) {
      const fd = fixed[sc.id]?.[id];
      const fc = fixed[sc.id]?.c;
      const what = `${name} ${sc.id.toUpperCase()} p99 at ${rates ? fmtInt(rates[sc.id]) : '?'} req/s`;
      if (!fd || !fc) {
        verdicts.push(`SKIP ${what} ≤ bare proxy p99 + 1.5 ms — needs (c) and (${id}) in the fixed-rate phase`);
        continue;
      }
      const added = fd.p99_us - fc.p99_us;
      const status = !rateOk(fd) || !rateOk(fc) ? 'INVALID' : added <= 1500 ? 'PASS' : 'FAIL';
      verdicts.push(`${status} ${what}: ${fmtMs(fd.p99_us)} ms vs bare proxy ${fmtMs(fc.p99_us)} ms (${fmtSignedMs(added)} ms); target ≤ +1.50 ms` +
        (status === 'INVALID' ? ' — achieved rate off target, not comparable' : ''));
    }
  }
  for (const v of verdicts) L.push(`    ${v}`);
  L.push('');

  // Run health: things that would make the numbers mean something else.
  L.push('## Run health');
  L.push('');
  const health = [];
  for (const sc of SCENARIOS) {
    for (const t of targets) {
      const s = thr[sc.id][t.id];
      if (!s) continue;
      const notes = [];
      if (t.cpu === SUT_CPU && s.cpu0_busy_pct < 90) notes.push(`CPU ${SUT_CPU} only ${Math.round(s.cpu0_busy_pct)}% busy: the SUT was not saturated (client-bound?)`);
      if (t.cpu === SUT_CPU && s.cpu1_busy_pct > 90) notes.push(`CPU ${LOAD_CPU} (wrk + origin) ${Math.round(s.cpu1_busy_pct)}% busy: load side may be the bottleneck, req/s is a lower bound`);
      if (s.foreign_cpu0_pct_max > 5) notes.push(`up to ${Math.round(s.foreign_cpu0_pct_max)}% of CPU ${SUT_CPU} used by other processes`);
      if (s.foreign_cpu1_pct_max > 5) notes.push(`up to ${Math.round(s.foreign_cpu1_pct_max)}% of CPU ${LOAD_CPU} used by other processes`);
      if (t.id !== 'a' && s.origin_conns_opened_max > opts.connections * 2 + 10) notes.push(`opened up to ${s.origin_conns_opened_max} origin connections per run (upstream keep-alive not effective)`);
      if (s.origin_forwarded_ratio < 0.99) notes.push(`only ${fmtPct(s.origin_forwarded_ratio)} of requests reached the origin`);
      if (sc.id === 'get' && t.keepAlive && t.keepAlive.connections > 1) {
        notes.push(`closes client keep-alive connections: ${t.keepAlive.requests} sequential requests needed ${t.keepAlive.connections} connections ` +
          `(one per ~${Math.round(t.keepAlive.requests / t.keepAlive.connections)} requests); wrk reconnects silently, so reconnects are part of its numbers`);
      }
      const wu = runs.filter((r) => r.phase === 'warmup' && r.target === t.id && r.scenario === sc.id);
      const closes = wu.reduce((n, r) => n + (r.conn_close_responses ?? 0), 0);
      if (closes > 0) {
        const total = wu.reduce((n, r) => n + r.requests, 0);
        notes.push(`${closes} of ${total} warm-up responses carried "Connection: close" (one per ${Math.round(total / closes)} requests): wrk reconnects silently, reconnects are part of its cost`);
      }
      health.push(`- ${sc.id.toUpperCase()} ${t.label}: CPU${SUT_CPU} ${Math.round(s.cpu0_busy_pct)}% busy, CPU${LOAD_CPU} ${Math.round(s.cpu1_busy_pct)}% (wrk ${Math.round(s.wrk_cpu_pct)}%), ` +
        `origin conns opened ≤ ${s.origin_conns_opened_max}/run, forwarded ${fmtPct(s.origin_forwarded_ratio)}` +
        (notes.length ? ` — **${notes.join('; ')}**` : ''));
    }
  }
  L.push(...health);
  L.push('');
  return { markdown: L.join('\n'), verdicts, thr, fixed };
}

function rateOk(s) {
  return !s.target_rate || (Math.abs(s.achieved_ratio_min - 1) <= 0.05 && Math.abs(s.achieved_ratio_max - 1) <= 0.05);
}

// ---------------------------------------------------------------------------------------------




// ---------------------------------------------------------------------------------------------
// Main

async function preflight(opts) {
  const missing = ['nginx', 'wrk', 'taskset'].filter((c) => commandOutput('sh', ['-c', `command -v ${c}`]) === '');
  if (missing.length) {
    throw new BenchError(`missing ${missing.join(', ')}: apt-get install -y nginx wrk util-linux`);
  }
  const mask = commandOutput('taskset', ['-p', String(process.pid)]) ?? '';
  const hex = /mask:\s*([0-9a-f,]+)/i.exec(mask)?.[1]?.replace(/,/g, '');
  const bits = hex ? BigInt(`0x${hex}`) : 0n;
  if ((bits & 3n) !== 3n) throw new BenchError(`CPUs 0 and 1 must both be available (affinity: ${mask.trim()})`);
  if (os.cpus().length < 2) throw new BenchError('needs at least 2 CPUs');
  if (!fs.existsSync(path.join(ROOT, 'node_modules', 'undici'))) throw new BenchError('undici missing: run npm install');
  if (opts.targets.includes('c') === false) log('note: (c) bare proxy not selected: ratios "vs bare proxy" will be blank');
  // The harness itself lives on the load CPU, with wrk and the origin.
  spawnSync('taskset', ['-a', '-p', '-c', String(LOAD_CPU), String(process.pid)], { stdio: 'ignore' });
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const stamp = startedAt.replace(/[:.]/g, '-');
  const tmp = path.join(RESULTS_DIR, 'tmp', stamp);
  fs.mkdirSync(tmp, { recursive: true });

  const onSignal = async (sig) => {
    if (interrupted) return;
    interrupted = true;
    log(`${sig}: stopping servers`);
    await stopAll();
    if (!opts.keepTmp) fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, onSignal);

  const ver = versions();
  const skipped = [];
  let idleLoad = {};
  let exitCode = 0;
  try {
    await preflight(opts);
    await lock.acquire();
    log(`node ${ver.node}, nginx ${ver.nginx}, wrk ${ver.wrk}; SUT on CPU ${SUT_CPU}, load on CPU ${LOAD_CPU}; ` +
      `${opts.rounds} round(s) × ${opts.duration} s, ${opts.connections} connections, warm-up ${opts.warmup} s`);
    idleLoad = await machineLoad();
    const busy = Object.entries(idleLoad).filter(([, v]) => v > 10);
    log(`machine load before start: ${Object.entries(idleLoad).map(([k, v]) => `${k} ${Math.round(v)}%`).join(', ')}` +
      (busy.length ? ' — WARNING: the machine is not idle, results will be disturbed' : ''));

    // Origin (CPU 1).
    const originPort = await freePort();
    originStatusPort = await freePort();
    fs.writeFileSync(path.join(tmp, 'origin.conf'), originConf(tmp, originPort, originStatusPort));
    fs.mkdirSync(path.join(tmp, 'origin-temp'));
    const origin = startProcess('nginx origin', 'nginx', ['-p', tmp, '-c', path.join(tmp, 'origin.conf'), '-e', path.join(tmp, 'origin-error.log')], {
      cpu: LOAD_CPU,
      logFile: path.join(tmp, 'origin.out'),
    });
    await waitReady(origin, { port: originPort, probe: () => originStatus() });
    originPid = origin.pid;
    const upstream = `http://127.0.0.1:${originPort}`;

    // Targets.
    const targets = [];
    const want = (id) => opts.targets.includes(id);
    const addTarget = (id, port, proc, extra = {}) => targets.push({ id, ...TARGET_INFO[id], port, process: proc, ...extra });
    if (want('a')) addTarget('a', originPort, origin);
    if (want('b')) {
      const port = await freePort();
      fs.writeFileSync(path.join(tmp, 'proxy.conf'), proxyConf(tmp, port, originPort));
      fs.mkdirSync(path.join(tmp, 'proxy-temp'));
      const p = startProcess('nginx proxy', 'nginx', ['-p', tmp, '-c', path.join(tmp, 'proxy.conf'), '-e', path.join(tmp, 'proxy-error.log')], {
        cpu: SUT_CPU,
        logFile: path.join(tmp, 'proxy.out'),
      });
      await waitReady(p, { port, probe: () => send(port, SCENARIOS[0]) });
      addTarget('b', port, p);
    }
    if (want('c')) {
      const port = await freePort();
      const p = startProcess('bare proxy', process.execPath, [path.join(BENCH_DIR, 'bare-proxy.mjs'), '--listen', `127.0.0.1:${port}`, '--to', upstream], {
        cpu: SUT_CPU,
        logFile: path.join(tmp, 'bare-proxy.out'),
      });
      await waitReady(p, { port, readyLine: true, probe: () => send(port, SCENARIOS[0]) });
      addTarget('c', port, p);
    }
    for (const id of ['d', 'e', 'f', 'g']) {
      if (!want(id)) continue;
      const bin = id === 'f' ? opts.compareBin : opts.portcullisBin ?? PORTCULLIS_BIN;
      if (id === 'f' && !fs.existsSync(bin)) throw new BenchError(`--compare-bin ${bin} does not exist`);
      if (opts.portcullisBin && !fs.existsSync(opts.portcullisBin)) throw new BenchError(`--portcullis-bin ${opts.portcullisBin} does not exist`);
      if (id !== 'f' && !opts.portcullisBin && !fs.existsSync(PORTCULLIS_MAIN)) {
        const msg = `${TARGET_INFO[id].label}: ${path.relative(ROOT, PORTCULLIS_MAIN)} is missing (run \`npm install\` or \`npm run build\` once the CLI exists)`;
        skipped.push(msg);
        log(`SKIP ${msg}`);
        continue;
      }
      const port = await freePort();
      const adminPort = await freePort();
      // (g): the same gateway with only the contract's controls, from a config naming the same upstream and spec.
      const contractConfig = id === 'g' ? path.join(tmp, 'portcullis-contract.yaml') : undefined;
      if (contractConfig) {
        fs.writeFileSync(contractConfig, `upstreams:\n  - name: bench\n    url: ${upstream}\n    spec: ${SPEC}\n${fs.readFileSync(CONTRACT_CONTROLS, 'utf8')}`);
      }
      const upstreamArgs = contractConfig ? ['--config', contractConfig] : ['--to', upstream, '--spec', SPEC];
      const p = startProcess(`portcullis (${id})`, process.execPath, [bin, 'protect', ...upstreamArgs,
        '--listen', `127.0.0.1:${port}`, '--admin', `127.0.0.1:${adminPort}`, '--store', 'memory'], {
        cpu: SUT_CPU,
        env: { ...process.env, PORTCULLIS_LOG_LEVEL: id === 'e' ? 'info' : 'silent' },
        logFile: path.join(tmp, `portcullis-${id}.out`),
      });
      await waitReady(p, { port, readyLine: true, probe: () => send(port, SCENARIOS[0]) });
      const shown = (f) => (f.startsWith(ROOT) ? path.relative(ROOT, f) : f);
      const command = `PORTCULLIS_LOG_LEVEL=${id === 'e' ? 'info' : 'silent'} taskset -c ${SUT_CPU} node ${shown(bin)} ` +
        `protect ${contractConfig ? `--config ${shown(contractConfig)} (upstream ${upstream}, spec ${shown(SPEC)}, controls of ${shown(CONTRACT_CONTROLS)})` : `--to ${upstream} --spec ${shown(SPEC)}`} --listen 127.0.0.1:${port} --admin 127.0.0.1:${adminPort} --store memory` +
        (id === 'e' ? ` > ${shown(p.logFile)}` : '');
      addTarget(id, port, p, { validates: true, command });
    }
    if (targets.length === 0) throw new BenchError('no target to run');

    // Correctness first: a proxy that 400s every POST would look fast.
    for (const t of targets) {
      await checkTarget(t);
      t.keepAlive = await keepAliveProbe(t);
    }
    log(`checked ${targets.map((t) => t.id).join(',')}: origin bodies come back intact; keep-alive: ` +
      `${targets.map((t) => `${t.id} ${t.keepAlive.connections} conn/${t.keepAlive.requests} req`).join(', ')}` +
      (targets.some((t) => t.validates) ? '; portcullis rejects contract violations with 4xx' : ''));

    // Warm-up, with the per-response non-2xx check.
    for (const t of targets) {
      for (const sc of SCENARIOS) {
        log(`warm-up ${t.label} ${sc.id} ${opts.warmup}s`);
        const rec = await runWrk(opts, { target: t, scenario: sc, phase: 'warmup', round: 0, duration: opts.warmup, check: true });
        if (t.id === 'a') checkOriginKeepAlive(rec, opts);
      }
    }

    // Throughput: interleaved rounds.
    for (let round = 1; round <= opts.rounds; round++) {
      for (const sc of SCENARIOS) {
        for (const t of targets) {
          const rec = await runWrk(opts, { target: t, scenario: sc, phase: 'throughput', round, duration: opts.duration });
          if (t.id === 'a') checkOriginKeepAlive(rec, opts);
          log(`throughput r${round} ${sc.id} ${t.label}: ${fmtInt(rec.rps)} req/s, ${fmt1(rec.cpu_us_per_req)} µs CPU/req, ` +
            `p99 ${fmtMs(rec.latency_us.p99)} ms, CPU0 ${Math.round(rec.cpu0_busy_pct)}% CPU1 ${Math.round(rec.cpu1_busy_pct)}% ` +
            `(foreign ${Math.round(rec.foreign_cpu0_pct)}% / ${Math.round(rec.foreign_cpu1_pct)}%)`);
        }
      }
    }

    // Same-load latency: half of portcullis's saturation rate (of the bare proxy's while (d) is absent).
    const basisId = targets.some((t) => t.id === 'd') ? 'd' : targets.some((t) => t.id === 'c') ? 'c' : targets.find((t) => t.id !== 'a')?.id;
    let rates = null;
    let rateBasis = 'none';
    if (basisId) {
      rates = {};
      for (const sc of SCENARIOS) rates[sc.id] = Math.max(1, Math.round(0.5 * summarize('throughput', basisId, sc.id).rps));
      rateBasis = `50% of ${TARGET_INFO[basisId].label}'s median saturation req/s per scenario` +
        (basisId === 'd' ? '' : ' — portcullis absent, so its rate could not be used');
      for (let round = 1; round <= opts.rounds; round++) {
        for (const sc of SCENARIOS) {
          for (const t of targets) {
            // Settle at the offered rate first (discarded): every target then starts its measured
            // run with warm pools and connections instead of the burst after an idle gap.
            await runWrk(opts, { target: t, scenario: sc, phase: 'settle', round, duration: SETTLE_S, rate: rates[sc.id] });
            const rec = await runWrk(opts, { target: t, scenario: sc, phase: 'fixed-rate', round, duration: opts.duration, rate: rates[sc.id] });
            log(`fixed-rate r${round} ${sc.id} ${t.label}: offered ${fmtInt(rates[sc.id])}, achieved ${fmtInt(rec.rps)} req/s, ` +
              `p50 ${fmtMs(rec.latency_us.p50)} ms, p99 ${fmtMs(rec.latency_us.p99)} ms`);
          }
        }
      }
    }

    const report = buildReport({ opts, targets, rates, rateBasis, startedAt, skipped, ver, idleLoad });
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const mdFile = path.join(RESULTS_DIR, `${stamp}.md`);
    const jsonFile = path.join(RESULTS_DIR, `${stamp}.json`);
    fs.writeFileSync(mdFile, `${report.markdown}\n`);
    fs.writeFileSync(jsonFile, `${JSON.stringify({
      startedAt,
      options: opts,
      method: { sutCpu: SUT_CPU, loadCpu: LOAD_CPU, clkTck: CLK_TCK, fixedRates: rates, fixedRateBasis: rateBasis },
      versions: ver,
      machineLoadBeforeStart: idleLoad,
      skipped,
      targets: targets.map(({ id, key, label, cpu, port, command, keepAlive }) => ({ id, key, label, cpu, port, command, keepAlive })),
      throughput: report.thr,
      fixedRate: report.fixed,
      verdicts: report.verdicts,
      runs,
    }, null, 2)}\n`);
    process.stdout.write(`${report.markdown}\n`);
    log(`saved ${path.relative(ROOT, mdFile)} and ${path.relative(ROOT, jsonFile)}`);
  } catch (err) {
    if (interrupted) await new Promise(() => {}); // the signal handler stops everything and exits
    exitCode = 1;
    if (err instanceof BenchError) {
      process.stderr.write(`\n[bench] FAILED: ${err.message}\n`);
    } else {
      process.stderr.write(`\n[bench] FAILED (unexpected): ${err?.stack ?? err}\n`);
    }
    if (runs.length) {
      const f = path.join(RESULTS_DIR, `${stamp}-failed.json`);
      fs.writeFileSync(f, `${JSON.stringify({ startedAt, options: opts, versions: ver, error: String(err?.message ?? err), runs }, null, 2)}\n`);
      process.stderr.write(`[bench] runs so far saved to ${path.relative(ROOT, f)}\n`);
    }
    if (opts.keepTmp || exitCode) process.stderr.write(`[bench] server confs and logs kept in ${path.relative(ROOT, tmp)}\n`);
  } finally {
    await stopAll();
    if (!opts.keepTmp && exitCode === 0) fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exitCode = exitCode;
}

main();
