/**
 * Strict RFC 8259 parser for request bodies (catalogue §E1–E9, F7–F8; "JSON" row of the limits).
 *
 * JSON.parse silently resolves what other parsers resolve differently (duplicate keys, lone
 * surrogates, huge integers, `__proto__`), so the validator and the upstream could disagree about
 * the same bytes. Here every such input is an error, and every limit is checked while parsing, so
 * hostile bodies cost at most one linear pass.
 *
 * Choices:
 * - `\u0000` in an object key is code 'forbidden-key' (a NUL splits keys in C-based upstreams, E7).
 *   It is allowed in string values, where the schema decides.
 * - Any number that evaluates to negative zero (`-0`, `-0.0`, `-1e-400`) is code 'number': JS
 *   re-serialises it as `0`, so the value forwarded would not be the value the client sent.
 * - Integers are range-checked only when written without fraction or exponent (brief/E9);
 *   `9007199254740993.0` parses (to …992). The request view of the schema holds every
 *   `integer` field to ±(2^53−1) (schema-views.ts), which refuses that value there.
 * - Objects are plain `{}`: keys `__proto__`/`constructor`/`prototype` are rejected before any
 *   assignment, and `Object.hasOwn` is used for duplicates, so inherited names cannot collide.
 * - The top-level value may be of any type (the schema decides, E10).
 *
 * How: a scanner checks the whole text against the RFC 8259 grammar and every rule above
 * without building anything, then the engine's JSON.parse builds the value. Text the scanner
 * accepts is JSON that JSON.parse reads the same way (no duplicate or special keys, no lone
 * surrogates left to disagree on), and building objects natively is far cheaper than key by
 * key in JavaScript (megamorphic keyed stores).
 */

export interface JsonLimits {
  maxDepth: number;
  maxKeys: number;
  maxItems: number;
  maxNodes: number;
  maxNumberLength: number;
}

export const DEFAULT_JSON_LIMITS: Readonly<JsonLimits> = Object.freeze({
  maxDepth: 64,
  maxKeys: 1000,
  maxItems: 10_000,
  maxNodes: 100_000,
  maxNumberLength: 100,
});

export type JsonErrorCode =
  | 'syntax' | 'depth' | 'keys' | 'items' | 'nodes' | 'number'
  | 'duplicate-key' | 'forbidden-key' | 'bom' | 'surrogate';

export type StrictJsonResult =
  | { ok: true; value: unknown }
  | { ok: false; reason: string; code: JsonErrorCode; position: number };

/** Thrown internally only; not an Error, so no stack is captured on the failure path. */
class JsonFail {
  constructor(readonly code: JsonErrorCode, readonly reason: string, readonly position: number) {}
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hex4(s: string, i: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = s.charCodeAt(i + k);
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else return -1;
    v = (v << 4) | d;
  }
  return v;
}

/** The first character that ends the plain part of a JSON string. */
const STRING_SPECIAL = /["\\\u0000-\u001f\ud800-\udfff]/g;

class Scanner {
  pos = 0;
  depth = 0;
  nodes = 0;

  constructor(private readonly s: string, private readonly lim: JsonLimits) {}

  fail(code: JsonErrorCode, reason: string, position: number = this.pos): never {
    throw new JsonFail(code, reason, position);
  }

  /** Skips SP/HT/LF/CR and returns the next char code (NaN at the end). */
  ws(): number {
    const s = this.s;
    let i = this.pos;
    let c = s.charCodeAt(i);
    if (c > 0x20) return c;
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++i);
    this.pos = i;
    return c;
  }

  value(): void {
    const c = this.ws();
    if (++this.nodes > this.lim.maxNodes) this.fail('nodes', 'too many JSON values');
    switch (c) {
      case 0x7b: return this.object();
      case 0x5b: return this.array();
      case 0x22: this.string(false); return;
      case 0x74: return this.literal('true');
      case 0x66: return this.literal('false');
      case 0x6e: return this.literal('null');
      default:
        if (c === 0x2d || isDigit(c)) return this.number();
        if (Number.isNaN(c)) this.fail('syntax', 'unexpected end of JSON input');
        this.fail('syntax', 'unexpected character');
    }
  }

  literal(word: string): void {
    if (!this.s.startsWith(word, this.pos)) this.fail('syntax', 'unexpected character');
    this.pos += word.length;
  }

  object(): void {
    if (++this.depth > this.lim.maxDepth) this.fail('depth', 'JSON nested too deeply');
    this.pos++;
    let c = this.ws();
    if (c === 0x7d) {
      this.pos++;
      this.depth--;
      return;
    }
    let count = 0;
    let k0: string | undefined, k1: string | undefined, k2: string | undefined, k3: string | undefined;
    let keySet: Set<string> | undefined;
    for (;;) {
      if (c !== 0x22) this.fail('syntax', Number.isNaN(c) ? 'unexpected end of JSON input' : 'expected a string key');
      const at = this.pos;
      const key = this.string(true)!;
      if (++count > this.lim.maxKeys) this.fail('keys', 'too many keys in JSON object', at);
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        this.fail('forbidden-key', 'forbidden JSON key', at);
      }
      // The first keys are compared directly; from the fifth on, a Set holds them all.
      if (key === k0 || key === k1 || key === k2 || key === k3 || keySet?.has(key)) this.fail('duplicate-key', 'duplicate JSON key', at);
      if (count === 1) k0 = key;
      else if (count === 2) k1 = key;
      else if (count === 3) k2 = key;
      else if (count === 4) k3 = key;
      else (keySet ??= new Set()).add(key);
      if (this.ws() !== 0x3a) this.fail('syntax', "expected ':' after key");
      this.pos++;
      this.value();
      c = this.ws();
      if (c === 0x2c) {
        this.pos++;
        c = this.ws();
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        this.depth--;
        return;
      }
      this.fail('syntax', Number.isNaN(c) ? 'unexpected end of JSON input' : "expected ',' or '}'");
    }
  }

  array(): void {
    if (++this.depth > this.lim.maxDepth) this.fail('depth', 'JSON nested too deeply');
    this.pos++;
    let c = this.ws();
    if (c === 0x5d) {
      this.pos++;
      this.depth--;
      return;
    }
    let items = 0;
    for (;;) {
      if (items++ >= this.lim.maxItems) this.fail('items', 'too many items in JSON array');
      this.value();
      c = this.ws();
      if (c === 0x2c) {
        this.pos++;
        // A trailing comma is caught by value(): ']' is not a value.
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        this.depth--;
        return;
      }
      this.fail('syntax', Number.isNaN(c) ? 'unexpected end of JSON input' : "expected ',' or ']'");
    }
  }

  string(isKey: boolean): string | undefined {
    const s = this.s;
    const start = this.pos + 1;
    const len = s.length;
    let i = start;
    // Fast path: no escapes, controls or surrogates, which is nearly every real string. Short
    // strings are scanned here; a long one is handed to the regex engine's native scan.
    const stop = Math.min(len, start + 24);
    for (; i < stop; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return isKey ? s.slice(start, i) : undefined;
      }
      if (c === 0x5c || c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) break;
    }
    if (i === stop && i < len) {
      STRING_SPECIAL.lastIndex = i;
      const m = STRING_SPECIAL.exec(s);
      i = m ? m.index : len;
      if (i < len && s.charCodeAt(i) === 0x22) {
        this.pos = i + 1;
        return isKey ? s.slice(start, i) : undefined;
      }
    }
    let out = s.slice(start, i);
    let run = i;
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return out + s.slice(run, i);
      }
      if (c < 0x20) this.fail('syntax', 'control character in JSON string', i);
      if (c >= 0xd800 && c <= 0xdfff) {
        const lo = s.charCodeAt(i + 1);
        if (c > 0xdbff || !(lo >= 0xdc00 && lo <= 0xdfff)) this.fail('surrogate', 'lone surrogate in JSON string', i);
        i++;
        continue;
      }
      if (c !== 0x5c) continue;
      out += s.slice(run, i);
      const e = s.charCodeAt(i + 1);
      switch (e) {
        case 0x22: out += '"'; break;
        case 0x5c: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: {
          const u = hex4(s, i + 2);
          if (u < 0) this.fail('syntax', 'invalid \\u escape', i);
          if (u >= 0xd800 && u <= 0xdfff) {
            // Only an escaped high surrogate immediately followed by an escaped low one is a character.
            const lo = s.charCodeAt(i + 6) === 0x5c && s.charCodeAt(i + 7) === 0x75 ? hex4(s, i + 8) : -1;
            if (u > 0xdbff || !(lo >= 0xdc00 && lo <= 0xdfff)) this.fail('surrogate', 'lone surrogate in JSON string', i);
            out += String.fromCharCode(u, lo);
            i += 6;
          } else {
            if (u === 0 && isKey) this.fail('forbidden-key', 'NUL in JSON key', i);
            out += String.fromCharCode(u);
          }
          i += 4;
          break;
        }
        default:
          this.fail('syntax', 'invalid escape in JSON string', i);
      }
      i++;
      run = i + 1;
    }
    return this.fail('syntax', 'unterminated JSON string', start - 1);
  }

  number(): void {
    const s = this.s;
    const start = this.pos;
    let i = start;
    let c = s.charCodeAt(i);
    const neg = c === 0x2d;
    if (neg) c = s.charCodeAt(++i);
    let acc = 0;
    let digits = 0;
    if (c === 0x30) {
      c = s.charCodeAt(++i);
      digits = 1;
      if (isDigit(c)) this.fail('syntax', 'leading zero in JSON number', i);
    } else if (c >= 0x31 && c <= 0x39) {
      do {
        acc = acc * 10 + (c - 0x30);
        digits++;
        c = s.charCodeAt(++i);
      } while (isDigit(c));
    } else {
      this.fail('syntax', 'invalid JSON number', i);
    }
    let integral = true;
    if (c === 0x2e) {
      integral = false;
      c = s.charCodeAt(++i);
      if (!isDigit(c)) this.fail('syntax', 'invalid JSON number', i);
      do c = s.charCodeAt(++i); while (isDigit(c));
    }
    if (c === 0x65 || c === 0x45) {
      integral = false;
      c = s.charCodeAt(++i);
      if (c === 0x2b || c === 0x2d) c = s.charCodeAt(++i);
      if (!isDigit(c)) this.fail('syntax', 'invalid JSON number', i);
      do c = s.charCodeAt(++i); while (isDigit(c));
    }
    if (i - start > this.lim.maxNumberLength) this.fail('number', 'JSON number literal too long', start);
    this.pos = i;
    if (integral && digits <= 15) {
      // Exact and in range: skips a slice + Number() for the common case (ids, counts).
      if (neg && acc === 0) this.fail('number', 'negative zero in JSON', start);
      return;
    }
    const v = Number(s.slice(start, i));
    if (!Number.isFinite(v)) this.fail('number', 'JSON number out of range', start);
    if (integral && !Number.isSafeInteger(v)) this.fail('number', 'JSON integer outside ±(2^53−1)', start);
    if (v === 0 && neg) this.fail('number', 'negative zero in JSON', start);
  }
}

/** Parses `text` strictly. Never throws. */
export function parseStrictJson(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): StrictJsonResult {
  if (text.length === 0) return { ok: false, code: 'syntax', reason: 'empty JSON text', position: 0 };
  if (text.charCodeAt(0) === 0xfeff) return { ok: false, code: 'bom', reason: 'byte order mark before JSON', position: 0 };
  const p = new Scanner(text, limits);
  try {
    p.value();
    p.ws();
    if (p.pos < text.length) return { ok: false, code: 'syntax', reason: 'unexpected data after JSON value', position: p.pos };
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    if (e instanceof JsonFail) return { ok: false, code: e.code, reason: e.reason, position: e.position };
    // Unreachable by design (depth is capped before recursing); fail closed all the same.
    return { ok: false, code: 'syntax', reason: 'unparseable JSON', position: p.pos };
  }
}
