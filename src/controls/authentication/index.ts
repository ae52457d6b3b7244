import type { ControlFactory } from '../../core/control.js';
import { headerValue, type Principal, type RequestContext } from '../../core/context.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import type { KeyRegistry } from '../../keys/registry.js';
import type { CompiledOperation } from '../../openapi/compile.js';
import type { SecuritySchemeSpec } from '../../openapi/operations.js';
import { checkApiKey } from './api-key.js';
import { parseBearer } from './bearer.js';
import { TokenIntrospector } from './introspection.js';
import { JwtVerifier } from './jwt-verifier.js';

export const RULES = {
  missing: 'auth/missing-credentials',
  invalid: 'auth/invalid-token',
  unsupported: 'auth/unsupported-scheme',
  missingScope: 'access/missing-scope',
  keysUnavailable: 'auth/issuer-keys-unavailable',
  introspectionUnavailable: 'auth/introspection-unavailable',
  invalidCert: 'auth/invalid-client-certificate',
} as const;

/**
 * The operation's `security` requirement decides: alternatives are OR-ed, the schemes inside
 * one alternative AND-ed; `security: []` is public, an empty alternative beside others makes
 * credentials optional. Bearer JWTs and
 * the gateway's own API keys are verified here; schemes this build cannot verify fail closed.
 */
export const authentication: ControlFactory = {
  id: 'authentication',
  phases: ['identity'],
  defaultMode: 'block',
  description: 'Operation security requirements (bearer JWT, API keys); missing or invalid credentials: 401.',
  create: ({ config, keys }) => {
    const jwt = config.identity.jwt;
    const verifier = new JwtVerifier(jwt?.issuers ?? [], jwt?.clockToleranceSec ?? 30, { maxAgeSec: jwt?.verifiedCacheSec ?? 0, maxEntries: jwt?.verifiedCacheEntries ?? 0 });
    const ic = config.identity.introspection;
    const introspector = ic ? new TokenIntrospector(ic, jwt?.clockToleranceSec ?? 30) : undefined;
    const access = new WeakMap<CompiledOperation, Access>();
    return {
      id: 'authentication',
      phases: ['identity'],
      appliesTo: (op) => op !== undefined && accessOf(op).kind !== 'public',
      // Synchronous for public operations, so they never pay for a promise.
      evaluate(ctx) {
        const op = ctx.route?.operation;
        if (!op) return PASS;
        let a = access.get(op);
        if (a === undefined) {
          a = accessOf(op);
          access.set(op, a);
        }
        if (a.kind === 'public') return PASS;
        const outcome = authenticate(ctx, a.named, op.schemes, { verifier, introspector, keys });
        return a.kind === 'required' ? outcome : outcome.then(optional);
      },
    };
  },
};

/**
 * public: no alternative names a scheme. optional: one alternative is empty (`{}`) beside
 * others: anonymous callers pass, but credentials that are presented must be valid, and then
 * name the caller (so later controls see its roles).
 */
interface Access {
  kind: 'public' | 'optional' | 'required';
  /** The alternatives that name at least one scheme. */
  named: Record<string, string[]>[];
}

function accessOf(op: CompiledOperation): Access {
  const named = op.security.filter((alt) => Object.keys(alt).length > 0);
  const kind = named.length === 0 ? 'public' : named.length < op.security.length ? 'optional' : 'required';
  return { kind, named };
}

function optional(v: Verdict): Verdict {
  return v.kind !== 'pass' && v.ruleId === RULES.missing ? PASS : v;
}

interface Verifiers { verifier: JwtVerifier; introspector: TokenIntrospector | undefined; keys: KeyRegistry | undefined }

/** The first alternative that passes wins; otherwise the most telling failure is reported. */
async function authenticate(ctx: RequestContext, alternatives: readonly Record<string, string[]>[], schemes: Map<string, SecuritySchemeSpec>, v: Verifiers): Promise<Verdict> {
  let reported: Verdict | undefined;
  for (const alternative of alternatives) {
    const outcome = await satisfy(ctx, alternative, schemes, v);
    if (outcome.kind === 'pass') return PASS;
    if (!reported || rank(outcome) > rank(reported)) reported = outcome;
  }
  return reported ?? PASS;
}

/** A honeytoken beats an outage beats a bad credential beats a missing one. */
function rank(v: Verdict): number {
  if (v.kind === 'pass') return 0;
  if (v.severity === 'critical') return 4;
  if (v.status === 503) return 3;
  return v.ruleId === RULES.missing ? 1 : 2;
}

async function satisfy(ctx: RequestContext, alternative: Record<string, string[]>, schemes: Map<string, SecuritySchemeSpec>, v: Verifiers): Promise<Verdict> {
  const held: Principal[] = [];
  for (const name of Object.keys(alternative)) {
    const scheme = schemes.get(name);
    const required = alternative[name] ?? [];
    let principal: Principal;
    if (scheme?.type === 'apiKey' && scheme.name && (scheme.in === 'header' || scheme.in === 'query' || scheme.in === 'cookie')) {
      const outcome = checkApiKey(ctx, name, scheme, v.keys);
      if ('missing' in outcome) return deny(RULES.missing, 401, 'Credentials are required.', { scheme: name }, 'ApiKey');
      if ('verdict' in outcome) return outcome.verdict;
      principal = outcome.principal;
    } else if (scheme?.type === 'mutualTLS') {
      const outcome = checkClientCert(ctx, name);
      if ('verdict' in outcome) return outcome.verdict;
      principal = outcome.principal;
    } else if (isBearerScheme(scheme)) {
      const outcome = await checkBearer(ctx, name, v);
      if ('verdict' in outcome) return outcome.verdict;
      principal = outcome.principal;
    } else {
      return deny(RULES.unsupported, 401, `Security scheme "${name}" cannot be verified by this gateway.`, { scheme: name });
    }
    // OAuth scopes, or (OpenAPI 3.1, other schemes) role names: each must be held as either.
    const missing = required.filter((s) => !principal.scopes.includes(s) && !principal.roles.includes(s));
    if (missing.length > 0) return deny(RULES.missingScope, 403, 'The credentials lack a scope this operation requires.', { scheme: name, missing });
    held.push(principal);
  }
  if (held.length > 0) ctx.principal = merge(held);
  return PASS;
}

/** OpenAPI 3.1 `mutualTLS`: the TLS handshake verified a client certificate against tls.clientCa. */
function checkClientCert(ctx: RequestContext, name: string): { principal: Principal } | { verdict: Verdict } {
  const cert = ctx.clientCert;
  if (!cert) return { verdict: deny(RULES.missing, 401, 'A client certificate is required.', { scheme: name }, 'Certificate') };
  if (!cert.authorized) return { verdict: deny(RULES.invalidCert, 401, 'The client certificate is not trusted.', { scheme: name, reason: cert.error ?? 'unverified' }, 'Certificate') };
  const subject = cert.subject ?? cert.fingerprint256 ?? '?';
  return { principal: { id: `mtls:${subject}`, kind: 'mtls', roles: [], scopes: [], claims: { sub: subject, fingerprint256: cert.fingerprint256 } } };
}

function isBearerScheme(scheme: SecuritySchemeSpec | undefined): boolean {
  if (!scheme) return false;
  if (scheme.type === 'http') return scheme.scheme?.toLowerCase() === 'bearer';
  return scheme.type === 'openIdConnect' || scheme.type === 'oauth2';
}

async function checkBearer(ctx: RequestContext, name: string, v: Verifiers): Promise<{ principal: Principal } | { verdict: Verdict }> {
  const header = headerValue(ctx, 'authorization');
  if (header === undefined) return { verdict: deny(RULES.missing, 401, 'Credentials are required.', { scheme: name }) };
  const token = parseBearer(header);
  if (!token) return { verdict: deny(RULES.invalid, 401, 'The Authorization header is not a single bearer token.', { scheme: name }) };
  const { verifier, introspector } = v;
  if (!verifier.configured && !introspector) return { verdict: deny(RULES.invalid, 401, 'No token issuer is configured.', { scheme: name, reason: 'identity.jwt not configured' }) };
  // A JWT of a configured issuer is verified here; anything else goes to introspection when there is one.
  if (verifier.configured && (!introspector || JWT_SHAPE.test(token))) {
    const result = await verifier.verify(token);
    if (result.ok) return { principal: jwtPrincipal(result.payload, result.issuer.rolesClaim) };
    if (result.unavailable) return { verdict: unavailable(RULES.keysUnavailable, name, result.reason) };
    if (!introspector || (result.reason !== 'unknown issuer' && result.reason !== 'malformed token')) {
      return { verdict: deny(RULES.invalid, 401, 'The bearer token is not valid.', { scheme: name, reason: result.reason }) };
    }
  }
  const answer = await introspector!.introspect(token);
  if (!answer.ok && answer.unavailable) return { verdict: unavailable(RULES.introspectionUnavailable, name, answer.reason) };
  if (!answer.ok) return { verdict: deny(RULES.invalid, 401, 'The bearer token is not valid.', { scheme: name, reason: answer.reason }) };
  const c = answer.claims;
  const subject = typeof c.sub === 'string' ? c.sub : typeof c.client_id === 'string' ? c.client_id : '?';
  return { principal: { ...grants(c, introspector!.rolesClaim), id: `oauth:${subject}`, kind: 'introspection', claims: c } };
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function jwtPrincipal(payload: Readonly<Record<string, unknown>>, rolesClaim: string): Principal {
  return { ...grants(payload, rolesClaim), id: `jwt:${typeof payload.sub === 'string' ? payload.sub : '?'}`, kind: 'jwt', claims: payload };
}

/** Roles from the configured claim, scopes from the space-separated `scope` (RFC 8693 / 7662). */
function grants(claims: Readonly<Record<string, unknown>>, rolesClaim: string): { roles: string[]; scopes: string[] } {
  const r = claims[rolesClaim];
  const roles = Array.isArray(r) ? r.map(String) : typeof r === 'string' ? [r] : [];
  const scope = claims.scope;
  return { roles, scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [] };
}

function unavailable(ruleId: string, scheme: string, reason: string): Verdict {
  return {
    kind: 'block', ruleId, owasp: 'API2:2023', severity: 'high', status: 503,
    detail: 'Credentials cannot be checked right now.', evidence: { scheme, reason }, headers: { 'retry-after': '5' },
  };
}

/** Several schemes in one alternative (e.g. a key AND a token): the first names the caller, grants add up. */
function merge(held: readonly Principal[]): Principal {
  if (held.length === 1) return held[0]!;
  return {
    ...held[0]!,
    roles: [...new Set(held.flatMap((p) => p.roles))],
    scopes: [...new Set(held.flatMap((p) => p.scopes))],
  };
}

function deny(ruleId: string, status: number, detail: string, evidence: Record<string, string | string[]>, challenge = 'Bearer'): Verdict {
  return {
    kind: 'block', ruleId, owasp: 'API2:2023', severity: status === 403 ? 'high' : 'medium', status, detail, evidence,
    headers: status === 401 ? { 'www-authenticate': challenge } : undefined,
  };
}
