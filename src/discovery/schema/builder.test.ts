import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../openapi/ajv.js';
import { SchemaBuilder } from './builder.js';
import { SCHEMA_DEFAULTS, type SchemaOptions } from './bounds.js';
import type { JsonSchema } from './emit.js';

const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

function infer(samples: unknown[], opts: SchemaOptions = {}, key?: string): JsonSchema {
  const b = new SchemaBuilder(opts, key);
  for (const s of samples) b.add(s);
  return b.toSchema();
}

interface Case {
  name: string;
  samples: unknown[];
  /** The exact schema. */
  expect?: JsonSchema;
  /** Or a part of it (toMatchObject). */
  match?: Record<string, unknown>;
  /** Keys that must be absent at the root. */
  absent?: string[];
  opts?: SchemaOptions;
  key?: string;
  /** Some sample was not read whole (maxArrayItems), so not every sample need validate. */
  unread?: boolean;
}

const STATUSES = ['open', 'paid', 'shipped'];

const CASES: Case[] = [
  // Types
  { name: 'nothing seen', samples: [], expect: {} },
  { name: 'not JSON values are ignored', samples: [undefined, NaN, Infinity, () => 1], expect: {} },
  { name: 'integer', samples: [1, 5, 3], expect: { type: 'integer', minimum: 1, maximum: 5, examples: [1, 5, 3] } },
  { name: 'number', samples: [1.5, 2.25], expect: { type: 'number', minimum: 1.5, maximum: 2.25, examples: [1.5, 2.25] } },
  { name: 'integer beside numbers is a number', samples: [1, 2.5], expect: { type: 'number', minimum: 1, maximum: 2.5, examples: [1, 2.5] } },
  { name: 'boolean', samples: [true, false], expect: { type: 'boolean' } },
  { name: 'string', samples: ['ab', 'abcd'], expect: { type: 'string', minLength: 2, maxLength: 4, examples: ['ab', 'abcd'] } },
  { name: 'null only', samples: [null, null], expect: { type: 'null' } },
  { name: 'nullable string: a type array', samples: ['x', null], expect: { type: ['null', 'string'], minLength: 1, maxLength: 1, examples: ['x'] } },
  { name: 'nullable integer', samples: [3, null, 4], match: { type: ['null', 'integer'], minimum: 3, maximum: 4 } },
  { name: 'mixed integer and string', samples: [1, 'a'], expect: { type: ['integer', 'string'], minimum: 1, maximum: 1, minLength: 1, maxLength: 1 } },
  { name: 'mixed object and array', samples: [{ a: 1 }, [1]], match: { type: ['object', 'array'], properties: { a: { type: 'integer' } }, items: { type: 'integer' } } },
  { name: 'string length counts code points', samples: ['😀😀', 'é'], match: { minLength: 1, maxLength: 2 } },

  // Objects
  { name: 'object with required properties', samples: [{ id: 1, n: 'a' }, { id: 2, n: 'b' }], match: { type: 'object', required: ['id', 'n'] } },
  { name: 'optional property: not required', samples: [{ id: 1, note: 'x' }, { id: 2 }], match: { required: ['id'], properties: { note: { type: 'string' } } } },
  { name: 'no property in every sample: no required', samples: [{ a: 1 }, { b: 2 }], absent: ['required'], match: { properties: { a: {}, b: {} } } },
  { name: 'null member still counts as present', samples: [{ a: null }, { a: 1 }], match: { required: ['a'], properties: { a: { type: ['null', 'integer'] } } } },
  { name: 'empty object', samples: [{}], expect: { type: 'object' } },
  { name: 'additionalProperties is left open', samples: [{ a: 1 }], absent: ['additionalProperties'] },
  {
    name: 'nested objects',
    samples: [{ user: { id: 1, address: { country: 'FR' } } }, { user: { id: 2, address: { country: 'DE' } } }],
    match: { properties: { user: { type: 'object', required: ['id', 'address'], properties: { address: { required: ['country'], properties: { country: { type: 'string' } } } } } } },
  },
  { name: 'required inside array items', samples: [{ items: [{ sku: 'A', qty: 1 }, { sku: 'B' }] }], match: { properties: { items: { items: { required: ['sku'] } } } } },

  // Arrays
  { name: 'array of integers', samples: [[1, 2, 3], [4]], expect: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 4, examples: [1, 2, 3] }, minItems: 1, maxItems: 3 } },
  { name: 'empty array only', samples: [[]], expect: { type: 'array', maxItems: 0 } },
  { name: 'empty and non-empty arrays', samples: [[], ['a']], match: { type: 'array', maxItems: 1, items: { type: 'string' } }, absent: ['minItems'] },
  { name: 'array of mixed items', samples: [[1, 'a', null]], match: { items: { type: ['null', 'integer', 'string'] } } },
  { name: 'nested arrays', samples: [[[1, 2], [3]]], match: { items: { type: 'array', items: { type: 'integer' }, maxItems: 2 } } },

  // Formats
  { name: 'uuid', samples: ['3fa85f64-5717-4562-b3fc-2c963f66afa6', '7c9e6679-7425-40de-944b-e07fc1f90ae7'], match: { format: 'uuid' }, absent: ['examples'] },
  { name: 'email', samples: ['ann@example.com', 'bob@example.org'], match: { format: 'email' }, absent: ['examples'] },
  { name: 'date', samples: ['2024-05-01', '2023-12-31'], match: { format: 'date' } },
  { name: 'date-time', samples: ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.123+02:00'], match: { format: 'date-time' } },
  { name: 'date-time without offset is no format', samples: ['2024-05-01T10:00'], absent: ['format'] },
  { name: 'compact date is no format', samples: ['20240501'], absent: ['format'] },
  { name: 'uri', samples: ['https://example.com/a?b=1', 'http://x.test/'], match: { format: 'uri' } },
  { name: 'ipv4', samples: ['10.0.0.1', '192.168.1.20'], match: { format: 'ipv4' } },
  { name: 'ipv6', samples: ['2001:db8::1', '::1'], match: { format: 'ipv6' } },
  { name: 'mixed formats: none', samples: ['2024-05-01', 'ann@example.com'], absent: ['format'] },
  { name: 'one plain string spoils the format', samples: ['2024-05-01', 'soon'], absent: ['format'] },
  { name: 'not-quite formats', samples: ['999.1.1.1', 'x@y', 'mailto:a', '2024-13-01'], absent: ['format'] },

  // Enums
  { name: 'enum: 3 values over 30 samples', samples: range(30, (i) => STATUSES[i % 3]), match: { type: 'string', enum: ['open', 'paid', 'shipped'] }, absent: ['minLength', 'maxLength', 'examples'] },
  { name: 'enum of integers', samples: range(20, (i) => (i % 2) + 1), match: { type: 'integer', enum: [1, 2] }, absent: ['minimum'] },
  { name: 'nullable enum includes null', samples: [...range(20, (i) => STATUSES[i % 3]), null], match: { type: ['null', 'string'], enum: ['open', 'paid', 'shipped', null] } },
  { name: 'no enum under 20 samples', samples: range(19, (i) => STATUSES[i % 3]), absent: ['enum'], match: { examples: STATUSES } },
  { name: 'no enum over 8 distinct values', samples: range(40, (i) => `s${i % 9}`), absent: ['enum'] },
  { name: 'enum at exactly 8 distinct', samples: range(40, (i) => `s${i % 8}`), match: { enum: range(8, (i) => `s${i}`) } },
  { name: 'no enum of booleans', samples: range(30, (i) => i % 2 === 0), expect: { type: 'boolean' } },
  { name: 'no enum of floats', samples: range(30, (i) => (i % 2) + 0.5), absent: ['enum'] },
  { name: 'no enum for mixed types', samples: range(30, (i) => (i % 2 ? 'a' : 1)), absent: ['enum', 'examples'] },
  { name: 'no enum of free text', samples: range(30, (i) => ['it broke again today', 'fine'][i % 2]), absent: ['enum', 'examples'] },
  { name: 'no enum of ids', samples: range(30, (i) => ['507f1f77bcf86cd799439011', '507f1f77bcf86cd799439012'][i % 2]), absent: ['enum', 'examples'] },
  { name: 'custom enum bounds', samples: range(5, (i) => 'ab'[i % 2]), opts: { minEnumSamples: 5, maxEnumValues: 2 }, match: { enum: ['a', 'b'] } },

  // Bounds
  { name: 'maxProperties', samples: [{ a: 1, b: 2, c: 3, d: 4 }], opts: { maxProperties: 2 }, match: { properties: { a: {}, b: {} }, $comment: expect.stringContaining('2 occurrences') } },
  { name: 'maxDepth', samples: [{ a: { b: { c: 1 } } }], opts: { maxDepth: 2 }, match: { properties: { a: { properties: { b: { type: 'object', $comment: expect.stringContaining('deeper than 2') } } } } } },
  {
    name: 'maxArrayItems: only the first items are read, maxItems is the real length', samples: [[1, 2, 3, 99]], opts: { maxArrayItems: 3 },
    match: { items: { type: 'integer', maximum: 3 }, maxItems: 4, $comment: 'items describe the first 3 of each array' }, unread: true,
  },
  { name: 'maxExamples', samples: ['a', 'b', 'c', 'd'], opts: { maxExamples: 2 }, match: { examples: ['a', 'b'] } },
  { name: 'maxNodes', samples: [{ a: 1, b: 2, c: 3 }], opts: { maxNodes: 3 }, match: { properties: { a: {}, b: {} } } },
];

describe('SchemaBuilder', () => {
  const ajv = createAjv();
  const meta = new Ajv2020({ strict: true });

  for (const c of CASES) {
    it(c.name, () => {
      const schema = infer(c.samples, c.opts, c.key);
      if (c.expect) expect(schema).toEqual(c.expect);
      if (c.match) expect(schema).toMatchObject(c.match);
      for (const k of c.absent ?? []) expect(schema).not.toHaveProperty(k);
      expect(meta.validateSchema(schema), JSON.stringify(meta.errors)).toBe(true);
      // Discovery never invents a contract stricter than what it saw: every sample validates.
      const validate = ajv.compile(schema);
      for (const s of c.unread ? [] : c.samples) {
        if (s === undefined || typeof s === 'function' || (typeof s === 'number' && !Number.isFinite(s))) continue;
        expect(validate(s), `${JSON.stringify(s)}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    });
  }

  it('stats count nodes and values left out by the budget', () => {
    const b = new SchemaBuilder({ maxNodes: 2 }).add({ a: 1, b: 2 });
    expect(b.stats).toEqual({ samples: 1, nodes: 2, overBudget: 1 });
  });

  it('the defaults are the documented ones', () => {
    expect(SCHEMA_DEFAULTS).toEqual({ maxProperties: 200, maxEnumValues: 8, minEnumSamples: 20, maxDepth: 16, maxArrayItems: 50, maxExamples: 3, maxNodes: 10_000 });
  });

  it('memory is bounded: 20 000 samples of 1 000 names keep no more than the caps', () => {
    const b = new SchemaBuilder();
    for (let i = 0; i < 20_000; i++) b.add({ [`k${i % 1000}`]: `v${i}`, list: range(200, (j) => j) });
    const s = b.toSchema();
    expect(Object.keys(s.properties!)).toHaveLength(SCHEMA_DEFAULTS.maxProperties);
    expect(b.stats.nodes).toBeLessThanOrEqual(SCHEMA_DEFAULTS.maxProperties + 3);
    expect(s.properties!['list']).toMatchObject({ type: 'array', maxItems: 200, items: { type: 'integer', minimum: 0, maximum: 49 } });
  }, 60_000);
});

describe('merging', () => {
  const SETS: Array<{ name: string; a: unknown[]; b: unknown[]; opts?: SchemaOptions }> = [
    { name: 'scalars', a: [1, 2], b: [3.5, null] },
    { name: 'formats agree', a: ['2024-05-01'], b: ['2023-01-02'] },
    { name: 'formats disagree', a: ['2024-05-01'], b: ['ann@example.com'] },
    { name: 'objects and required', a: [{ id: 1, x: 'a' }], b: [{ id: 2 }, { id: 3, y: [1] }] },
    { name: 'enum built across both', a: range(10, (i) => STATUSES[i % 3]), b: range(10, (i) => STATUSES[(i + 1) % 3]) },
    { name: 'enum overflowing across both', a: range(20, (i) => `a${i % 5}`), b: range(20, (i) => `b${i % 5}`) },
    { name: 'unsafe value on one side', a: range(20, () => 'ok'), b: ['ann@example.com'] },
    { name: 'property cap across both', a: [{ a: 1, b: 1 }], b: [{ c: 1, d: 1 }, { a: 2 }], opts: { maxProperties: 3 } },
    { name: 'examples across both', a: ['x'], b: ['y', 'z', 'w'] },
    { name: 'nested arrays of objects', a: [{ items: [{ sku: 'A', qty: 1 }] }], b: [{ items: [] }, { items: [{ sku: 'B' }], more: true }] },
    { name: 'empty side', a: [], b: [{ a: 1 }] },
  ];
  for (const s of SETS) {
    it(`merging two builders equals adding all samples: ${s.name}`, () => {
      const a = new SchemaBuilder(s.opts);
      const b = new SchemaBuilder(s.opts);
      for (const v of s.a) a.add(v);
      for (const v of s.b) b.add(v);
      expect(a.merge(b).toSchema()).toEqual(infer([...s.a, ...s.b], s.opts));
    });
  }
});

describe('sensitive values never reach a schema', () => {
  const SECRET_SAMPLES: Array<{ name: string; values: unknown[]; key?: string; secret: string }> = [
    { name: 'e-mails', values: range(30, (i) => ['ann@example.com', 'bob@example.com'][i % 2]), secret: '@example.com' },
    { name: 'card numbers as strings', values: range(30, () => '4111 1111 1111 1111'), secret: '4111' },
    { name: 'card numbers as numbers', values: range(30, () => 4111111111111111), secret: '4111' },
    { name: 'JWTs', values: range(30, () => 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'), secret: 'eyJ' },
    { name: 'IBANs', values: range(30, () => 'DE89370400440532013000'), secret: 'DE89' },
    { name: 'phone numbers', values: range(30, () => '+44 20 7946 0958'), secret: '7946' },
    { name: 'AWS keys', values: range(30, () => 'AKIAIOSFODNN7EXAMPLE'), secret: 'AKIA' },
    { name: 'password under its name', values: range(30, () => 'hunter2'), key: 'password', secret: 'hunter2' },
    { name: 'SSN under its name', values: range(30, () => '078051120'), key: 'ssn', secret: '078051120' },
    { name: 'names under their name', values: range(30, (i) => ['Alice', 'Bob'][i % 2]), key: 'firstName', secret: 'Alice' },
    { name: 'api key under its name', values: range(30, () => 'abc'), key: 'api_key', secret: 'abc' },
    { name: 'opaque tokens', values: range(30, () => 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'), secret: 'sk_live' },
    { name: 'birth dates', values: range(30, () => '1984-03-02'), secret: '1984' },
    { name: 'free text', values: range(30, () => 'please call me back tomorrow'), secret: 'call me' },
  ];
  for (const s of SECRET_SAMPLES) {
    it(s.name, () => {
      const direct = infer(s.values, {}, s.key);
      const nested = infer(s.values.map((v) => ({ [s.key ?? 'value']: v, list: [{ [s.key ?? 'value']: v }] })));
      for (const schema of [direct, nested]) {
        expect(JSON.stringify(schema)).not.toContain(s.secret);
      }
      expect(direct).not.toHaveProperty('enum');
      expect(direct).not.toHaveProperty('examples');
    });
  }

  it('one sensitive value among safe ones removes the enum and examples', () => {
    const s = infer([...range(30, (i) => STATUSES[i % 3]), 'ann@example.com']);
    expect(s).not.toHaveProperty('enum');
    expect(s).not.toHaveProperty('examples');
  });

  it('safe values beside sensitive members are still shown', () => {
    const s = infer(range(30, (i) => ({ email: `u${i}@example.com`, status: STATUSES[i % 3] })));
    expect(s.properties!['status']).toMatchObject({ enum: STATUSES });
    expect(s.properties!['email']).toEqual({ type: 'string', format: 'email', minLength: 14, maxLength: 15 });
  });
});
