import { describe, expect, it } from 'vitest';
import { DEFAULT_JSON_LIMITS, parseStrictJson, type JsonErrorCode, type JsonLimits } from './strict-json.js';

// Accepted inputs: the value must equal what JSON.parse gives (unless stated).
const accepted: [name: string, text: string, value?: unknown][] = [
  ['object', '{"name":"a","email":"a@example.com"}'],
  ['empty object', '{}'],
  ['empty array', '[]'],
  ['nested', '{"a":[1,{"b":[true,false,null]}],"c":{}}'],
  ['top-level string', '"x"'],
  ['top-level null', 'null'],
  ['top-level number', '42'],
  ['top-level true', 'true'],
  ['all whitespace kinds', ' \t\r\n{ \t\r\n"a" \t\r\n: \t\r\n[ 1 , 2 ] \t\r\n} \t\r\n'],
  ['keys differing only in case', '{"role":1,"Role":2,"ROLE":3}'],
  ['same key in sibling objects', '[{"a":1},{"a":2}]'],
  ['same key at different depths', '{"a":{"a":{"a":1}}}'],
  ['look-alikes of forbidden keys', '{"proto":1,"__proto":2,"__proto__x":3,"_proto_":4,"Constructor":5,"prototypes":6,"constructor_":7}'],
  ['inherited names are ordinary keys', '{"toString":1,"hasOwnProperty":2,"valueOf":3,"__defineGetter__":4,"isPrototypeOf":5}'],
  ['forbidden names as values', '{"k":"__proto__","v":["constructor","prototype"]}'],
  ['empty key', '{"":1}'],
  ['escaped key that is not a duplicate', '{"role":1,"r\\u006fles":2}'],
  ['all simple escapes', '"\\" \\\\ \\/ \\b \\f \\n \\r \\t"'],
  ['unicode escapes', '"\\u00e9\\u20AC\\uFFFF"'],
  ['escaped surrogate pair', '"\\ud83d\\ude00"', '\u{1f600}'],
  ['raw surrogate pair', '"\u{1f600} ok"'],
  ['escaped NUL in a value', '{"a":"x\\u0000y"}'],
  ['raw DEL and non-ASCII in a string', '"\x7f é ü 日本"'],
  ['string that is mostly escapes', '"a\\nb\\tc\\"d"'],
  ['long plain string', JSON.stringify('x'.repeat(10_000))],
  ['zero', '0'],
  ['zero fraction', '0.0', 0],
  ['positive zero exponent', '0e5', 0],
  ['negative integer', '-1'],
  ['fraction', '-12.5e-3'],
  ['exponent forms', '[1E2,1e+2,1e-2,2.5E-7]'],
  ['max safe integer', '9007199254740991'],
  ['min safe integer', '-9007199254740991'],
  ['fifteen-digit integer', '123456789012345'],
  ['sixteen-digit safe integer', '1234567890123456'],
  ['large float with exponent', '1e308'],
  ['underflow to positive zero', '1e-400', 0],
  ['unsafe integral value written as float (documented)', '9007199254740993.0', 9007199254740992],
  ['100-character number', '1.' + '1'.repeat(98)],
  ['depth 64', '['.repeat(64) + ']'.repeat(64)],
  ['depth 64 objects', '{"a":'.repeat(64) + '1' + '}'.repeat(64)],
  ['1000 keys', '{' + Array.from({ length: 1000 }, (_, i) => `"k${i}":${i}`).join(',') + '}'],
  ['10000 items', '[' + Array(10_000).fill('0').join(',') + ']'],
  ['BOM inside a string', '"\ufeff"'],
];

// Rejected inputs: [name, text, code, position?].
const rejected: [name: string, text: string, code: JsonErrorCode, position?: number][] = [
  ['empty', '', 'syntax', 0],
  ['whitespace only', ' \n', 'syntax'],
  ['BOM', '\ufeff{"name":"a"}', 'bom', 0],
  ['BOM after whitespace', ' \ufeff{}', 'syntax', 1],
  // E1, E3: duplicates after escape decoding.
  ['duplicate key', '{"name":"a","role":"user","role":"admin"}', 'duplicate-key', 26],
  ['duplicate via escape', '{"role":1,"r\\u006fle":2}', 'duplicate-key', 10],
  ['duplicate via escaped slash', '{"a/b":1,"a\\/b":2}', 'duplicate-key'],
  ['duplicate nested', '{"a":{"b":1,"b":1}}', 'duplicate-key'],
  ['duplicate inherited name', '{"toString":1,"toString":2}', 'duplicate-key'],
  ['duplicate empty key', '{"":1,"":2}', 'duplicate-key'],
  // E4.
  ['__proto__', '{"name":"a","__proto__":{"role":"admin"}}', 'forbidden-key', 12],
  ['constructor', '{"constructor":{"prototype":{"role":"admin"}}}', 'forbidden-key', 1],
  ['prototype', '{"prototype":1}', 'forbidden-key'],
  ['escaped __proto__', '{"\\u005f_proto__":{}}', 'forbidden-key'],
  ['nested __proto__', '[{"a":{"__proto__":null}}]', 'forbidden-key'],
  // E6.
  ['block comment', '{"name":"a",/*x*/"role":"admin"}', 'syntax'],
  ['line comment', '{"a":1}// x', 'syntax'],
  ['trailing comma in object', '{"name":"a",}', 'syntax'],
  ['trailing comma in array', '[1,]', 'syntax'],
  ['leading comma', '[,1]', 'syntax'],
  ['double comma', '[1,,2]', 'syntax'],
  ['single quotes', "{'name':'a'}", 'syntax'],
  ['NaN', '{"name":NaN}', 'syntax'],
  ['Infinity', '[Infinity]', 'syntax'],
  ['-Infinity', '[-Infinity]', 'syntax'],
  ['unquoted key', '{name:"a"}', 'syntax'],
  ['leading zero', '01', 'syntax'],
  ['negative leading zero', '-01', 'syntax'],
  ['plus sign', '+1', 'syntax'],
  ['leading dot', '.5', 'syntax'],
  ['trailing dot', '1.', 'syntax'],
  ['bare exponent', '1e', 'syntax'],
  ['signed bare exponent', '1e+', 'syntax'],
  ['bare minus', '-', 'syntax'],
  ['hex', '0x10', 'syntax'],
  ['capitalised literal', 'True', 'syntax'],
  ['truncated literal', 'nul', 'syntax'],
  ['undefined', 'undefined', 'syntax'],
  ['missing colon', '{"a" 1}', 'syntax'],
  ['missing value', '{"a":}', 'syntax'],
  ['missing comma', '[1 2]', 'syntax'],
  ['unclosed array', '[1', 'syntax'],
  ['unclosed object', '{"a":1', 'syntax'],
  ['unclosed string', '"abc', 'syntax', 0],
  ['unclosed after escape', '"a\\', 'syntax'],
  ['two values', '{} {}', 'syntax', 3],
  ['trailing garbage', '1x', 'syntax', 1],
  ['NBSP is not whitespace', '\u00a0{}', 'syntax', 0],
  ['form feed is not whitespace', '{}\f', 'syntax'],
  ['vertical tab is not whitespace', '[\v1]', 'syntax'],
  // E7.
  ['raw NUL in key', '{"name\x00":"a"}', 'syntax', 6],
  ['raw NUL between tokens', '{"name"\x00:"a"}', 'syntax'],
  ['escaped NUL in key', '{"na\\u0000me":"a"}', 'forbidden-key'],
  ['raw newline in string', '"a\nb"', 'syntax'],
  ['raw tab in string', '"a\tb"', 'syntax'],
  ['raw control after escape', '"\\n\x01"', 'syntax'],
  ['bad escape', '"\\x41"', 'syntax'],
  ['escaped single quote', '"\\\'"', 'syntax'],
  ['short \\u escape', '"\\u12"', 'syntax'],
  ['non-hex \\u escape', '"\\u12G4"', 'syntax'],
  // E8.
  ['lone high surrogate escape', '{"name":"\\ud800"}', 'surrogate'],
  ['lone low surrogate escape', '"\\udc00"', 'surrogate'],
  ['reversed surrogate pair', '"\\ude00\\ud83d"', 'surrogate'],
  ['high surrogate then non-surrogate escape', '"\\ud83d\\u0041"', 'surrogate'],
  ['high surrogate then text', '"\\ud83dx"', 'surrogate'],
  ['high surrogate at end', '"\\ud83d"', 'surrogate'],
  ['lone surrogate in key', '{"\\udbff":1}', 'surrogate'],
  ['raw lone high surrogate', '"a\ud800"', 'surrogate'],
  ['raw lone low surrogate', '"\udc00"', 'surrogate'],
  ['raw high then escaped low', '"\ud83d\\ude00"', 'surrogate'],
  // E9.
  ['integer above 2^53-1', '{"id":9007199254740993}', 'number', 6],
  ['2^53', '9007199254740992', 'number'],
  ['integer below -(2^53-1)', '-9007199254740992', 'number'],
  ['overflow to Infinity', '{"n":1e400}', 'number', 5],
  ['overflow to -Infinity', '-1e400', 'number'],
  ['huge mantissa', '1' + '0'.repeat(99) + '.0', 'number'],
  ['negative zero', '{"n":-0}', 'number', 5],
  ['negative zero fraction', '-0.0', 'number'],
  ['negative zero exponent', '-0e10', 'number'],
  ['negative underflow', '-1e-400', 'number'],
  ['101-character number', '1.' + '1'.repeat(99), 'number', 0],
  ['1001-digit number', '{"n":' + '1'.repeat(1001) + '}', 'number', 5],
  // F7, F8.
  ['depth 65', '['.repeat(65) + ']'.repeat(65), 'depth', 64],
  ['20000 [', '['.repeat(20_000) + ']'.repeat(20_000), 'depth', 64],
  ['20000 {"a":', '{"a":'.repeat(20_000), 'depth'],
  ['mixed nesting', '[{"a":'.repeat(40), 'depth'],
  ['1001 keys', '{' + Array.from({ length: 1001 }, (_, i) => `"k${i}":${i}`).join(',') + '}', 'keys'],
  ['100000 keys', '{' + Array.from({ length: 100_000 }, (_, i) => `"k${i}":0`).join(',') + '}', 'keys'],
  ['10001 items', '[' + Array(10_001).fill('0').join(',') + ']', 'items'],
  ['400000 items', '[' + Array(400_000).fill('0').join(',') + ']', 'items'],
];

describe('parseStrictJson accepts', () => {
  it.each(accepted)('%s', (_name, text, ...rest) => {
    const r = parseStrictJson(text);
    expect(r).toEqual({ ok: true, value: rest.length > 0 ? rest[0] : JSON.parse(text) });
  });
});

describe('parseStrictJson rejects', () => {
  it.each(rejected)('%s', (_name, text, code, position) => {
    const r = parseStrictJson(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(code);
    if (position !== undefined) expect(r.position).toBe(position);
    expect(r.position).toBeGreaterThanOrEqual(0);
    expect(r.position).toBeLessThanOrEqual(text.length);
    expect(r.reason.length).toBeGreaterThan(0);
  });
});

describe('parseStrictJson limits', () => {
  const lim = (over: Partial<JsonLimits>): JsonLimits => ({ ...DEFAULT_JSON_LIMITS, ...over });

  const rows: [name: string, text: string, limits: JsonLimits, code: JsonErrorCode | null][] = [
    ['nodes at the limit', '[1,2,3]', lim({ maxNodes: 4 }), null],
    ['nodes over the limit', '[1,2,3]', lim({ maxNodes: 3 }), 'nodes'],
    ['nodes count nested values', '{"a":{"b":[1]}}', lim({ maxNodes: 3 }), 'nodes'],
    ['depth 1 allows a flat array', '[1]', lim({ maxDepth: 1 }), null],
    ['depth 1 refuses nesting', '[[1]]', lim({ maxDepth: 1 }), 'depth'],
    ['depth 0 allows scalars', '"x"', lim({ maxDepth: 0 }), null],
    ['keys at the limit', '{"a":1,"b":2}', lim({ maxKeys: 2 }), null],
    ['keys over the limit', '{"a":1,"b":2,"c":3}', lim({ maxKeys: 2 }), 'keys'],
    ['keys are per object', '[{"a":1,"b":2},{"a":1,"b":2}]', lim({ maxKeys: 2 }), null],
    ['items at the limit', '[1,2]', lim({ maxItems: 2 }), null],
    ['items over the limit', '[1,2,3]', lim({ maxItems: 2 }), 'items'],
    ['items are per array', '[[1,2],[1,2]]', lim({ maxItems: 2 }), null],
    ['number length at the limit', '12345', lim({ maxNumberLength: 5 }), null],
    ['number length counts the sign', '-12345', lim({ maxNumberLength: 5 }), 'number'],
    ['nodes: 100000 values', '[' + Array(99_999).fill('[]').join(',') + ']', lim({ maxItems: 1e6 }), null],
    ['nodes: 100001 values', '[' + Array(100_000).fill('[]').join(',') + ']', lim({ maxItems: 1e6 }), 'nodes'],
  ];

  it.each(rows)('%s', (_name, text, limits, code) => {
    const r = parseStrictJson(text, limits);
    if (code === null) expect(r).toEqual({ ok: true, value: JSON.parse(text) });
    else expect(r.ok === false && r.code).toBe(code);
  });
});

describe('parseStrictJson properties', () => {
  it('does not touch prototypes', () => {
    const r = parseStrictJson('{"a":{"toString":1},"b":[]}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value as { a: object };
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v.a)).toEqual(['toString']);
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it('matches JSON.parse on generated documents', () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const strings = ['', 'a', 'é', '"q"', '\\', '\n\t', '\u2028', '\u{1f600}', 'x\u0000y', '</script>'];
    const gen = (d: number): unknown => {
      switch (d > 4 ? rnd(4) : rnd(7)) {
        case 0: return rnd(2) === 0;
        case 1: return null;
        case 2: return (rnd(2) ? -1 : 1) * rnd(1e6) / (rnd(3) ? 1 : 1000);
        case 3: return strings[rnd(strings.length)];
        case 4: return Array.from({ length: rnd(5) }, () => gen(d + 1));
        default: {
          const o: Record<string, unknown> = {};
          for (let k = rnd(5); k > 0; k--) o[`${strings[rnd(strings.length)]!.replace('\u0000', '')}${rnd(9)}`] = gen(d + 1);
          return o;
        }
      }
    };
    for (let n = 0; n < 500; n++) {
      const v = gen(0);
      const text = JSON.stringify(v, null, rnd(2) ? 2 : undefined);
      expect(parseStrictJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
    }
  });

  it('never throws on mutated input', () => {
    const base = '{"a":[1,-2.5e3,"x\\u00e9\\n",true,null,{"b":{}}],"c":"\\ud83d\\ude00"}';
    const chars = ['{', '}', '[', ']', '"', '\\', ',', ':', '0', '-', 'e', 'u', 'd', '8', '\u0000', '\ud800', ' '];
    let seed = 9;
    for (let n = 0; n < 5000; n++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const at = seed % base.length;
      const ch = chars[(seed >> 8) % chars.length]!;
      const text = (seed & 1) ? base.slice(0, at) + ch + base.slice(at + 1) : base.slice(0, at) + ch + base.slice(at);
      const r = parseStrictJson(text);
      let native: unknown;
      try {
        native = JSON.parse(text);
      } catch {
        expect(r.ok).toBe(false);
        continue;
      }
      // Whatever strict accepts, JSON.parse reads the same way.
      if (r.ok) expect(r.value).toEqual(native);
    }
  });
});
