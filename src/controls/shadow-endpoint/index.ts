import type { ControlFactory } from '../../core/control.js';
import { PASS } from '../../core/verdict.js';

export const RULE_SHADOW = 'contract/shadow-endpoint';

/** Requests for a path or method the contract does not declare (OWASP API9: improper inventory). */
export const shadowEndpoint: ControlFactory = {
  id: 'shadow-endpoint',
  phases: ['route'],
  defaultMode: 'monitor',
  description: 'Undeclared path or method: 404 / 405 when blocking.',
  create: () => ({
    id: 'shadow-endpoint',
    phases: ['route'],
    appliesTo: (op) => op === undefined,
    evaluate(ctx) {
      const route = ctx.route;
      if (route?.operation) return PASS;
      const item = route?.item;
      if (item) {
        return {
          kind: 'block', ruleId: RULE_SHADOW, owasp: 'API9:2023', severity: 'medium', status: 405,
          detail: `${ctx.method} is not declared for this path.`,
          evidence: { method: ctx.method, template: item.template, allowed: item.allow },
          headers: { allow: item.allow },
        };
      }
      return {
        kind: 'block', ruleId: RULE_SHADOW, owasp: 'API9:2023', severity: 'medium', status: 404,
        detail: 'No declared operation matches this path.',
        evidence: { method: ctx.method, path: ctx.path.length > 256 ? `${ctx.path.slice(0, 256)}…` : ctx.path },
      };
    },
  }),
};
