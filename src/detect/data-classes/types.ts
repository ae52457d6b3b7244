/** The sensitive-data classes the detectors know. */
export type DataClass =
  | 'email'
  | 'phone'
  | 'payment-card'
  | 'iban'
  | 'national-id'
  | 'jwt'
  | 'private-key'
  | 'cloud-secret'
  | 'password-hash'
  | 'ip-address';

/** Every class, in overlap-priority order (earlier wins a tie between equal spans). */
export const DATA_CLASSES: readonly DataClass[] = [
  'private-key',
  'jwt',
  'cloud-secret',
  'password-hash',
  'email',
  'payment-card',
  'iban',
  'national-id',
  'phone',
  'ip-address',
];

/** A match: `text.slice(start, end)` is the sensitive value. */
export interface DataMatch {
  cls: DataClass;
  start: number;
  end: number;
}

/**
 * What a detector may know besides the text. Hints only enable shapes that are too common to
 * flag on their own (a bare 9-digit SSN) or suppress known look-alikes (`version: 1.2.3.4`).
 */
export interface ScanContext {
  /** Lower-case words of the JSON member name holding the value (`customerSsn` → customer, ssn). */
  keyWords?: readonly string[];
  /** The text is a JSON number rendered with `String()` (leading zeros are lost). */
  numeric?: boolean;
}

/** Reports one match; returns false when the caller wants no more. */
export type Emit = (start: number, end: number) => boolean;

/**
 * Counts taken in one pass over a text (profile.ts) before any detector runs. Each detector's
 * `mayMatch` turns what its shapes require into a test on these, so most short values skip it.
 */
export interface TextProfile {
  length: number;
  /** ASCII digits. */
  digits: number;
  /** ASCII capitals. */
  upper: number;
  dots: number;
  dashes: number;
  colons: number;
  /** The most digits in one run of `0-9`, space, `(`, `)`, `.`, `+`, `-`: every numeric shape lies inside one. */
  numericRunDigits: number;
  /** Which of the marker characters in FLAG (profile.ts) occur. */
  flags: number;
}

export interface Detector {
  cls: DataClass;
  /**
   * False only when `find` cannot report anything in `text`, whose profile is `p`. It must follow
   * from what every shape of the detector requires (a wrong false loses matches), and cost less
   * than `find`: tests on `p`, and at most one search of the text for a rarely reached case.
   */
  mayMatch(p: TextProfile, ctx: ScanContext, text: string): boolean;
  find(text: string, ctx: ScanContext, emit: Emit): void;
}
