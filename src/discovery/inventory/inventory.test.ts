import { describe, expect, it } from 'vitest';
import type { TrafficRecord } from '../sources/record.js';
import { credentialsOf } from './auth.js';
import { buildInventory } from './build.js';
import { recordDataClasses } from './data-classes.js';
import { DistinctCounter } from './distinct.js';
import { COUNT_BUCKETS, Histogram, LATENCY_BUCKETS } from './histogram.js';
import { PrincipalRates } from './rates.js';

const T0 = Date.parse('2024-05-01T10:00:00Z');

function rec(method: string, path: string, extra: Partial<TrafficRecord> = {}): TrafficRecord {
  return { method, path, query: {}, status: 200, time: T0, requestHeaders: {}, ...extra };
}

/** Nearest-rank quantile of a sorted array. */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe('histogram', () => {
  it('small integers are exact', () => {
    const h = new Histogram(COUNT_BUCKETS);
    for (let v = 1; v <= 10; v++) h.add(v);
    expect(h.quantiles()).toEqual({ p50: 5, p90: 9, p95: 10, p99: 10, max: 10, samples: 10 });
  });

  it('other values: never below the true quantile, at most one bucket width (2^(1/8)) above', () => {
    const h = new Histogram(LATENCY_BUCKETS);
    const values: number[] = [];
    let x = 12345;
    for (let i = 0; i < 5000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const v = 0.5 + (x / 2 ** 31) ** 3 * 4000; // skewed, like latencies
      values.push(v);
      h.add(v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const est = h.quantile(q)!;
      const truth = exactQuantile(values, q);
      expect(est).toBeGreaterThanOrEqual(truth);
      expect(est).toBeLessThanOrEqual(truth * 2 ** (1 / 8));
    }
    expect(h.quantiles()!.max).toBe(values[values.length - 1]);
  });

  it('ignores values that are not durations; empty gives undefined', () => {
    const h = new Histogram(LATENCY_BUCKETS);
    h.add(NaN); h.add(-1); h.add(Infinity);
    expect(h.quantiles()).toBeUndefined();
    h.add(0); h.add(1e12);
    expect(h.quantiles()).toMatchObject({ p50: 0, max: 1e12, samples: 2 });
  });
});

describe('distinct counter', () => {
  it('exact up to its limit, then an estimate within a few percent', () => {
    const d = new DistinctCounter(100);
    for (let i = 0; i < 100; i++) { d.add(`p${i}`); d.add(`p${i}`); }
    expect([d.count, d.estimated]).toEqual([100, false]);
    for (let i = 100; i < 50_000; i++) d.add(`p${i}`);
    expect(d.estimated).toBe(true);
    expect(Math.abs(d.count - 50_000) / 50_000).toBeLessThan(0.05);
  });
});

describe('per-principal rates', () => {
  it('one sample per principal and window with calls', () => {
    const r = new PrincipalRates({ windowMs: 60_000, maxActive: 10 });
    for (let i = 0; i < 5; i++) r.add('a', T0 + i * 1000);
    r.add('b', T0 + 10);
    for (let i = 0; i < 3; i++) r.add('a', T0 + 60_000 + i);
    expect(r.finish()).toMatchObject({ samples: 3, p50: 3, max: 5, windowMs: 60_000, untracked: 0 });
  });

  it('bounded: past maxActive open windows, a sweep closes old ones; principals of a full window are not tracked', () => {
    const r = new PrincipalRates({ windowMs: 1000, maxActive: 2 });
    r.add('a', 0); r.add('b', 0); r.add('c', 0); // c: window 0 is full
    r.add('c', 1000); // a sweep closes a and b
    r.add('d', 1000);
    expect(r.finish()).toMatchObject({ samples: 4, untracked: 1 });
  });
});

describe('credentials and data classes of a record', () => {
  it('schemes from what the sources kept', () => {
    const r = rec('GET', '/a', {
      requestHeaders: { authorization: 'bearer', 'x-api-key': 'apikey', cookie: 'cookie', accept: 'application/json' },
      query: { api_key: '[redacted]', page: '1' }, credentialCookies: ['session'],
    });
    expect(credentialsOf(r)).toEqual([
      { scheme: 'bearer', in: 'header', name: 'Authorization' },
      { scheme: 'apikey', in: 'header', name: 'x-api-key' },
      { scheme: 'apikey', in: 'query', name: 'api_key' },
      { scheme: 'cookie', in: 'cookie', name: 'session' },
    ]);
    // A Cookie header without a session cookie is not a credential.
    expect(credentialsOf(rec('GET', '/a', { requestHeaders: { cookie: 'cookie' } }))).toEqual([]);
  });

  it('classes and field pointers, with indices and value-like names as *', () => {
    const d = recordDataClasses(rec('GET', '/users/ann%40example.com', {
      query: { phone: '+44 20 7946 0958' },
      responseBody: { items: [{ card: '4111 1111 1111 1111' }], byUser: { 'bob@example.com': { ip: '203.0.113.7' } } },
    }));
    expect([...d.request].sort()).toEqual(['email', 'phone']);
    expect([...d.response].sort()).toEqual(['ip-address', 'payment-card']);
    expect(d.fields).toEqual(expect.arrayContaining([
      { in: 'path', pointer: '', cls: 'email' },
      { in: 'query', pointer: '/phone', cls: 'phone' },
      { in: 'response', pointer: '/items/*/card', cls: 'payment-card' },
      { in: 'response', pointer: '/byUser/*/ip', cls: 'ip-address' },
    ]));
    expect(JSON.stringify(d.fields)).not.toContain('bob@');
  });
});

describe('buildInventory', () => {
  function traffic(): TrafficRecord[] {
    const out: TrafficRecord[] = [];
    for (let i = 0; i < 30; i++) {
      out.push(rec('GET', `/orders/${1000 + i}`, {
        time: T0 + i * 1000, durationMs: 10 + i, status: i % 10 === 9 ? 500 : 200,
        requestHeaders: { authorization: 'bearer' }, principal: `p${i % 3}`,
        responseBody: { id: 1000 + i, email: 'ann@example.com' },
      }));
    }
    out.push(rec('GET', '/orders/me', { time: T0 + 40_000, clientIp: '10.0.0.1' }));
    out.push(rec('DELETE', '/orders/1005', { time: T0 + 50_000, status: 204, clientIp: '10.0.0.2' }));
    out.push(rec('PROPFIND', '/orders/1005', { time: T0 + 51_000 }));
    return out;
  }

  it('templates the paths, matches every record, aggregates per method and template', async () => {
    let opened = 0;
    const inv = await buildInventory(() => { opened++; return traffic(); });
    expect(opened).toBe(2);
    expect(inv.endpoints.map((e) => `${e.method} ${e.template} ${e.count}`)).toEqual([
      'GET /orders/me 1', 'DELETE /orders/{orderId} 1', 'GET /orders/{orderId} 30',
    ]);
    expect(inv.stats).toMatchObject({ records: 33, matched: 32, skipped: { method: 1, path: 0, overflow: 0 }, otherMethods: { PROPFIND: 1 } });
    expect(inv.stats.window).toEqual({ first: T0, last: T0 + 51_000 });
    const get = inv.endpoints[2]!;
    expect(get).toMatchObject({
      firstSeen: T0, lastSeen: T0 + 29_000, statuses: { '200': 27, '500': 3 }, serverErrors: 3, clientErrors: 0,
      auth: [{ scheme: 'bearer', count: 30, succeeded: 27 }],
      credentials: [{ scheme: 'bearer', in: 'header', name: 'Authorization', count: 30 }],
      dataClasses: { request: [], response: ['email'] },
      principals: { distinct: 3, estimated: false, unknown: 0, byCredential: 30, byIp: 0 },
      rates: { samples: 3, p50: 10, max: 10 },
    });
    expect(get.latencyMs).toMatchObject({ p50: 24, max: 39, samples: 30 });
    expect(get.path.params[0]).toMatchObject({ name: 'orderId', kind: 'integer', distinct: 30 });
    const pathParam = get.schemas.parameters.find((p) => p.in === 'path');
    expect(pathParam).toMatchObject({ name: 'orderId', required: true, schema: { type: 'integer', minimum: 1000, maximum: 1029 } });
    expect(get.schemas.responses['200']!.body!.schema).toMatchObject({ type: 'object', properties: { email: { type: 'string', format: 'email' } } });
    expect(inv.endpoints[0]).toMatchObject({ auth: [{ scheme: 'none', count: 1, succeeded: 1 }], principals: { distinct: 1, byIp: 1 } });
  });

  it('credentials are not parameters', async () => {
    const inv = await buildInventory(() => [rec('GET', '/a', { query: { api_key: '[redacted]', page: '2' }, requestHeaders: { 'x-api-key': 'apikey', 'x-tenant': 't' } })]);
    expect(inv.endpoints[0]!.schemas.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['query:page', 'header:x-tenant']);
  });

  it('reads async sources, and keeps to maxEndpoints and maxRecords', async () => {
    async function* gen() {
      for (let i = 0; i < 50; i++) yield rec('GET', `/r${i % 5}/x`);
    }
    const inv = await buildInventory(gen, { maxEndpoints: 3 });
    expect(inv.endpoints).toHaveLength(3);
    expect(inv.stats.skipped.overflow).toBe(20);
    const cut = await buildInventory(gen, { maxRecords: 10 });
    expect(cut.stats).toMatchObject({ records: 10, truncated: true });
  });

  it('100 000 records over 20 000 ids: a handful of endpoints, principals estimated, nothing kept per id', async () => {
    function* many() {
      for (let i = 0; i < 100_000; i++) {
        const id = (i * 7919) % 20_000;
        yield rec(i % 4 === 0 ? 'PUT' : 'GET', `/api/v1/items/${id}${i % 2 ? '/reviews' : ''}`, { time: T0 + i * 10, clientIp: `10.${(id >> 8) & 255}.${id & 255}.1` });
      }
    }
    const inv = await buildInventory(many);
    expect(inv.endpoints.map((e) => `${e.method} ${e.template}`)).toEqual([
      'GET /api/v1/items/{itemId}', 'PUT /api/v1/items/{itemId}', 'GET /api/v1/items/{itemId}/reviews',
    ]);
    // GET without /reviews: i ≡ 2 (mod 4), so the ids (and the IPs) are the 5 000 residues ≡ 2 (mod 4).
    const get = inv.endpoints[0]!;
    expect(get.count).toBe(25_000);
    expect(get.principals.estimated).toBe(true);
    expect(Math.abs(get.principals.distinct - 5_000) / 5_000).toBeLessThan(0.05);
    expect(get.path.params[0]!.distinctCapped).toBe(true);
  }, 60_000);
});

describe('gateway samples in the inventory', () => {
  it('weights a record standing for repeats by its count, durations and rates included', async () => {
    const records = [
      rec('GET', '/items/1', { count: 5, durationMs: 1, durations: [1, 2, 3], principal: 'p1' }),
      rec('GET', '/items/2', { durationMs: 10, principal: 'p2' }),
      rec('GET', '/items/3', { status: 404, count: 2, principal: 'p1' }),
    ];
    const inv = await buildInventory(() => records);
    const ep = inv.endpoints.find((e) => e.template === '/items/{itemId}')!;
    expect(ep.count).toBe(8);
    expect(ep.statuses).toEqual({ 200: 6, 404: 2 });
    expect(ep.latencyMs?.samples).toBe(6); // 3 kept + 2 at their mean + 1; the 404s carried none
    expect(ep.principals.byCredential).toBe(8);
    expect(ep.rates?.max).toBe(7); // p1: 5 + 2 in the same window
  });

  it('counts refused requests but keeps their payloads out of the schemas, and takes the classes a masked body held', async () => {
    const records = [
      rec('POST', '/users', { requestBody: { name: 'a' }, responseBody: { id: 1, email: '[email]' }, dataClasses: { response: ['email'] } }),
      rec('POST', '/users', { status: 400, refused: true, requestBody: { name: "' OR 1=1 --", injected: true } }),
    ];
    const inv = await buildInventory(() => records);
    const ep = inv.endpoints.find((e) => e.template === '/users' && e.method === 'POST')!;
    expect(ep.count).toBe(2);
    expect(ep.dataClasses.response).toEqual(['email']);
    expect(JSON.stringify(ep.schemas)).not.toContain('injected');
    expect(JSON.stringify(ep.schemas)).toContain('name');
  });
});
