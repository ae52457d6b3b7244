import { describe, expect, it } from 'vitest';
import { answer, html, json, text } from '../../../../test/helpers/answer.js';
import { judgeErrorAnswer } from './errors.js';
import { judgeIntrospection } from './graphql.js';
import { HSTS_MIN_MAX_AGE, PROBE_ORIGIN, findBanners, isLoopbackHost, judgeCors, judgeTransport } from './headers.js';
import { judgeOldVersion, olderVersionCandidates } from './versions.js';

describe('GraphQL introspection', () => {
  const schema = { queryType: { name: 'Query' }, mutationType: { name: 'Mutation' }, types: [{ name: 'Query', kind: 'OBJECT' }, { name: 'User', kind: 'OBJECT' }, { name: '__Schema', kind: 'OBJECT' }] };

  it('accepts a real introspection result', () => {
    expect(judgeIntrospection(json({ data: { __schema: schema } }))?.evidence).toBe('introspection answered: 3 types (Query, User), query type Query, mutations present');
  });

  it.each([
    ['introspection disabled', json({ errors: [{ message: 'GraphQL introspection is not allowed' }], data: null })],
    ['a schema without types', json({ data: { __schema: { queryType: { name: 'Query' } } } })],
    ['types without kinds', json({ data: { __schema: { types: [{ name: 'Query' }] } } })],
    ['an echo of the query', json({ query: 'query IntrospectionQuery { __schema { types { name } } }' })],
    ['a catch-all page', html('<title>App</title>')],
    ['a 400 with a schema', json({ data: { __schema: schema } }, { status: 400 })],
  ])('rejects %s', (_name, a) => {
    expect(judgeIntrospection(a)).toBeUndefined();
  });
});

describe('verbose errors', () => {
  it.each([
    ['a Node stack in JSON', json({ error: 'Unexpected end of JSON input', stack: 'SyntaxError: Unexpected end\n    at JSON.parse (<anonymous>)\n    at readJson (/srv/app/http.js:74:15)' }, { status: 500 }), 'node-stack-json in a 500 answer: at JSON.parse (<anonymous>)'],
    ['a Python traceback', text('Traceback (most recent call last):\n  File "/app/main.py", line 3', { status: 500 }), 'python-traceback in a 500 answer: Traceback (most recent call last):'],
    ['an SQL error', json({ error: 'SQLITE_ERROR: near "x": syntax error' }, { status: 400 }), 'sql-error in a 400 answer'],
    ['a file path', json({ error: 'ENOENT: no such file /var/www/shop/src/views/404.js' }, { status: 404 }), 'server file path in a 404 answer: /var/www/shop/src/views/404.js'],
    ['an nginx footer', html('<html><center><h1>404 Not Found</h1></center><hr><center>nginx/1.18.0 (Ubuntu)</center></html>', { status: 404 }), 'nginx version footer in a 404 answer: nginx/1.18.0 (Ubuntu)'],
  ])('accepts %s', (_name, a, evidence) => {
    expect(judgeErrorAnswer(a)?.evidence).toBe(evidence);
  });

  it('rates a default page without a version as info', () => {
    expect(judgeErrorAnswer(html('<pre>Cannot GET /pc-surface-1a2b3c</pre>', { status: 404 }))?.severity).toBe('info');
  });

  it.each([
    ['a plain JSON 404', json({ error: 'not found' }, { status: 404 })],
    ['problem+json', answer({ status: 400, type: 'application/problem+json', body: '{"type":"about:blank","title":"Bad Request","status":400}' })],
    ['a stack trace in a 200 (documentation, not an error)', text('Error\n    at f (/srv/app/x.js:1:1)')],
    ['a bare nginx 404 without version', html('<center>nginx</center>', { status: 404 })],
  ])('rejects %s', (_name, a) => {
    expect(judgeErrorAnswer(a)).toBeUndefined();
  });
});

describe('transport', () => {
  const target = new URL('http://api.example.com/');
  const secure = new URL('https://api.example.com/');

  it('flags plain HTTP unless it moves to HTTPS', () => {
    expect(judgeTransport(target, answer({ path: '/', status: 200 }))?.check.id).toBe('surface:plaintext-http');
    expect(judgeTransport(target, answer({ path: '/', status: 301, redirect: 'https://api.example.com/' }))).toBeUndefined();
    expect(judgeTransport(target, answer({ path: '/', url: 'https://api.example.com/' }))).toBeUndefined();
  });

  it('flags HTTPS without HSTS, or with a short max-age', () => {
    expect(judgeTransport(secure, answer({ url: 'https://api.example.com/' }))?.check.id).toBe('surface:missing-hsts');
    expect(judgeTransport(secure, answer({ headers: { 'strict-transport-security': 'max-age=300' } }))).toMatchObject({ severity: 'low' });
    expect(judgeTransport(secure, answer({ headers: { 'strict-transport-security': `max-age=${HSTS_MIN_MAX_AGE}; includeSubDomains` } }))).toBeUndefined();
  });

  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.9.8.7', 'localhost', 'api.localhost', '[::1]']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['10.0.0.1', '128.0.0.1', 'example.com', '::2', 'localhost.example.com']) expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe('banners and CORS', () => {
  it('reports versioned Server banners and every X-Powered-By, once each', () => {
    const banners = findBanners([
      answer({ headers: { server: 'nginx/1.14.0 (Ubuntu)', 'x-powered-by': 'Express' } }),
      answer({ headers: { server: 'nginx/1.14.0 (Ubuntu)', 'x-powered-by': 'PHP/8.1.2' } }),
      answer({ headers: { server: 'nginx' } }),
    ]);
    expect(banners.map((b) => [b.judgement.evidence, b.judgement.severity])).toEqual([
      ['server: nginx/1.14.0 (Ubuntu)', 'low'], ['x-powered-by: Express', 'info'], ['x-powered-by: PHP/8.1.2', 'low'],
    ]);
    expect(findBanners([answer({ headers: { server: 'cloudflare' } })])).toEqual([]);
  });

  it('flags a reflected origin, worst with credentials', () => {
    expect(judgeCors(answer({ headers: { 'access-control-allow-origin': PROBE_ORIGIN, 'access-control-allow-credentials': 'true' } }))?.severity).toBe('high');
    expect(judgeCors(answer({ headers: { 'access-control-allow-origin': PROBE_ORIGIN } }))?.severity).toBeUndefined();
    expect(judgeCors(answer({ headers: { 'access-control-allow-origin': '*' } }))).toBeUndefined();
    expect(judgeCors(answer({ headers: { 'access-control-allow-origin': 'https://shop.example.com', 'access-control-allow-credentials': 'true' } }))).toBeUndefined();
    expect(judgeCors(answer())).toBeUndefined();
  });
});

describe('older API versions', () => {
  it('pairs the newest version\'s paths with older ones, parameterless first', () => {
    expect(olderVersionCandidates(['/api/v3/users/{id}', '/api/v3/products', '/api/v2/products', '/health', '/v2/pets', '/api/v1/x'])).toEqual([
      { current: '/v2/pets', older: ['/v1/pets'] },
      { current: '/api/v3/products', older: ['/api/v2/products', '/api/v1/products'] },
      { current: '/api/v3/users/1', older: ['/api/v2/users/1', '/api/v1/users/1'] },
    ]);
    expect(olderVersionCandidates(['/api/v1/products', '/products'])).toEqual([]);
  });

  it('counts an older path as answering when it serves or asks for credentials', () => {
    const current = answer({ path: '/api/v2/products' });
    expect(judgeOldVersion(current, answer({ path: '/api/v1/products' }))?.evidence).toBe('GET /api/v1/products answers 200 (GET /api/v2/products answers 200)');
    expect(judgeOldVersion(current, answer({ path: '/api/v1/products', status: 401 }))?.severity).toBe('low');
    expect(judgeOldVersion(current, answer({ path: '/api/v1/products', status: 410 }))).toBeUndefined();
    expect(judgeOldVersion(current, answer({ path: '/api/v1/products', status: 500 }))).toBeUndefined();
  });
});
