import { describe, expect, it } from 'vitest';
import { confidence, MAX_SAMPLES } from './evidence.js';
import { templatePaths, TEMPLATING_DEFAULTS } from './templating.js';
import { range, token, USER_NAMES, uuid } from './fixtures.js';

const one = (paths: Parameters<typeof templatePaths>[0], template: string) => {
  const t = templatePaths(paths).templates.find((x) => x.template === template);
  if (!t) throw new Error(`no ${template}`);
  return t;
};

describe('parameter evidence', () => {
  it('a lone id is less certain than many', () => {
    const lone = one(['/orders/8812'], '/orders/{orderId}');
    const many = one(range(40, (i) => `/orders/${i + 1}`), '/orders/{orderId}');
    expect(lone.confidence).toBeLessThan(many.confidence);
    expect(lone.params[0]!.distinct).toBe(1);
    expect(many.params[0]!.distinct).toBe(40);
    expect(lone.params[0]!.reason).toContain('one value');
  });

  it('words merged by cardinality are less certain than ids', () => {
    const names = one(USER_NAMES.slice(0, 12).map((u) => `/users/${u}`), '/users/{userName}');
    const ids = one(range(12, (i) => `/users/${i + 1}`), '/users/{userId}');
    expect(names.confidence).toBeLessThan(ids.confidence);
    expect(names.params[0]!.rule).toBe('cardinality');
    expect(names.params[0]!.kind).toBe('word');
  });

  it('reports type agreement and lowers confidence when kinds disagree', () => {
    const mixed = one(['/items/1', '/items/2', '/items/3', `/items/${uuid(1)}`], '/items/{itemId}');
    const p = mixed.params[0]!;
    expect(p.kind).toBe('integer');
    expect(p.kinds).toEqual({ integer: 0.75, uuid: 0.25 });
    expect(p.agreement).toBe(0.75);
    const pure = one(['/items/1', '/items/2', '/items/3', '/items/4'], '/items/{itemId}');
    expect(mixed.confidence).toBeLessThan(pure.confidence);
  });

  it('names the literal siblings kept beside a parameter', () => {
    const t = one(['/users/me', '/users/search', '/users/42', '/users/43'], '/users/{userId}');
    expect(t.params[0]!.literalSiblings).toEqual(['me', 'search']);
    expect(t.params[0]!.reason).toContain('kept literal: me, search');
  });

  it('caps samples, most seen first', () => {
    const t = one(range(20, (i) => ({ path: `/orders/${i + 1}`, count: i + 1 })), '/orders/{orderId}');
    expect(t.params[0]!.samples).toEqual(['20', '19', '18', '17', '16']);
    expect(t.params[0]!.samples.length).toBe(MAX_SAMPLES);
  });

  it('masks tokens, hashes and e-mails in samples and examples', () => {
    const tk = token(3, 40);
    const t = one([`/reset/${tk}`], '/reset/{resetId}');
    expect(t.params[0]!.samples).toEqual(['[token]']);
    expect(t.examples).toEqual(['/reset/[token]']);
    const e = one(['/users/jane%40example.com?sig=secret'], '/users/{email}');
    expect(e.params[0]!.samples).toEqual(['[email]']);
    expect(e.examples).toEqual(['/users/[email]']);
    expect(JSON.stringify(templatePaths([`/reset/${tk}`, '/users/jane@example.com']))).not.toMatch(new RegExp(`${tk}|jane`));
  });

  it('counts distinct values up to the cap and says so', () => {
    const t = one(range(10_000, (i) => `/orders/${i + 1}`), '/orders/{orderId}');
    const p = t.params[0]!;
    expect(p.distinctCapped).toBe(true);
    expect(p.distinct).toBe(TEMPLATING_DEFAULTS.maxDistinctPerPosition);
    expect(p.rule).toBe('overflow');
    expect(t.count).toBe(10_000);
    expect(p.kinds).toEqual({ integer: 1 });
  });

  it('confidence rises with cardinality and stays within 0..1', () => {
    let prev = 0;
    for (const d of [1, 2, 5, 20, 1000, 1e9]) {
      const c = confidence('integer', d, 1);
      expect(c).toBeGreaterThanOrEqual(prev);
      expect(c).toBeLessThanOrEqual(0.99);
      prev = c;
    }
    expect(confidence('word', 1, 0)).toBeGreaterThan(0);
  });
});

describe('templatePaths: counts, methods, stats and bounds', () => {
  it('sums counts and methods per template', () => {
    const r = templatePaths([
      { path: '/orders/1', method: 'get', count: 3 },
      { path: '/orders/2', method: 'POST', count: 2 },
      { path: '/orders/3/', method: 'GET' },
    ]);
    expect(r.templates).toHaveLength(1);
    const t = r.templates[0]!;
    expect(t.count).toBe(6);
    expect(t.methods).toEqual({ GET: 4, POST: 2 });
    expect(t.trailingSlash).toBe(1);
    expect(t.examples).toEqual(['/orders/1', '/orders/2', '/orders/3']);
  });

  it('skips what it cannot read and says why', () => {
    const r = templatePaths([
      { path: '/a', count: 0 }, { path: '/a', count: -1 }, { path: '/a', count: 1.5 }, { path: 'a' },
      `/${'x'.repeat(TEMPLATING_DEFAULTS.maxPathLength)}`, '/x'.repeat(TEMPLATING_DEFAULTS.maxSegments + 1), '/ok',
    ]);
    expect(r.templates.map((t) => t.template)).toEqual(['/ok']);
    expect(r.stats.skipped).toEqual({ invalid: 4, tooLong: 1, tooManySegments: 1, overLimit: 0 });
    expect(r.stats.processed).toBe(1);
    expect(r.stats.truncated).toBe(false);
  });

  it('stops at maxPaths and reports truncation', () => {
    const r = templatePaths(range(10, (i) => `/orders/${i}`), { maxPaths: 5 });
    expect(r.stats.processed).toBe(5);
    expect(r.stats.truncated).toBe(true);
    expect(r.templates[0]!.count).toBe(5);
  });

  it('stops reading an endless source at the bound', () => {
    function* endless() {
      for (let i = 0; ; i++) yield `/orders/${i}`;
    }
    const r = templatePaths(endless(), { maxPaths: 1000 });
    expect(r.stats.processed).toBe(1000);
    expect(r.stats.observations).toBe(1001);
  });

  it('stops at maxNodes', () => {
    const r = templatePaths(range(100, (i) => `/a${i}/b${i}`), { maxNodes: 21 });
    expect(r.stats.processed).toBe(10);
    expect(r.stats.truncated).toBe(true);
  });

  it('is deterministic', () => {
    const paths = [...range(50, (i) => `/users/${uuid(i)}/orders/${i}`), '/users/me', ...USER_NAMES.map((u) => `/tags/${u}`)];
    expect(JSON.stringify(templatePaths(paths))).toBe(JSON.stringify(templatePaths(paths)));
  });

  it('keeps per-position tracking bounded on 10 000 distinct ids under 10 000 distinct parents', () => {
    const r = templatePaths(range(10_000, (i) => `/users/${i}/orders/${i * 3 + 1}`));
    expect(r.templates.map((t) => t.template)).toEqual(['/users/{userId}/orders/{orderId}']);
    for (const p of r.templates[0]!.params) {
      expect(p.distinct).toBeLessThanOrEqual(TEMPLATING_DEFAULTS.maxDistinctPerPosition);
      expect(p.samples.length).toBeLessThanOrEqual(MAX_SAMPLES);
    }
  });
});
