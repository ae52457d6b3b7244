import type { ControlFactory } from '../../core/control.js';
import { PASS } from '../../core/verdict.js';

export const RULE_ZOMBIE = 'contract/zombie-endpoint';

/** Calls to operations the contract marks `deprecated: true` (OWASP API9). */
export const zombieEndpoint: ControlFactory = {
  id: 'zombie-endpoint',
  phases: ['route'],
  defaultMode: 'monitor',
  description: 'Deprecated operation still called: 410 when blocking.',
  create: () => ({
    id: 'zombie-endpoint',
    phases: ['route'],
    appliesTo: (op) => op?.deprecated === true,
    evaluate(ctx) {
      const op = ctx.route?.operation;
      if (!op?.deprecated) return PASS;
      return {
        kind: 'block', ruleId: RULE_ZOMBIE, owasp: 'API9:2023', severity: 'low', status: 410,
        detail: 'This operation is deprecated and no longer served.',
        evidence: { operation: op.key },
      };
    },
  }),
};
