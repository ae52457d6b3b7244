// What cost.mjs and ab.mjs share: the benign 0.8–1.3 KB JSON bodies of the corpus, and one build's
// injection control set up the way cost.mjs measures it (an open schema: nothing pinned, the worst
// case). Loading a build by its root lets ab.mjs hold two builds in one process. Plain ESM JavaScript;
// the corpus is read, never compiled into anything.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Every benign JSON body of 0.8–1.3 KB (real payloads, not padded) that is an object, in file order. */
export function costBodies(corpus) {
  const dir = path.join(corpus, 'benign', 'openappsec-legit-train');
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
  return bodies;
}

/**
 * One build (a checkout whose dist/ is built) ready to measure: its injection control, a fresh request
 * context per body (so collectInputs is part of every call, as for a real request), and the pieces the
 * control is made of (detectors, decoding, input collection) for per-detector timing.
 */
export async function loadBuild(root) {
  const dist = (p) => import(pathToFileURL(path.join(path.resolve(root), 'dist', 'src', p)).href);
  const { validateConfig } = await dist('config/load.js');
  const { compileSpec } = await dist('openapi/compile.js');
  const { injection } = await dist('controls/injection/index.js');
  const { INJECTION_DETECTORS } = await dist('detect/injection.js');
  const { decodeVariants } = await dist('detect/decode.js');
  const { collectInputs } = await dist('controls/shared/inputs.js');
  const doc = {
    openapi: '3.1.0', info: { title: 'cost', version: '1' },
    paths: { '/doc': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: { 200: { description: 'ok' } } } } },
  };
  const op = compileSpec({ file: 'inline', version: '3.1', doc }, { upstream: 'u', rejectUndeclared: false }).operations[0];
  const config = validateConfig({ upstreams: [{ url: 'http://127.0.0.1:1', spec: 'x.yaml' }] }, { baseDir: '/' });
  const control = await injection.create({ config });
  const ctxOf = (b) => ({
    id: 'r', receivedAt: 0, method: 'POST', path: '/doc', rawQuery: null, query: undefined, headers: {}, clientIp: '127.0.0.1',
    route: { upstream: 'u', item: undefined, operation: op, rawParams: {} },
    principal: { id: 'ip:127.0.0.1', kind: 'anonymous', roles: [], scopes: [] },
    body: { bytes: Buffer.alloc(0), mediaType: 'application/json', value: b.value, decoded: true },
    validated: { params: true, bodyMedia: 'application/json' }, flagged: [], modified: [],
  });
  return { root, control, ctxOf, detectors: INJECTION_DETECTORS, decodeVariants, collectInputs };
}

/** Microseconds of one evaluate() of `b`, and whether it found something. */
export function timeEvaluate(build, b) {
  const ctx = build.ctxOf(b);
  const t = process.hrtime.bigint();
  const v = build.control.evaluate(ctx, 'requestBody');
  return { us: Number(process.hrtime.bigint() - t) / 1000, verdict: v.kind === 'pass' ? 0 : 1 };
}

/** The figures cost.mjs prints, from every call's time and each body's list of call times. */
export function costFigures(times, perBody) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (s, p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  // A body's own cost, without the scheduler's or a collector's pause that happened to hit one of its
  // calls: the median of its calls. Reported beside the raw figures, not instead of them.
  const medians = perBody.map((t) => [...t].sort((a, b) => a - b)[t.length >> 1]).sort((a, b) => a - b);
  return { calls: sorted.length, p50: at(sorted, 0.5), p99: at(sorted, 0.99), max: sorted[sorted.length - 1], medP50: at(medians, 0.5), medP99: at(medians, 0.99) };
}
