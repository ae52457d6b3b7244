import type { Credential } from '../inventory/auth.js';
import type { EndpointInventory } from '../inventory/endpoint.js';

/**
 * OpenAPI security schemes for the credentials seen. Each distinct (location, name, scheme) is
 * one scheme: `bearerAuth` and `basicAuth` for `Authorization: Bearer|Basic`, an `apiKey` scheme
 * for any other credential header, credential query parameter or session cookie, named after
 * where it is sent (`apiKeyHeader_x-api-key`, `apiKeyQuery_api_key`, `cookie_session`).
 */
export interface SecuritySchemeObject {
  type: 'http' | 'apiKey';
  scheme?: 'bearer' | 'basic';
  in?: 'header' | 'query' | 'cookie';
  name?: string;
  description: string;
}

/** Component names may hold `[A-Za-z0-9._-]` only. */
function componentName(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64)}`;
}

export function schemeFor(c: Credential): { id: string; scheme: SecuritySchemeObject } {
  if (c.in === 'header' && c.name.toLowerCase() === 'authorization' && (c.scheme === 'bearer' || c.scheme === 'basic')) {
    return { id: `${c.scheme}Auth`, scheme: { type: 'http', scheme: c.scheme, description: `Authorization: ${c.scheme === 'bearer' ? 'Bearer' : 'Basic'} … (seen in traffic)` } };
  }
  if (c.in === 'cookie') return { id: componentName('cookie', c.name), scheme: { type: 'apiKey', in: 'cookie', name: c.name, description: 'Session cookie (seen in traffic).' } };
  const prefix = c.in === 'query' ? 'apiKeyQuery' : 'apiKeyHeader';
  return { id: componentName(prefix, c.name), scheme: { type: 'apiKey', in: c.in, name: c.name, description: `Credential in the ${c.in} "${c.name}" (seen in traffic).` } };
}

/**
 * One endpoint's `security`: each credential seen is an alternative; `{}` (no credential) joins
 * them when unauthenticated requests were answered 2xx/3xx, since the endpoint then serves
 * callers without one. Only unauthenticated traffic gives `[]`: public. Undefined when the
 * sources did not record credentials at all (auth `unknown`): the document then says nothing.
 */
export function securityOf(e: EndpointInventory, schemes: Map<string, SecuritySchemeObject>): Array<Record<string, string[]>> | undefined {
  const out: Array<Record<string, string[]>> = [];
  const ids = new Set<string>();
  for (const c of e.credentials) {
    const { id, scheme } = schemeFor(c);
    if (!schemes.has(id)) schemes.set(id, scheme);
    if (!ids.has(id)) { ids.add(id); out.push({ [id]: [] }); }
  }
  const none = e.auth.find((a) => a.scheme === 'none');
  if (out.length === 0 && !none) return undefined;
  if (out.length > 0 && none && none.succeeded > 0) out.push({});
  return out;
}
