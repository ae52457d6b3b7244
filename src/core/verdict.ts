/** A security decision is a value, never an exception. */

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** OWASP API Security Top 10 (2023) categories, plus `none` for protocol hygiene that sits outside it. */
export type OwaspApi2023 =
  | 'API1:2023' | 'API2:2023' | 'API3:2023' | 'API4:2023' | 'API5:2023'
  | 'API6:2023' | 'API7:2023' | 'API8:2023' | 'API9:2023' | 'API10:2023' | 'none';

/** Evidence that has already been through redaction: safe to store and show. */
export type Evidence = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

export interface Finding {
  ruleId: string;
  severity: Severity;
  owasp: OwaspApi2023;
  /** Human-readable one-liner, shown in problem+json `detail`. Must not echo secrets. */
  detail: string;
  evidence: Evidence;
  /** HTTP status when this finding blocks. */
  status: number;
  /** Extra response headers when blocking (e.g. `Allow` on a 405). */
  headers?: Readonly<Record<string, string>>;
}

export type Verdict =
  | { kind: 'pass' }
  | ({ kind: 'flag' | 'block' } & Finding)
  /**
   * Replace the body (strip, mask): a JSON body by the value `json`, a text response by `text`.
   * Enforced in block mode, reported otherwise.
   */
  | ({ kind: 'modify' } & ({ json: unknown; text?: undefined } | { text: string; json?: undefined }) & Finding);

export const PASS: Verdict = Object.freeze({ kind: 'pass' });

export function block(f: Finding): Verdict {
  return { kind: 'block', ...f };
}
