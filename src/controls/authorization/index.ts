import type { PortcullisConfig } from '../../config/types.js';
import type { ControlFactory } from '../../core/control.js';
import { PASS } from '../../core/verdict.js';
import type { CompiledOperation } from '../../openapi/compile.js';

export const RULE_MISSING_ROLE = 'access/missing-role';
export const RULE_UNDECLARED_METHOD = 'access/undeclared-method';

/**
 * Function-level authorization (OWASP API5): the roles an operation requires
 * (`operations.<id>.roles`, else `x-portcullis-roles`), and no method the contract does not
 * declare on a declared path (an undocumented `DELETE /users/{id}` is a function nobody
 * authorised). OPTIONS is let through: it is how browsers ask about CORS, and changes nothing.
 */
export const authorization: ControlFactory = {
  id: 'authorization',
  phases: ['access'],
  defaultMode: 'block',
  description: 'Operation requires a role the caller lacks: 403; undeclared method on a declared path: 405.',
  create: ({ config }) => {
    const required = new WeakMap<CompiledOperation, readonly string[]>();
    const rolesOf = (op: CompiledOperation): readonly string[] => {
      let r = required.get(op);
      if (!r) { r = configuredRoles(config, op) ?? op.roles; required.set(op, r); }
      return r;
    };
    return {
      id: 'authorization',
      phases: ['access'],
      // Unmatched requests are judged here (an undeclared method); matched ones only when roles are required.
      appliesTo: (op) => op === undefined || rolesOf(op).length > 0,
      evaluate(ctx) {
        const route = ctx.route;
        const op = route?.operation;
        if (!op) {
          if (!route?.item || ctx.method === 'OPTIONS') return PASS;
          return {
            kind: 'block', ruleId: RULE_UNDECLARED_METHOD, owasp: 'API5:2023', severity: 'medium', status: 405,
            detail: `${ctx.method.slice(0, 16)} is not declared for this path.`,
            evidence: { method: ctx.method.slice(0, 16), template: route.item.template, allowed: route.item.allow },
            headers: { allow: route.item.allow },
          };
        }
        const roles = rolesOf(op);
        if (roles.length === 0 || roles.some((r) => ctx.principal.roles.includes(r))) return PASS;
        return {
          kind: 'block', ruleId: RULE_MISSING_ROLE, owasp: 'API5:2023', severity: 'high', status: ctx.principal.kind === 'anonymous' ? 401 : 403,
          detail: 'The caller does not have a role this operation requires.',
          evidence: { required: [...roles], held: ctx.principal.roles },
        };
      },
    };
  },
};

function configuredRoles(config: PortcullisConfig, op: CompiledOperation): readonly string[] | undefined {
  const override = config.operations[op.key] ?? (op.operationId ? config.operations[op.operationId] : undefined);
  return override?.roles;
}
