import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../openapi/load.js';
import { exportOpenApi } from '../export/openapi.js';
import { discover } from '../pipeline.js';
import type { TrafficRecord } from '../sources/record.js';
import { RISK_POINTS } from './score.js';

const T0 = Date.parse('2024-05-01T10:00:00Z');

function rec(method: string, path: string, extra: Partial<TrafficRecord> = {}): TrafficRecord {
  return { method, path, query: {}, status: 200, time: T0, requestHeaders: {}, ...extra };
}

const bearer = { requestHeaders: { authorization: 'bearer' } };

async function riskOf(records: TrafficRecord[], method: string, path: string, spec?: string) {
  let loaded;
  if (spec) {
    const file = join(mkdtempSync(join(tmpdir(), 'pc-risk-')), 'openapi.yaml');
    writeFileSync(file, spec);
    loaded = await loadSpec(file);
  }
  const r = await discover(() => records, { spec: loaded });
  const e = r.endpoints.find((x) => x.method === method && x.path === path);
  if (!e) throw new Error(`no ${method} ${path} in ${r.endpoints.map((x) => `${x.method} ${x.path}`).join(', ')}`);
  return e.risk;
}

const ids = (r: { factors: Array<{ id: string }> }) => r.factors.map((f) => f.id).sort();

describe('risk', () => {
  it('a write answered without credentials; the same with credentials, or with credentials unknown, is not', async () => {
    const open = await riskOf([rec('POST', '/transfers', { status: 201 })], 'POST', '/transfers');
    expect(open).toEqual({ score: 30, factors: [{ id: 'no-auth-write', points: 30, detail: '1 POST request without credentials answered 2xx/3xx' }] });
    expect((await riskOf([rec('POST', '/transfers', { status: 201, ...bearer })], 'POST', '/transfers')).score).toBe(0);
    expect((await riskOf([rec('POST', '/transfers', { status: 201, authUnknown: true })], 'POST', '/transfers')).score).toBe(0);
    // Refused without credentials: the endpoint enforces auth.
    expect((await riskOf([rec('POST', '/transfers', { status: 401 })], 'POST', '/transfers')).score).toBe(0);
  });

  it('sensitive data: in responses, secrets weigh more, in the URL, and served without credentials', async () => {
    const r = await riskOf([rec('GET', '/me', { responseBody: { email: 'a@example.com' } })], 'GET', '/me');
    expect(ids(r)).toEqual(['no-auth-sensitive', 'sensitive-data']);
    expect(r.score).toBe(RISK_POINTS['no-auth-sensitive'] + RISK_POINTS['sensitive-data']);
    const jwt = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"1"}').toString('base64url')}.c2lnbmF0dXJlc2lnbmF0dXJl`;
    const s = await riskOf([rec('GET', '/tokens', { ...bearer, responseBody: { token: jwt } })], 'GET', '/tokens');
    expect(s.factors).toEqual([expect.objectContaining({ id: 'sensitive-data', points: RISK_POINTS['sensitive-secrets'] })]);
    const url = await riskOf([rec('GET', '/lookup', { ...bearer, query: { email: 'a@example.com' } })], 'GET', '/lookup');
    expect(ids(url)).toEqual(['sensitive-in-url']);
  });

  it('numeric ids, error rate, auth failures; thresholds hold below them', async () => {
    const many = (n: number, status: (i: number) => number) => Array.from({ length: n }, (_, i) => rec('GET', `/orders/${i + 1}`, { ...bearer, status: status(i) }));
    expect(ids(await riskOf(many(40, (i) => (i < 3 ? 500 : 200)), 'GET', '/orders/{orderId}'))).toEqual(['error-rate', 'numeric-id']);
    expect(ids(await riskOf(many(100, (i) => (i < 3 ? 500 : 200)), 'GET', '/orders/{orderId}'))).toEqual(['numeric-id']); // 3 %
    expect(ids(await riskOf(many(20, (i) => (i < 5 ? 403 : 200)), 'GET', '/orders/{orderId}'))).toEqual(['auth-failures', 'numeric-id']);
    expect(ids(await riskOf(Array.from({ length: 3 }, (_, i) => rec('GET', `/items/${'abcdef0123456789'.repeat(2)}${i}`, bearer)), 'GET', '/items/{itemId}'))).toEqual([]);
  });

  it('unusual volume: one endpoint far above the median, or one caller far above the usual', async () => {
    const records: TrafficRecord[] = [];
    for (const p of ['/a', '/b', '/c']) records.push(rec('GET', p, bearer));
    for (let i = 0; i < 150; i++) records.push(rec('GET', '/hot', { ...bearer, time: T0 + i * 1000, principal: `p${i % 50}` }));
    expect((await riskOf(records, 'GET', '/hot')).factors).toEqual([expect.objectContaining({ id: 'unusual-volume', detail: '150 requests, 150× the median endpoint' })]);
    const scraper: TrafficRecord[] = [];
    for (let i = 0; i < 20; i++) scraper.push(rec('GET', '/list', { ...bearer, time: T0 + i * 60_000, principal: `u${i}` }));
    for (let i = 0; i < 40; i++) scraper.push(rec('GET', '/list', { ...bearer, time: T0 + 30 * 60_000 + i, principal: 'bot' }));
    expect((await riskOf(scraper, 'GET', '/list')).factors[0]).toMatchObject({ id: 'unusual-volume', detail: 'one caller made 40 requests in a 60 s window; the usual is 1' });
  });

  it('with a spec: shadow, zombie, drift, orphan, auth not enforced; without one, no shadow factor', async () => {
    const spec = `openapi: 3.1.0
info: { title: t, version: "1" }
security: [{ key: [] }]
paths:
  /v2/a: { get: { responses: { "200": { description: ok } } } }
  /v1/a: { get: { deprecated: true, responses: { "200": { description: ok } } } }
  /v2/unused: { get: { responses: { "200": { description: ok } } } }
components: { securitySchemes: { key: { type: apiKey, in: header, name: x-api-key } } }
`;
    const records = [rec('GET', '/v2/a', { query: { debug: '1' } }), rec('GET', '/v1/a', { requestHeaders: { 'x-api-key': 'apikey' } }), rec('GET', '/v2/b', { requestHeaders: { 'x-api-key': 'apikey' } })];
    const a = await riskOf(records, 'GET', '/v2/a', spec);
    expect(a.factors.map((f) => `${f.id} ${f.points}`)).toEqual(['auth-not-enforced 20', 'drift 5']);
    expect(a.factors[0]!.detail).toBe('the spec requires key; 1 request without credentials answered 2xx/3xx');
    expect(ids(await riskOf(records, 'GET', '/v1/a', spec))).toEqual(['zombie']);
    expect(ids(await riskOf(records, 'GET', '/v2/b', spec))).toEqual(['shadow']);
    expect(await riskOf(records, 'GET', '/v2/unused', spec)).toMatchObject({ score: 5, factors: [{ id: 'orphan' }] });
    expect(ids(await riskOf(records, 'GET', '/v2/b'))).toEqual([]);
  });

  it('the score is the sum of the factors, capped at 100', async () => {
    const records = Array.from({ length: 40 }, (_, i) => rec('DELETE', `/v1/users/${i}`, { status: i < 10 ? 500 : 200, query: { ssn: '123-45-6789' }, responseBody: { hash: '$2b$12$KIXQJQf1B8vZ8P2hZ8fWbeY5Ck6Z0lTq8hK5Wn7q1dV2O7m8ZyY5a' } }));
    records.push(rec('GET', '/v2/users'));
    const r = await riskOf(records, 'DELETE', '/v1/users/{userId}', `openapi: 3.1.0
info: { title: t, version: "1" }
paths: { /v2/users: { get: { responses: { "200": { description: ok } } } } }
`);
    const sum = r.factors.reduce((s, f) => s + f.points, 0);
    expect(sum).toBeGreaterThan(100);
    expect(r.score).toBe(100);
  });
});

describe('export: auth the sources did not record', () => {
  it('writes no security requirement, and says why', async () => {
    const r = await discover(() => [rec('GET', '/a', { authUnknown: true })]);
    const op = exportOpenApi(r.inventory).paths['/a']!['get'] as Record<string, unknown>;
    expect(op).not.toHaveProperty('security');
    expect(op['x-portcullis-discovery']).toMatchObject({ auth: expect.stringContaining('unknown') });
  });
});
