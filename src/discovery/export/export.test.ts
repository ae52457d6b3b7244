import $RefParser from '@apidevtools/json-schema-ref-parser';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createAjv } from '../../openapi/ajv.js';
import { compileSpec } from '../../openapi/compile.js';
import { loadSpec } from '../../openapi/load.js';
import { checkParameters } from '../../openapi/parameters.js';
import { buildInventory } from '../inventory/build.js';
import { splitPath } from '../segments.js';
import { parseHar } from '../sources/har.js';
import type { TrafficRecord } from '../sources/record.js';
import { exportOpenApi } from './openapi.js';

const T0 = Date.parse('2024-05-01T10:00:00Z');
const har = parseHar(readFileSync(new URL('../sources/fixtures/sample.har', import.meta.url), 'utf8'));

function rec(method: string, path: string, extra: Partial<TrafficRecord> = {}): TrafficRecord {
  return { method, path, query: {}, status: 200, time: T0, requestHeaders: {}, ...extra };
}

/** A small API: ids in paths, a query array, a header parameter, JSON bodies, three credential kinds. */
function traffic(): TrafficRecord[] {
  const out: TrafficRecord[] = [...har.records];
  for (let i = 0; i < 25; i++) {
    out.push(rec('GET', `/shops/${i + 1}/products/${100 + i}`, {
      time: T0 + i, query: { tag: ['a', 'b'], page: String(i % 3) }, requestHeaders: { 'x-api-key': 'apikey', 'x-tenant': `t${i % 2}` },
      responseBody: { id: 100 + i, price: 9.5 + i, owner: { email: `owner${i}@example.com` }, state: i % 2 ? 'on' : 'off' },
    }));
    out.push(rec('PUT', `/shops/${i + 1}/products/${100 + i}`, {
      time: T0 + i, query: { api_key: '[redacted]' }, status: i === 0 ? 400 : 200,
      requestBody: { price: 10 + i, note: `card 4111 1111 1111 1111 ${i}` }, responseBody: { ok: true },
    }));
    out.push(rec('GET', '/health', { time: T0 + i, credentialCookies: i % 2 ? ['session'] : undefined }));
  }
  return out;
}

/** Every credential or sensitive value the traffic carried. */
const SENSITIVE = ['SECRET', 'eyJ', 'hunter2', 'alice', 'KEY_SECRET_123', 'tok_QUERY', 'ann@example.com', 'owner1@', '4111', '[redacted]'];

describe('OpenAPI 3.1 export', () => {
  it('paths, operations, parameters, bodies, statuses and security schemes', async () => {
    const doc = exportOpenApi(await buildInventory(traffic));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/', '/avatars/7.png', '/broken', '/health', '/orders', '/orders/{orderId}', '/shops/{shopId}/products/{productId}']);
    const get = doc.paths['/shops/{shopId}/products/{productId}']!['get'] as Record<string, unknown>;
    expect(get['operationId']).toBe('getShopsByShopIdProductsByProductId');
    expect(get['parameters']).toEqual([
      { name: 'productId', in: 'path', required: true, schema: { type: 'integer', minimum: 100, maximum: 124, examples: [100, 101, 102] } },
      { name: 'shopId', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 25, examples: [1, 2, 3] } },
      { name: 'page', in: 'query', required: true, schema: { type: 'integer', enum: [0, 1, 2] } },
      { name: 'tag', in: 'query', required: true, schema: { type: 'array', maxItems: 2, items: { type: 'string', enum: ['a', 'b'] } } },
      { name: 'x-tenant', in: 'header', required: true, schema: { type: 'string', enum: ['t0', 't1'] } },
    ]);
    expect(get['security']).toEqual([{ 'apiKeyHeader_x-api-key': [] }]);
    const put = doc.paths['/shops/{shopId}/products/{productId}']!['put'] as Record<string, unknown>;
    expect(Object.keys(put['responses'] as object)).toEqual(['200', '400']);
    expect(put['security']).toEqual([{ apiKeyQuery_api_key: [] }]);
    expect(put['requestBody']).toMatchObject({ required: true, content: { 'application/json': { schema: { type: 'object', required: ['price', 'note'] } } } });
    // The health check served callers without a session cookie too: the cookie is optional.
    expect((doc.paths['/health']!['get'] as Record<string, unknown>)['security']).toEqual([{ cookie_session: [] }, {}]);
    // Bearer header and access_token query parameter in one request: either is a way in.
    expect((doc.paths['/orders/{orderId}']!['get'] as Record<string, unknown>)['security']).toEqual([{ bearerAuth: [] }, { apiKeyQuery_access_token: [] }]);
    expect(doc['components']).toEqual({
      securitySchemes: {
        // `Authorization: Token …` (the /broken entry): a scheme other than Bearer and Basic is an opaque key.
        apiKeyHeader_Authorization: { type: 'apiKey', in: 'header', name: 'Authorization', description: expect.any(String) },
        'apiKeyHeader_x-api-key': { type: 'apiKey', in: 'header', name: 'x-api-key', description: expect.any(String) },
        apiKeyQuery_access_token: { type: 'apiKey', in: 'query', name: 'access_token', description: expect.any(String) },
        apiKeyQuery_api_key: { type: 'apiKey', in: 'query', name: 'api_key', description: expect.any(String) },
        basicAuth: { type: 'http', scheme: 'basic', description: expect.any(String) },
        bearerAuth: { type: 'http', scheme: 'bearer', description: expect.any(String) },
        cookie_session: { type: 'apiKey', in: 'cookie', name: 'session', description: expect.any(String) },
      },
    });
  });

  it('holds no credential and no sensitive value', async () => {
    const text = JSON.stringify(exportOpenApi(await buildInventory(traffic)));
    for (const s of SENSITIVE) expect(text, s).not.toContain(s);
  });

  it('loads with the project loader, bundles with json-schema-ref-parser, and compiles for the gateway', async () => {
    const doc = exportOpenApi(await buildInventory(traffic), { serverUrl: 'https://api.example.com' });
    const dir = mkdtempSync(join(tmpdir(), 'pc-export-'));
    for (const [name, text] of [['api.yaml', stringify(doc)], ['api.json', JSON.stringify(doc)]] as const) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const spec = await loadSpec(file);
      expect(spec.version).toBe('3.1');
      const compiled = compileSpec(spec, { upstream: 'u', rejectUndeclared: true });
      expect(compiled.operations.map((o) => o.key).sort()).toEqual(Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`)).sort());
      await expect($RefParser.dereference(file)).resolves.toMatchObject({ openapi: '3.1.0' });
    }
    const ajv = createAjv();
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item) as Array<{ parameters?: Array<{ schema: object }> }>) {
        for (const p of op.parameters ?? []) expect(ajv.validateSchema(p.schema)).toBe(true);
      }
    }
  });

  it('closes the loop: the same traffic, checked against the reconstructed spec, breaks no contract', async () => {
    const records = traffic();
    const doc = exportOpenApi(await buildInventory(() => records));
    const file = join(mkdtempSync(join(tmpdir(), 'pc-loop-')), 'api.json');
    writeFileSync(file, JSON.stringify(doc));
    const compiled = compileSpec(await loadSpec(file), { upstream: 'u', rejectUndeclared: true });
    let checked = 0;
    for (const r of records) {
      const split = splitPath(r.path, 8192, 64);
      if (!split.ok) throw new Error(r.path);
      const route = compiled.router.match('/' + split.segments.join('/'));
      const op = route?.value.methods.get(r.method);
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      const query = new Map(Object.entries(r.query).map(([k, v]) => [k, typeof v === 'string' ? [v] : v]));
      const path = Object.fromEntries(Object.entries(route!.params).map(([k, v]) => [k, decodeURIComponent(v)]));
      const problem = checkParameters(op!, { path, query, header: (n) => r.requestHeaders[n], cookie: () => new Map() }, true);
      expect(problem, `${r.method} ${r.path}`).toBeUndefined();
      if (r.requestBody !== undefined) {
        const validate = op!.compiledBody?.media.get('application/json');
        expect(validate?.(r.requestBody), `${r.method} ${r.path} body`).toBe(true);
      }
      checked++;
    }
    expect(checked).toBe(records.length);
  });
});
