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
}

export interface Detector {
  readonly id: string;
  detect(value: string): Detection | undefined;
}
