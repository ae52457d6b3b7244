import type { ControlFactory } from '../../core/control.js';
import type { Principal, RequestContext } from '../../core/context.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import { MISSING, requestValues, responseValues } from '../shared/object-values.js';
import { compileRules, type CompiledRule, type ObjectAuthorizationConfig } from './rules.js';

export const RULE_NOT_OWNER = 'access/object-not-owned';

/**
 * Object-level authorization (OWASP API1, BOLA): ownership rules say where a request or a
 * response names the owner of the object it touches, and which claim of the caller that must
 * equal. Request values are checked before anything is forwarded; response values before the
 * client reads the body (a mismatch withholds it). A caller without the claim is refused: a
 * rule never passes for want of data about the caller.
 */
export const objectAuthorization: ControlFactory = {
  id: 'object-authorization',
  // Request values are checked after request validation (same phase, later in the registry),
  // so a malformed id is a 400 from the contract, not an ownership question.
  phases: ['requestBody', 'responseBody'],
  defaultMode: 'block',
  description: 'Ownership rules: a path, query, header or body value (or a response field) must equal a claim of the caller, unless a role exempts it.',
  create: ({ config, operations = [] }) => {
    const cfg = (config.controls['object-authorization'] ?? {}) as ObjectAuthorizationConfig;
    const rules = compileRules(cfg.rules ?? [], operations);
    const status = cfg.status ?? 403;
    return {
      id: 'object-authorization',
      phases: ['requestBody', 'responseBody'],
      appliesTo: (op) => op !== undefined && (rules.request.has(op) || rules.body.has(op) || rules.response.has(op)),
      wantsResponseBody(ctx, head) {
        const op = ctx.route?.operation;
        return op !== undefined && head.status >= 200 && head.status < 300 && rules.response.has(op);
      },
      evaluate(ctx, phase, response) {
        const op = ctx.route?.operation;
        if (!op) return PASS;
        if (phase === 'requestBody') {
          const values = (r: CompiledRule) => (r.source.in === 'response' ? [] : requestValues(ctx, r.source));
          const head = checkAll(ctx, rules.request.get(op), status, values);
          return head.kind !== 'pass' ? head : checkAll(ctx, rules.body.get(op), status, values);
        }
        if (!response || response.status < 200 || response.status >= 300) return PASS;
        const list = rules.response.get(op);
        if (!list) return PASS;
        const parsed = response.isJson ? response.json() : undefined;
        return checkAll(ctx, list, status, (r) => {
          if (!parsed?.ok || r.source.in !== 'response') return [MISSING];
          const found = responseValues(parsed.value, r.source.pointer);
          return found.length === 0 && !r.source.pointer.includes('*') ? [MISSING] : found;
        }, true);
      },
    };
  },
};

function checkAll(ctx: RequestContext, list: CompiledRule[] | undefined, status: number, values: (r: CompiledRule) => (string | undefined | typeof MISSING)[], inResponse = false): Verdict {
  if (!list) return PASS;
  for (const rule of list) {
    if (rule.unlessRoles.some((r) => ctx.principal.roles.includes(r))) continue;
    const allowed = claimValues(ctx.principal, rule.claim);
    for (const v of values(rule)) {
      if (v === undefined) continue; // the request does not name an owner here
      if (v !== MISSING && allowed.includes(v)) continue;
      return deny(ctx, rule, status, v === MISSING ? undefined : v, inResponse);
    }
  }
  return PASS;
}

function deny(ctx: RequestContext, rule: CompiledRule, status: number, value: string | undefined, inResponse: boolean): Verdict {
  const anonymous = ctx.principal.kind === 'anonymous';
  return {
    kind: 'block', ruleId: RULE_NOT_OWNER, owasp: 'API1:2023', severity: 'high', status: anonymous ? 401 : status,
    detail: inResponse ? 'The object is not accessible to the caller; the response was withheld.' : 'The object is not accessible to the caller.',
    evidence: { rule: rule.index, where: rule.where, claim: rule.claim, value: value === undefined ? '(missing)' : value.slice(0, 128), phase: inResponse ? 'response' : 'request' },
  };
}

function claimValues(p: Principal, claim: string): string[] {
  const v = p.claims?.[claim];
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v.map((x) => String(x)) : [String(v)];
}
