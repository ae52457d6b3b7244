import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSpec } from './compile.js';
import { loadSpec } from './load.js';

const fixture = fileURLToPath(new URL('../../test/fixtures/mini-api.yaml', import.meta.url));

describe('compileSpec', async () => {
  const compiled = compileSpec(await loadSpec(fixture), { upstream: 'mini', rejectUndeclared: true });

  it('routes literal segments before templated ones', () => {
    expect(compiled.router.match('/users/me')?.value.template).toBe('/users/me');
    expect(compiled.router.match('/users/7')?.value.template).toBe('/users/{id}');
    expect(compiled.router.match('/users/7')?.params).toEqual({ id: '7' });
    expect(compiled.router.match('/users/7/avatar.png')?.value.template).toBe('/users/{id}/avatar.png');
    expect(compiled.router.match('/users/')).toBeUndefined();
    expect(compiled.router.match('/nope')).toBeUndefined();
  });

  it('inherits path-level parameters and global security', () => {
    const op = compiled.operations.find((o) => o.operationId === 'getUser')!;
    expect(op.params.path.map((p) => p.name)).toEqual(['id']);
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(compiled.operations.find((o) => o.operationId === 'getPublic')!.security).toEqual([]);
  });

  it('validates bodies with readOnly and undeclared properties refused', () => {
    const put = compiled.operations.find((o) => o.operationId === 'putUser')!;
    const v = put.compiledBody!.media.get('application/json')!;
    expect(v({ name: 'a', email: 'a@example.com' })).toBe(true);
    expect(v({ name: 'a', role: 'admin' })).toBe(false);
    expect(v.errors?.[0]?.message).toMatch(/read-only/);
    expect(v({ name: 'a', Role: 'admin' })).toBe(false);
    expect(v({ name: 'x'.repeat(65) })).toBe(false);
    expect(v({ email: 'a@example.com' })).toBe(false);
  });

  it('runs schema patterns on a linear-time engine', () => {
    const post = compiled.operations.find((o) => o.key === 'POST /codes')!;
    const v = post.compiledBody!.media.get('application/json')!;
    expect(v({ code: 'aaaa' })).toBe(true);
    expect(v({ code: `${'a'.repeat(40)}!` })).toBe(false);
  });

  it('marks deprecated operations and lists allowed methods', () => {
    expect(compiled.operations.find((o) => o.template === '/v1/old')!.deprecated).toBe(true);
    expect(compiled.router.match('/users/1')!.value.allow).toBe('GET, PUT, HEAD');
  });
});

describe('request integers', () => {
  it('holds integer fields to the safe range, whatever the spelling', () => {
    const doc = {
      openapi: '3.1.0', info: { title: 't', version: '1' },
      paths: {
        '/n': {
          post: {
            requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { n: { type: 'integer' }, f: { type: 'number' }, m: { type: 'integer', maximum: 5 } } } } } },
            responses: { 200: { description: 'ok' } },
          },
        },
      },
    };
    const spec = compileSpec({ file: 'inline.yaml', version: '3.1', doc }, { upstream: 'u', rejectUndeclared: true });
    const v = spec.operations[0]!.compiledBody!.media.get('application/json')!;
    expect(v({ n: Number.MAX_SAFE_INTEGER })).toBe(true);
    expect(v({ n: JSON.parse('9007199254740993.0') as number })).toBe(false);
    expect(v({ n: -Number.MAX_SAFE_INTEGER - 1 })).toBe(false);
    expect(v({ f: 1e300 })).toBe(true);
    expect(v({ m: 6 })).toBe(false);
  });
});
