import type { ControlFactory } from '../../core/control.js';
import type { Principal, RequestContext } from '../../core/context.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import { compileRules, type CompiledRule, type ObjectAuthorizationConfig } from './rules.js';

export const RULE_NOT_OWNER = 'access/object-not-owned';

/** Values read per response pointer: a list of millions of items is not checked item by item forever. */
const MAX_RESPONSE_VALUES = 100_000;

/**
 * Object-level authorization (OWASP API1, BOLA): ownership rules say where a request or a
 * response names the owner of the object it touches, and which claim of the caller that must
 * equal. Request values are checked before anything is forwarded; response values before the
 * client reads the body (a mismatch withholds it). A caller without the claim is refused: a
 * rule never passes for want of data about the caller.
 */
export const objectAuthorization: ControlFactory = {
  id: 'object-authorization',
  phases: ['access', 'requestBody', 'responseBody'],
  defaultMode: 'block',
  description: 'Ownership rules: a path, query, header or body value (or a response field) must equal a claim of the caller, unless a role exempts it.',
  create: ({ config, operations = [] }) => {
    const cfg = (config.controls['object-authorization'] ?? {}) as ObjectAuthorizationConfig;
    const rules = compileRules(cfg.rules ?? [], operations);
    const status = cfg.status ?? 403;
    return {
      id: 'object-authorization',
      phases: ['access', 'requestBody', 'responseBody'],
      wantsResponseBody(ctx, head) {
        const op = ctx.route?.operation;
        return op !== undefined && head.status >= 200 && head.status < 300 && rules.response.has(op);
      },
      evaluate(ctx, phase, response) {
        const op = ctx.route?.operation;
        if (!op) return PASS;
        if (phase === 'access') return checkAll(ctx, rules.request.get(op), status, (r) => requestValues(ctx, r));
        if (phase === 'requestBody') {
          const value = ctx.body?.decoded ? ctx.body.value : undefined;
          return checkAll(ctx, rules.body.get(op), status, (r) => [r.source.in === 'body' && value !== undefined ? bodyValue(value, r.source.pointer) : undefined]);
        }
        if (!response || response.status < 200 || response.status >= 300) return PASS;
        const list = rules.response.get(op);
        if (!list) return PASS;
        const parsed = response.isJson ? response.json() : undefined;
        return checkAll(ctx, list, status, (r) => {
          if (!parsed?.ok || r.source.in !== 'response') return [MISSING];
          const found = collect(parsed.value, r.source.pointer);
          return found.length === 0 && !r.source.pointer.includes('*') ? [MISSING] : found;
        }, true);
      },
    };
  },
};

/** A response owner field that should be there and is not: the body cannot be vouched for. */
const MISSING = Symbol('missing');

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

/** Every value the request gives there (a repeated query parameter: each must pass). */
function requestValues(ctx: RequestContext, rule: CompiledRule): (string | undefined)[] {
  const s = rule.source;
  if (s.in === 'path') {
    const raw = ctx.route?.rawParams[s.name];
    return [raw === undefined ? undefined : safeDecode(raw)];
  }
  if (s.in === 'query') return ctx.query?.get(s.name) ?? [undefined];
  if (s.in === 'header') {
    const v = ctx.headers[s.name];
    return Array.isArray(v) ? v : [v];
  }
  return [undefined];
}

/** Absent: the body names no owner. Present but not a scalar (`{"$ne": 1}`, `[2]`): cannot be matched, refused. */
function bodyValue(body: unknown, pointer: readonly string[]): string | undefined | typeof MISSING {
  const v = at(body, pointer);
  return v === undefined ? undefined : scalar(v) ?? MISSING;
}

function at(value: unknown, pointer: readonly string[]): unknown {
  let v = value;
  for (const t of pointer) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Array.isArray(v) ? (/^(0|[1-9]\d*)$/.test(t) ? v[Number(t)] : undefined) : Object.hasOwn(v, t) ? (v as Record<string, unknown>)[t] : undefined;
  }
  return v;
}

/** Values at a pointer where `*` stands for every item of an array (or member of an object). */
function collect(value: unknown, pointer: readonly string[]): (string | typeof MISSING)[] {
  const out: (string | typeof MISSING)[] = [];
  const walk = (v: unknown, i: number): void => {
    if (out.length >= MAX_RESPONSE_VALUES) return;
    if (i === pointer.length) { out.push(scalar(v) ?? MISSING); return; }
    const t = pointer[i]!;
    if (t === '*' && v !== null && typeof v === 'object') {
      for (const item of Array.isArray(v) ? v : Object.values(v)) walk(item, i + 1);
      return;
    }
    const next = at(v, [t]);
    if (next === undefined) { out.push(MISSING); return; }
    walk(next, i + 1);
  };
  walk(value, 0);
  if (out.length >= MAX_RESPONSE_VALUES) out.push(MISSING);
  return out;
}

/** Owners are compared as text: `7` and `"7"` name the same user; objects and arrays name none. */
function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
