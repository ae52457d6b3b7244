/**
 * Observed paths to canonical segments. Traffic from the gateway is already canonical; HAR files
 * and access logs are not, so the same rules are applied here in small: query and fragment
 * dropped, empty segments (`//`, a trailing `/`) dropped, `.` and `..` resolved, unreserved
 * `%XX` decoded and the rest upper-cased (`%2f` → `%2F`), so one resource has one spelling.
 */

export type SplitResult =
  | { ok: true; segments: string[]; trailingSlash: boolean }
  | { ok: false; reason: 'not-a-path' | 'too-long' | 'too-many-segments' };

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const SCHEME_HOST = /^[A-Za-z][A-Za-z0-9+.-]{0,15}:\/\/[^/?#]*/;

function hexDigit(c: string | undefined): boolean {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}

/**
 * Characters a URI path may not hold raw and that a report must never print raw: C0 and C1
 * controls, space, DEL, and the bidirectional overrides that reorder what a reader sees.
 * Logs decode `\xHH` escapes, so a logged path can carry an ESC sequence into a terminal.
 */
const UNPRINTABLE = /[\u0000-\u0020\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * One segment in canonical form. Braces are encoded so a literal can never read as a template
 * variable; a stray `%` that starts no escape is encoded too, and so are the UNPRINTABLE
 * characters, so a template is always safe to print.
 */
export function canonicalSegment(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '%') {
      if (hexDigit(raw[i + 1]) && hexDigit(raw[i + 2])) {
        const ch = String.fromCharCode(parseInt(raw.slice(i + 1, i + 3), 16));
        out += UNRESERVED.test(ch) ? ch : `%${raw.slice(i + 1, i + 3).toUpperCase()}`;
        i += 2;
      } else out += '%25';
    } else if (c === '{') out += '%7B';
    else if (c === '}') out += '%7D';
    else if ((raw.charCodeAt(i) <= 0x20 || raw.charCodeAt(i) >= 0x7f) && UNPRINTABLE.test(c)) out += encodeURIComponent(c);
    else out += c;
  }
  return out;
}

/** The decoded text of a canonical segment, for classification only; itself when not valid UTF-8. */
export function decodeSegment(canonical: string): string {
  if (!canonical.includes('%')) return canonical;
  try {
    return decodeURIComponent(canonical);
  } catch {
    return canonical;
  }
}

/**
 * Splits `input` (a path, or an absolute URL whose path is taken) into canonical segments.
 * The length and segment limits are checked before any per-segment work.
 */
export function splitPath(input: string, maxPathLength: number, maxSegments: number): SplitResult {
  let path = input;
  const sh = SCHEME_HOST.exec(path);
  if (sh) path = path.slice(sh[0].length) || '/';
  const cut = path.search(/[?#]/);
  if (cut >= 0) path = path.slice(0, cut);
  if (path.length > maxPathLength) return { ok: false, reason: 'too-long' };
  if (!path.startsWith('/')) return { ok: false, reason: 'not-a-path' };
  const segments: string[] = [];
  let raw = 0;
  for (const part of path.split('/')) {
    if (part.length === 0) continue;
    if (++raw > maxSegments * 2) return { ok: false, reason: 'too-many-segments' };
    const seg = canonicalSegment(part);
    if (seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  if (segments.length > maxSegments) return { ok: false, reason: 'too-many-segments' };
  return { ok: true, segments, trailingSlash: path.length > 1 && path.endsWith('/') };
}
