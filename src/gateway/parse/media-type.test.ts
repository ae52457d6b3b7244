import { describe, expect, it } from 'vitest';
import { isAllowedCharset, isJsonMediaType, parseMediaType } from './media-type.js';

const accepted: [header: string, type: string, params: [string, string][]][] = [
  ['application/json', 'application/json', []],
  ['application/json; charset=utf-8', 'application/json', [['charset', 'utf-8']]],
  ['application/json;charset=utf-8', 'application/json', [['charset', 'utf-8']]],
  ['application/json ; charset=utf-8', 'application/json', [['charset', 'utf-8']]],
  ['application/json;\tcharset=utf-8', 'application/json', [['charset', 'utf-8']]],
  // E12: type and parameter names are case-insensitive, values keep their case.
  ['Application/JSON; Charset="UTF-8"', 'application/json', [['charset', 'UTF-8']]],
  ['APPLICATION/VND.API+JSON', 'application/vnd.api+json', []],
  ['multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW', 'multipart/form-data', [['boundary', '----WebKitFormBoundary7MA4YWxkTrZu0gW']]],
  ['multipart/form-data; boundary="a b:c?d"', 'multipart/form-data', [['boundary', 'a b:c?d']]],
  ['multipart/form-data; boundary=AbC', 'multipart/form-data', [['boundary', 'AbC']]],
  ['text/plain; a=1; b=2', 'text/plain', [['a', '1'], ['b', '2']]],
  ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', []],
  ['application/merge-patch+json', 'application/merge-patch+json', []],
  ["a/b; x=!#$%&'*+-.^_`|~09AZaz", 'a/b', [['x', "!#$%&'*+-.^_`|~09AZaz"]]],
  // Quoted strings: quoted-pairs are unescaped; ';', ',' and '=' are data inside quotes.
  ['a/b; x="1;2,3=4"', 'a/b', [['x', '1;2,3=4']]],
  ['a/b; x="q\\"uote\\\\d"', 'a/b', [['x', 'q"uote\\d']]],
  ['a/b; x="\\a"', 'a/b', [['x', 'a']]],
  ['a/b; x=""', 'a/b', [['x', '']]],
  ['a/b; x="\t"', 'a/b', [['x', '\t']]],
  ['a/b; x="(comment)"', 'a/b', [['x', '(comment)']]],
  // Empty parameters and trailing OWS (RFC 9110).
  ['application/json;', 'application/json', []],
  ['application/json; ', 'application/json', []],
  ['application/json;;charset=utf-8', 'application/json', [['charset', 'utf-8']]],
  ['application/json ', 'application/json', []],
  ['application/json\t', 'application/json', []],
  ['application/json; charset=utf-8 ', 'application/json', [['charset', 'utf-8']]],
  ['*/*', '*/*', []],
];

const rejected: [header: string | undefined, reason: RegExp][] = [
  [undefined, /missing/],
  ['', /empty/],
  // E13: leading whitespace.
  ['\tmultipart/form-data; boundary=x', /leading whitespace/],
  [' application/json', /leading whitespace/],
  // E11.
  ['application/json, text/plain', /list/],
  ['application/json,text/plain', /list/],
  ['application/json; charset=utf-8, text/plain', /list/],
  ['application', /missing subtype/],
  ['application/', /missing subtype/],
  ['application/;charset=utf-8', /missing subtype/],
  ['/json', /invalid character/],
  ['application json', /invalid character/],
  ['application/json/x', /invalid character/],
  ['application/json x', /invalid character/],
  ['application/json charset=utf-8', /invalid character/],
  ['application/j(son)', /invalid character/],
  ['"application/json"', /invalid character/],
  ['application/json;charset', /without value/],
  ['application/json;charset=', /without value/],
  ['application/json;charset=;', /invalid character/],
  ['application/json; charset = utf-8', /whitespace before '='/],
  ['application/json; charset= utf-8', /whitespace after '='/],
  ['application/json; =utf-8', /invalid character/],
  ['application/json; charset=utf 8', /invalid character/],
  ['application/json; charset=utf-8"', /invalid character/],
  // E13: duplicates and RFC 2231.
  ['multipart/form-data; boundary=a; boundary=b', /duplicate/],
  ['multipart/form-data; boundary=a; BOUNDARY=b', /duplicate/],
  ['application/json; charset=utf-8; charset=utf-8', /duplicate/],
  ['multipart/form-data; boundary*0=re;boundary*1=al', /RFC 2231/],
  ["multipart/form-data; boundary*=utf-8''real", /RFC 2231/],
  ['text/plain; charset*=utf-8', /RFC 2231/],
  ['text/plain; *=x', /RFC 2231/],
  // Control and non-ASCII characters.
  ['application/json\x00', /control/],
  ['application/js\x00on', /control/],
  ['\x00application/json', /control/],
  ['application/json; charset=utf-8\x00', /control/],
  ['application/json; x="a\x00b"', /control/],
  ['application/json; x="a\\\x00"', /control/],
  ['application/json\r\nX: y', /control/],
  ['application/json; x="\x7f"', /control/],
  ['application/jsön', /non-ASCII/],
  ['application/json; x="é"', /non-ASCII/],
  // Quoted-string errors.
  ['application/json; x="abc', /unterminated/],
  ['application/json; x="abc\\', /unterminated/],
  ['application/json; x="a"b', /invalid character/],
];

describe('parseMediaType accepts', () => {
  it.each(accepted)('%j', (header, type, params) => {
    expect(parseMediaType(header)).toEqual({ ok: true, type, params: new Map(params) });
  });
});

describe('parseMediaType rejects', () => {
  it.each(rejected)('%j', (header, reason) => {
    const r = parseMediaType(header);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('isAllowedCharset', () => {
  const rows: [header: string, allowed: boolean][] = [
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['application/json; charset=UTF-8', true],
    ['application/json; Charset="Utf-8"', true],
    ['application/json; charset=us-ascii', true],
    ['application/json; charset=US-ASCII', true],
    ['application/json; boundary=utf-7', true],
    ['application/json; charset=utf-7', false],
    ['application/x-www-form-urlencoded; charset=ibm037', false],
    ['application/json; charset=utf8', false],
    ['application/json; charset=utf-16', false],
    ['application/json; charset=iso-8859-1', false],
    ['application/json; charset=""', false],
    ['application/json; charset="utf-8 "', false],
  ];
  it.each(rows)('%j → %s', (header, allowed) => {
    const r = parseMediaType(header);
    if (!r.ok) throw new Error(r.reason);
    expect(isAllowedCharset(r.params)).toBe(allowed);
  });
});

describe('isJsonMediaType', () => {
  const rows: [type: string, json: boolean][] = [
    ['application/json', true],
    ['application/problem+json', true],
    ['application/merge-patch+json', true],
    ['application/json-patch+json', true],
    ['application/vnd.api+json', true],
    ['application/x+json', true],
    ['Application/JSON', true],
    ['application/+json', false],
    ['application/jsonp', false],
    ['application/json5', false],
    ['application/x-json', false],
    ['application/json+xml', false],
    ['application/ld+json2', false],
    ['text/json', false],
    ['text/x+json', false],
    ['json', false],
    ['', false],
    ['application/', false],
    ['multipart/form-data', false],
  ];
  it.each(rows)('%j → %s', (type, json) => {
    expect(isJsonMediaType(type)).toBe(json);
  });
});

describe('parseMediaType robustness', () => {
  it('never throws on hostile input', () => {
    const alphabet = ['a', '/', ';', '=', '"', '\\', ' ', '\t', ',', '*', '\x00', 'é', 'B'];
    let seed = 11;
    for (let n = 0; n < 5000; n++) {
      let s = '';
      for (let k = n % 24; k > 0; k--) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        s += alphabet[seed % alphabet.length];
      }
      const r = parseMediaType(s);
      if (r.ok) {
        expect(r.type).toBe(r.type.toLowerCase());
        expect(r.type).toMatch(/^[^/\s;,]+\/[^/\s;,]+$/);
        for (const name of r.params.keys()) expect(name).toMatch(/^[a-z!#$%&'+\-.^_`|~0-9]+$/);
      } else {
        expect(r.reason.length).toBeGreaterThan(0);
      }
    }
  });

  it('parses a long parameter list in linear time', () => {
    const header = 'a/b' + Array.from({ length: 20_000 }, (_, i) => `; p${i}="v\\"${i}"`).join('');
    const r = parseMediaType(header);
    expect(r.ok && r.params.size).toBe(20_000);
  });
});
