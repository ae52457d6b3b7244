import type { ScanContext } from './types.js';

/**
 * Keyword context. A few shapes are only sensitive when something names them: nine bare digits
 * are an SSN after "SSN:" or under a JSON member `ssn`, and an order number anywhere else.
 */

/** Splits a JSON member name into lower-case words: `customer_SSN`, `customerSsn` → customer, ssn. */
export function keyWords(key: string): string[] {
  const words: string[] = [];
  let cur = '';
  const s = key.slice(0, 128);
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (!/[A-Za-z0-9]/.test(c)) {
      if (cur) words.push(cur.toLowerCase());
      cur = '';
      continue;
    }
    const prev = s[i - 1] ?? '';
    const next = s[i + 1] ?? '';
    // A capital starts a word after a lower-case letter or digit (`userSsn`), or ends an acronym (`SSNLast`).
    const upper = c >= 'A' && c <= 'Z';
    if (cur && upper && (/[a-z0-9]/.test(prev) || (/[A-Z]/.test(prev) && /[a-z]/.test(next)))) {
      words.push(cur.toLowerCase());
      cur = '';
    }
    cur += c;
  }
  if (cur) words.push(cur.toLowerCase());
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
