import { PortcullisError } from '../../errors.js';
import type { CompiledOperation } from '../../openapi/compile.js';
import { templateNames } from '../../openapi/operations.js';

/** One ownership rule as written in portcullis.yaml. */
export interface OwnershipRuleConfig {
  /** operationId or `METHOD /template`, or a list of them. */
  operation: string | string[];
  /** Where the request names the object's owner: `path.<param>`, `query.<param>`, `header.<name>` or `body` + JSON pointer. */
  value?: string;
  /** JSON pointer into a 2xx JSON response (`*` for every array item): the owner field checked before the client sees it. */
  response?: string;
  /** The caller's claim the owner must equal (when the claim is a list: be one of). */
  equals: string;
  /** Callers holding one of these roles are not held to the rule. */
  unlessRoles?: string[];
}

export interface ObjectAuthorizationConfig {
  /** Status of a refused or withheld response: 403 (default) or 404 (hides which ids exist). */
  status?: 403 | 404;
  rules?: OwnershipRuleConfig[];
}

export type ValueSource =
  | { in: 'path' | 'query' | 'header'; name: string }
  | { in: 'body'; pointer: string[] };

export interface CompiledRule {
  index: number;
  /** As written, for events. */
  where: string;
  source: ValueSource | { in: 'response'; pointer: string[] };
  claim: string;
  unlessRoles: readonly string[];
}

export interface CompiledRules {
  request: WeakMap<CompiledOperation, CompiledRule[]>;
  body: WeakMap<CompiledOperation, CompiledRule[]>;
  response: WeakMap<CompiledOperation, CompiledRule[]>;
}

const WHERE = 'controls.object-authorization.rules';

/** Resolve every rule against the loaded operations; a rule naming nothing that exists is a configuration error. */
export function compileRules(rules: readonly OwnershipRuleConfig[], operations: readonly CompiledOperation[]): CompiledRules {
  const out: CompiledRules = { request: new WeakMap(), body: new WeakMap(), response: new WeakMap() };
  rules.forEach((rule, index) => {
    const at = `${WHERE}[${index}]`;
    const fail = (msg: string, hint?: string): never => { throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${at}: ${msg}`, { where: at, hint }); };
    if ((rule.value === undefined) === (rule.response === undefined)) fail('give exactly one of value (in the request) or response (in the response body)');
    const names = Array.isArray(rule.operation) ? rule.operation : [rule.operation];
    const source = rule.value !== undefined ? parseValue(rule.value, fail) : { in: 'response' as const, pointer: parsePointer(rule.response!, fail) };
    for (const name of names) {
      const matched = operations.filter((op) => op.key === name || op.operationId === name);
      if (matched.length === 0) fail(`no operation "${name}" in the loaded specs`, 'Use an operationId or "METHOD /path/template" exactly as in the OpenAPI document.');
      for (const op of matched) {
        if (source.in === 'path' && !templateNames(op.template).includes(source.name)) fail(`${op.key} has no path parameter "${source.name}"`);
        const compiled: CompiledRule = { index, where: rule.value ?? `response ${rule.response!}`, source, claim: rule.equals, unlessRoles: rule.unlessRoles ?? [] };
        const table = source.in === 'response' ? out.response : source.in === 'body' ? out.body : out.request;
        const list = table.get(op) ?? [];
        list.push(compiled);
        table.set(op, list);
      }
    }
  });
  return out;
}

function parseValue(v: string, fail: (m: string) => never): ValueSource {
  if (v === 'body' || v.startsWith('body/')) return { in: 'body', pointer: parsePointer(v.slice(4), fail) };
  const m = /^(path|query|header)\.(.+)$/.exec(v);
  if (!m) return fail(`value "${v}" must be path.<param>, query.<param>, header.<name> or body/<json pointer>`);
  return { in: m[1] as 'path' | 'query' | 'header', name: m[1] === 'header' ? m[2]!.toLowerCase() : m[2]! };
}

function parsePointer(p: string, fail: (m: string) => never): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) return fail(`"${p}" is not a JSON pointer (it must start with /)`);
  return p.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}
