import { describe, expect, it } from 'vitest';
import { isPollutionKey, pollutesObject, protoPollution } from './index.js';

describe('prototype pollution keys', () => {
  it.each([
    '__proto__', '__proto__[admin]', '__proto__.admin', 'a[__proto__][b]', 'a.__proto__', 'x.__proto__.y', '["__proto__"]', "['__proto__'][k]",
    '__proto__[]', 'list[0][__proto__][x]', '?__proto__[k]=v', 'a=1&__proto__.k=v', 'constructor[prototype]', 'constructor.prototype',
    'constructor[prototype][isAdmin]', 'x[constructor][prototype][y]', '["constructor"]["prototype"]', 'a.constructor.prototype.b',
    '{"__proto__":{"k":1}}', '{"constructor": {"prototype": {"k": 1}}}', "{'constructor':{'prototype':{}}}", 'x[prototype][y]',
  ])('%s is flagged', (v) => {
    const d = protoPollution.detect(v);
    expect(d).toBeDefined();
    expect(d!.detector).toBe('prototype-pollution');
    expect(d!.fragment.length).toBeLessThanOrEqual(64);
  });

  it.each([
    'constructor', 'the constructor was called', 'proto', 'protocol', 'proto_field', 'prototype', 'a prototype of the product', 'prototypes',
    '__PROTO__', '_proto_', '__proto', 'proto__', 'my__proto__name', 'protoPollution', 'constructorName', 'prototype.js', 'Object prototype',
    'read about the __proto__ accessor here', '{"constructor": "Ada"}', '{"prototype": 1}', 'filter[proto]', 'constructor[name]',
  ])('%s is benign', (v) => {
    expect(protoPollution.detect(v)).toBeUndefined();
  });

  it('isPollutionKey: __proto__ and path-shaped names; a bare constructor needs its value', () => {
    expect(isPollutionKey('__proto__')).toBe(true);
    expect(isPollutionKey('__proto__.isAdmin')).toBe(true);
    expect(isPollutionKey('constructor.prototype')).toBe(true);
    expect(isPollutionKey('constructor')).toBe(false);
    expect(isPollutionKey('prototype')).toBe(false);
    expect(isPollutionKey('proto')).toBe(false);
    expect(isPollutionKey('name')).toBe(false);
  });

  it('flags a 1 MB value only when it carries a key, in bounded time', () => {
    const filler = 'proto constructor prototype a.b[c] '.repeat(30000);
    expect(filler.length).toBeGreaterThan(1_000_000);
    const t0 = Date.now();
    expect(protoPollution.detect(filler)).toBeUndefined();
    expect(protoPollution.detect(`${filler}&__proto__[x]=1`)?.reason).toBe('proto-key');
    expect(protoPollution.detect('"constructor":{'.repeat(70000))).toBeUndefined();
    expect(protoPollution.detect(`constructor${' '.repeat(1_000_000)}x prototype`)).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('pollutesObject', () => {
  it.each([
    [JSON.parse('{"__proto__": {"admin": true}}'), '$.__proto__'],
    [JSON.parse('{"a": {"b": {"__proto__": {"x": 1}}}}'), '$.a.b.__proto__'],
    [JSON.parse('[1, {"k": [{"__proto__": {}}]}]'), '$[1].k[0].__proto__'],
    [JSON.parse('{"constructor": {"prototype": {"admin": true}}}'), '$.constructor.prototype'],
    [JSON.parse('{"user": {"constructor": {"prototype": 1}}}'), '$.user.constructor.prototype'],
    [JSON.parse('{"a": {"__proto__.polluted": 1}}'), '$.a.__proto__.polluted'],
  ])('finds %j at %s', (value, path) => {
    expect(pollutesObject(value)).toEqual({ path });
  });

  it.each([
    [{ constructor: 'Ada' }], [{ constructor: { name: 'x' } }], [{ prototype: { a: 1 } }], [{ proto: 1 }], [[1, 2, 'three']], ['__proto__'], [null], [42],
    [JSON.parse('{"a": [{"b": {"c": "__proto__"}}]}')],
  ])('%j is clean', (value) => {
    expect(pollutesObject(value)).toBeUndefined();
  });

  it('is bounded: past maxNodes it stops looking', () => {
    const items: unknown[] = Array.from({ length: 20000 }, (_, i) => ({ i }));
    items[0] = JSON.parse('{"__proto__": {}}');
    const wide = { items };
    expect(pollutesObject(wide)).toBeUndefined();
    expect(pollutesObject(wide, 100000)).toEqual({ path: '$.items[0].__proto__' });
    let deep: unknown = JSON.parse('{"__proto__": {}}');
    for (let i = 0; i < 50000; i++) deep = { n: deep };
    expect(pollutesObject(deep)).toBeUndefined(); // 50k levels > 10k nodes, and no recursion to overflow
    expect(pollutesObject(deep, 60000)?.path.endsWith('.n.__proto__')).toBe(true);
  });
});
