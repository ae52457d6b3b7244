import { describe, expect, it } from 'vitest';
import { answer, html, json, text } from '../../../../test/helpers/answer.js';
import { judgeApiDocument, judgeDocsUi, parseApiDocument, versionPrefixes } from './docs.js';

const OPENAPI = {
  openapi: '3.1.0', info: { title: 'shop', version: '2.0.0' },
  servers: [{ url: 'https://api.example.com/shop' }],
  paths: {
    '/api/v2/orders': { get: {}, post: { requestBody: { content: { 'application/json': {} } } } },
    '/api/v2/orders/{orderId}': { get: {}, delete: { deprecated: true } },
    '/api/v1/orders': { get: { deprecated: true } },
    '/upload': { post: { requestBody: { content: { 'multipart/form-data': {} } } } },
  },
};

describe('exposed OpenAPI documents', () => {
  it.each([
    ['OpenAPI 3.1 JSON', json(OPENAPI), 'OpenAPI 3.1.0 document "shop" 2.0.0: 4 paths, 6 operations (2 deprecated)'],
    ['OpenAPI 3.0 YAML', text('# the contract\nopenapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths:\n  /a: { get: {} }\n', { headers: { 'content-type': 'application/yaml' } }), 'OpenAPI 3.0.3 document "t" 1: 1 paths, 1 operations'],
    ['Swagger 2.0 served as text/plain', text(JSON.stringify({ swagger: '2.0', info: { title: 'legacy' }, basePath: '/v1', paths: { '/pets': { get: {}, post: {} } } })), 'Swagger 2.0 document "legacy": 1 paths, 2 operations'],
    ['OpenAPI 3.1 with webhooks only', json({ openapi: '3.1.0', info: { title: 'hooks', version: '1' }, webhooks: { a: {} } }), 'OpenAPI 3.1.0 document "hooks" 1: 0 paths, 0 operations'],
  ])('accepts %s', (_name, a, evidence) => {
    expect(judgeApiDocument(a)?.evidence).toBe(evidence);
  });

  it.each([
    ['an HTML page that talks about OpenAPI', html('<html><title>Docs</title><p>openapi: 3.0.0 paths: {}</p></html>')],
    ['JSON without paths', json({ openapi: '3.0.0', info: { title: 'x' } })],
    ['an unknown version', json({ openapi: '2.5', paths: {} })],
    ['swagger 1.2', json({ swaggerVersion: '1.2', apis: [] })],
    ['a document answered with 404', json(OPENAPI, { status: 404 })],
    ['a JSON array', json([OPENAPI])],
    ['broken YAML', text('openapi: 3.0.0\npaths: [unclosed\n')],
    ['an empty 200', answer()],
  ])('rejects %s', (_name, a) => {
    expect(judgeApiDocument(a)).toBeUndefined();
  });

  it('reads the operations the later probes use', () => {
    const doc = parseApiDocument(JSON.stringify(OPENAPI))!;
    expect(doc.basePaths).toEqual(['/shop']);
    expect(doc.getPaths).toEqual(['/api/v2/orders', '/api/v2/orders/{orderId}', '/api/v1/orders']);
    expect(doc.jsonPostPaths).toEqual(['/api/v2/orders']);
    expect(parseApiDocument(JSON.stringify({ swagger: '2.0', basePath: '/v1/', paths: { '/p': { post: { consumes: ['application/xml'] } } } }))).toMatchObject({ basePaths: ['/v1'], jsonPostPaths: [] });
  });

  it('finds API version prefixes in the first segments only', () => {
    expect(versionPrefixes(['/api/v2/orders', '/api/v2/orders/{id}', '/v1/pets', '/api/v1beta1/x', '/health', '/a/b/c/d/v2/deep', '/assets/v2.1/app.js'])).toEqual(['/api/v2', '/v1', '/api/v1beta1', '/assets/v2.1']);
  });
});

describe('documentation UIs', () => {
  it.each([
    ['Swagger UI', html('<!doctype html><title>Swagger UI</title><div id="swagger-ui"></div><script src="./swagger-ui-bundle.js"></script>'), 'Swagger UI page'],
    ['ReDoc', html('<html><body><redoc spec-url="/openapi.json"></redoc><script src="https://cdn/redoc.standalone.js"></script></body></html>'), 'ReDoc page'],
    ['RapiDoc', html('<rapi-doc spec-url="/openapi.json"></rapi-doc>'), 'RapiDoc page'],
  ])('accepts %s', (_name, a, evidence) => {
    expect(judgeDocsUi(a)?.evidence).toBe(evidence);
  });

  it.each([
    ['a product documentation site', html('<html><title>Docs</title><h1>Getting started</h1></html>')],
    ['a JSON answer naming swagger-ui', json({ ui: 'swagger-ui.js' })],
    ['Swagger UI behind a 401', html('<title>Swagger UI</title>', { status: 401 })],
  ])('rejects %s', (_name, a) => {
    expect(judgeDocsUi(a)).toBeUndefined();
  });
});
