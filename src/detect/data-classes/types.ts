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

export interface Detector {
  cls: DataClass;
  find(text: string, ctx: ScanContext, emit: Emit): void;
}
