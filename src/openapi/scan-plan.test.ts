import { describe, expect, it } from 'vitest';
import type { JsonObject } from './load.js';
import { compileScanPlan, memberPlan, SCAN_ALL, SCAN_NONE } from './scan-plan.js';

const doc = {
  components: {
    schemas: {
      Status: { type: 'string', enum: ['open', 'closed'] },
      Alias: { $ref: '#/components/schemas/Status' },
      Node: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, child: { $ref: '#/components/schemas/Node' } } },
    },
  },
} as unknown as JsonObject;
const plan = (s: unknown) => compileScanPlan(s, doc);

describe('scan plans', () => {
  it('pins enums, constants, non-text types and reference chains to them', () => {
    expect(plan({ type: 'string', enum: ['a'] })).toBe(SCAN_NONE);
    expect(plan({ const: 'x' })).toBe(SCAN_NONE);
    expect(plan({ type: ['integer', 'null'] })).toBe(SCAN_NONE);
    expect(plan({ type: 'boolean' })).toBe(SCAN_NONE);
    expect(plan(false)).toBe(SCAN_NONE);
    expect(plan({ $ref: '#/components/schemas/Alias', description: 'an annotation beside a reference changes nothing' })).toBe(SCAN_NONE);
  });

  it('pins safe formats always and e-mail addresses only in their plain form', () => {
    expect(plan({ type: 'string', format: 'uuid' }).pinString?.('anything')).toBe(true);
    const email = plan({ type: 'string', format: 'email' }).pinString!;
    expect(email('first.last+tag@example.com')).toBe(true);
    expect(email("x'or'1'='1@example.com")).toBe(false);
    expect(email('a|id@example.com')).toBe(false);
    expect(plan({ type: 'string', format: 'uri' }).pinString).toBeUndefined();
    expect(plan({ type: 'string', pattern: '^[a-z]+$' }).pinString).toBeUndefined();
  });

  it('declares member names only of closed objects, and plans each member', () => {
    const closed = plan({ type: 'object', additionalProperties: false, properties: { s: { $ref: '#/components/schemas/Status' }, t: { type: 'string' } } });
    expect(closed.keysDeclared).toBe(true);
    expect(memberPlan(closed, 's')).toBe(SCAN_NONE);
    expect(memberPlan(closed, 't').pinString).toBeUndefined();
    expect(plan({ type: 'object', unevaluatedProperties: false, properties: {} }).keysDeclared).toBe(true);
    const open = plan({ type: 'object', properties: { s: { type: 'integer' } } });
    expect(open.keysDeclared).toBe(false);
    expect(memberPlan(open, 'other')).toBe(SCAN_ALL);
    const map = plan({ type: 'object', additionalProperties: { type: 'integer' } });
    expect([map.keysDeclared, memberPlan(map, 'any')]).toEqual([false, SCAN_NONE]);
    expect(plan({ type: 'object', additionalProperties: false, patternProperties: { '^x-': {} } }).keysDeclared).toBe(false);
  });

  it('plans array items, and an untyped schema scans strings even where it describes an object', () => {
    expect(plan({ type: 'array', items: { type: 'integer' } }).items).toBe(SCAN_NONE);
    const untyped = plan({ properties: { a: { type: 'integer' } }, additionalProperties: false });
    expect(untyped.pinString).toBeUndefined();
    expect(untyped.keysDeclared).toBe(true);
    // Typed as a string only: an object or array there is invalid, so nothing below needs a look.
    const s = plan({ type: 'string' });
    expect([s.keysDeclared, s.items]).toEqual([true, SCAN_NONE]);
  });

  it('scans in full what it does not model: composition, conditionals, references with assertions beside them', () => {
    for (const s of [
      { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'integer' }] },
      { allOf: [{ $ref: '#/components/schemas/Status' }] },
      { type: 'object', additionalProperties: false, if: { required: ['a'] }, then: { properties: { b: {} } } },
      { $ref: '#/components/schemas/Status', maxLength: 3 },
      { type: 'array', prefixItems: [{ type: 'integer' }] },
      true,
    ]) expect(plan(s)).toBe(SCAN_ALL);
  });

  it('compiles recursive schemas without looping (the recursion is scanned in full)', () => {
    const node = plan({ $ref: '#/components/schemas/Node' });
    expect(node.keysDeclared).toBe(true);
    const child = memberPlan(node, 'child');
    expect(child === SCAN_ALL || child === node).toBe(true);
  });
});
