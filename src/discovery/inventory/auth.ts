import { REDACTED, type AuthScheme, type TrafficRecord } from '../sources/record.js';
import { isCredentialName } from '../sources/redact.js';

/**
 * The credentials a record carried, from what the sources kept of them: the scheme of each
 * credential header, credential-named query parameters (their value already `[redacted]`), and
 * the names of credential cookies. No value is read, because none is left to read.
 */
export interface Credential {
  scheme: Exclude<AuthScheme, 'none'>;
  /** Where it was sent, as an OpenAPI security scheme names it. */
  in: 'header' | 'query' | 'cookie';
  /** The header, query parameter or cookie name (`Authorization`, `X-Api-Key`, `api_key`, `session`). */
  name: string;
}

const SCHEMES: ReadonlySet<string> = new Set(['bearer', 'basic', 'apikey', 'cookie']);
const MAX_CREDENTIALS = 8;

/** The credentials of one record; empty when it carried none (auth `none`). */
export function credentialsOf(r: TrafficRecord): Credential[] {
  const out: Credential[] = [];
  for (const [name, value] of Object.entries(r.requestHeaders)) {
    if (out.length >= MAX_CREDENTIALS) break;
    if (name === 'cookie' || name === 'proxy-authorization' || !SCHEMES.has(value) || !isCredentialName(name)) continue;
    if (name === 'authorization') out.push({ scheme: value === 'cookie' ? 'apikey' : (value as Credential['scheme']), in: 'header', name: 'Authorization' });
    else out.push({ scheme: 'apikey', in: 'header', name });
  }
  for (const [name, value] of Object.entries(r.query)) {
    if (out.length >= MAX_CREDENTIALS) break;
    if (isCredentialName(name) && (value === REDACTED || (Array.isArray(value) && value.includes(REDACTED)))) out.push({ scheme: 'apikey', in: 'query', name });
  }
  // A Cookie header alone is not a credential (preferences, tracking): a session cookie is.
  for (const name of r.credentialCookies ?? []) {
    if (out.length >= MAX_CREDENTIALS) break;
    out.push({ scheme: 'cookie', in: 'cookie', name });
  }
  return out;
}

/** The scheme a record is counted under: its first credential's, `none` without one. */
export function authOf(credentials: readonly Credential[]): AuthScheme {
  return credentials[0]?.scheme ?? 'none';
}
