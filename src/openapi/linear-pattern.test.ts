import { describe, expect, it } from 'vitest';
import { isLinearTimePattern } from './linear-pattern.js';

describe('isLinearTimePattern', () => {
  it.each([
    '^[A-Z]{3}-[0-9]{6}$',
    '^[a-z0-9_-]+$',
    '^\\d{4}-\\d{2}-\\d{2}$',
    '^\\d+\\.\\d+$',
    '^[A-Za-z]+ [A-Za-z]+$',
    '^v\\d+$',
    '^\\+?[0-9]{7,15}$',
    '^[^/]+/[^/]+$',
    '^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$',
    '^.{1,64}$',
    '^\\S+$',
    '^[\\u0041-\\u005A]+$',
    '^[\\u{1F600}-\\u{1F64F}]*$',
    '^a*?b$',
    '^[0-9]*\\.[0-9]*$',
    '^x?y?z?$',
    '^\\$[0-9]+$',
  ])('accepts the unambiguous %s', (p) => {
    expect(isLinearTimePattern(p)).toBe(true);
  });

  it.each([
    ['unanchored', '[a-z]+'],
    ['unanchored with end anchor', 'a+$'],
    ['nested quantifier', '^(a+)+$'],
    ['alternation', '^(a|b)$'],
    ['overlapping alternation', '^(a|a)*$'],
    ['adjacent overlapping repetitions', '^\\d*\\d*\\d*$'],
    ['repetition then overlapping fixed atom', '^\\w+\\d$'],
    ['overlap through optional atoms', '^a*b?c?a$'],
    ['word vs hyphenated word', '^[a-z-]+-[a-z]+$'],
    ['dot followed by anything', '^.*x$'],
    ['backreference', '^(a)\\1$'],
    ['lookahead', '^(?=a)a$'],
    ['word boundary', '^a\\b$'],
    ['unicode property', '^\\p{L}+$'],
    ['double quantifier', '^a**$'],
    ['group even without quantifier', '^(?:ab)$'],
    ['invalid under u', '^\\a$'],
    ['empty class', '^[]$'],
    ['inner anchor', '^a$b'],
  ])('refuses %s: %s', (_why, p) => {
    expect(isLinearTimePattern(p)).toBe(false);
  });

  it('accepted patterns stay fast on their worst inputs', () => {
    // A sanity check of the claim, not a timing test: each accepted pattern against a long
    // near-miss input completes (a backtracking blow-up would hang here instead).
    for (const p of ['^\\d+\\.\\d+$', '^[a-z0-9_-]+$', '^[^/]+/[^/]+$', '^[0-9]*\\.[0-9]*$']) {
      expect(isLinearTimePattern(p)).toBe(true);
      expect(new RegExp(p, 'u').test(`${'1'.repeat(50_000)}!`)).toBe(false);
    }
  });
});
