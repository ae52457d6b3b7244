import type { Detection, Detector } from '../types.js';
import { BACKUP_FILE, HIDDEN_PATH, HOST_PATH, SENSITIVE_TARGET } from './targets.js';

/**
 * Path traversal, local file inclusion and remote file inclusion in one decoded value:
 *   - `path-climb`: `..` segments that climb out of the directory a value is joined to, in every
 *     spelling a path normaliser still accepts (`../`, `..\`, `..\/`, `....//` that a naive
 *     `../`-stripper turns back into `../`, Tomcat's `..;/`, `..` then NUL), and dots or separators
 *     left percent-encoded by a double encoding (the caller decodes once; this only recognises them);
 *   - `sensitive-file`: a path to a file an application never serves (targets.ts);
 *   - `stream-wrapper`: PHP and Java stream wrappers that turn an include into source disclosure or
 *     code execution (`php://filter`, `phar://`, `data://`, `file://`);
 *   - `nul-truncation`: a NUL byte that cuts off the extension the application appends;
 *   - `remote-include`: a URL shaped for inclusion: a trailing `?` or NUL swallows the appended
 *     suffix, or a UNC path to another host. Ordinary URLs are not flagged here: fetching a URL is
 *     SSRF's business (src/detect/ssrf).
 * Deliberately benign: relative paths that do not climb (`docs/readme.md`), version strings,
 * ellipses in prose (`wait... what`, `and so on..`), a lone `..`, and absolute paths with no
 * sensitive target (`C:\Users\me\Documents\report.docx`, `/usr/share/doc`): an API that takes a
 * path may well take an absolute one, and whether it is inside the allowed root is the control's call.
 */

/** Only this much of a value's head and tail is scanned: a path is resolved from its start, and padding must not hide a tail. */
export const SCAN_LIMIT = 4096;

/** A dot as a path normaliser sees it, including spellings a second decoding pass would turn into one. */
const DOT = String.raw`(?:\.|%2e|%252e|%u002e|%c0%ae|%e0%80%ae|0x2e)`;
/** A separator, likewise: `/`, `\`, their encodings, overlong UTF-8 and Unicode slash look-alikes. */
const SEP = String.raw`(?:[/\\]|%2f|%5c|%252f|%255c|%u2215|%u2216|%uff0f|%c0%af|%c1%9c|%e0%80%af|0x2f|0x5c)`;
/**
 * A `..` segment that climbs: two or more dots that start a segment (after a separator, at the start,
 * or after punctuation such as `=` or a quote, never after a word character: `so on../` is prose),
 * then a separator or a NUL, optionally with Tomcat/Jetty path parameters (`..;x=1/`) in between.
 * Each alternative starts with a different character and the lookbehind admits one start per run
 * of dots, so the scan stays linear.
 */
const CLIMB = new RegExp(String.raw`(?:${SEP}|(?<![\w.%]))${DOT}{2,}(?:;[^/\\\s]{0,32})?(?:${SEP}|\0|%00)`, 'gi');
/** A trailing `/..` (`/var/www/..`) climbs too; `/...` at the end is an ellipsis cutting a string short. */
const TRAILING_CLIMB = new RegExp(String.raw`${SEP}${DOT}${DOT}$`, 'i');

/** Include and stream wrappers; `file:` also in its one-slash form (`file:/etc/hosts`). */
const WRAPPER = /(?<![\w.+-])(?:php:\/\/[a-z]*|(?:zip|phar|expect|glob|ogg|rar|zlib|compress\.(?:zlib|bzip2)|ssh2\.[a-z]+|data):\/\/|file:(?:\/\/|[/\\])|jar:(?:file|https?):)/i;
/** A `data:` URI carrying PHP source, in the clear or base64 (`PD9waH` is `<?ph`, `PD89` is `<?=`; `PD94` is an SVG's `<?xml`). */
const DATA_PHP = /\bdata:[^,]{0,64},\s*(?:<\?(?:php|=)|PD9waH|PD89)/i;
/** The most dangerous wrappers are unambiguous; `file://` also appears in desktop apps' telemetry. */
const WRAPPER_CONFIDENCE: Record<string, number> = { php: 0.9, phar: 0.9, expect: 0.95, data: 0.85, file: 0.75 };

/**
 * A file name, then NUL, then at most the extension the application appends or checks
 * (`shell.php\0.jpg`, `report.pdf\0`): the NUL ends the value, as it ends a C string. Binary values
 * carry NULs in the middle, not as a file name's end.
 */
const NUL_TRUNCATION = /[\w-]\.[a-z][a-z0-9]{0,7}(?:\0|%00)(?:\.[a-z0-9]{1,8})?$/i;

/**
 * A URL to a script or text file whose query is empty or NUL-terminated, so the `.php` the include
 * appends becomes a query or is cut off (`http://host/shell.txt?`). A bare trailing `?` on an
 * ordinary page URL is common in trackers and is not enough. Host and path are bounded (255) here and
 * below so that a run of `http://` cannot make the scan quadratic.
 */
const INCLUDE_URL = /(?<![\w.+-])(?:https?|ftps?):\/\/[^\s/?#"'<>]{1,255}\/[^\s?#"'<>]{0,255}\.(?:txt|php\d?|phtml|inc|sh|pl|py|cgi|asp|aspx|jsp|gif|jpe?g|png)(?:\?+|\0|%00)(?=$|[\s"'<>])/i;
/** A script fetched from a bare IP address (`http://192.0.2.7/x.php`): the usual way an include payload is hosted. */
const IP_SCRIPT_URL = /(?<![\w.+-])(?:https?|ftps?):\/\/(?:\d{1,3}(?:\.\d{1,3}){3}|\[?[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\]?)(?::\d{1,5})?\/[^\s?#"'<>]{0,255}\.(?:txt|php\d?|phtml|inc|sh|pl|py|cgi)(?![\w-])/i;
/** A UNC path to another machine (`\\host\share\x.php`): PHP on Windows includes over SMB. */
const UNC_PATH = /^\\\\[\w.-]+(?:@\d+)?\\[\w$.-]+\\?/;

/** Static assets: climbing to a stylesheet's images (`../../assets/x.png`) is how relative front-end paths look. */
const ASSET_END = /\.(?:png|jpe?g|gif|svg|webp|ico|css|js|woff2?|ttf|eot|map)(?:[?#][\s\S]*)?$/i;

/** Characters without which none of the rules can match: most values are decided by this one scan. */
const MAYBE = /[.:\\\0%]|(?:etc|proc|var|sys|tmp|dev|system32|inetpub)[/\\]/i;

export const traversal: Detector = {
  id: 'traversal',
  detect(value: string): Detection | undefined {
    if (value.length <= SCAN_LIMIT) return detectWindow(value);
    return detectWindow(value.slice(0, SCAN_LIMIT)) ?? detectWindow(value.slice(value.length - SCAN_LIMIT));
  },
};

/**
 * The un-gated reference: every rule's regex pre-checks as detect() ran them before the character
 * gates of detectWindow. For differential tests only (detect() must return exactly what this returns).
 */
export function detectExhaustive(value: string): Detection | undefined {
  if (value.length <= SCAN_LIMIT) return exhaustiveWindow(value);
  return exhaustiveWindow(value.slice(0, SCAN_LIMIT)) ?? exhaustiveWindow(value.slice(value.length - SCAN_LIMIT));
}

/** Two dots or an encoded dot: without one there is nothing to climb with. */
const DOTS = /\.\.|%(?:25)?2e|0x2e|%c0%ae|%e0%80%ae|%u002e/i;

function exhaustiveWindow(v: string): Detection | undefined {
  if (!MAYBE.test(v)) return undefined;
  const colon = v.includes(':');
  const nul = v.includes('\0') || v.includes('%00');
  return rules(v, colon, DOTS.test(v), true, nul);
}

/**
 * Each rule is gated by characters it cannot match without, found in one pass over the char codes
 * (scanChars) and, for the few that need a pair of characters, native indexOf searches: an ordinary
 * value pays for that pass and, at most, a regex or two.
 */
function detectWindow(v: string): Detection | undefined {
  const chars = scanChars(v);
  // MAYBE: `[.:\\\0%]` decides it; with only `/`, its `etc/`-style alternative must be asked.
  if ((chars & MAYBE_CHARS) === 0 && ((chars & C_SLASH) === 0 || !MAYBE.test(v))) return undefined;
  const colon = (chars & C_COLON) !== 0;
  const nul = (chars & C_NUL) !== 0 || ((chars & C_PERCENT) !== 0 && v.includes('%00'));
  return rules(v, colon, hasDots(v, chars), maySensitive(v, chars), nul);
}

/** DOTS.test(v), one alternative at a time, each only when its first character occurs. */
function hasDots(v: string, chars: number): boolean {
  return (
    ((chars & C_DOT) !== 0 && v.includes('..')) ||
    ((chars & C_PERCENT) !== 0 && ENCODED_DOTS.test(v)) ||
    ((chars & C_ZERO_X) === C_ZERO_X && HEX_DOT.test(v))
  );
}

/** DOTS's alternatives after `\.\.`. */
const ENCODED_DOTS = /%(?:25)?2e|%c0%ae|%e0%80%ae|%u002e/i;
const HEX_DOT = /0x2e/i;

/**
 * Whether sensitive() may match. Its patterns (targets.ts) need one of: a `.` or `_` before a letter
 * (`.env`, `web.config`, `debug_log`, `x.sql`); a separator and one of the directory names the
 * separator-bound targets start with (SENSITIVE_TARGET, HOST_PATH); a `.` in a value that starts
 * with `/`, `\`, `~` or holds a `\` (HIDDEN_PATH, which also takes `.1`).
 */
function maySensitive(v: string, chars: number): boolean {
  if (((chars & C_DOT) !== 0 && letterAfter(v, '.')) || ((chars & C_UNDERSCORE) !== 0 && letterAfter(v, '_'))) return true;
  const c0 = v.charCodeAt(0);
  if ((chars & C_DOT) !== 0 && (c0 === 47 || c0 === 92 || c0 === 126 || (chars & C_BACKSLASH) !== 0)) return true;
  return (chars & (C_SLASH | C_BACKSLASH)) !== 0 && TARGET_DIRS.test(v);
}

/** Every separator-bound target starts with one of these (`system32` with `sys`, `winnt` with `win`). */
const TARGET_DIRS = /etc|proc|sys|var|win|inetpub|web-inf|meta-inf|tmp|dev/i;

/** Whether some `ch` in `v` is followed by an ASCII letter. */
function letterAfter(v: string, ch: string): boolean {
  for (let i = v.indexOf(ch); i >= 0 && i + 1 < v.length; i = v.indexOf(ch, i + 1)) {
    const c = v.charCodeAt(i + 1) | 32;
    if (c >= 97 && c <= 122) return true;
  }
  return false;
}

function rules(v: string, colon: boolean, dots: boolean, sensitiveMay: boolean, nul: boolean): Detection | undefined {
  return (
    (colon ? wrapper(v) : undefined) ??
    (dots ? climb(v) : undefined) ??
    (sensitiveMay ? sensitive(v) : undefined) ??
    (colon || v.startsWith('\\\\') ? remoteInclude(v) : undefined) ??
    (nul ? nulTruncation(v) : undefined)
  );
}

/** Bits of scanChars (`C_`: a character, not the regex sources above). */
const C_DOT = 1;
const C_COLON = 2;
const C_BACKSLASH = 4;
const C_NUL = 8;
const C_PERCENT = 16;
const C_SLASH = 32;
const C_UNDERSCORE = 64;
const C_ZERO = 128;
const C_X = 256; // `x` or `X`
const C_ZERO_X = C_ZERO | C_X;
/** MAYBE's first alternative, `[.:\\\0%]`. */
const MAYBE_CHARS = C_DOT | C_COLON | C_BACKSLASH | C_NUL | C_PERCENT;

/** Per ASCII code, the bit of the character (0 for the rest). */
const CHAR_BITS = new Int32Array(128);
for (const [ch, bit] of [['.', C_DOT], [':', C_COLON], ['\\', C_BACKSLASH], ['\0', C_NUL], ['%', C_PERCENT], ['/', C_SLASH], ['_', C_UNDERSCORE], ['0', C_ZERO], ['x', C_X], ['X', C_X]] as const) {
  CHAR_BITS[ch.charCodeAt(0)] = bit;
}

/** Which of the characters above `v` holds. No regex; reads stay in bounds. */
function scanChars(v: string): number {
  let mask = 0;
  const n = v.length;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 128) mask |= CHAR_BITS[c]!;
  }
  return mask;
}

function wrapper(v: string): Detection | undefined {
  const m = WRAPPER.exec(v) ?? DATA_PHP.exec(v);
  if (!m) return undefined;
  const scheme = m[0].slice(0, m[0].search(/[:.]/)).toLowerCase();
  return hit(WRAPPER_CONFIDENCE[scheme] ?? 0.85, 'stream-wrapper', m[0]);
}

/**
 * One climbing segment is a finding but a modest one (`../images/a.png` exists in real traffic);
 * several in a row, or climbing to a known target, is an attack.
 */
function climb(v: string): Detection | undefined {
  CLIMB.lastIndex = 0;
  const first = CLIMB.exec(v);
  const trailing = first ? undefined : TRAILING_CLIMB.exec(v);
  const m = first ?? trailing;
  if (!m) return undefined;
  const second = first ? CLIMB.exec(v) : null;
  const target = SENSITIVE_TARGET.exec(v);
  // Unless a NUL or `;` cuts the path short before the extension (`../../shell.php%00.png`).
  if (!target && ASSET_END.test(v) && !/[\0;]|%00/.test(v)) return undefined;
  const confidence = target ? 0.95 : second ? 0.85 : 0.65;
  const from = m.index;
  const to = target ? target.index + target[0].length : (second ? second.index + second[0].length : from + m[0].length);
  return hit(confidence, 'path-climb', v.slice(from, Math.max(to, from + m[0].length)));
}

function sensitive(v: string): Detection | undefined {
  const m = SENSITIVE_TARGET.exec(v);
  if (m) return hit(0.8, 'sensitive-file', m[0]);
  const host = HOST_PATH.exec(v);
  if (host) return hit(0.65, 'sensitive-file', v.slice(host.index, host.index + 24).trim());
  const backup = BACKUP_FILE.exec(v);
  if (backup) return hit(0.6, 'sensitive-file', backup[0]);
  const hidden = HIDDEN_PATH.exec(v);
  return hidden ? hit(0.6, 'sensitive-file', hidden[0]) : undefined;
}

/** What INCLUDE_URL and IP_SCRIPT_URL end or start with, checked first because it is far cheaper. */
const INCLUDE_END = /(?:\?|\0|%00)(?:$|[\s"'<>])/;
const IP_HOST = /:\/\/[\d[]/;

function remoteInclude(v: string): Detection | undefined {
  const m = (INCLUDE_END.test(v) ? INCLUDE_URL.exec(v) : null) ?? UNC_PATH.exec(v);
  if (m) return hit(0.75, 'remote-include', m[0]);
  const ip = IP_HOST.test(v) ? IP_SCRIPT_URL.exec(v) : null;
  return ip ? hit(0.6, 'remote-include', ip[0]) : undefined;
}

function nulTruncation(v: string): Detection | undefined {
  const m = NUL_TRUNCATION.exec(v);
  return m ? hit(0.75, 'nul-truncation', m[0]) : undefined;
}

function hit(confidence: number, reason: string, fragment: string): Detection {
  return { detector: 'traversal', confidence, reason, fragment: fragment.slice(0, 64) };
}
