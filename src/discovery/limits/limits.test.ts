import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfigText } from '../../config/load.js';
import { compileConfig } from '../../controls/rate-limit/config.js';
import { compileSpec } from '../../openapi/compile.js';
import { loadSpec } from '../../openapi/load.js';
import { exportOpenApi } from '../export/openapi.js';
import { discover } from '../pipeline.js';
import type { TrafficRecord } from '../sources/record.js';
import { confidenceOf, MIN_RATE } from './learn.js';
import { MAX_LIMITS, renderLimitsYaml } from './yaml.js';

const T0 = Date.parse('2024-05-01T10:00:00Z');

function rec(method: string, path: string, extra: Partial<TrafficRecord> = {}): TrafficRecord {
  return { method, path, query: {}, status: 200, time: T0, requestHeaders: {}, ...extra };
}

/** 30 callers over 20 minutes: caller i makes (i % 5) + 1 reads of an order per minute, and one write. */
function traffic(): TrafficRecord[] {
  const out: TrafficRecord[] = [];
  for (let minute = 0; minute < 20; minute++) {
    for (let caller = 0; caller < 30; caller++) {
      for (let k = 0; k <= caller % 5; k++) out.push(rec('GET', `/api/orders/${100 + caller}`, { time: T0 + minute * 60_000 + k * 1000, principal: `c${caller}` }));
      if (minute % 10 === 0) out.push(rec('POST', '/api/orders', { time: T0 + minute * 60_000 + 30_000, status: 201, principal: `c${caller}` }));
    }
  }
  out.push(rec('GET', '/api/anonymous'));
  return out;
}

async function writeSpec(yaml: string): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'pc-limits-')), 'openapi.yaml');
  writeFileSync(file, yaml);
  return file;
}

const SPEC = `openapi: 3.1.0
info: { title: t, version: "1" }
servers: [{ url: /api }]
paths:
  /orders/{id}: { get: { operationId: getOrder, responses: { "200": { description: ok } } } }
  /orders: { post: { responses: { "201": { description: ok } } } }
`;

describe('learned limits', () => {
  it('percentiles of requests per caller per minute, confidence from the samples, the rate from p99 with headroom', async () => {
    const r = await discover(traffic);
    const get = r.limits.learned.find((l) => l.method === 'GET')!;
    // 600 caller-minutes: 120 each of 1..5 requests.
    expect(get).toMatchObject({ operation: 'GET /api/orders/{orderId}', samples: 600, principals: 30, p50: 3, p90: 5, p99: 5, max: 5, confidence: 'high', rate: '10/min', burst: 0 });
    const post = r.limits.learned.find((l) => l.method === 'POST')!;
    expect(post).toMatchObject({ samples: 60, principals: 30, p99: 1, confidence: 'medium', rate: `${MIN_RATE}/min` });
    expect(r.limits.unlimited).toEqual([{ method: 'GET', path: '/api/anonymous', reason: 'no caller could be identified (no credential, no client IP)' }]);
    expect(r.endpoints.find((e) => e.method === 'GET' && e.path === '/api/orders/{orderId}')!.rateLimit).toMatchObject({ rate: '10/min', confidence: 'high' });
  });

  it('the rate scales with the p99 and the headroom', async () => {
    const heavy: TrafficRecord[] = [];
    for (let caller = 0; caller < 3; caller++) for (let k = 0; k < 40; k++) heavy.push(rec('GET', '/feed', { time: T0 + k * 100, principal: `c${caller}` }));
    const [l] = (await discover(() => heavy)).limits.learned;
    expect(l).toMatchObject({ p99: 40, confidence: 'low', rate: '80/min' });
    expect([confidenceOf(10, 2), confidenceOf(50, 5), confidenceOf(299, 100), confidenceOf(300, 20)]).toEqual(['low', 'medium', 'medium', 'high']);
  });

  it('the snippet is valid portcullis.yaml, and its operations name the declared ones (the rate-limit control compiles it)', async () => {
    const specFile = await writeSpec(SPEC);
    const spec = await loadSpec(specFile);
    const r = await discover(traffic, { spec });
    expect(r.limits.learned.map((l) => l.operation).sort()).toEqual(['GET /orders/{id}', 'POST /orders']);
    const snippet = renderLimitsYaml(r.limits.learned, r.limits.unlimited, r.summary);
    const config = parseConfigText(`upstreams:\n  - url: http://127.0.0.1:1\n    spec: ${JSON.stringify(specFile)}\n${snippet}`, 'portcullis.yaml');
    const compiled = compileConfig(config.controls['rate-limit'], compileSpec(spec, { upstream: 'u', rejectUndeclared: true }).operations);
    expect(compiled.limits.map((l) => `${l.name} ${l.key} ${l.rateText} ${[...l.operations ?? []].join(',')}`)).toEqual([
      'learned-get-orders-id principal 10/min GET /orders/{id}',
      'learned-post-orders principal 10/min POST /orders',
    ]);
    expect(config.controls['rate-limit']).toMatchObject({ mode: 'monitor' });
  });

  it('without a spec the operations are the reconstructed spec\'s: valid against the exported document', async () => {
    const r = await discover(traffic);
    const specFile = await writeSpec(JSON.stringify(exportOpenApi(r.inventory)));
    const snippet = renderLimitsYaml(r.limits.learned, r.limits.unlimited, r.summary);
    const config = parseConfigText(`upstreams:\n  - url: http://127.0.0.1:1\n    spec: ${JSON.stringify(specFile)}\n${snippet}`, 'portcullis.yaml');
    const compiled = compileConfig(config.controls['rate-limit'], compileSpec(await loadSpec(specFile), { upstream: 'u', rejectUndeclared: true }).operations);
    expect(compiled.limits).toHaveLength(2);
    expect(snippet).toContain('#   GET /api/anonymous: no caller could be identified');
  });

  it('at most MAX_LIMITS limits, names unique, text from traffic quoted and kept on one line', () => {
    const base = { method: 'GET', windowMs: 60_000, samples: 1, principals: 1, p50: 1, p90: 1, p99: 1, max: 1, confidence: 'low' as const, rate: '10/min', burst: 0 };
    const many = Array.from({ length: MAX_LIMITS + 5 }, (_, i) => ({ ...base, path: `/x${i}`, operation: `GET /same/${'a'.repeat(80)}` }));
    const evil = { ...base, samples: 99, path: '/a"\n  evil: 1', operation: 'GET /a"\n  evil: 1' };
    const text = renderLimitsYaml([evil, ...many], [{ method: 'GET', path: '/b\nx: 1', reason: 'r' }], { records: 1, window: null });
    const doc = parse(text) as { controls: { 'rate-limit': { limits: Array<{ name: string; operations: string[] }> } } };
    const limits = doc.controls['rate-limit'].limits;
    expect(limits).toHaveLength(MAX_LIMITS);
    expect(new Set(limits.map((l) => l.name)).size).toBe(MAX_LIMITS);
    expect(limits.every((l) => l.name.length <= 64)).toBe(true);
    expect(limits[0]!.operations).toEqual(['GET /a"\n  evil: 1']);
    expect(Object.keys(doc)).toEqual(['controls']);
    expect(text).toContain('# Not limited:\n#   6 quieter endpoints');
  });
});
