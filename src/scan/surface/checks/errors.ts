import { findLeak } from '../../../controls/error-sanitizer/leak-patterns.js';
import { quote } from '../redact.js';
import type { Answer, CheckInfo, Judgement } from '../types.js';

export const VERBOSE_ERROR: CheckInfo = {
  id: 'surface:verbose-error',
  title: 'Error answers reveal internals',
  owasp: 'API8:2023',
  cwe: 'CWE-209',
  severity: 'medium',
  remediation: 'Answer errors with a generic body (RFC 9457 problem+json with a correlation id) and log the details server-side; turn off debug/development error pages (NODE_ENV=production, DEBUG=False, `server.error.include-stacktrace=never`) and the servers\' version footers.',
};

/** A malformed JSON body: it cannot create anything, and lax parsers fail on it loudly. */
export const MALFORMED_JSON = '{"portcullis-surface":';

/** A path with an invalid percent-escape, which naive `decodeURIComponent` routing throws on. */
export function badEscapePath(base: string, token: string): string {
  return `${base}/${token}/%E0%A4%A`;
}

const FILE_PATH = /(?:^|[\s"'(=:])((?:\/(?:home|var|usr|opt|srv|app|root|tmp|workspace|builds?)\/[\w.@-]+(?:\/[\w.@-]+)+|[A-Z]:\\(?:[\w.@ -]+\\)+[\w.@-]+)\.(?:js|mjs|cjs|ts|py|rb|php|java|go|cs|kt|scala|ex|rs))\b/;

/** Default error pages; `versioned` ones name the exact server version (low), the others only the software (info). */
const DEFAULT_PAGES: ReadonlyArray<[name: string, re: RegExp, versioned: boolean]> = [
  ['nginx version footer', /<center>nginx\/\d[\w.]*[^<]*<\/center>/i, true],
  ['Apache version footer', /<address>Apache\/\d[^<]*Server at/i, true],
  ['Tomcat version', /Apache Tomcat\/\d[\w.]*/, true],
  ['Jetty version', /Powered by Jetty:\/\/ ?\d[\w.]*/i, true],
  ['IIS detailed error', /Detailed Error Information|<title>IIS \d+\.\d+ Detailed Error/i, false],
  ['Express default error page', /<pre>Cannot (?:GET|POST|PUT|DELETE|PATCH) [^<]*<\/pre>/, false],
];

/** The first line of a stack trace or of the matched text, for the evidence. */
function firstTraceLine(body: string): string {
  const line = /(?:\n|\\n)\s*(at [^\n\\]{3,200})/.exec(body)?.[1] ?? /Traceback \(most recent call last\)[^\n]*/.exec(body)?.[0] ?? /goroutine \d+ \[running\]/.exec(body)?.[0];
  return line ?? '';
}

/**
 * An error answer (status 400 and up) that carries a stack trace, a framework debug page, an SQL
 * error, a server-side file path, or a server's default page with its version.
 */
export function judgeErrorAnswer(a: Answer): Judgement | undefined {
  if (a.status < 400) return undefined;
  const body = a.body;
  const leak = findLeak(body);
  if (leak !== undefined) {
    const line = firstTraceLine(body);
    return { evidence: quote(`${leak} in a ${a.status} answer${line ? `: ${line}` : ''}`, 200), title: leak === 'sql-error' ? 'Error answers reveal SQL errors' : 'Error answers carry stack traces' };
  }
  const path = FILE_PATH.exec(body)?.[1];
  if (path !== undefined) return { evidence: quote(`server file path in a ${a.status} answer: ${path}`, 200), title: 'Error answers reveal server file paths', severity: 'low' };
  for (const [name, re, versioned] of DEFAULT_PAGES) {
    const m = re.exec(body);
    if (m) {
      return { evidence: quote(`${name} in a ${a.status} answer: ${m[0].replace(/<[^>]+>/g, '')}`, 160), title: 'Error pages reveal the server software', severity: versioned ? 'low' : 'info' };
    }
  }
  return undefined;
}
