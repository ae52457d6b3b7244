import type { ControlFactory } from '../../core/control.js';
import { PASS, type Evidence, type Verdict } from '../../core/verdict.js';
import { decodeVariants } from '../../detect/decode.js';
import { INJECTION_DETECTORS } from '../../detect/injection.js';
import type { Detection, Detector } from '../../detect/types.js';
import { collectInputs, type Input } from '../shared/inputs.js';

export interface InjectionConfig {
  /** Least confidence that counts (0..1, default 0.5). */
  threshold?: number;
  /** Paranoia level 1–4 (default 1): findings marked with a higher level do not count. */
  paranoia?: number;
  /** Anomaly scoring: refuse when the points of all findings add up to this (unset: the first finding decides). */
  anomalyThreshold?: number;
  /** Findings to ignore: by detector, operation (operationId or "METHOD /template") and/or input location prefix. */
  exclude?: { detector?: string; operation?: string; location?: string }[];
}

/** A counted finding with where it was made. */
interface Finding { hit: Detection; location: string }

/** Anomaly points of one finding, CRS-style: critical 5, error 4, warning 3, notice 2. */
export function anomalyPoints(confidence: number): number {
  return confidence >= 0.9 ? 5 : confidence >= 0.75 ? 4 : confidence >= 0.5 ? 3 : 2;
}
/** Findings named in an anomaly event. */
const MAX_LISTED = 5;

/**
 * The negative model (injection): every free-form input, in each of its decoded readings, is
 * shown to the detectors. By default the first finding that counts (confident enough, within the
 * paranoia level, not excluded) decides; with `anomalyThreshold` every finding of the request adds
 * points and the sum decides, so several weak signals refuse what each alone would not. Events
 * name the detector, the input location and the fragment (redacted before storage), never the
 * whole value.
 */
export function injectionControl(detectors: readonly Detector[]): ControlFactory {
  return {
    id: 'injection',
    phases: ['requestBody'],
    defaultMode: 'block',
    description: 'Injection payloads (SQL, NoSQL, XSS, OS commands, server-side code, path traversal, Java, JNDI, CRLF, prototype pollution, XXE, SSTI, open-redirect tricks) in free-form inputs (path, query, body values and names): 400.',
    create: ({ config }) => {
      const cfg = (config.controls.injection ?? {}) as InjectionConfig;
      const threshold = cfg.threshold ?? 0.5;
      const paranoia = cfg.paranoia ?? 1;
      const anomalyThreshold = cfg.anomalyThreshold;
      const exclude = cfg.exclude ?? [];
      const scoped = detectors.some((d) => d.appliesTo !== undefined);
      const unscoped = detectors.filter((d) => d.appliesTo === undefined);
      const documentReaders = detectors.filter((d) => d.readsDocuments === true);
      const applicableTo = (input: Input): readonly Detector[] => {
        if (!scoped && input.kind !== 'document') return detectors;
        if (input.kind === 'document') return documentReaders;
        // Scoped detectors (redirect checks) apply to few inputs: most inputs get the shared unscoped list.
        const name = input.name;
        let list: Detector[] | undefined;
        for (const d of detectors) {
          if (d.appliesTo === undefined || !d.appliesTo(input.kind, name)) continue;
          list ??= [...unscoped];
          list.push(d);
        }
        return list ?? unscoped;
      };
      return {
        id: 'injection',
        phases: ['requestBody'],
        evaluate(ctx) {
          if (detectors.length === 0) return PASS;
          const op = ctx.route?.operation;
          const counts = (d: Detector, hit: Detection, location: string): boolean =>
            hit.confidence >= Math.max(threshold, d.minConfidence ?? 0)
            && (hit.paranoia ?? 1) <= paranoia
            && !exclude.some((e) =>
              (e.detector === undefined || e.detector === hit.detector)
              && (e.operation === undefined || e.operation === op?.key || e.operation === op?.operationId)
              && (e.location === undefined || location.startsWith(e.location)));
          const findings: Finding[] = [];
          let score = 0;
          for (const input of collectInputs(ctx)) {
            const applicable = applicableTo(input);
            // One finding per input and detector: the readings of one value are one piece of evidence
            // (only anomaly scoring needs to remember; otherwise the first finding returns).
            const seen = anomalyThreshold === undefined ? undefined : new Set<string>();
            // A document is markup as sent: URL or JS decoding means nothing there, and capping it would hide a late DTD.
            for (const variant of input.kind === 'document' ? [input.value] : decodeVariants(input.value)) {
              for (let i = 0; i < applicable.length; i++) {
                const d = applicable[i]!;
                if (seen?.has(d.id)) continue;
                const hit = d.detect(variant);
                if (!hit || !counts(d, hit, input.location)) continue;
                if (seen === undefined || anomalyThreshold === undefined) return found(hit, input.location);
                seen.add(d.id);
                findings.push({ hit, location: input.location });
                score += anomalyPoints(hit.confidence);
                if (score >= anomalyThreshold) return anomaly(findings, score, anomalyThreshold);
              }
            }
          }
          return PASS;
        },
      };
    },
  };
}

function found(hit: Detection, location: string): Verdict {
  return block(hit, `The request carries a suspected ${hit.detector} payload in ${location}.`, evidenceOf(hit, location));
}

function block(hit: Detection, detail: string, evidence: Evidence): Verdict {
  return { kind: 'block', ruleId: `injection/${hit.detector}`, owasp: 'API8:2023', severity: 'high', status: 400, detail, evidence };
}

function evidenceOf(hit: Detection, location: string): Evidence {
  return { detector: hit.detector, location, reason: hit.reason, fragment: hit.fragment.slice(0, 64), confidence: Math.round(hit.confidence * 100) / 100 };
}

/** Refused on the sum: the rule is the strongest finding's detector, the evidence lists the findings that added up. */
function anomaly(findings: Finding[], score: number, threshold: number): Verdict {
  const strongest = findings.reduce((a, b) => (b.hit.confidence > a.hit.confidence ? b : a));
  return block(
    strongest.hit,
    `The request's injection findings add up to ${score} anomaly points (threshold ${threshold}); the strongest is a suspected ${strongest.hit.detector} payload in ${strongest.location}.`,
    {
      ...evidenceOf(strongest.hit, strongest.location), score, threshold,
      // `sqli body/q tautology 0.9`: evidence holds scalars and string lists only.
      findings: findings.slice(0, MAX_LISTED).map((f) => `${f.hit.detector} ${f.location} ${f.hit.reason} ${Math.round(f.hit.confidence * 100) / 100}`),
    },
  );
}

export const injection = injectionControl(INJECTION_DETECTORS);
