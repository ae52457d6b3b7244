import { describe, expect, it } from 'vitest';
import { parseQuery } from './query.js';

type Params = [string, string[]][];

const accepted: [raw: string, params: Params][] = [
  ['', []],
  ['a=1', [['a', ['1']]]],
  ['a=1&b=2', [['a', ['1']], ['b', ['2']]]],
  ['fields=name&fields=password', [['fields', ['name', 'password']]]],
  ['a=1&b=2&a=3', [['a', ['1', '3']], ['b', ['2']]]],
  // Empty pairs are skipped.
  ['a=1&&b=2', [['a', ['1']], ['b', ['2']]]],
  ['&a=1&', [['a', ['1']]]],
  ['&&&', []],
  // Keys without '=' have the empty value; '=' only splits once.
  ['flag', [['flag', ['']]]],
  ['flag&x=1', [['flag', ['']], ['x', ['1']]]],
  ['a=', [['a', ['']]]],
  ['=v', [['', ['v']]]],
  ['=', [['', ['']]]],
  ['a=b=c', [['a', ['b=c']]]],
  ['a==', [['a', ['=']]]],
  // Brackets and dots are literal key text (no qs-style objects).
  ['user[role]=admin', [['user[role]', ['admin']]]],
  ['a[]=1&a[]=2', [['a[]', ['1', '2']]]],
  ['a.b=1', [['a.b', ['1']]]],
  ['user%5Brole%5D=admin', [['user[role]', ['admin']]]],
  // '+' is a space, '%2B' a plus.
  ['q=a+b', [['q', ['a b']]]],
  ['q=a%2Bb', [['q', ['a+b']]]],
  ['first+name=x', [['first name', ['x']]]],
  ['q=+', [['q', [' ']]]],
  ['q=%20', [['q', [' ']]]],
  // Percent-decoding, including encoded separators as data.
  ['q=hello%20world', [['q', ['hello world']]]],
  ['q=%26%3D%3F%23', [['q', ['&=?#']]]],
  ['q=a%3Bb', [['q', ['a;b']]]],
  ['q=%25', [['q', ['%']]]],
  ['q=%2525', [['q', ['%25']]]],
  ['q=%41%62', [['q', ['Ab']]]],
  ['q=%c3%a9', [['q', ['é']]]],
  ['q=caf%C3%A9', [['q', ['café']]]],
  ['q=%E2%82%AC', [['q', ['€']]]],
  ['q=%F0%9F%98%80', [['q', ['\u{1f600}']]]],
  ['q=%F4%8F%BF%BF', [['q', ['\u{10ffff}']]]],
  ['q=%EF%BB%BF', [['q', ['\ufeff']]]],
  ['%C3%A9=1', [['é', ['1']]]],
  // Encoded controls other than NUL are data (textarea newlines).
  ['text=a%0D%0Ab', [['text', ['a\r\nb']]]],
  ['text=%09%7F', [['text', ['\t\x7f']]]],
  // Raw characters that are harmless here.
  ['path=/a/../b', [['path', ['/a/../b']]]],
  ['next=//evil', [['next', ['//evil']]]],
  ['q=?x', [['q', ['?x']]]],
  ["s=!$'()*,:@~-._", [['s', ["!$'()*,:@~-._"]]]],
  ['q={"a":1}', [['q', ['{"a":1}']]]],
  ['q=a|b^c`d\\e', [['q', ['a|b^c`d\\e']]]],
  ['q=#x', [['q', ['#x']]]],
  ['?a=1', [['?a', ['1']]]],
];

const rejected: [raw: string, reason: RegExp][] = [
  ['fields=name;fields=password', /`;` in query is ambiguous/],
  ['a=1;b=2', /`;`/],
  [';', /`;`/],
  ['a;b=1', /`;`/],
  ['q=%', /malformed percent-encoding/],
  ['q=%2', /malformed/],
  ['q=%ZZ', /malformed/],
  ['q=%%41', /malformed/],
  ['q=%2&x=1', /malformed/],
  ['%G1=1', /malformed/],
  ['q=%00', /encoded NUL/],
  ['q=a%00b', /NUL/],
  ['%00=1', /NUL/],
  ['q=%C0%AE', /UTF-8/],
  ['q=%C1%81', /UTF-8/],
  ['q=%E0%80%AF', /UTF-8/],
  ['q=%ED%A0%80', /UTF-8/],
  ['q=%ED%BF%BF', /UTF-8/],
  ['q=%F4%90%80%80', /UTF-8/],
  ['q=%F8%88%80%80%80', /UTF-8/],
  ['q=%FF', /UTF-8/],
  ['q=%80', /UTF-8/],
  ['q=%C3', /UTF-8/],
  ['q=%C3x', /UTF-8/],
  ['q=%C3%C3', /UTF-8/],
  ['q=%E0%A4%A', /malformed/],
  ['q=%E2%82', /UTF-8/],
  ['q=%C3&x=%A9', /UTF-8/],
  ['q=a\x00b', /control character/],
  ['q=a\nb', /control/],
  ['q=a\tb', /control/],
  ['q=a\x7fb', /control/],
  ['a\rb=1', /control/],
  ['q=caf\u00e9', /raw non-ASCII/],
  ['q=\u00c3\u00a9', /non-ASCII/],
  ['q=\ud800', /non-ASCII/],
];

const asObject = (m: Map<string, string[]>): Params => [...m.entries()];

describe('parseQuery accepts', () => {
  it.each(accepted)('%j', (raw, params) => {
    const r = parseQuery(raw);
    expect(r.ok).toBe(true);
    if (r.ok) expect(asObject(r.params)).toEqual(params);
  });
});

describe('parseQuery rejects', () => {
  it.each(rejected)('%j', (raw, reason) => {
    const r = parseQuery(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('parseQuery options', () => {
  const many = (n: number): string => Array.from({ length: n }, (_, i) => `a=${i}`).join('&');

  const rows: [name: string, raw: string, opts: Parameters<typeof parseQuery>[1], ok: boolean][] = [
    ['100 params (default limit)', many(100), undefined, true],
    ['101 params', many(101), undefined, false],
    ['10000 params (F15)', many(10_000), undefined, false],
    ['empty pairs do not count', many(100) + '&&&&', undefined, true],
    ['custom limit', many(3), { maxParams: 3 }, true],
    ['custom limit exceeded', many(4), { maxParams: 3 }, false],
    ['limit 0 allows only empty input', '', { maxParams: 0 }, true],
    ['limit 0', 'a', { maxParams: 0 }, false],
    ['form body', 'name=J+Doe&email=j%40example.com', { form: true }, true],
  ];

  it.each(rows)('%s', (_name, raw, opts, ok) => {
    expect(parseQuery(raw, opts).ok).toBe(ok);
  });

  it('names the limit and the source in errors', () => {
    expect(parseQuery(many(101))).toEqual({ ok: false, reason: 'more than 100 parameters in query' });
    expect(parseQuery('a=%zz', { form: true })).toEqual({ ok: false, reason: 'malformed percent-encoding in form body' });
  });

  it('decodes like URLSearchParams on valid input', () => {
    const samples = ['a=1&b=2&a=3', 'q=a+b%2Bc', 'x=%E2%82%AC&y', 'k%20=v%3D', 'a=b=c&&=z', 'user[role]=x'];
    for (const raw of samples) {
      const r = parseQuery(raw);
      if (!r.ok) throw new Error(raw);
      const expected = new Map<string, string[]>();
      for (const [k, v] of new URLSearchParams(raw)) expected.set(k, [...(expected.get(k) ?? []), v]);
      expect(r.params).toEqual(expected);
    }
  });

  it('never throws on hostile input', () => {
    const alphabet = ['a', '=', '&', '%', 'C', '3', 'A', 'e', 'F', '0', '+', ';', '\x00', '\u00e9'];
    let seed = 3;
    for (let n = 0; n < 5000; n++) {
      let s = '';
      for (let k = n % 20; k > 0; k--) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        s += alphabet[seed % alphabet.length];
      }
      const r = parseQuery(s);
      if (r.ok) {
        for (const [k, vs] of r.params) for (const x of [k, ...vs]) expect(x).not.toMatch(/[\x00;\ufffd]/);
      } else {
        expect(r.reason.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('parseQuery keepNul', () => {
  it('decodes %00 to U+0000 and reports it, in keys and values', () => {
    expect(parseQuery('q=%3Cscr%00ipt%3E&x=1', { keepNul: true })).toEqual({ ok: true, nul: true, params: new Map([['q', ['<scr\0ipt>']], ['x', ['1']]]) });
    expect(parseQuery('%00k=v', { keepNul: true })).toEqual({ ok: true, nul: true, params: new Map([['\0k', ['v']]]) });
  });

  it('says nothing when there is no NUL, and still refuses NUL without the option', () => {
    expect(parseQuery('q=a+b%2500&x=%01', { keepNul: true })).toEqual({ ok: true, params: new Map([['q', ['a b%00']], ['x', ['\x01']]]) });
    expect(parseQuery('q=a%00b')).toEqual({ ok: false, reason: 'encoded NUL in query' });
  });

  it('keeps every other refusal: a later malformed escape, `;`, a raw NUL, bad UTF-8', () => {
    for (const raw of ['q=%00&x=%zz', 'q=%00;x=1', 'q=%00\x00', 'q=%00%C3%28']) expect(parseQuery(raw, { keepNul: true }).ok, raw).toBe(false);
  });
});
