import type { ControlFactory } from '../../core/control.js';
import { PASS } from '../../core/verdict.js';
import { findLeak } from './leak-patterns.js';

export const RULE_ERROR_LEAK = 'response/error-leak';
/** How much of an upstream 5xx body is scanned; a longer body cannot be cleared and counts as a leak. */
export const ERROR_BODY_INSPECT_BYTES = 64 * 1024;

/** Upstream 5xx bodies with stack traces or debug pages are replaced (OWASP API8: misconfiguration). */
export const errorSanitizer: ControlFactory = {
  id: 'error-sanitizer',
  phases: ['responseBody'],
  defaultMode: 'block',
  description: 'Upstream 5xx bodies carrying stack traces or debug pages are replaced by a generic problem+json.',
  create: () => ({
    id: 'error-sanitizer',
    phases: ['responseBody'],
    wantsResponseBody: (_ctx, head) => head.status >= 500,
    evaluate(_ctx, _phase, response) {
      if (!response || response.status < 500) return PASS;
      const body = response.body;
      const scanned = body.length > ERROR_BODY_INSPECT_BYTES ? body.subarray(0, ERROR_BODY_INSPECT_BYTES) : body;
      // Scanning stays bounded; a body too long to scan whole is replaced rather than trusted.
      const leak = findLeak(scanned.toString('utf8')) ?? (scanned !== body ? 'oversized-error-body' : undefined);
      if (!leak) return PASS;
      return {
        kind: 'block', ruleId: RULE_ERROR_LEAK, owasp: 'API8:2023', severity: 'medium', status: 502,
        detail: 'The upstream failed; details were withheld.',
        evidence: { upstreamStatus: response.status, signature: leak },
      };
    },
  }),
};
