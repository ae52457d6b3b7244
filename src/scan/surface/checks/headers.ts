import { quote } from '../redact.js';
import type { Answer, CheckInfo, Judgement } from '../types.js';

/** What the answers' headers tell: transport security, version banners, CORS. */

export const PLAINTEXT_HTTP: CheckInfo = {
  id: 'surface:plaintext-http',
  title: 'API served over plain HTTP',
  owasp: 'API8:2023',
  cwe: 'CWE-319',
  severity: 'high',
  remediation: 'Serve the API over HTTPS only; answer plain HTTP with a redirect (or not at all, for APIs: clients should fail rather than send credentials in clear) and send Strict-Transport-Security.',
};

export const MISSING_HSTS: CheckInfo = {
  id: 'surface:missing-hsts',
  title: 'HTTPS without Strict-Transport-Security',
  owasp: 'API8:2023',
  cwe: 'CWE-523',
  severity: 'medium',
  remediation: 'Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on every HTTPS answer, so clients never try plain HTTP again (and a downgrade cannot strip TLS).',
};

export const VERSION_BANNER: CheckInfo = {
  id: 'surface:version-banner',
  title: 'Answers reveal the server software',
  owasp: 'API8:2023',
  cwe: 'CWE-497',
  severity: 'low',
  remediation: 'Drop or blank the banner headers (`server_tokens off` in nginx, `ServerTokens Prod` in Apache, `app.disable(\'x-powered-by\')` in Express, `expose_php = Off`), or let the gateway strip them; they tell an attacker which known vulnerabilities to try.',
};

export const CORS_ANY_ORIGIN: CheckInfo = {
  id: 'surface:cors-any-origin',
  title: 'CORS allows any origin',
  owasp: 'API8:2023',
  cwe: 'CWE-942',
  severity: 'medium',
  remediation: 'Answer CORS only for an allow-list of origins; never reflect the request\'s Origin, and never combine a reflected or `null` origin with `Access-Control-Allow-Credentials: true`.',
};

/** 180 days: what the HSTS preload list asks for as a minimum. */
export const HSTS_MIN_MAX_AGE = 15_552_000;

/** Loopback targets (127.0.0.0/8, ::1, localhost): their traffic never crosses a network, so transport is not judged. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export interface TransportJudgement extends Judgement {
  check: CheckInfo;
}

/** The target's own answer (its root or base path): plain HTTP that does not move to HTTPS, or HTTPS without (or with a short) HSTS. */
export function judgeTransport(target: URL, root: Answer): TransportJudgement | undefined {
  if (target.protocol === 'http:') {
    const upgraded = [root.url, root.redirect].some((u) => u?.startsWith('https:'));
    if (upgraded) return undefined;
    return { check: PLAINTEXT_HTTP, evidence: `${root.method} ${target.origin}${root.path} answered ${root.status} over http, without a redirect to https` };
  }
  const hsts = root.headers['strict-transport-security'];
  if (hsts === undefined) return { check: MISSING_HSTS, evidence: `no Strict-Transport-Security header on the ${root.status} answer` };
  const maxAge = /max-age\s*=\s*"?(\d+)/i.exec(hsts);
  if (maxAge === null || Number(maxAge[1]) < HSTS_MIN_MAX_AGE) {
    return { check: MISSING_HSTS, evidence: quote(`Strict-Transport-Security: ${hsts} (max-age under ${HSTS_MIN_MAX_AGE} s)`, 160), severity: 'low', title: 'HTTPS with a short Strict-Transport-Security max-age' };
  }
  return undefined;
}

const BANNER_HEADERS = ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-generator'] as const;

export interface Banner { header: string; value: string; judgement: Judgement; /** The first answer that carried it. */ answer: Answer }

/**
 * Banner headers across all answers, one per header and value: `Server` only when it names a
 * version (`nginx/1.14.0`, not a bare `nginx`), `X-Powered-By` and the ASP.NET ones always.
 */
export function findBanners(answers: Iterable<Answer>): Banner[] {
  const seen = new Map<string, Banner>();
  for (const a of answers) {
    for (const header of BANNER_HEADERS) {
      const value = a.headers[header];
      if (value === undefined || value.trim() === '' || seen.has(`${header}\n${value}`)) continue;
      const versioned = /\d+\.\d+/.test(value);
      if (header === 'server' && !versioned) continue;
      seen.set(`${header}\n${value}`, { header, value, answer: a, judgement: { evidence: quote(`${header}: ${value}`, 120), severity: versioned ? 'low' : 'info', title: `Answers reveal the server software (${header})` } });
    }
  }
  return [...seen.values()];
}

/** The Origin the CORS probe sends: a name that can never be registered (RFC 6761). */
export const PROBE_ORIGIN = 'https://portcullis-surface.invalid';

/** An answer to a request with `Origin: PROBE_ORIGIN` that lets that origin (or any, or `null`) read it. */
export function judgeCors(a: Answer, origin = PROBE_ORIGIN): Judgement | undefined {
  const allow = a.headers['access-control-allow-origin']?.trim();
  if (allow === undefined) return undefined;
  const credentials = a.headers['access-control-allow-credentials']?.trim().toLowerCase() === 'true';
  if (allow === origin) {
    return credentials
      ? { evidence: `Access-Control-Allow-Origin reflects ${origin}, with Access-Control-Allow-Credentials: true`, severity: 'high', title: 'CORS reflects any origin, with credentials' }
      : { evidence: `Access-Control-Allow-Origin reflects ${origin}` };
  }
  if (allow === '*' && credentials) return { evidence: 'Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true', severity: 'low' };
  return undefined;
}
