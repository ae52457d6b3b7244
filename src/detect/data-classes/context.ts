import { codeAt, isAlnum, isDigit } from './chars.js';
import type { ScanContext } from './types.js';

/**
 * Keyword context. A few shapes are only sensitive when something names them: nine bare digits
 * are an SSN after "SSN:" or under a JSON member `ssn`, and an order number anywhere else.
 */

const MAX_KEY = 128;

/** Splits a JSON member name into lower-case words: `customer_SSN`, `customerSsn` → customer, ssn. */
export function splitKeyWords(key: string): string[] {
  const s = key.length > MAX_KEY ? key.slice(0, MAX_KEY) : key;
  const words: string[] = [];
  let start = -1; // where the current word began, -1 between words
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c)) {
      if (start >= 0) words.push(s.slice(start, i).toLowerCase());
      start = -1;
    } else if (start < 0) {
      start = i;
    } else if (isUpper(c) && capitalStartsWord(s.charCodeAt(i - 1), codeAt(s, i + 1))) {
      words.push(s.slice(start, i).toLowerCase());
      start = i;
    }
  }
  if (start >= 0) words.push(s.slice(start).toLowerCase());
  return words;
}

/** A capital starts a word after a lower-case letter or digit (`userSsn`), or ends an acronym (`SSNLast`). */
function capitalStartsWord(prev: number, next: number): boolean {
  return isLower(prev) || isDigit(prev) || (isUpper(prev) && isLower(next));
}

function isUpper(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

function isLower(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

/**
 * A JSON walk meets the same few member names in every item of every response, so their words
 * are kept. Bounded: past MAX_CACHED names (a response keyed by ids) the cache starts over, and
 * long names, which could pin large strings, are not kept.
 */
const MAX_CACHED = 2048;
const cache = new Map<string, readonly string[]>();

/** `splitKeyWords(key)`, shared and frozen: callers must not (and cannot) change it. */
export function keyWords(key: string): readonly string[] {
  let words = cache.get(key);
  if (words === undefined) {
    words = Object.freeze(splitKeyWords(key));
    if (key.length <= MAX_KEY) {
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(key, words);
    }
  }
  return words;
}

/** True when the member name contains `phrase` (a word sequence such as ['secret', 'access', 'key']). */
export function keyHas(ctx: ScanContext, ...phrase: string[]): boolean {
  const words = ctx.keyWords;
  if (!words || phrase.length === 0) return false;
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((p, j) => words[i + j] === p)) return true;
  }
  return false;
}

/**
 * True when `re` (anchored with `$`) matches the text right before `start`. Only a short window is
 * examined, so the cost per candidate is constant.
 */
export function precededBy(text: string, start: number, re: RegExp, window = 40): boolean {
  return re.test(text.slice(Math.max(0, start - window), start));
}
