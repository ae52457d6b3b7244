import type { CompiledOperation } from '../../openapi/compile.js';
import { checkSourceFits, configError, parsePointer, parseValueSource, resolveOperations, type ValueSource } from '../shared/object-values.js';

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

/** Resolve every rule against the loaded operations; a rule naming nothing that exists is a configuration error. */
export function compileRules(rules: readonly OwnershipRuleConfig[], operations: readonly CompiledOperation[]): CompiledRules {
  const out: CompiledRules = { request: new WeakMap(), body: new WeakMap(), response: new WeakMap() };
  rules.forEach((rule, index) => {
    const at = `controls.object-authorization.rules[${index}]`;
    if ((rule.value === undefined) === (rule.response === undefined)) configError(at, 'give exactly one of value (in the request) or response (in the response body)');
    const source = rule.value !== undefined ? parseValueSource(rule.value, at) : { in: 'response' as const, pointer: parsePointer(rule.response!, at) };
    for (const op of resolveOperations(rule.operation, operations, at)) {
      if (source.in !== 'response') checkSourceFits(source, op, at);
      const compiled: CompiledRule = { index, where: rule.value ?? `response ${rule.response!}`, source, claim: rule.equals, unlessRoles: rule.unlessRoles ?? [] };
      const table = source.in === 'response' ? out.response : source.in === 'body' ? out.body : out.request;
      const list = table.get(op) ?? [];
      list.push(compiled);
      table.set(op, list);
    }
  });
  return out;
}
