import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load.js';
import type { RequestContext } from '../../core/context.js';
import type { Verdict } from '../../core/verdict.js';
import type { Detector } from '../../detect/types.js';
import { compileSpec } from '../../openapi/compile.js';
import type { JsonObject } from '../../openapi/load.js';
import { injectionControl } from './index.js';

/** A stand-in detector: "attack" is anything containing EVIL (case-sensitive, after decoding). */
const fake: Detector = { id: 'fake', detect: (v) => (v.includes('EVIL') ? { detector: 'fake', confidence: v.includes('EVIL!') ? 0.9 : 0.3, fragment: 'EVIL', reason: 'test' } : undefined) };

const doc = {
  openapi: '3.1.0', info: { title: 't', version: '1' },
  paths: {
    '/items/{id}': {
      get: {
        operationId: 'getItem',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'n', in: 'query', schema: { type: 'integer' } }, { name: 'q', in: 'query', schema: { type: 'string' } }],
        responses: { 200: { description: 'ok' } },
      },
    },
  },
} as unknown as JsonObject;
const op = compileSpec({ file: 'inline.yaml', version: '3.1', doc }, { upstream: 'u', rejectUndeclared: false }).operations[0]!;

async function run(parts: { params?: Record<string, string>; query?: [string, string[]][]; body?: unknown }, controls: Record<string, unknown> = {}): Promise<Verdict> {
  const config = validateConfig({ upstreams: [{ url: 'http://127.0.0.1:1', spec: 'x.yaml' }], controls }, { baseDir: '/' });
  const ctx: RequestContext = {
    id: 'r', receivedAt: 0, method: 'GET', path: '/', rawQuery: null, query: parts.query ? new Map(parts.query) : undefined, headers: {}, clientIp: '127.0.0.1',
    route: { upstream: 'u', item: undefined, operation: op, rawParams: parts.params ?? {} },
    principal: { id: 'ip:127.0.0.1', kind: 'anonymous', roles: [], scopes: [] },
    body: parts.body === undefined ? undefined : { bytes: Buffer.alloc(0), mediaType: 'application/json', value: parts.body, decoded: true },
    flagged: [], modified: [],
  };
  const control = await injectionControl([fake]).create({ config });
  return control.evaluate(ctx, 'requestBody');
}

describe('injection control', () => {
  it('shows detectors path values, query keys and values, body leaves and member names, and names where', async () => {
    expect(await run({ params: { id: 'EVIL!' } })).toMatchObject({ kind: 'block', ruleId: 'injection/fake', evidence: { location: 'path.id' } });
    expect(await run({ query: [['q', ['EVIL!']]] })).toMatchObject({ evidence: { location: 'query.q' } });
    expect(await run({ query: [['EVIL!', ['x']]] })).toMatchObject({ evidence: { location: 'query-key' } });
    expect(await run({ body: { a: [{ b: 'EVIL!' }] } })).toMatchObject({ evidence: { location: 'body/a/0/b' } });
    expect(await run({ body: { 'EVIL!': 1 } })).toMatchObject({ evidence: { location: 'body-key/' } });
    expect(await run({ body: { a: 'fine', n: 3 } })).toEqual({ kind: 'pass' });
  });

  it('decodes before detecting (double URL encoding, entities)', async () => {
    expect((await run({ query: [['q', ['%2545VIL!']]] })).kind).toBe('block');
    expect((await run({ body: { c: '&#69;VIL!' } })).kind).toBe('block');
  });

  it('skips parameters the contract types as integer, number or boolean', async () => {
    expect(await run({ query: [['n', ['EVIL!']]] })).toEqual({ kind: 'pass' });
  });

  it('honours the threshold and exclusions by detector, operation and location', async () => {
    expect(await run({ query: [['q', ['EVIL']]] })).toEqual({ kind: 'pass' });
    expect((await run({ query: [['q', ['EVIL']]] }, { injection: { threshold: 0.2 } })).kind).toBe('block');
    expect(await run({ query: [['q', ['EVIL!']]] }, { injection: { exclude: [{ detector: 'fake', operation: 'getItem', location: 'query.q' }] } })).toEqual({ kind: 'pass' });
    expect((await run({ query: [['q', ['EVIL!']]] }, { injection: { exclude: [{ operation: 'otherOp' }] } })).kind).toBe('block');
  });
});
