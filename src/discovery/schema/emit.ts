import type { SchemaOptions } from './bounds.js';
import { JSON_TYPES, type JsonType, type Node, type Scalar } from './node.js';

/** A JSON Schema 2020-12 document as inference writes it (a subset of the vocabulary). */
export interface JsonSchema {
  $comment?: string;
  type?: JsonType | JsonType[];
  enum?: Array<Scalar | null>;
  examples?: Scalar[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
}

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The schema of one node. What was seen, and no more:
 * - `additionalProperties` is never written: discovery sees a sample of traffic, and a contract
 *   closed over it would reject the first legitimate field that sample missed. It stays open.
 * - Mixed types are one `type` array (`["integer", "string"]`) rather than `anyOf`: every keyword
 *   written here applies to one type only (`minLength` to strings, `properties` to objects), so
 *   the two mean the same and the array is shorter. `enum` and `examples` are the exceptions, and
 *   are only written for single-type nodes.
 * - An integer seen beside non-integers is a `number` (JSON Schema integers are numbers).
 * - `required` lists the properties present in every object sample.
 * - Bounds are the observed extremes, so every sample validates; the one exception is the items
 *   of arrays longer than maxArrayItems, which are described from the items read (`$comment`).
 */
export function nodeSchema(node: Node, opts: Readonly<Required<SchemaOptions>>): JsonSchema {
  const out: JsonSchema = {};
  if (node.samples === 0) return out;
  const types = JSON_TYPES.filter((t) => node.types[t] > 0 && !(t === 'integer' && node.types.number > 0));
  out.type = types.length === 1 ? types[0]! : types;
  const nonNull = types.filter((t) => t !== 'null');
  const notes: string[] = [];

  if (node.types.string > 0) {
    if (node.format) out.format = node.format;
    out.minLength = node.minLength!;
    out.maxLength = node.maxLength!;
  }
  // A bound is a sample: where a value may not be shown (a card number, a PIN), neither may it.
  if ((node.types.integer > 0 || node.types.number > 0) && !node.unsafe) {
    out.minimum = node.min!;
    out.maximum = node.max!;
  }
  if (node.types.object > 0) {
    if (node.properties.size > 0) {
      out.properties = {};
      const required: string[] = [];
      for (const [k, p] of node.properties) {
        out.properties[k] = nodeSchema(p.node, opts);
        if (p.present === node.types.object) required.push(k);
      }
      if (required.length > 0) out.required = required;
    }
    if (node.untrackedProperties > 0) notes.push(`more than ${opts.maxProperties} properties seen; ${node.untrackedProperties} occurrences of others not described`);
  }
  if (node.types.array > 0) {
    if (node.items && node.items.samples > 0) out.items = nodeSchema(node.items, opts);
    if (node.minItems! > 0) out.minItems = node.minItems!;
    out.maxItems = node.maxItems!;
    if (node.maxItems! > opts.maxArrayItems) notes.push(`items describe the first ${opts.maxArrayItems} of each array`);
  }
  if (node.deep > 0) notes.push(`nesting deeper than ${opts.maxDepth} levels not described`);

  const only = nonNull.length === 1 ? nonNull[0] : undefined;
  if (!node.unsafe && (only === 'string' || only === 'integer')) {
    const enumValues = enumOf(node, only, opts);
    if (enumValues) {
      out.enum = node.types.null > 0 ? [...enumValues, null] : enumValues;
      // The bounds say no more than the enum does.
      delete out.minLength; delete out.maxLength; delete out.minimum; delete out.maximum; delete out.format;
    } else if (node.examples.length > 0) out.examples = [...node.examples];
  } else if (!node.unsafe && only === 'number' && node.examples.length > 0) out.examples = [...node.examples];
  if (notes.length > 0) out.$comment = notes.join('; ');
  return out;
}

function enumOf(node: Node, type: 'string' | 'integer', opts: Readonly<Required<SchemaOptions>>): Scalar[] | undefined {
  if (node.values === null || node.types[type] < opts.minEnumSamples) return undefined;
  const vals = [...node.values.values()].map((v) => v.value);
  if (vals.length === 0 || vals.length > opts.maxEnumValues) return undefined;
  // Sorted, so the schema does not depend on the order samples came in.
  return type === 'integer' ? (vals as number[]).sort((a, b) => a - b) : (vals as string[]).sort();
}
