import type { ControlFactory } from '../../core/control.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import { decodeVariants } from '../../detect/decode.js';
import { INJECTION_DETECTORS } from '../../detect/injection.js';
import type { Detector } from '../../detect/types.js';
import { collectInputs } from '../shared/inputs.js';

export interface InjectionConfig {
  /** Least confidence that counts (0..1, default 0.5). */
  threshold?: number;
  /** Findings to ignore: by detector, operation (operationId or "METHOD /template") and/or input location prefix. */
  exclude?: { detector?: string; operation?: string; location?: string }[];
}

/**
 * The negative model (injection): every free-form input, in each of its decoded readings, is
 * shown to the detectors; the first confident detection decides. Events name the detector,
 * the input location and the fragment (redacted before storage), never the whole value.
 */
export function injectionControl(detectors: readonly Detector[]): ControlFactory {
  return {
    id: 'injection',
    phases: ['requestBody'],
    defaultMode: 'block',
    description: 'Injection payloads (SQL, NoSQL, XSS, JNDI, CRLF, prototype pollution, XXE, SSTI, open-redirect tricks) in free-form inputs (path, query, body values and names): 400.',
    create: ({ config }) => {
      const cfg = (config.controls.injection ?? {}) as InjectionConfig;
      const threshold = cfg.threshold ?? 0.5;
      const exclude = cfg.exclude ?? [];
      const scoped = detectors.some((d) => d.appliesTo !== undefined);
      return {
        id: 'injection',
        phases: ['requestBody'],
        evaluate(ctx) {
          if (detectors.length === 0) return PASS;
          const op = ctx.route?.operation;
          const excluded = (detector: string, location: string): boolean => exclude.some((e) =>
            (e.detector === undefined || e.detector === detector)
            && (e.operation === undefined || e.operation === op?.key || e.operation === op?.operationId)
            && (e.location === undefined || location.startsWith(e.location)));
          for (const input of collectInputs(ctx)) {
            const applicable = scoped || input.kind === 'document'
              ? detectors.filter((d) => (d.appliesTo ? d.appliesTo(input.kind, input.name) : input.kind !== 'document'))
              : detectors;
            // A document is markup as sent: URL or JS decoding means nothing there, and capping it would hide a late DTD.
            for (const variant of input.kind === 'document' ? [input.value] : decodeVariants(input.value)) {
              for (const d of applicable) {
                const hit = d.detect(variant);
                if (!hit || hit.confidence < Math.max(threshold, d.minConfidence ?? 0) || excluded(hit.detector, input.location)) continue;
                return found(hit.detector, input.location, hit.reason, hit.fragment, hit.confidence);
              }
            }
          }
          return PASS;
        },
      };
    },
  };
}

function found(detector: string, location: string, reason: string, fragment: string, confidence: number): Verdict {
  return {
    kind: 'block', ruleId: `injection/${detector}`, owasp: 'API8:2023', severity: 'high', status: 400,
    detail: `The request carries a suspected ${detector} payload in ${location}.`,
    evidence: { detector, location, reason, fragment: fragment.slice(0, 64), confidence: Math.round(confidence * 100) / 100 },
  };
}

export const injection = injectionControl(INJECTION_DETECTORS);
