import { ROOT_DIRS } from './commands.js';
import { globLength, globMatch } from './glob.js';

/**
 * `/???/c?t`, `/etc/pa[s]swd`, `/[e//]tc/[p//]asswd`: a system path spelled with wildcards so no
 * filter sees its name. The path is read by hand rather than by one regex, because a bracket class
 * may hold a `/` (which bash reads as one more member of the class, not as a separator) and a
 * bracket inside a repeated group would be a nested quantifier.
 */
export interface PathHit {
  from: number;
  to: number;
  /**
   * 1 when the wildcards spell a known root directory and a name of at least two letters; 3 when
   * only a `*` matches the root (`/et*\/…`) or the last name is all wildcards (`/???/?s`), shapes
   * that placeholders and search patterns share.
   */
  paranoia: 1 | 3;
}

/** Longest path read, in characters, from one `/`. */
const MAX_PATH = 64;
/** Longest bracket class read (`[e/////////]`). */
const MAX_CLASS = 16;

/** Characters of a segment outside brackets: `[a-z0-9?*!._-]` (views are lower-cased). */
const SEGMENT_CODE = new Uint8Array(128);
for (let c = 0; c < 128; c++) SEGMENT_CODE[c] = /[a-z0-9?*!._-]/.test(String.fromCharCode(c)) ? 1 : 0;

/** Where the path starting at the `/` at `i` ends; its segments as written go to `segments` when given. */
function readPath(s: string, i: number, segments?: string[]): number {
  let start = i + 1;
  let k = i + 1;
  while (k < s.length && k - i < MAX_PATH) {
    const c = s.charCodeAt(k);
    if (c === 47) {
      if (k > start) segments?.push(s.slice(start, k));
      start = k + 1;
      k++;
    } else if (c === 91) {
      // A bounded look for the `]`: an unclosed `[` must not send every later one to the end of the value.
      let close = k + 1;
      while (close < s.length && close - k <= MAX_CLASS && s[close] !== ']' && s[close] !== '\n') close++;
      if (s[close] !== ']' || close - k > MAX_CLASS) break;
      k = close + 1;
    } else if (c < 128 && SEGMENT_CODE[c] === 1) k++;
    else break;
  }
  if (k > start) segments?.push(s.slice(start, k));
  return k;
}

/**
 * A segment's classes as a matcher reads them: a `/` inside one is dropped, and a class holding a
 * wildcard (`[?]`) stands for any character, the way the evasion means it.
 */
function normalise(segment: string): string {
  if (!segment.includes('[')) return segment;
  return segment.replace(/\[([^\]]*)\]/g, (_, body: string) => {
    const members = body.replace(/\//g, '');
    return members === '' || /[?*]/.test(members) ? '?' : `[${members}]`;
  });
}

const letters = (segment: string): number => segment.replace(/\[[^\]]*\]|[?*]/g, '').match(/[a-z]/g)?.length ?? 0;

/** Which root directory the pattern `root` spells: 1 with wildcards for letters, 3 when only a `*` makes it fit. */
function rootLevel(root: string): 1 | 3 | 0 {
  if (!/^[a-z?*![\]-]+$/.test(root)) return 0;
  if (root.includes('*')) {
    // `/*/…` stands for anything; `/et*` still spells a directory.
    return letters(root) >= 1 && [...ROOT_DIRS].some((d) => globMatch(root, d)) ? 3 : 0;
  }
  const units = globLength(root);
  return [...ROOT_DIRS].some((d) => d.length === units && globMatch(root, d)) ? 1 : 0;
}

/** `example.com/x?y`: a `/` after `[a-z0-9.]` is part of a URL. */
function urlPartAt(s: string, i: number): boolean {
  if (i === 0) return false;
  const c = s.charCodeAt(i - 1);
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46;
}

/** hasGlob(s.slice(from, to)), with no string built. */
function globIn(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c === 63 || c === 42 || c === 91) return true;
  }
  return false;
}

export function globbedPath(s: string): PathHit | undefined {
  let weak: PathHit | undefined;
  for (let i = s.indexOf('/'); i >= 0; ) {
    const end = readPath(s, i);
    const next = Math.max(i + 1, end);
    // The conditions that need no string first: most slashes belong to a URL or a path with no wildcard.
    if (!urlPartAt(s, i) && globIn(s, i, end)) {
      const written: string[] = [];
      readPath(s, i, written);
      const text = s.slice(i, end);
      // `/home/[username]/docs`: a segment that is one bracketed word is a placeholder, not a class.
      const placeholder = written.some((w) => /^\[[a-z_]{3,}\]$/.test(w));
      if (written.length > 0 && !placeholder && !/\?[a-z0-9_]+=/.test(text)) {
        const segments = written.map(normalise);
        const level = rootLevel(segments[0]!);
        const bracketed = written[0]!.includes('[');
        if (level !== 0) {
          let paranoia: 1 | 3 | 0;
          // `/[e]tc` alone is an evasion; `/???` alone is anyone's placeholder.
          if (segments.length === 1) paranoia = bracketed ? level : 0;
          // `/home/[name]` is a placeholder when it keeps no letters of its own; `/???/?s` at paranoia 3.
          else {
            const last = written[written.length - 1]!;
            paranoia = letters(segments[segments.length - 1]!) >= 2 ? level : last.includes('[') ? 0 : 3;
          }
          if (paranoia === 1) return { from: i, to: end, paranoia };
          if (paranoia === 3) weak ??= { from: i, to: end, paranoia };
        }
      }
    }
    i = s.indexOf('/', next);
  }
  return weak;
}
