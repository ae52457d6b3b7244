import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load.js';
import type { RequestContext } from '../../core/context.js';
import type { Verdict } from '../../core/verdict.js';
import { isPortcullisError } from '../../errors.js';
import { compileSpec, type CompiledOperation } from '../../openapi/compile.js';
import type { JsonObject } from '../../openapi/load.js';
import { closeRateLimit, rateLimit, releaseConcurrency, type RateLimitConfig, type RateLimitControl } from './index.js';

const doc = {
  openapi: '3.1.0', info: { title: 't', version: '1' },
  paths: {
    '/items': {
      get: { operationId: 'listItems', responses: { 200: { description: 'ok' } } },
      post: { operationId: 'createItem', responses: { 201: { description: 'ok' } } },
    },
    '/export': { get: { responses: { 200: { description: 'ok' } } } },
  },
} as unknown as JsonObject;
const ops = compileSpec({ file: 'inline.yaml', version: '3.1', doc }, { upstream: 'u', rejectUndeclared: false }).operations;
const op = (key: string): CompiledOperation => {
  const o = ops.find((x) => x.key === key);
  if (!o) throw new Error(`no ${key}`);
  return o;
};

async function make(rl: RateLimitConfig): Promise<RateLimitControl> {
  // The schema does not declare rate-limit yet: validate a minimal config, then add ours.
  const config = validateConfig({ upstreams: [{ url: 'http://127.0.0.1:1', spec: 'x.yaml' }] }, { baseDir: '/' });
  (config.controls as Record<string, unknown>)['rate-limit'] = rl;
  return (await rateLimit.create({ config, operations: ops })) as RateLimitControl;
}

function ctx(p: { principal?: string; ip?: string; op?: string | null } = {}): RequestContext {
  const ip = p.ip ?? '127.0.0.1';
  return {
    id: 'r', receivedAt: 0, method: 'GET', path: '/items', rawQuery: null, query: undefined, headers: {}, clientIp: ip,
    route: p.op === null ? undefined : { upstream: 'u', item: undefined, operation: op(p.op ?? 'GET /items'), rawParams: {} },
    principal: p.principal ? { id: p.principal, kind: 'jwt', roles: [], scopes: [] } : { id: `ip:${ip}`, kind: 'anonymous', roles: [], scopes: [] },
    body: undefined, flagged: [], modified: [],
  };
}

const run = async (c: RateLimitControl, x: RequestContext = ctx()): Promise<Verdict> => c.evaluate(x, 'abuse');
async function kinds(c: RateLimitControl, n: number, mk: () => RequestContext = () => ctx()): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await run(c, mk())).kind);
  return out;
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const P = 'pass', B = 'block';

describe('rate-limit control', () => {
  it('limits per principal: each caller has its own bucket', async () => {
    const c = await make({ limits: [{ key: 'principal', rate: '3/min' }] });
    expect(await kinds(c, 4, () => ctx({ principal: 'jwt:alice' }))).toEqual([P, P, P, B]);
    expect(await kinds(c, 1, () => ctx({ principal: 'jwt:bob' }))).toEqual([P]);
    // Anonymous callers are keyed by IP through the principal id.
    expect(await kinds(c, 4, () => ctx({ ip: '10.0.0.1' }))).toEqual([P, P, P, B]);
  });

  it('limits per IP whoever is authenticated', async () => {
    const c = await make({ limits: [{ key: 'ip', rate: '2/min' }] });
    expect((await run(c, ctx({ principal: 'jwt:alice', ip: '10.0.0.1' }))).kind).toBe(P);
    expect((await run(c, ctx({ principal: 'jwt:bob', ip: '10.0.0.1' }))).kind).toBe(P);
    expect((await run(c, ctx({ principal: 'jwt:carol', ip: '10.0.0.1' }))).kind).toBe(B);
    expect((await run(c, ctx({ principal: 'jwt:carol', ip: '10.0.0.2' }))).kind).toBe(P);
  });

  it('limits per operation across callers, and all traffic with global', async () => {
    const perOp = await make({ limits: [{ key: 'operation', rate: '2/min' }] });
    expect((await run(perOp, ctx({ principal: 'jwt:a' }))).kind).toBe(P);
    expect((await run(perOp, ctx({ principal: 'jwt:b' }))).kind).toBe(P);
    expect((await run(perOp, ctx({ principal: 'jwt:c' }))).kind).toBe(B);
    expect((await run(perOp, ctx({ principal: 'jwt:c', op: 'POST /items' }))).kind).toBe(P);
    const global = await make({ limits: [{ key: 'global', rate: '3/h' }] });
    expect((await run(global, ctx({ principal: 'jwt:a' }))).kind).toBe(P);
    expect((await run(global, ctx({ ip: '10.9.9.9', op: 'POST /items' }))).kind).toBe(P);
    expect((await run(global, ctx({ op: null }))).kind).toBe(P);
    expect((await run(global, ctx({ principal: 'jwt:z', op: 'GET /export' }))).kind).toBe(B);
  });

  it('allows a burst above the steady rate at once, and no more', async () => {
    const c = await make({ limits: [{ key: 'principal', rate: '2/min', burst: 3 }] });
    expect(await kinds(c, 6)).toEqual([P, P, P, P, P, B]);
  });

  it('weighs operations by cost (operationId or METHOD /template), default 1; cost 0 is not counted', async () => {
    const c = await make({ limits: [{ key: 'principal', rate: '10/min', cost: { createItem: 4, 'GET /export': 0 } }] });
    const post = (): RequestContext => ctx({ op: 'POST /items' });
    expect(await kinds(c, 3, post)).toEqual([P, P, B]);
    // 8 of 10 spent: two cheap requests still fit, a third does not.
    expect(await kinds(c, 3)).toEqual([P, P, B]);
    expect(await kinds(c, 3, () => ctx({ op: 'GET /export' }))).toEqual([P, P, P]);
  });

  it('applies a limit only to the operations it lists', async () => {
    const c = await make({ limits: [{ key: 'principal', rate: '1/min', operations: ['createItem', 'GET /export'] }] });
    expect(await kinds(c, 3)).toEqual([P, P, P]);
    expect(await kinds(c, 2, () => ctx({ op: 'POST /items' }))).toEqual([P, B]);
    expect(await kinds(c, 1, () => ctx({ principal: 'jwt:x', op: 'GET /export' }))).toEqual([P]);
    // Unrouted requests fall under unfiltered limits only.
    expect(await kinds(c, 2, () => ctx({ op: null }))).toEqual([P, P]);
  });

  it('answers 429 abuse/rate-limit with Retry-After and well-formed RateLimit-Policy / RateLimit fields', async () => {
    const c = await make({ limits: [{ name: 'per-principal', key: 'principal', rate: '100/min' }, { key: 'ip', rate: '2/min' }] });
    await kinds(c, 2);
    const v = await run(c);
    expect(v).toMatchObject({
      kind: 'block', ruleId: 'abuse/rate-limit', owasp: 'API4:2023', severity: 'medium', status: 429,
      evidence: { limit: 'ip-2/min', key: 'ip', rate: '2/min' },
    });
    if (v.kind !== 'block') throw new Error('not blocked');
    expect(v.detail).toContain('"ip-2/min"');
    const h = v.headers ?? {};
    const retry = Number(h['Retry-After']);
    expect(Number.isInteger(retry) && retry >= 1).toBe(true);
    // One bucket of 2 per 60 s refills a request every 30 s.
    expect(retry).toBeLessThanOrEqual(30);
    expect(h['RateLimit-Policy']).toBe('"ip-2/min";q=2;w=60');
    expect(h.RateLimit).toMatch(/^"ip-2\/min";r=0;t=([1-9]\d*)$/);
    expect(h.RateLimit).toBe(`"ip-2/min";r=0;t=${retry}`);
  });

  it('refills after waiting, and a refused request does not push the refill back', async () => {
    const c = await make({ limits: [{ key: 'principal', rate: '2/s' }] });
    expect(await kinds(c, 3)).toEqual([P, P, B]);
    const v = await run(c);
    expect(v).toMatchObject({ headers: { 'Retry-After': '1' } });
    await sleep(550);
    // One token back after 500 ms (GCRA refills steadily, not at a window edge).
    expect(await kinds(c, 2)).toEqual([P, B]);
  });

  it('caps requests in flight per principal and frees the slot when the response ends, once', async () => {
    const c = await make({ concurrency: { perPrincipal: 2 } });
    const a1 = ctx({ principal: 'jwt:alice' }), a2 = ctx({ principal: 'jwt:alice' }), a3 = ctx({ principal: 'jwt:alice' });
    expect((await run(c, a1)).kind).toBe(P);
    expect((await run(c, a2)).kind).toBe(P);
    const v = await run(c, a3);
    expect(v).toMatchObject({ kind: 'block', ruleId: 'abuse/concurrency', owasp: 'API4:2023', status: 429, headers: { 'Retry-After': '1' }, evidence: { max: 2 } });
    expect((await run(c, ctx({ principal: 'jwt:bob' }))).kind).toBe(P);
    releaseConcurrency(a1);
    releaseConcurrency(a1); // idempotent: does not free a2's slot too
    releaseConcurrency(a3); // never held one
    expect((await run(c, a3)).kind).toBe(P);
    expect((await run(c, ctx({ principal: 'jwt:alice' }))).kind).toBe(B);
  });

  it('gives back the concurrency slot of a request a rate limit refuses', async () => {
    const c = await make({ concurrency: { perPrincipal: 1 }, limits: [{ key: 'principal', rate: '1/min' }] });
    const first = ctx({ principal: 'jwt:a' });
    expect((await run(c, first)).kind).toBe(P);
    releaseConcurrency(first);
    expect(await run(c, ctx({ principal: 'jwt:a' }))).toMatchObject({ ruleId: 'abuse/rate-limit' });
    // Had the refused request kept its slot, this would be abuse/concurrency.
    expect(await run(c, ctx({ principal: 'jwt:a' }))).toMatchObject({ ruleId: 'abuse/rate-limit' });
  });

  it('refuses bad config at create time, reporting every problem', async () => {
    const err = await make({
      limits: [
        { key: 'principal', rate: '10/week' }, { key: 'user' as 'ip', rate: '1/s' }, { key: 'ip', rate: '5/s', burst: -1 },
        { key: 'ip', rate: '2/s', cost: { createItem: 5 } }, { key: 'ip', rate: '1/s', operations: ['nope'] },
        { name: 'a', key: 'ip', rate: '1/s' }, { name: 'a', key: 'global', rate: '1/s' },
      ],
      concurrency: { perPrincipal: 0 }, redis: 'http://127.0.0.1',
    }).then(() => undefined, (e: unknown) => e);
    expect(isPortcullisError(err)).toBe(true);
    if (!isPortcullisError(err)) return;
    expect(err.code).toBe('PC_ERR_CONFIG_INVALID');
    const all = err.details.join('\n');
    for (const part of ['limits[0].rate: rate "10/week": unknown unit', 'limits[1].key', 'limits[2].burst', 'limits[3].cost.createItem', 'limits[4].operations: "nope"', 'limits[6].name: "a" is used', 'concurrency.perPrincipal', 'redis']) {
      expect(all).toContain(part);
    }
  });

  it('passes everything with no limits configured', async () => {
    const c = await make({});
    expect(await kinds(c, 5)).toEqual([P, P, P, P, P]);
    expect(c.redisFallbacks).toBe(0);
    await closeRateLimit(c);
  });
});

const REDIS_URL = process.env.REDIS_URL;

describe.skipIf(!REDIS_URL)('rate-limit control on Redis', () => {
  const open: RateLimitControl[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => { unhandled.push(e); };
  process.on('unhandledRejection', onUnhandled);
  afterAll(async () => {
    await Promise.all(open.map((c) => closeRateLimit(c)));
    process.off('unhandledRejection', onUnhandled);
  });
  const tag = `t${process.pid}-${Date.now()}`;
  const track = async (cfg: RateLimitConfig): Promise<RateLimitControl> => {
    const c = await make(cfg);
    open.push(c);
    return c;
  };

  it('shares one limit between two instances', async () => {
    const cfg = { redis: REDIS_URL, limits: [{ name: `shared-${tag}`, key: 'principal' as const, rate: '3/min' }] };
    const a = await track(cfg), b = await track(cfg);
    const x = (): RequestContext => ctx({ principal: 'jwt:alice' });
    expect([(await run(a, x())).kind, (await run(b, x())).kind, (await run(a, x())).kind, (await run(b, x())).kind]).toEqual([P, P, P, B]);
    const v = await run(a, x());
    expect(v).toMatchObject({ kind: 'block', status: 429, headers: { 'RateLimit-Policy': `"shared-${tag}";q=3;w=60` } });
    expect(a.redisFallbacks + b.redisFallbacks).toBe(0);
  });

  it('refills on Redis too', async () => {
    const a = await track({ redis: REDIS_URL, limits: [{ name: `refill-${tag}`, key: 'global', rate: '2/s' }] });
    expect(await kinds(a, 3)).toEqual([P, P, B]);
    await sleep(550);
    expect(await kinds(a, 2)).toEqual([P, B]);
  });

  it('keeps limiting in memory while Redis is unreachable, counts the fallbacks, and flags it once a minute', async () => {
    const down = await track({ redis: 'redis://127.0.0.1:1', limits: [{ name: `down-${tag}`, key: 'principal', rate: '2/min' }] });
    // The first allowed decision taken in memory carries the event (a flag: the request passes); later ones do not.
    expect(await kinds(down, 3, () => ctx({ principal: 'jwt:alice' }))).toEqual(['flag', P, B]);
    expect(down.redisFallbacks).toBe(3);
    expect(await kinds(down, 1, () => ctx({ principal: 'jwt:bob' }))).toEqual([P]);
    expect(down.redisFallbacks).toBe(4);
    expect(unhandled).toEqual([]);
  });
});
