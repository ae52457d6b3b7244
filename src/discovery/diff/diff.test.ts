import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../openapi/load.js';
import { buildInventory } from '../inventory/build.js';
import type { TrafficRecord } from '../sources/record.js';
import { templatePaths } from '../templating.js';
import { declaredApi, serverBasePath } from './declared.js';
import { classifyEndpoints } from './diff.js';
import { matchDeclared } from './match.js';
import { compareVersions, parseVersion, VersionIndex } from './versions.js';

const T0 = Date.parse('2024-05-01T10:00:00Z');

function rec(method: string, path: string, extra: Partial<TrafficRecord> = {}): TrafficRecord {
  return { method, path, query: {}, status: 200, time: T0, requestHeaders: {}, ...extra };
}

async function specOf(yaml: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'pc-diff-')), 'openapi.yaml');
  writeFileSync(file, yaml);
  return loadSpec(file);
}

const SPEC = `openapi: 3.1.0
info: { title: t, version: "1" }
servers: [{ url: "https://api.example.com/api/v2" }]
paths:
  /orders/{id}:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
        - { name: expand, in: query, schema: { type: string } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Base"
                  - type: object
                    properties:
                      total: { type: number }
                      lines: { type: array, items: { type: object, properties: { sku: { type: string } } } }
        "4XX": { description: client error }
  /orders/me:
    get: { responses: { "200": { description: mine } } }
  /users/{userId}:
    get:
      deprecated: true
      parameters: [{ name: userId, in: path, required: true, schema: { type: string } }]
      responses: { "200": { description: ok } }
  /products:
    get:
      parameters: [{ name: page, in: query, schema: { type: integer } }]
      responses: { default: { description: any } }
    post:
      requestBody:
        content:
          application/json:
            schema: { type: object, additionalProperties: true, properties: { name: { type: string } } }
      responses: { "201": { description: created } }
  /files/{name}.json:
    get: { responses: { "200": { description: ok } } }
  /invoices/{invoiceId}:
    get: { responses: { "200": { description: ok } } }
components:
  schemas:
    Base: { type: object, properties: { id: { type: integer }, status: { type: [string, "null"] } } }
`;

function traffic(): TrafficRecord[] {
  const out: TrafficRecord[] = [];
  for (let i = 0; i < 12; i++) {
    out.push(rec('GET', `/api/v2/orders/${500 + i}`, {
      query: { expand: 'lines', debug: '1' }, status: i === 0 ? 404 : i === 1 ? 503 : 200,
      responseBody: { id: 500 + i, status: i % 2 ? null : 'paid', total: 'n/a', internalNote: 'x', lines: [{ sku: 'A', cost: 1 }] },
    }));
  }
  out.push(rec('GET', '/api/v2/orders/me'));
  out.push(rec('GET', '/api/v2/orders/export'));
  out.push(rec('DELETE', '/api/v2/orders/501'));
  out.push(rec('GET', '/api/v2/users/17'));
  out.push(rec('GET', '/api/v2/products', { query: { page: 'last' } }));
  out.push(rec('POST', '/api/v2/products', { status: 201, requestBody: { name: 'n', colour: 'red' } }));
  out.push(rec('GET', '/api/v2/files/report.json'));
  out.push(rec('GET', '/api/v1/orders/77'));
  out.push(rec('GET', '/internal/debug'));
  return out;
}

describe('declared side', () => {
  it('server base paths, variables by their defaults', () => {
    expect(serverBasePath('https://api.example.com/api/v2/', undefined)).toBe('/api/v2');
    expect(serverBasePath('https://api.example.com', undefined)).toBe('');
    expect(serverBasePath('/', undefined)).toBe('');
    expect(serverBasePath('api', undefined)).toBe('/api');
    expect(serverBasePath('{scheme}://h.example/{base}/x?q=1', { base: { default: 'svc' } })).toBe('/svc/x');
  });
});

describe('structural matching', () => {
  const observed = (paths: string[]) => templatePaths(paths).templates;

  it('variables match whatever their names; literals beat variables; a declared variable takes a literal; mixed segments', async () => {
    const api = declaredApi(await specOf(SPEC));
    const [id] = observed(['/api/v2/orders/1', '/api/v2/orders/2']);
    expect(id!.template).toBe('/api/v2/orders/{orderId}');
    const m = matchDeclared(api, 'GET', id!.segments);
    expect(m.operation).toMatchObject({ template: '/api/v2/orders/{id}', params: new Map([[3, 'id']]) });
    const lit = (p: string) => observed([p])[0]!.segments;
    expect(matchDeclared(api, 'GET', lit('/api/v2/orders/me')).operation?.template).toBe('/api/v2/orders/me');
    expect(matchDeclared(api, 'GET', lit('/api/v2/orders/export')).operation?.template).toBe('/api/v2/orders/{id}');
    expect(matchDeclared(api, 'GET', lit('/api/v2/files/report.json')).operation?.template).toBe('/api/v2/files/{name}.json');
    expect(matchDeclared(api, 'GET', lit('/api/v2/files/report.xml')).operation).toBeUndefined();
    // An observed variable needs a declared one: /orders/{x} is not /orders/me.
    expect(matchDeclared(api, 'HEAD', id!.segments).operation?.declared.op.method).toBe('GET');
    const del = matchDeclared(api, 'DELETE', id!.segments);
    expect(del.operation).toBeUndefined();
    expect(del.path?.template).toBe('/api/v2/orders/{id}');
    expect(matchDeclared(api, 'GET', lit('/orders/1')).operation).toBeUndefined(); // the base path is part of the path
  });
});

describe('versions', () => {
  it('parses and orders versions; pre-releases before their release', () => {
    const v = (s: string) => parseVersion(s)!;
    expect(compareVersions(v('v1'), v('v2'))).toBeLessThan(0);
    expect(compareVersions(v('v2beta1'), v('v2'))).toBeLessThan(0);
    expect(compareVersions(v('v2.1'), v('v2'))).toBeGreaterThan(0);
    expect(compareVersions(v('1.0'), v('2.0'))).toBeLessThan(0);
    expect(parseVersion('orders')).toBeUndefined();
  });

  it('older than the newest under the same prefix only', () => {
    const idx = new VersionIndex();
    idx.add({ segments: ['api', 'v1', 'orders'], origin: 'seen' });
    idx.add({ segments: ['api', 'v2', 'orders'], origin: 'declared' });
    idx.add({ segments: ['admin', 'v1'], origin: 'seen' });
    expect(idx.older(['api', 'v1', 'orders'])).toBe('older version: /api/v2 is declared beside /api/v1');
    expect(idx.older(['api', 'v2', 'x'])).toBeUndefined();
    expect(idx.older(['admin', 'v1'])).toBeUndefined();
  });
});

describe('classifyEndpoints', () => {
  it('declared, shadow, zombie (deprecated; older version), orphan', async () => {
    const spec = await specOf(SPEC);
    const eps = classifyEndpoints(await buildInventory(traffic), declaredApi(spec), spec.version);
    expect(eps.map((e) => `${e.status} ${e.method} ${e.path}`)).toEqual([
      'zombie GET /api/v1/orders/{orderId}',
      'declared GET /api/v2/files/report.json',
      'orphan GET /api/v2/invoices/{invoiceId}',
      'declared GET /api/v2/orders/export',
      'declared GET /api/v2/orders/me',
      'shadow DELETE /api/v2/orders/{orderId}',
      'declared GET /api/v2/orders/{orderId}',
      'declared GET /api/v2/products',
      'declared POST /api/v2/products',
      'zombie GET /api/v2/users/{userId}',
      'shadow GET /internal/debug',
    ]);
    const by = (m: string, p: string) => eps.find((e) => e.method === m && e.path === p)!;
    expect(by('GET', '/api/v1/orders/{orderId}')).toMatchObject({ declared: false, reasons: ['not declared in the spec', 'older version: /api/v2 is declared beside /api/v1'] });
    expect(by('GET', '/api/v2/users/{userId}')).toMatchObject({ declared: true, reasons: expect.arrayContaining(['deprecated in the spec']), spec: { path: '/users/{userId}', deprecated: true } });
    expect(by('DELETE', '/api/v2/orders/{orderId}').reasons).toEqual(['not declared: the spec declares /api/v2/orders/{id}, but not for DELETE']);
    expect(by('GET', '/api/v2/invoices/{invoiceId}')).toMatchObject({ count: 0, firstSeen: null, declared: true, spec: { path: '/invoices/{invoiceId}' } });
  });

  it('drift: undeclared parameters and members, broken types, undeclared statuses; declared open objects and nulls are not drift', async () => {
    const spec = await specOf(SPEC);
    const eps = classifyEndpoints(await buildInventory(traffic), declaredApi(spec), spec.version);
    const by = (m: string, p: string) => eps.find((e) => e.method === m && e.path === p)!;
    expect(by('GET', '/api/v2/orders/{orderId}').drift).toEqual([
      { kind: 'undeclared-parameter', where: 'query debug', detail: 'seen in 12 of 12 requests, not declared' },
      { kind: 'type-mismatch', where: 'response 200 /total', detail: 'seen string, declared number' },
      { kind: 'undeclared-property', where: 'response 200 /internalNote', detail: 'seen in traffic, not declared' },
      { kind: 'undeclared-property', where: 'response 200 /lines/*/cost', detail: 'seen in traffic, not declared' },
      { kind: 'undeclared-status', where: 'status 503', detail: 'answered 1 time, not declared' },
    ]);
    expect(by('GET', '/api/v2/orders/export').drift).toEqual([{ kind: 'type-mismatch', where: 'path id', detail: 'the literal segment "export" is not a declared integer' }]);
    expect(by('GET', '/api/v2/products').drift).toEqual([{ kind: 'type-mismatch', where: 'query page', detail: 'seen string, declared integer' }]);
    expect(by('POST', '/api/v2/products').drift).toEqual([]);
    expect(by('GET', '/api/v2/orders/me').drift).toEqual([]);
  });

  it('3.0: nullable is a declared null', async () => {
    const spec = await specOf(`openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /a:
    get:
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object, properties: { n: { type: string, nullable: true }, m: { type: string } } } } } }
`);
    const inv = await buildInventory(() => [rec('GET', '/a', { responseBody: { n: null, m: null } })]);
    expect(classifyEndpoints(inv, declaredApi(spec), spec.version)[0]!.drift).toEqual([
      { kind: 'type-mismatch', where: 'response 200 /m', detail: 'seen null, declared string' },
    ]);
  });

  it('without a spec every endpoint is shadow, older versions still zombie', async () => {
    const eps = classifyEndpoints(await buildInventory(() => [rec('GET', '/v1/a'), rec('GET', '/v2/a')]), undefined);
    expect(eps.map((e) => `${e.status} ${e.path}`)).toEqual(['zombie /v1/a', 'shadow /v2/a']);
    expect(eps[1]!.reasons).toEqual(['no --spec given: nothing is declared']);
  });
});
