import type { Detection, Detector } from '../types.js';

/**
 * CRLF injection: a value that a server copies into a response header (a redirect Location, a
 * Set-Cookie) or into an outgoing request line, and that carries a line break followed by a
 * header line or by a whole second HTTP message. A line break alone is not an attack: textareas
 * submit CRLF-separated text, addresses and comments are multi-line. What makes it an attack is
 * what the next line says: `Set-Cookie: …`, `Location: …`, `HTTP/1.1 200 OK`, `GET / HTTP/1.1`.
 *
 * U+2028/U+2029 are not treated as breaks: HTTP stacks do not split on them (Node rejects them in
 * headers). Characters whose low byte is CR or LF (U+010D U+010A, U+560D U+560A) are: servers
 * that narrow strings to Latin-1 bytes turn them into real CR/LF (the Node < 8 request-splitting bug),
 * so they count when a header line follows, as for real breaks.
 */
export const SCAN_LIMIT = 4096;

/** Headers whose injection changes what the client or an intermediary does, and that ordinary text never starts a line with. */
const KNOWN_HEADERS = new Set([
  'set-cookie', 'cookie', 'location', 'refresh', 'content-type', 'content-length', 'content-disposition', 'content-encoding',
  'content-security-policy', 'content-language', 'content-range', 'transfer-encoding', 'authorization', 'proxy-authorization',
  'cache-control', 'access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-headers',
  'access-control-allow-methods', 'strict-transport-security', 'referrer-policy', 'user-agent', 'www-authenticate', 'keep-alive',
  'x-frame-options', 'x-xss-protection', 'x-content-type-options', 'x-forwarded-for', 'x-forwarded-host', 'remote-addr',
  'if-modified-since', 'if-none-match', 'last-modified', 'retry-after', 'clear-site-data', 'permissions-policy', 'p3p',
]);
/**
 * Header names that are also English words (`Host: Anna`, `Origin: Peru`): they count only with
 * a value that reads like a host or URL (`Host: evil.example`). Words like Date/Status are left out.
 */
const WORD_HEADERS = new Set(['host', 'origin', 'referer', 'forwarded']);
const HOSTLIKE_VALUE = /^[ \t]*(?:[a-z][a-z0-9+.-]*:\/\/)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:[/?#]\S*)?[ \t]*(?:[\r\n]|$)/i;

/** After a break: `Name:` (known or hyphenated like `X-Custom-Thing:`), allowing stray CR/tabs before the colon. */
const HEADER_LINE = /^([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)[ \t\r]*:/;
/** A second message: a status line or a request line. */
const STATUS_LINE = /^HTTP\/\d(?:\.\d)?[ \t]+\d{3}\b/i;
const REQUEST_LINE = /^(?:GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE|PROPFIND)[ \t]+\S+[ \t]+HTTP\/\d(?:\.\d)?\b/i;
const WIDE = /[^\u0000-\u00ff]/;
/** A blank line (end of headers) and then a document: the body of a second, forged response. */
const FORGED_BODY = /^<(?:!doctype\s+html|html[\s>])/i;
/** How far after a break a header or message line is looked for. */
const LINE_LOOKAHEAD = 80;

export const crlf: Detector = {
  id: 'crlf',
  detect(value: string): Detection | undefined {
    if (value.length <= SCAN_LIMIT) return detectWindow(value);
    return detectWindow(value.slice(0, SCAN_LIMIT)) ?? detectWindow(value.slice(value.length - SCAN_LIMIT));
  },
};

/** CR/LF, or a wide character that narrows to one (low byte 0x0A/0x0D). */
function breakKind(code: number): 'real' | 'narrowed' | undefined {
  if (code === 10 || code === 13) return 'real';
  if (code > 0xff && ((code & 0xff) === 10 || (code & 0xff) === 13)) return 'narrowed';
  return undefined;
}

function detectWindow(v: string): Detection | undefined {
  if (!hasBreak(v)) return undefined;
  for (let i = 0; i < v.length; i++) {
    const kind = breakKind(v.charCodeAt(i));
    if (!kind) continue;
    let j = i + 1;
    while (j < v.length && breakKind(v.charCodeAt(j))) j++; // `\r\n`, `\n\r`, `\r\n\r\n`
    // The header after a look-alike break is plain ASCII in practice, so the line is read as is.
    const line = v.slice(j, j + LINE_LOOKAHEAD);
    // Browsers send CRLF or LF line ends; a CR alone only comes from someone writing the bytes.
    const bareCr = v.charCodeAt(i) === 13 && j === i + 1;
    const blankLine = v.startsWith('\r\n\r\n', i) && j === i + 4;
    const found = classify(line, bareCr) ?? (blankLine && FORGED_BODY.test(line) ? { confidence: 0.75, reason: 'response-splitting' } : undefined);
    if (found) {
      const confidence = kind === 'real' ? found.confidence : found.confidence - 0.1;
      return { detector: 'crlf', confidence, reason: found.reason, fragment: v.slice(i, i + 64) };
    }
    i = j - 1;
  }
  return undefined;
}

/** Fast pre-check: most values have no line break at all. */
function hasBreak(v: string): boolean {
  if (v.includes('\n') || v.includes('\r')) return true;
  if (!WIDE.test(v)) return false;
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) > 0xff && breakKind(v.charCodeAt(i))) return true;
  return false;
}

function classify(line: string, bareCr: boolean): { confidence: number; reason: string } | undefined {
  if (STATUS_LINE.test(line) || REQUEST_LINE.test(line)) return { confidence: 0.95, reason: 'response-splitting' };
  const h = HEADER_LINE.exec(line);
  if (!h) return undefined;
  const name = h[1]!.toLowerCase();
  if (KNOWN_HEADERS.has(name)) return { confidence: 0.9, reason: 'header-injection' };
  if (WORD_HEADERS.has(name)) return HOSTLIKE_VALUE.test(line.slice(h[0].length)) ? { confidence: 0.85, reason: 'header-injection' } : undefined;
  // A header line in text form: a name of 3+ characters and a printable value (binary blobs have stray CRs too).
  if (bareCr && /^[A-Za-z][A-Za-z0-9-]{2,40}:[ \t]*[\x21-\x7e][\x20-\x7e]{2}/.test(line)) return { confidence: 0.8, reason: 'header-injection' };
  // `X-Injected:`, `Some-Header:`: header-shaped names; one plain word (`Note:`, `Re:`) is ordinary text.
  if (name.startsWith('x-') || (name.includes('-') && /^[A-Z][a-z0-9]+(?:-[A-Z][a-z0-9]+)+$/.test(h[1]!))) return { confidence: 0.8, reason: 'header-injection' };
  return undefined;
}
