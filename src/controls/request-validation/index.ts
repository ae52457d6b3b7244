import type { ErrorObject } from 'ajv';
import type { ControlFactory } from '../../core/control.js';
import { headerValue, type RequestContext } from '../../core/context.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import type { CompiledOperation } from '../../openapi/compile.js';
import { checkParameters, parseCookieHeader } from '../../openapi/parameters.js';
import { READ_ONLY_KEYWORD } from '../../openapi/schema-views.js';

export const RULES = {
  parameter: 'contract/invalid-parameter',
  body: 'contract/invalid-body',
  undeclared: 'contract/undeclared-property',
  readOnly: 'contract/read-only-property',
  mediaType: 'contract/unsupported-media-type',
  notWritable: 'contract/property-not-writable',
  stripped: 'contract/property-stripped',
  missingBody: 'contract/missing-body',
  unexpectedBody: 'contract/unexpected-body',
} as const;

export interface RequestValidationConfig {
  /** reject (default): undeclared query parameters and body properties are refused. */
  additionalProperties?: 'reject' | 'allow';
  /**
   * Body members the caller may not set (readOnly, x-portcullis-write-roles, undeclared):
   * reject (default) refuses the request; strip removes them from a JSON body and forwards the rest.
   */
  unwritableProperties?: 'reject' | 'strip';
}

export function rejectsUndeclared(cfg: RequestValidationConfig | undefined): boolean {
  return (cfg?.additionalProperties ?? 'reject') === 'reject';
}

/** The positive model: parameters and bodies must match the operation's schemas. */
export const requestValidation: ControlFactory = {
  id: 'request-validation',
  phases: ['requestBody'],
  defaultMode: 'block',
  description: 'Parameters and bodies must match the contract; undeclared and read-only properties are refused (mass assignment).',
  create: ({ config }) => {
    const cfg = config.controls['request-validation'] as RequestValidationConfig | undefined;
    const rejectUndeclared = rejectsUndeclared(cfg);
    const strip = cfg?.unwritableProperties === 'strip';
    return {
      id: 'request-validation',
      phases: ['requestBody'],
      appliesTo: (op) => op !== undefined,
      evaluate(ctx) {
        const op = ctx.route?.operation;
        if (!op) return PASS;
        const params = checkParams(ctx, op, rejectUndeclared);
        if (params) return params;
        ctx.validated = { params: true };
        return checkBody(ctx, op, strip);
      },
    };
  },
};

function checkParams(ctx: RequestContext, op: CompiledOperation, rejectUndeclared: boolean): Verdict | undefined {
  if (op.parameters.length === 0 && (!ctx.query || ctx.query.size === 0)) return undefined;
  const path: Record<string, string> = {};
  const raw = ctx.route?.rawParams;
  for (const k in raw) { const v = raw[k]!; path[k] = v.includes('%') ? safeDecode(v) : v; }
  const problem = checkParameters(op, {
    path,
    query: ctx.query,
    header: (n) => headerValue(ctx, n),
    cookie: () => parseCookieHeader(headerValue(ctx, 'cookie')),
  }, rejectUndeclared);
  if (!problem) return undefined;
  return {
    kind: 'block', ruleId: RULES.parameter, owasp: 'API8:2023', severity: 'medium', status: 400,
    detail: `${problem.location} parameter "${problem.name}" ${problem.message}.`,
    evidence: { location: problem.location, parameter: problem.name, problem: problem.message },
  };
}

function checkBody(ctx: RequestContext, op: CompiledOperation, strip: boolean): Verdict {
  const body = ctx.body;
  const sent = body !== undefined && (body.streamed === true || body.bytes.length > 0 || body.mediaType !== undefined);
  const spec = op.compiledBody;
  if (!spec) {
    if (!sent) return PASS;
    return { kind: 'block', ruleId: RULES.unexpectedBody, owasp: 'API8:2023', severity: 'medium', status: 400, detail: 'This operation takes no request body.', evidence: { bytes: body.bytes.length } };
  }
  if (!sent) {
    if (!spec.required) return PASS;
    return { kind: 'block', ruleId: RULES.missingBody, owasp: 'API8:2023', severity: 'low', status: 400, detail: 'A request body is required.', evidence: {} };
  }
  const type = body.mediaType;
  const declared = type === undefined ? undefined : findMedia(spec.media, type);
  if (!declared) {
    return {
      kind: 'block', ruleId: RULES.mediaType, owasp: 'API8:2023', severity: 'medium', status: 415,
      detail: `Content-Type must be one of: ${[...spec.media.keys()].join(', ')}.`,
      evidence: { contentType: type ?? '(none)' },
    };
  }
  const validate = spec.media.get(declared);
  // An opaque body (an image, a binary) has no value to validate: its schema describes bytes.
  if (!validate || !body.decoded) return PASS;
  const filter = spec.writeFilters.get(declared);
  // Without strip mode the filter only has role gates to report (Ajv names readOnly and
  // undeclared members itself): a schema without any need not be walked twice.
  if (filter && (strip || filter.roleGated)) {
    const r = filter(body.value, ctx.principal.roles);
    if (r.strippedCount > 0) {
      const json = type === 'application/json' || (type?.endsWith('+json') ?? false);
      if (strip && json && !r.truncated) {
        // The rest must still be valid on its own, or nothing is forwarded.
        if (!validate(r.value)) return describeBodyError(validate.errors?.[0]);
        return {
          kind: 'modify', json: r.value, ruleId: RULES.stripped, owasp: 'API3:2023', severity: 'medium', status: 200,
          detail: `${r.strippedCount} request ${r.strippedCount === 1 ? 'property' : 'properties'} the caller may not set removed.`,
          evidence: { stripped: r.stripped.slice(0, 20), reasons: r.reasons.slice(0, 20), count: r.strippedCount },
        };
      }
      // Role gates are the filter's to report; readOnly and undeclared members Ajv names below.
      const gated = r.stripped.filter((_, i) => r.reasons[i] === 'role');
      if (gated.length > 0) {
        return {
          kind: 'block', ruleId: RULES.notWritable, owasp: 'API3:2023', severity: 'high', status: 403,
          detail: `Property at ${truncate(gated[0]!)} may not be set by this caller.`,
          evidence: { pointers: gated.slice(0, 20).map(truncate), held: ctx.principal.roles },
        };
      }
    }
  }
  if (validate(body.value)) {
    ctx.validated = { ...ctx.validated, bodyMedia: declared };
    return PASS;
  }
  return describeBodyError(validate.errors?.[0]);
}

function findMedia(media: Map<string, unknown>, type: string): string | undefined {
  if (media.has(type)) return type;
  const range = `${type.slice(0, type.indexOf('/'))}/*`;
  if (media.has(range)) return range;
  return media.has('*/*') ? '*/*' : undefined;
}

function describeBodyError(err: ErrorObject | undefined): Verdict {
  const at = err?.instancePath || '/';
  if (err?.keyword === 'unevaluatedProperties' || err?.keyword === 'additionalProperties') {
    const p = err.params as { unevaluatedProperty?: string; additionalProperty?: string };
    const name = p.unevaluatedProperty ?? p.additionalProperty ?? '?';
    return {
      kind: 'block', ruleId: RULES.undeclared, owasp: 'API3:2023', severity: 'high', status: 400,
      detail: `Property "${truncate(name)}" at ${truncate(at)} is not declared.`,
      evidence: { pointer: truncate(at), property: truncate(name) },
    };
  }
  if (err?.keyword === READ_ONLY_KEYWORD) {
    return {
      kind: 'block', ruleId: RULES.readOnly, owasp: 'API3:2023', severity: 'high', status: 400,
      detail: `Property at ${truncate(at)} is read-only.`,
      evidence: { pointer: truncate(at) },
    };
  }
  return {
    kind: 'block', ruleId: RULES.body, owasp: 'API8:2023', severity: 'medium', status: 400,
    detail: `Body ${at === '/' ? '' : `at ${truncate(at)} `}${err?.message ?? 'is invalid'}.`,
    evidence: { pointer: truncate(at), keyword: err?.keyword ?? 'unknown' },
  };
}

function truncate(s: string): string {
  return s.length > 128 ? `${s.slice(0, 128)}…` : s;
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
