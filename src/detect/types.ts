/**
 * The negative model's common shape: a detector is a pure function from one decoded input value
 * to a finding or nothing. Inputs arrive decoded (URL, entities, escapes) by the caller; a
 * detector never decodes again and never sees more than one value.
 */
export interface Detection {
  /** The detector's id, e.g. `sqli`, `xss`. */
  detector: string;
  /** 0..1: how sure the detector is that this is an attack, not an odd but benign value. */
  confidence: number;
  /** The shortest fragment that made the decision (at most 64 characters); redacted before storage by the caller. */
  fragment: string;
  /** A short machine-readable reason, e.g. `union-select`, `tautology`, `script-tag`. */
  reason: string;
  /**
   * The least paranoia level (1–4) at which this finding counts; 1 when absent. Shapes that are
   * attacks more often than not, but also seen in benign traffic, are level 2 or higher.
   */
  paranoia?: 1 | 2 | 3 | 4;
}

/** Where a value sits in the request: a path segment, a query or body value, a header or cookie value, or a member/parameter/cookie name. */
export type InputKind = 'path' | 'query' | 'query-key' | 'body' | 'body-key' | 'file-name' | 'header' | 'cookie' | 'cookie-key' | 'document';

export interface Detector {
  readonly id: string;
  /**
   * Which inputs the detector judges, by kind and by the name of the parameter or member that
   * holds the value (undefined at the top of a body); default: all of them. A redirect check
   * means nothing outside redirect-style parameters. Never asked about `document` inputs.
   */
  readonly appliesTo?: (kind: InputKind, name: string | undefined) => boolean;
  /** Also judges whole documents (an XML body as text), which only markup-level detectors such as XXE read. */
  readonly readsDocuments?: boolean;
  /** Findings below this confidence are not this detector's to report, whatever the control's threshold. */
  readonly minConfidence?: number;
  detect(value: string): Detection | undefined;
}
