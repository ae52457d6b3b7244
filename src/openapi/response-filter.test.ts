import { describe, expect, it } from 'vitest';
import type { JsonObject } from './load.js';
import { compileResponseFilter, MAX_PATHS } from './response-filter.js';

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });
const str = { type: 'string' };

const doc: JsonObject = {
  openapi: '3.1.0',
  paths: {},
  components: {
    schemas: {
      User: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          name: str,
          passwordHash: { type: 'string', writeOnly: true },
          secret: ref('Secret'),
          ssn: { type: 'string', 'x-portcullis-read-roles': ['admin', 'auditor'] },
          address: ref('Address'),
        },
      },
      Secret: { type: 'string', writeOnly: true },
      Address: { type: 'object', properties: { city: str } },
      Tree: { type: 'object', properties: { name: str, children: { type: 'array', items: ref('Tree') } } },
      Base: { type: 'object', properties: { id: { type: 'integer' } } },
      Admin: { allOf: [ref('Base'), { type: 'object', properties: { level: { type: 'integer' }, token: { type: 'string', writeOnly: true } } }] },
      Cat: { type: 'object', properties: { kind: str, meows: { type: 'boolean' } } },
      Dog: { type: 'object', properties: { kind: str, barks: { type: 'boolean' }, chip: { type: 'string', 'x-portcullis-read-roles': ['vet'] } } },
    },
  },
};

interface Case {
  name: string;
  schema: unknown;
  value: unknown;
  roles?: string[];
  want: unknown;
  stripped: string[];
}

const cases: Case[] = [
  {
    name: 'undeclared properties are stripped',
    schema: ref('Address'),
    value: { city: 'Oslo', internalId: 7 },
    want: { city: 'Oslo' },
    stripped: ['/internalId'],
  },
  {
    name: 'nested objects inside arrays',
    schema: { type: 'object', properties: { items: { type: 'array', items: ref('Address') } } },
    value: { items: [{ city: 'a' }, { city: 'b', geo: 1 }, { city: 'c', geo: 2 }] },
    want: { items: [{ city: 'a' }, { city: 'b' }, { city: 'c' }] },
    stripped: ['/items/1/geo', '/items/2/geo'],
  },
  {
    name: 'writeOnly, writeOnly via $ref, read-roles denied (no roles)',
    schema: ref('User'),
    value: { id: 1, name: 'n', passwordHash: 'h', secret: 's', ssn: '123' },
    want: { id: 1, name: 'n' },
    stripped: ['/passwordHash', '/secret', '/ssn'],
  },
  {
    name: 'read-roles allowed when the caller holds one of them',
    schema: ref('User'),
    value: { id: 1, ssn: '123', passwordHash: 'h' },
    roles: ['reader', 'auditor'],
    want: { id: 1, ssn: '123' },
    stripped: ['/passwordHash'],
  },
  {
    name: 'read-roles denied with unrelated roles',
    schema: ref('User'),
    value: { id: 1, ssn: '123' },
    roles: ['reader'],
    want: { id: 1 },
    stripped: ['/ssn'],
  },
  {
    name: 'read-roles on a $ref sibling',
    schema: { type: 'object', properties: { home: { $ref: '#/components/schemas/Address', 'x-portcullis-read-roles': ['owner'] }, id: str } },
    value: { id: 'x', home: { city: 'c' } },
    want: { id: 'x' },
    stripped: ['/home'],
  },
  {
    name: 'allOf: union of members declared; writeOnly from a member applies',
    schema: ref('Admin'),
    value: { id: 1, level: 3, token: 't', extra: true },
    want: { id: 1, level: 3 },
    stripped: ['/token', '/extra'],
  },
  {
    name: 'oneOf: union of alternatives kept (conservative), marks still apply',
    schema: { oneOf: [ref('Cat'), ref('Dog')] },
    value: { kind: 'cat', meows: true, barks: false, chip: 'c1', owner: 'x' },
    want: { kind: 'cat', meows: true, barks: false },
    stripped: ['/chip', '/owner'],
  },
  {
    name: 'anyOf with an alternative carrying no object information keeps undeclared keys',
    schema: { anyOf: [ref('User'), { type: 'object' }] },
    value: { id: 1, passwordHash: 'h', whatever: 1 },
    want: { id: 1, whatever: 1 },
    stripped: ['/passwordHash'],
  },
  {
    name: 'oneOf alternative that excludes objects is ignored for objects',
    schema: { oneOf: [str, ref('Address')] },
    value: { city: 'c', zip: '1' },
    want: { city: 'c' },
    stripped: ['/zip'],
  },
  {
    name: 'additionalProperties schema: extras kept and filtered inside',
    schema: { type: 'object', properties: { id: str }, additionalProperties: ref('Address') },
    value: { id: 'x', home: { city: 'a', lat: 1 }, work: { city: 'b' } },
    want: { id: 'x', home: { city: 'a' }, work: { city: 'b' } },
    stripped: ['/home/lat'],
  },
  {
    name: 'additionalProperties true: extras kept, declared still filtered',
    schema: { type: 'object', properties: { user: ref('User') }, additionalProperties: true },
    value: { user: { id: 1, passwordHash: 'h' }, anything: { deep: 1 } },
    want: { user: { id: 1 }, anything: { deep: 1 } },
    stripped: ['/user/passwordHash'],
  },
  {
    name: 'additionalProperties false without properties strips everything',
    schema: { type: 'object', additionalProperties: false },
    value: { a: 1, b: 2 },
    want: {},
    stripped: ['/a', '/b'],
  },
  {
    name: 'additionalProperties with a writeOnly schema strips the extras',
    schema: { type: 'object', properties: { id: str }, additionalProperties: { type: 'string', writeOnly: true } },
    value: { id: 'x', k: 'v' },
    want: { id: 'x' },
    stripped: ['/k'],
  },
  {
    name: 'patternProperties keep matching keys and filter inside them',
    schema: { type: 'object', properties: { id: str }, patternProperties: { '^x-': ref('Address') } },
    value: { id: 'i', 'x-a': { city: 'c', n: 1 }, y: 2 },
    want: { id: 'i', 'x-a': { city: 'c' } },
    stripped: ['/x-a/n', '/y'],
  },
  {
    name: 'a backtracking-prone pattern runs on the linear-time engine',
    schema: { type: 'object', patternProperties: { '^(a+)+$': true } },
    value: { aaaa: 1, ab: 2 },
    want: { aaaa: 1 },
    stripped: ['/ab'],
  },
  {
    name: 'allOf member re-describing an inherited property keeps the inherited filter',
    schema: { allOf: [{ type: 'object', properties: { home: ref('Address') } }, { properties: { home: { description: 'x' } } }] },
    value: { home: { city: 'c', lat: 1 } },
    want: { home: { city: 'c' } },
    stripped: ['/home/lat'],
  },
  {
    name: 'recursive $ref (cycle) filtered 3 levels deep',
    schema: ref('Tree'),
    value: { name: 'a', x: 1, children: [{ name: 'b', children: [{ name: 'c', y: 3, children: [] }] }] },
    want: { name: 'a', children: [{ name: 'b', children: [{ name: 'c', children: [] }] }] },
    stripped: ['/x', '/children/0/children/0/y'],
  },
  {
    name: 'OpenAPI 3.0 nullable object: null untouched',
    schema: { type: 'object', nullable: true, properties: { a: str } },
    value: null,
    want: null,
    stripped: [],
  },
  {
    name: 'OpenAPI 3.0 nullable object: object filtered',
    schema: { type: 'object', nullable: true, properties: { a: str } },
    value: { a: 'x', b: 'y' },
    want: { a: 'x' },
    stripped: ['/b'],
  },
  {
    name: 'type [object, null] property with null and object values',
    schema: { type: 'array', items: { type: ['object', 'null'], properties: { a: str } } },
    value: [null, { a: '1', b: 2 }],
    want: [null, { a: '1' }],
    stripped: ['/1/b'],
  },
  {
    name: 'type mismatch (string where object expected) is left alone',
    schema: { type: 'object', properties: { address: ref('Address') } },
    value: { address: 'not an object' },
    want: { address: 'not an object' },
    stripped: [],
  },
  {
    name: 'object under type: string is left alone',
    schema: { type: 'object', properties: { v: { type: 'string', properties: { a: str } }, w: ref('Address') } },
    value: { v: { a: 1, b: 2 }, w: { city: 'c' } },
    want: { v: { a: 1, b: 2 }, w: { city: 'c' } },
    stripped: [],
  },
  {
    name: 'prefixItems filter by position, items after',
    schema: { type: 'array', prefixItems: [ref('Address'), true], items: ref('Base') },
    value: [{ city: 'c', z: 1 }, { free: 1 }, { id: 1, q: 2 }],
    want: [{ city: 'c' }, { free: 1 }, { id: 1 }],
    stripped: ['/0/z', '/2/q'],
  },
  {
    name: 'boolean property schema false is stripped, true kept',
    schema: { type: 'object', properties: { gone: false, kept: true } },
    value: { gone: 1, kept: { any: 1 } },
    want: { kept: { any: 1 } },
    stripped: ['/gone'],
  },
  {
    name: 'keys needing pointer escapes',
    schema: { type: 'object', properties: { 'a/b': ref('Address') } },
    value: { 'a/b': { city: 'c', 'x~y': 1 } },
    want: { 'a/b': { city: 'c' } },
    stripped: ['/a~1b/x~0y'],
  },
];

describe('compileResponseFilter', () => {
  it.each(cases)('$name', ({ schema, value, roles, want, stripped }) => {
    const filter = compileResponseFilter(schema, doc);
    expect(filter).toBeDefined();
    const before = structuredClone(value);
    const r = filter!(value, roles ?? []);
    expect(r.value).toStrictEqual(want);
    expect(r.stripped).toEqual(stripped);
    expect(r.strippedCount).toBe(stripped.length);
    expect(r.truncated).toBeUndefined();
    expect(value).toStrictEqual(before); // input never mutated
    if (stripped.length === 0) expect(r.value).toBe(value);
  });

  it.each([
    ['no object information', { type: 'string' }],
    ['open object', { type: 'object', additionalProperties: true }],
    ['true schema', true],
    ['array of anything', { type: 'array', items: {} }],
    ['unresolvable $ref', { $ref: '#/components/schemas/Nope' }],
  ])('returns undefined when nothing can ever be stripped: %s', (_n, schema) => {
    expect(compileResponseFilter(schema, doc)).toBeUndefined();
  });

  it('returns the same references when nothing is stripped, and shares untouched subtrees otherwise', () => {
    const filter = compileResponseFilter({ type: 'array', items: ref('User') }, doc)!;
    const value = [{ id: 1, address: { city: 'a' } }, { id: 2, passwordHash: 'h', address: { city: 'b' } }];
    const clean = [value[0]];
    const same = filter(clean, []);
    expect(same.value).toBe(clean);
    expect(same.stripped).toEqual([]);
    const r = filter(value, []);
    const out = r.value as JsonObject[];
    expect(out).not.toBe(value);
    expect(out[0]).toBe(value[0]);
    expect(out[1]!.address).toBe(value[1]!.address);
    expect(value[1]).toHaveProperty('passwordHash', 'h');
  });

  it('compiles a self-referencing allOf without looping', () => {
    const d: JsonObject = { components: { schemas: { Loop: { allOf: [{ $ref: '#/components/schemas/Loop' }], properties: { a: str } } } } };
    const r = compileResponseFilter({ $ref: '#/components/schemas/Loop' }, d)!({ a: 'x', b: 1 }, []);
    expect(r.value).toEqual({ a: 'x' });
  });

  it('keeps a __proto__ key as data, never as a prototype', () => {
    // JSON.parse, as a literal `__proto__:` key would set the prototype instead.
    const schema: unknown = JSON.parse('{"type":"object","properties":{"a":{"type":"string"},"__proto__":{"$ref":"#/components/schemas/Address"}}}');
    const filter = compileResponseFilter(schema, doc)!;
    const value = JSON.parse('{"__proto__":{"city":"c","x":1},"a":"1","b":2}') as JsonObject;
    const r = filter(value, []);
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(JSON.stringify(r.value)).toBe('{"__proto__":{"city":"c"},"a":"1"}');
  });

  it('truncates (fail closed) past the node cap', () => {
    const filter = compileResponseFilter({ type: 'array', items: ref('Address') }, doc, { maxNodes: 10 })!;
    const value = Array.from({ length: 6 }, () => ({ city: 'c', x: 1 }));
    const r = filter(value, []);
    expect(r.truncated).toBe(true);
    expect(r.value).toBeUndefined();
    expect(filter(value.slice(0, 3), []).truncated).toBeUndefined();
  });

  it('truncates past the depth cap on deep recursive values', () => {
    const filter = compileResponseFilter(ref('Tree'), doc, { maxDepth: 64 })!;
    const make = (depth: number): JsonObject => {
      let v: JsonObject = { name: 'leaf', junk: 1 };
      for (let i = 0; i < depth; i++) v = { name: String(i), children: [v] };
      return v;
    };
    expect(filter(make(20), []).strippedCount).toBe(1);
    expect(filter(make(200), []).truncated).toBe(true);
    expect(compileResponseFilter(ref('Tree'), doc)!(make(200), []).strippedCount).toBe(1);
  });

  it(`bounds stripped paths to ${MAX_PATHS} but counts them all`, () => {
    const filter = compileResponseFilter({ type: 'array', items: ref('Address') }, doc)!;
    const r = filter(Array.from({ length: 80 }, () => ({ x: 1 })), []);
    expect(r.strippedCount).toBe(80);
    expect(r.stripped).toHaveLength(MAX_PATHS);
    expect(r.stripped[49]).toBe('/49/x');
  });
});

describe('roleGated', () => {
  const doc: JsonObject = {};
  it('is true only when some member carries a roles extension', () => {
    const plain = compileResponseFilter({ type: 'object', properties: { id: { type: 'integer' }, secret: { type: 'string', writeOnly: true } }, additionalProperties: false }, doc);
    const gated = compileResponseFilter({ type: 'object', properties: { id: { type: 'integer' }, salary: { type: 'integer', 'x-portcullis-read-roles': ['hr'] } } }, doc);
    const nested = compileResponseFilter({ type: 'object', properties: { list: { type: 'array', items: { type: 'object', properties: { n: { type: 'string', 'x-portcullis-read-roles': 'admin' } } } } } }, doc);
    expect(plain?.roleGated).toBe(false);
    expect(gated?.roleGated).toBe(true);
    expect(nested?.roleGated).toBe(true);
    expect(gated!({ id: 1, salary: 2 }, []).stripped).toEqual(['/salary']);
  });
});
