import type { OwaspApi2023, Severity } from '../../core/verdict.js';

/** One answer of the target, as the probes see it: headers lower-cased, the body capped and decoded as UTF-8. */
export interface Answer {
  method: string;
  /** Path and query as requested, e.g. `/api/v2/openapi.json`. */
  path: string;
  url: string;
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
  /** The body was longer than the cap; `body` holds its first part only. */
  truncated: boolean;
  /** A redirect that was not followed (off the target, or too many hops): its absolute URL. */
  redirect?: string;
}

/** What a check's evidence function says about an answer it accepts. */
export interface Judgement {
  /** Short, already redacted. */
  evidence: string;
  /** Overrides the check's default severity (a debug page that leaks secrets is worse than one that does not). */
  severity?: Severity;
  /** Overrides the check's default title. */
  title?: string;
}

/** The fixed description of a kind of finding; one per id. */
export interface CheckInfo {
  /** `surface:<name>` */
  id: string;
  title: string;
  owasp: OwaspApi2023;
  cwe: string;
  severity: Severity;
  remediation: string;
}

export interface SurfaceFinding {
  id: string;
  owasp: OwaspApi2023;
  cwe: string;
  severity: Severity;
  title: string;
  method: string;
  url: string;
  status?: number;
  evidence: string;
  remediation: string;
}

export interface SurfaceSummary {
  requests: number;
  durationMs: number;
  bySeverity: Record<Severity, number>;
  /** Probes not sent because `maxRequests` was reached. */
  skipped: number;
  /** Requests that failed (timeout, reset) after the target had answered at least once. */
  errors: number;
  /** Remarks on what was not judged and why (e.g. transport on a loopback target). */
  notes: string[];
}

export interface SurfaceReport {
  target: string;
  summary: SurfaceSummary;
  findings: SurfaceFinding[];
}

export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
