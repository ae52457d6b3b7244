/**
 * The bounds of schema inference. Every one has a default; nothing is unbounded. A builder's
 * memory is O(maxNodes × (maxEnumValues + maxExamples)) however many samples it reads.
 */
export interface SchemaOptions {
  /** Properties tracked per object; further names are counted and noted in `$comment`, not tracked. */
  maxProperties?: number;
  /** Distinct values tracked per leaf for `enum`; one more and the leaf is not an enum. */
  maxEnumValues?: number;
  /** Samples of a leaf needed before it may become an `enum`. */
  minEnumSamples?: number;
  /** Nesting depth inferred; deeper objects and arrays are typed but not described. */
  maxDepth?: number;
  /** Items read per array sample (`maxItems` still reports the real length). */
  maxArrayItems?: number;
  /** Distinct `examples` kept per leaf. */
  maxExamples?: number;
  /** Schema nodes per builder; values that would need more are typed by their parent only. */
  maxNodes?: number;
}

export const SCHEMA_DEFAULTS: Readonly<Required<SchemaOptions>> = Object.freeze({
  maxProperties: 200,
  // ≤ 8 distinct values over ≥ 20 samples: a status or a currency, not a field that happened to
  // be seen three times with three names. Fewer samples cannot tell a closed set from a small one.
  maxEnumValues: 8,
  minEnumSamples: 20,
  maxDepth: 16,
  maxArrayItems: 50,
  maxExamples: 3,
  maxNodes: 10_000,
});

/** Enum values and examples are short tokens, never free text. */
export const MAX_VALUE_LENGTH = 64;
