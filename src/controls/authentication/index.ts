import type { ControlFactory } from '../../core/control.js';
import { headerValue, type Principal, type RequestContext } from '../../core/context.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import type { CompiledOperation } from '../../openapi/compile.js';
import type { SecuritySchemeSpec } from '../../openapi/operations.js';
import { parseBearer } from './bearer.js';
import { JwtVerifier } from './jwt-verifier.js';

export const RULES = {
  missing: 'auth/missing-credentials',
  invalid: 'auth/invalid-token',
  unsupported: 'auth/unsupported-scheme',
} as const;

/**
 * The operation's `security` requirement decides: alternatives are OR-ed, the schemes inside
 * one alternative AND-ed; `security: []` (or an empty alternative) is public. Bearer JWTs are
 * verified here; schemes this build cannot verify fail closed.
 */
export const authentication: ControlFactory = {
  id: 'authentication',
  phases: ['identity'],
  defaultMode: 'block',
  description: 'Operation security requirements (bearer JWT); missing or invalid credentials: 401.',
  create: ({ config }) => {
    const jwt = config.identity.jwt;
    const verifier = new JwtVerifier(jwt?.issuers ?? [], jwt?.clockToleranceSec ?? 30);
    const publicOps = new WeakMap<CompiledOperation, boolean>();
    return {
      id: 'authentication',
      phases: ['identity'],
      // Synchronous for public operations, so they never pay for a promise.
      evaluate(ctx) {
        const op = ctx.route?.operation;
        if (!op) return PASS;
        let isPublic = publicOps.get(op);
        if (isPublic === undefined) {
          isPublic = op.security.length === 0 || op.security.some((alt) => Object.keys(alt).length === 0);
          publicOps.set(op, isPublic);
        }
        return isPublic ? PASS : authenticate(ctx, op, verifier);
      },
    };
  },
};

async function authenticate(ctx: RequestContext, op: CompiledOperation, verifier: JwtVerifier): Promise<Verdict> {
  let last: Verdict | undefined;
  for (const alternative of op.security) {
    const outcome = await satisfy(ctx, alternative, op.schemes, verifier);
    if (outcome.kind === 'pass') return PASS;
    last = outcome;
  }
  return last ?? PASS;
}

async function satisfy(ctx: RequestContext, alternative: Record<string, string[]>, schemes: Map<string, SecuritySchemeSpec>, verifier: JwtVerifier): Promise<Verdict> {
  let principal: Principal | undefined;
  for (const name of Object.keys(alternative)) {
    const scheme = schemes.get(name);
    const isBearer = scheme?.type === 'http' && scheme.scheme?.toLowerCase() === 'bearer';
    const isOidc = scheme?.type === 'openIdConnect' || scheme?.type === 'oauth2';
    if (!isBearer && !isOidc) {
      return deny(RULES.unsupported, 401, `Security scheme "${name}" cannot be verified by this gateway.`, { scheme: name });
    }
    const header = headerValue(ctx, 'authorization');
    if (header === undefined) return deny(RULES.missing, 401, 'Credentials are required.', { scheme: name });
    const token = parseBearer(header);
    if (!token) return deny(RULES.invalid, 401, 'The Authorization header is not a single bearer token.', { scheme: name });
    if (!verifier.configured) return deny(RULES.invalid, 401, 'No token issuer is configured.', { scheme: name, reason: 'identity.jwt not configured' });
    const result = await verifier.verify(token);
    if (!result.ok) return deny(RULES.invalid, 401, 'The bearer token is not valid.', { scheme: name, reason: result.reason });
    const rolesClaim = result.payload[result.issuer.rolesClaim];
    const roles = Array.isArray(rolesClaim) ? rolesClaim.map(String) : typeof rolesClaim === 'string' ? [rolesClaim] : [];
    const scope = result.payload.scope;
    const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
    const required = alternative[name] ?? [];
    const missing = required.filter((s) => !scopes.includes(s));
    if (missing.length > 0) return deny('access/missing-scope', 403, 'The token lacks a scope this operation requires.', { scheme: name, missing });
    principal = { id: `jwt:${result.payload.sub ?? '?'}`, kind: 'jwt', roles, scopes };
  }
  if (principal) ctx.principal = principal;
  return PASS;
}

function deny(ruleId: string, status: number, detail: string, evidence: Record<string, string | string[]>): Verdict {
  return {
    kind: 'block', ruleId, owasp: 'API2:2023', severity: status === 403 ? 'high' : 'medium', status, detail, evidence,
    headers: status === 401 ? { 'www-authenticate': 'Bearer' } : undefined,
  };
}
