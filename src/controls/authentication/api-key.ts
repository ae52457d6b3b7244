import { headerValue, type Principal, type RequestContext } from '../../core/context.js';
import type { Verdict } from '../../core/verdict.js';
import type { KeyRegistry } from '../../keys/registry.js';
import { parseCookieHeader } from '../../openapi/parameters.js';
import type { SecuritySchemeSpec } from '../../openapi/operations.js';

export const KEY_RULES = {
  invalid: 'auth/invalid-api-key',
  unavailable: 'auth/key-store-unavailable',
  honeytoken: 'deception/honeytoken',
} as const;

type KeyOutcome = { principal: Principal } | { verdict: Verdict } | { missing: true };

/**
 * An OpenAPI `apiKey` scheme: the key is read where the scheme says (header, query or cookie)
 * and checked against the key registry. Nothing about a failed key is told to the caller
 * beyond "not valid"; the event says why.
 */
export function checkApiKey(ctx: RequestContext, name: string, scheme: SecuritySchemeSpec, registry: KeyRegistry | undefined): KeyOutcome {
  const located = locate(ctx, scheme);
  if (located === undefined) return { missing: true };
  if (located === 'ambiguous') return { verdict: invalid(name, 'credential sent more than once') };
  if (!registry) return { verdict: invalid(name, 'no key store configured') };
  const result = registry.check(located);
  if (result.ok) {
    const r = result.record;
    if (scheme.in === 'header') (ctx.consumedHeaders ??= []).push(scheme.name!.toLowerCase());
    return { principal: { id: `key:${r.id}`, kind: 'api-key', roles: r.roles, scopes: r.scopes, claims: { sub: r.id } } };
  }
  switch (result.reason) {
    case 'unavailable':
      return {
        verdict: {
          kind: 'block', ruleId: KEY_RULES.unavailable, owasp: 'API2:2023', severity: 'high', status: 503,
          detail: 'Credentials cannot be checked right now.', evidence: { scheme: name },
          headers: { 'retry-after': '5' },
        },
      };
    case 'decoy':
      return {
        verdict: {
          kind: 'block', ruleId: KEY_RULES.honeytoken, owasp: 'API2:2023', severity: 'critical', status: 401,
          detail: 'The API key is not valid.', evidence: { scheme: name, keyId: result.record.id, keyName: result.record.name },
          headers: { 'www-authenticate': 'ApiKey' },
        },
      };
    default:
      return { verdict: invalid(name, result.reason, result.record?.id) };
  }
}

function locate(ctx: RequestContext, scheme: SecuritySchemeSpec): string | 'ambiguous' | undefined {
  const name = scheme.name ?? '';
  switch (scheme.in) {
    case 'header': return headerValue(ctx, name.toLowerCase());
    case 'query': {
      const values = ctx.query?.get(name);
      if (!values || values.length === 0) return undefined;
      return values.length > 1 ? 'ambiguous' : values[0];
    }
    case 'cookie': {
      const header = headerValue(ctx, 'cookie');
      if (!header) return undefined;
      const matches = header.split(';').filter((p) => p.trim().startsWith(`${name}=`)).length;
      return matches > 1 ? 'ambiguous' : parseCookieHeader(header).get(name);
    }
    default: return undefined;
  }
}

function invalid(scheme: string, reason: string, keyId?: string): Verdict {
  return {
    kind: 'block', ruleId: KEY_RULES.invalid, owasp: 'API2:2023', severity: 'medium', status: 401,
    detail: 'The API key is not valid.', evidence: keyId ? { scheme, reason, keyId } : { scheme, reason },
    headers: { 'www-authenticate': 'ApiKey' },
  };
}
