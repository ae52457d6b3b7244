/**
 * Shell wildcard matching (`?`, `*`, `[abc]`, `[!a-z]`) for the short words of a command line:
 * `/???/c?t` names `/bin/cat` without spelling it. Iterative with one backtrack point for `*`, so
 * linear in practice and never exponential.
 */
export const hasGlob = (s: string): boolean => /[?*[]/.test(s);

export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '*') {
      starP = p++;
      starT = t;
      continue;
    }
    const len = c === undefined ? 0 : c === '[' ? classLength(pattern, p) : 1;
    if (c !== undefined && (c === '?' || (c === '[' && len > 1 ? inClass(pattern, p, len, text[t]!) : c === text[t]))) {
      p += len;
      t++;
      continue;
    }
    if (starP < 0) return false;
    p = starP + 1;
    t = ++starT;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * For a pattern without `*`: how many characters it matches (each `?`, literal or `[...]` class is
 * one), the only text length globMatch can accept. -1 when it has a `*`.
 */
export function globLength(pattern: string): number {
  if (pattern.includes('*')) return -1;
  let units = 0;
  for (let p = 0; p < pattern.length; units++) p += pattern[p] === '[' ? classLength(pattern, p) : 1;
  return units;
}

/** Length of the `[...]` class at `p`, or 1 when the bracket is unclosed (then it is literal). */
function classLength(pattern: string, p: number): number {
  const close = pattern.indexOf(']', p + 2);
  return close < 0 ? 1 : close - p + 1;
}

function inClass(pattern: string, p: number, len: number, ch: string): boolean {
  let body = pattern.slice(p + 1, p + len - 1);
  const negate = body.startsWith('!') || body.startsWith('^');
  if (negate) body = body.slice(1);
  let found = false;
  for (let i = 0; i < body.length; i++) {
    if (body[i + 1] === '-' && i + 2 < body.length) {
      if (ch >= body[i]! && ch <= body[i + 2]!) found = true;
      i += 2;
    } else if (body[i] === ch) found = true;
  }
  return found !== negate;
}
