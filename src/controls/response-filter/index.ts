import type { ControlFactory } from '../../core/control.js';
import type { InspectedResponse } from '../../core/response.js';
import { PASS, type Verdict } from '../../core/verdict.js';

export const RULES = {
  exposure: 'response/excessive-data-exposure',
  contentType: 'response/undeclared-content-type',
  invalidJson: 'response/invalid-json',
  tooDeep: 'response/uninspectable',
} as const;

/** Stripped paths listed on the event (the count is always exact). */
const MAX_LISTED = 20;

/**
 * Excessive data exposure (OWASP API3): the response schema says what the client may see.
 * Members it does not declare, `writeOnly` ones, and `x-portcullis-read-roles` ones the caller
 * holds none of are removed before the client reads the body; the event lists which.
 * A response the filter cannot read (another representation than the declared JSON, broken
 * JSON, nesting past the bound) is withheld rather than relayed unfiltered.
 */
export const responseFilter: ControlFactory = {
  id: 'response-filter',
  phases: ['responseBody'],
  defaultMode: 'block',
  description: 'Response properties the contract does not declare, writeOnly ones and x-portcullis-read-roles ones the caller lacks are stripped.',
  create: () => ({
    id: 'response-filter',
    phases: ['responseBody'],
    appliesTo: (op) => op?.responseTable?.filters === true,
    wantsResponseBody(ctx, head) {
      const table = ctx.route?.operation?.responseTable;
      return table !== undefined && table.filters && table.lookup(head.status, head.mediaType).filtered;
    },
    evaluate(ctx, _phase, response) {
      const table = ctx.route?.operation?.responseTable;
      if (!response || !table) return PASS;
      const match = table.lookup(response.status, response.mediaType);
      if (!match.filtered) return PASS;
      if (match.media === undefined) {
        return withhold(RULES.contentType, 'The upstream answered with a content type the contract does not declare; it was withheld.', response, { contentType: response.mediaType ?? '(none)' });
      }
      if (!match.filter) return PASS;
      if (!response.isJson) {
        return withhold(RULES.contentType, 'The upstream answered with a content type that cannot be filtered; it was withheld.', response, { contentType: response.mediaType ?? '(none)' });
      }
      const parsed = response.json();
      if (!parsed.ok) return withhold(RULES.invalidJson, 'The upstream response is not valid JSON; it was withheld.', response, { reason: parsed.reason });
      const result = match.filter(parsed.value, ctx.principal.roles);
      if (result.truncated) return withhold(RULES.tooDeep, 'The upstream response is too deeply nested to filter; it was withheld.', response, { reason: 'nesting or size bound' });
      if (result.strippedCount === 0) return PASS;
      return {
        kind: 'modify', json: result.value, ruleId: RULES.exposure, owasp: 'API3:2023', severity: 'medium', status: response.status,
        detail: `${result.strippedCount} response ${result.strippedCount === 1 ? 'property' : 'properties'} outside the contract withheld.`,
        evidence: { stripped: result.stripped.slice(0, MAX_LISTED), count: result.strippedCount, responseStatus: response.status },
      };
    },
  }),
};

function withhold(ruleId: string, detail: string, response: InspectedResponse, evidence: Record<string, string>): Verdict {
  return { kind: 'block', ruleId, owasp: 'API3:2023', severity: 'medium', status: 502, detail, evidence: { ...evidence, upstreamStatus: response.status } };
}
