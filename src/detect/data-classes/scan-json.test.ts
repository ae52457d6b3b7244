import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_PATHS, maskJsonValue, scanJsonValue } from './scan-json.js';

const BIG = { maxNodes: 100_000 };

function deepFreeze<T>(v: T): T {
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x && typeof x === 'object' && !Object.isFrozen(x)) {
      Object.freeze(x);
      stack.push(...Object.values(x));
    }
  }
  return v;
}

const doc = () => ({
  user: { name: 'Jane', email: 'jane@example.org', phones: ['+44 20 7946 0958', 'n/a'] },
  payment: { card: 4111111111111111, amount: 12.5, currency: 'EUR', iban: 'DE89 3704 0044 0532 0130 00' },
  ids: [1700000000, 4155552671, 123456789],
  ok: true,
  note: null,
});

describe('scanJsonValue', () => {
  it('reports classes and JSON Pointer paths of strings and numbers, in document order', () => {
    const r = scanJsonValue(doc(), BIG);
    expect([...r.classes].sort()).toEqual(['email', 'iban', 'payment-card', 'phone']);
    expect(r.paths).toEqual([
      { path: '/user/email', cls: 'email' },
      { path: '/user/phones/0', cls: 'phone' },
      { path: '/payment/card', cls: 'payment-card' },
      { path: '/payment/iban', cls: 'iban' },
    ]);
    expect(r.truncated).toBe(false);
  });

  it('does not classify member names', () => {
    const r = scanJsonValue({ 'jane@example.org': 1, '4111111111111111': 'x' }, BIG);
    expect(r.classes.size).toBe(0);
    expect(r.paths).toEqual([]);
  });

  it('uses member names as context', () => {
    const r = scanJsonValue({ customerSSN: 78051120, bsn: '111222333', version: '1.2.3.4', server: '1.2.3.4', orderId: 78051120 }, BIG);
    expect(r.paths).toEqual([
      { path: '/customerSSN', cls: 'national-id' }, // a JSON number lost the leading zero of 078051120
      { path: '/bsn', cls: 'national-id' },
      { path: '/server', cls: 'ip-address' },
    ]);
  });

  it('finds an AWS secret access key in an STS-style response', () => {
    const sts = { Credentials: { AccessKeyId: 'ASIAY34FZKBOKMUTVV7A', SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', SessionToken: 'short' } };
    expect(scanJsonValue(sts, BIG).paths).toEqual([
      { path: '/Credentials/AccessKeyId', cls: 'cloud-secret' },
      { path: '/Credentials/SecretAccessKey', cls: 'cloud-secret' },
    ]);
  });

  it('looks only for the classes asked for', () => {
    const r = scanJsonValue(doc(), { ...BIG, classes: new Set(['email']) });
    expect([...r.classes]).toEqual(['email']);
    expect(r.paths).toEqual([{ path: '/user/email', cls: 'email' }]);
  });

  it('escapes member names in paths (RFC 6901) and reports a scalar root as ""', () => {
    expect(scanJsonValue({ 'a/b~c': ['jane@example.org'] }, BIG).paths).toEqual([{ path: '/a~1b~0c/0', cls: 'email' }]);
    expect(scanJsonValue('jane@example.org', BIG).paths).toEqual([{ path: '', cls: 'email' }]);
  });

  it('reports one path per value and class, and at most MAX_REPORTED_PATHS paths', () => {
    expect(scanJsonValue(['a@example.org b@example.org +1 415 555 2671'], BIG).paths).toEqual([
      { path: '/0', cls: 'email' },
      { path: '/0', cls: 'phone' },
    ]);
    const many = Array.from({ length: 120 }, (_, i) => `user${i}@example.org`);
    const r = scanJsonValue(many, BIG);
    expect(r.paths).toHaveLength(MAX_REPORTED_PATHS);
    expect(r.paths[49]).toEqual({ path: '/49', cls: 'email' });
    expect(r.truncated).toBe(false);
  });

  it('stops at maxNodes and says so', () => {
    const value = ['x', 'y', 'jane@example.org'];
    // The array and its first two items: the email is never reached.
    const capped = scanJsonValue(value, { maxNodes: 3 });
    expect(capped).toEqual({ classes: new Set(), paths: [], truncated: true });
    const enough = scanJsonValue(value, { maxNodes: 4 });
    expect(enough.truncated).toBe(false);
    expect([...enough.classes]).toEqual(['email']);
  });

  it('scans only maxStringLength characters of a string, and says so', () => {
    const s = `${'a '.repeat(50)}jane@example.org`;
    const r = scanJsonValue({ s }, { maxNodes: 10, maxStringLength: 50 });
    expect(r.classes.size).toBe(0);
    expect(r.truncated).toBe(true);
    expect(scanJsonValue({ s }, { maxNodes: 10 }).classes.has('email')).toBe(true);
  });

  it('walks 10 000 levels of nesting without recursion', () => {
    let v: unknown = 'jane@example.org';
    for (let i = 0; i < 10_000; i++) v = i % 2 ? [v] : { k: v };
    const r = scanJsonValue(v, { maxNodes: 20_000 });
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0]!.path.split('/')).toHaveLength(10_001);
    expect(r.truncated).toBe(false);
  });
});

describe('maskJsonValue', () => {
  it('masks matches inside strings and turns matching numbers into masked strings', () => {
    const input = deepFreeze(doc());
    const r = maskJsonValue(input, BIG);
    expect(r.value).toEqual({
      user: { name: 'Jane', email: '[email]', phones: ['[phone]', 'n/a'] },
      payment: { card: '************1111', amount: 12.5, currency: 'EUR', iban: '[iban]' },
      ids: [1700000000, 4155552671, 123456789],
      ok: true,
      note: null,
    });
    expect(r.masked.map((m) => m.path)).toEqual(['/user/email', '/user/phones/0', '/payment/card', '/payment/iban']);
    expect(r.truncated).toBe(false);
  });

  it('leaves the input untouched and returns new containers', () => {
    const input = doc();
    const before = structuredClone(input);
    const r = maskJsonValue(deepFreeze(input), BIG);
    expect(input).toEqual(before);
    expect(r.value).not.toBe(input);
    expect((r.value as { user: unknown }).user).not.toBe(input.user);
  });

  it('masks only the matched part of a string', () => {
    expect(maskJsonValue({ msg: 'mail jane@example.org or 4111-1111-1111-1111 now' }, BIG).value).toEqual({
      msg: 'mail [email] or ****-****-****-1111 now',
    });
  });

  it('keeps member order and a parsed "__proto__" member as an own property', () => {
    const input = JSON.parse('{"z":1,"__proto__":{"email":"jane@example.org"},"a":2}') as Record<string, unknown>;
    const out = maskJsonValue(input, BIG).value as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['z', '__proto__', 'a']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"z":1,"__proto__":{"email":"[email]"},"a":2}');
  });

  it('past maxNodes, returns the rest unscanned and says so', () => {
    const input = { a: 'jane@example.org', b: { c: 'john@example.org' }, d: ['x@example.org'] };
    const r = maskJsonValue(input, { maxNodes: 2 });
    expect(r.truncated).toBe(true);
    expect(r.value).toEqual({ a: '[email]', b: { c: 'john@example.org' }, d: ['x@example.org'] });
    expect(r.masked).toEqual([{ path: '/a', cls: 'email' }]);
  });

  it('masks at the bottom of 10 000 levels of nesting', () => {
    let v: unknown = 'jane@example.org';
    for (let i = 0; i < 10_000; i++) v = [v];
    let out = maskJsonValue(v, { maxNodes: 20_000 }).value;
    for (let i = 0; i < 10_000; i++) out = (out as unknown[])[0];
    expect(out).toBe('[email]');
  });

  it('handles scalars, bigints and empty containers', () => {
    expect(maskJsonValue(4111111111111111n, BIG).value).toBe('************1111');
    expect(maskJsonValue(42, BIG).value).toBe(42);
    expect(maskJsonValue(null, BIG).value).toBe(null);
    expect(maskJsonValue({ a: [], b: {} }, BIG).value).toEqual({ a: [], b: {} });
  });
});
