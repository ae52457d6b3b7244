import type { ControlFactory } from '../../core/control.js';
import { PASS } from '../../core/verdict.js';

export const RULE_MISSING_ROLE = 'access/missing-role';

/** Function-level authorization (OWASP API5): roles an operation requires (`x-portcullis-roles`). */
export const authorization: ControlFactory = {
  id: 'authorization',
  phases: ['access'],
  defaultMode: 'block',
  description: 'Operation requires a role (x-portcullis-roles) the caller lacks: 403.',
  create: () => ({
    id: 'authorization',
    phases: ['access'],
    evaluate(ctx) {
      const required = ctx.route?.operation?.roles;
      if (!required || required.length === 0) return PASS;
      if (required.some((r) => ctx.principal.roles.includes(r))) return PASS;
      return {
        kind: 'block', ruleId: RULE_MISSING_ROLE, owasp: 'API5:2023', severity: 'high', status: ctx.principal.kind === 'anonymous' ? 401 : 403,
        detail: 'The caller does not have a role this operation requires.',
        evidence: { required: required, held: ctx.principal.roles },
      };
    },
  }),
};
