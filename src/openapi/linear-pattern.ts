/**
 * Which schema `pattern`s may run on V8's own (backtracking) RegExp engine.
 *
 * A backtracking engine is exponential or polynomial only when the same input can be matched in
 * more than one way: nested quantifiers, overlapping alternatives, or adjacent repetitions that
 * can trade characters (`\d*\d*`). This module accepts a narrow, common subset where that cannot
 * happen, and says "no" to everything else, which then runs on RE2 (linear, but ~15x slower):
 *
 * - anchored at the start with `^` (an unanchored pattern is retried at every offset);
 * - a flat sequence of atoms: literal characters, escapes, `.`, classes `[...]`, `\d \w \s`
 *   and their negations; no groups, alternation, lookaround, backreferences or word boundaries;
 * - each atom optionally quantified (`? * + {n} {n,} {n,m}`, greedy or lazy);
 * - every repetition is unambiguous: the characters it may consume are disjoint from every
 *   character that could come right after it (the next atoms up to and including the first one
 *   that cannot match empty). Giving a character back then fails at once, so each repetition
 *   backtracks at most once per character it consumed: time stays linear in the input.
 *
 * Typical OpenAPI patterns (`^[A-Z]{3}-[0-9]{6}$`, `^[a-z0-9_-]+$`, `^\d{4}-\d{2}-\d{2}$`) are
 * in the subset. Libraries such as safe-regex only bound the star height, which lets
 * `^\d*\d*\d*$`-style polynomial patterns through; this check is exact for what it accepts.
 */

const MAX_CODE_POINT = 0x10ffff;

/** A set of code points as sorted, disjoint, inclusive ranges. */
type CharSet = readonly (readonly [number, number])[];

interface Atom {
  set: CharSet;
  min: number;
  max: number;
}

function normalise(ranges: [number, number][]): CharSet {
  const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function complement(set: CharSet): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [a, b] of set) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function intersects(x: CharSet, y: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const [a0, a1] = x[i]!;
    const [b0, b1] = y[j]!;
    if (a1 < b0) i++;
    else if (b1 < a0) j++;
    else return true;
  }
  return false;
}

const DIGIT: CharSet = [[0x30, 0x39]];
const WORD: CharSet = normalise([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
const SPACE: CharSet = normalise([
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a],
  [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
]);
/** `.` without the `s` flag: anything but line terminators. */
const DOT: CharSet = complement(normalise([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]]));
/** Characters that are not literals outside a class. */
const SYNTAX = new Set('^$\\.*+?()[]{}|'.split(''));
const CONTROL_ESCAPES: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, f: 0x0c, v: 0x0b };

class Unsupported extends Error {}

class PatternReader {
  i = 0;
  constructor(readonly s: string) {}

  get done(): boolean { return this.i >= this.s.length; }
  peek(): string | undefined { return this.s[this.i]; }

  /** One code point (a surrogate pair counts as one). */
  codePoint(): number {
    const cp = this.s.codePointAt(this.i);
    if (cp === undefined) throw new Unsupported();
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  hex(digits: number): number {
    const h = this.s.slice(this.i, this.i + digits);
    if (h.length !== digits || !/^[0-9A-Fa-f]+$/.test(h)) throw new Unsupported();
    this.i += digits;
    return parseInt(h, 16);
  }

  /** After a backslash: a class escape (set) or a single code point. */
  escape(inClass: boolean): CharSet | number {
    const c = this.s[this.i++];
    switch (c) {
      case 'd': return DIGIT;
      case 'D': return complement(DIGIT);
      case 'w': return WORD;
      case 'W': return complement(WORD);
      case 's': return SPACE;
      case 'S': return complement(SPACE);
      case 'x': return this.hex(2);
      case 'u': {
        if (this.peek() === '{') {
          const end = this.s.indexOf('}', this.i);
          if (end < 0) throw new Unsupported();
          const h = this.s.slice(this.i + 1, end);
          if (!/^[0-9A-Fa-f]{1,6}$/.test(h)) throw new Unsupported();
          this.i = end + 1;
          const cp = parseInt(h, 16);
          if (cp > MAX_CODE_POINT) throw new Unsupported();
          return cp;
        }
        return this.hex(4);
      }
      case undefined: throw new Unsupported();
      default:
        if (c in CONTROL_ESCAPES) return CONTROL_ESCAPES[c]!;
        // Identity escapes of syntax characters (and `-` inside a class) are the only others `u` allows.
        if (SYNTAX.has(c) || c === '/' || (inClass && c === '-')) return c.codePointAt(0)!;
        throw new Unsupported(); // \b \B \0 \c \k \p and anything else: not in the subset
    }
  }

  charClass(): CharSet {
    // The opening '[' has been read.
    let negate = false;
    if (this.peek() === '^') { negate = true; this.i++; }
    const ranges: [number, number][] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new Unsupported();
      if (c === ']' && !first) { this.i++; break; }
      if (c === ']' && first) throw new Unsupported(); // `[]` / `[^]`: legal but odd; not in the subset
      first = false;
      const lo = this.classAtom();
      if (this.peek() === '-' && this.s[this.i + 1] !== ']' && this.s[this.i + 1] !== undefined) {
        this.i++;
        const hi = this.classAtom();
        if (typeof lo !== 'number' || typeof hi !== 'number' || hi < lo) throw new Unsupported();
        ranges.push([lo, hi]);
      } else if (typeof lo === 'number') {
        ranges.push([lo, lo]);
      } else {
        ranges.push(...lo.map(([a, b]) => [a, b] as [number, number]));
      }
    }
    const set = normalise(ranges);
    return negate ? complement(set) : set;
  }

  classAtom(): CharSet | number {
    const c = this.peek();
    if (c === '\\') { this.i++; return this.escape(true); }
    if (c === '[') throw new Unsupported(); // v-flag syntax, never valid under `u` alone
    return this.codePoint();
  }

  atomSet(): CharSet {
    const c = this.peek();
    if (c === '\\') { this.i++; const e = this.escape(false); return typeof e === 'number' ? [[e, e]] : e; }
    if (c === '[') { this.i++; return this.charClass(); }
    if (c === '.') { this.i++; return DOT; }
    if (c === undefined || SYNTAX.has(c)) throw new Unsupported();
    const cp = this.codePoint();
    return [[cp, cp]];
  }

  /** Quantifier after an atom; absent = exactly once. */
  quantifier(): { min: number; max: number } {
    const c = this.peek();
    let q: { min: number; max: number };
    if (c === '?') { this.i++; q = { min: 0, max: 1 }; }
    else if (c === '*') { this.i++; q = { min: 0, max: Infinity }; }
    else if (c === '+') { this.i++; q = { min: 1, max: Infinity }; }
    else if (c === '{') {
      const m = /^\{(\d{1,6})(?:(,)(\d{1,6})?)?\}/.exec(this.s.slice(this.i));
      if (!m) throw new Unsupported();
      this.i += m[0].length;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === undefined ? Infinity : Number(m[3]);
      if (max < min) throw new Unsupported();
      q = { min, max };
    } else {
      return { min: 1, max: 1 };
    }
    if (this.peek() === '?') this.i++; // lazy: same set of matches, same analysis
    const after = this.peek();
    if (after === '?' || after === '*' || after === '+' || after === '{') throw new Unsupported();
    return q;
  }
}

function parse(pattern: string): Atom[] | undefined {
  if (!pattern.startsWith('^')) return undefined;
  const r = new PatternReader(pattern);
  r.i = 1;
  const atoms: Atom[] = [];
  try {
    while (!r.done) {
      if (r.peek() === '$' && r.i === pattern.length - 1) { r.i++; break; }
      const set = r.atomSet();
      const { min, max } = r.quantifier();
      atoms.push({ set, min, max });
    }
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  return atoms;
}

/** True when `pattern` (compiled with the `u` flag) cannot backtrack super-linearly. */
export function isLinearTimePattern(pattern: string): boolean {
  const atoms = parse(pattern);
  if (!atoms) return false;
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i]!;
    if (a.min === a.max) continue;
    for (let j = i + 1; j < atoms.length; j++) {
      const b = atoms[j]!;
      if (intersects(a.set, b.set)) return false;
      if (b.min > 0) break;
    }
  }
  try {
    new RegExp(pattern, 'u');
  } catch {
    return false;
  }
  return true;
}
