import type { SchemaOptions } from './bounds.js';
import { stringFormat, type StringFormat } from './formats.js';
import { sensitiveKey, valueMayBeShown } from './values.js';

/**
 * The state inference keeps for one position in a JSON document (the root, a property, the items
 * of an array). Everything here is a count, a bound or a small capped set, so two nodes merge
 * exactly: merging the states of two sample sets gives the state of their union (as long as the
 * node budget is not reached; past it, which values get nodes depends on the order they came in).
 */

export const JSON_TYPES = ['null', 'boolean', 'integer', 'number', 'string', 'object', 'array'] as const;
export type JsonType = (typeof JSON_TYPES)[number];

export type Scalar = string | number | boolean;

export interface Property {
  /** Object samples that had this property. */
  present: number;
  node: Node;
}

export interface Budget {
  readonly opts: Readonly<Required<SchemaOptions>>;
  nodes: number;
  /** Values not described because the node budget ran out. */
  overBudget: number;
}

export class Node {
  samples = 0;
  readonly types: Record<JsonType, number> = { null: 0, boolean: 0, integer: 0, number: 0, string: 0, object: 0, array: 0 };
  min: number | undefined;
  max: number | undefined;
  minLength: number | undefined;
  maxLength: number | undefined;
  /** undefined: no string yet; null: strings of different or no format. */
  format: StringFormat | null | undefined;
  /** Distinct strings and integers seen, with counts; null once more than maxEnumValues (or any value may not be shown). */
  values: Map<string, { value: Scalar; count: number }> | null = new Map();
  examples: Scalar[] = [];
  /** Some value here may not be written out: no enum, no examples. */
  unsafe: boolean;
  readonly properties = new Map<string, Property>();
  /** Property occurrences not tracked (maxProperties reached). */
  untrackedProperties = 0;
  minItems: number | undefined;
  maxItems: number | undefined;
  items: Node | undefined;
  /** Objects or arrays seen at maxDepth, typed but not described. */
  deep = 0;

  constructor(readonly key: string | undefined, readonly depth: number) {
    this.unsafe = sensitiveKey(key);
    if (this.unsafe) this.values = null;
  }

  add(value: unknown, b: Budget): void {
    const type = typeOf(value);
    if (type === undefined) return;
    this.samples++;
    this.types[type]++;
    switch (type) {
      case 'integer':
      case 'number':
        this.addNumber(value as number, b);
        break;
      case 'string':
        this.addString(value as string, b);
        break;
      case 'object':
        this.addObject(value as Record<string, unknown>, b);
        break;
      case 'array':
        this.addArray(value as unknown[], b);
        break;
      default:
        break;
    }
  }

  private addNumber(n: number, b: Budget): void {
    this.min = this.min === undefined ? n : Math.min(this.min, n);
    this.max = this.max === undefined ? n : Math.max(this.max, n);
    this.addValue(n, b);
  }

  private addString(s: string, b: Budget): void {
    const len = codePoints(s);
    this.minLength = this.minLength === undefined ? len : Math.min(this.minLength, len);
    this.maxLength = this.maxLength === undefined ? len : Math.max(this.maxLength, len);
    if (this.format !== null) {
      const f = stringFormat(s) ?? null;
      this.format = this.format === undefined || this.format === f ? f : null;
    }
    this.addValue(s, b);
  }

  /** Every value is checked (not only new ones), so `unsafe` is the same in whatever order samples come. */
  private addValue(v: Scalar, b: Budget): void {
    if (this.unsafe) return;
    if (!valueMayBeShown(v, this.key)) {
      this.unsafe = true;
      this.values = null;
      this.examples = [];
      return;
    }
    const opts = b.opts;
    if (this.examples.length < opts.maxExamples && !this.examples.includes(v)) this.examples.push(v);
    if (this.values === null) return;
    const k = valueKey(v);
    const seen = this.values.get(k);
    if (seen) seen.count++;
    else if (this.values.size >= opts.maxEnumValues) this.values = null;
    else this.values.set(k, { value: v, count: 1 });
  }

  private addObject(o: Record<string, unknown>, b: Budget): void {
    if (this.depth >= b.opts.maxDepth) { this.deep++; return; }
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (typeOf(v) === undefined) continue;
      const p = this.property(k, b);
      if (!p) continue;
      p.present++;
      p.node.add(v, b);
    }
  }

  private property(k: string, b: Budget): Property | undefined {
    let p = this.properties.get(k);
    if (p) return p;
    if (this.properties.size >= b.opts.maxProperties) { this.untrackedProperties++; return undefined; }
    const node = newNode(k, this.depth + 1, b);
    if (!node) return undefined;
    p = { present: 0, node };
    this.properties.set(k, p);
    return p;
  }

  private addArray(a: unknown[], b: Budget): void {
    this.minItems = this.minItems === undefined ? a.length : Math.min(this.minItems, a.length);
    this.maxItems = this.maxItems === undefined ? a.length : Math.max(this.maxItems, a.length);
    if (this.depth >= b.opts.maxDepth) { this.deep++; return; }
    if (a.length === 0) return;
    // Items inherit the array's name: the values of `emails: [...]` are e-mails.
    this.items ??= newNode(this.key, this.depth + 1, b);
    if (!this.items) return;
    const n = Math.min(a.length, b.opts.maxArrayItems);
    for (let i = 0; i < n; i++) this.items.add(a[i], b);
  }

  /** Folds `other` (built with the same options) into this node. */
  merge(other: Node, b: Budget): void {
    this.samples += other.samples;
    for (const t of JSON_TYPES) this.types[t] += other.types[t];
    this.min = minOf(this.min, other.min);
    this.max = maxOf(this.max, other.max);
    this.minLength = minOf(this.minLength, other.minLength);
    this.maxLength = maxOf(this.maxLength, other.maxLength);
    if (other.format !== undefined) this.format = this.format === undefined || this.format === other.format ? other.format : null;
    this.mergeValues(other, b);
    for (const [k, op] of other.properties) {
      let p = this.properties.get(k);
      if (!p) {
        if (this.properties.size >= b.opts.maxProperties) { this.untrackedProperties += op.present; continue; }
        const node = newNode(k, this.depth + 1, b);
        if (!node) continue;
        p = { present: 0, node };
        this.properties.set(k, p);
      }
      p.present += op.present;
      p.node.merge(op.node, b);
    }
    this.untrackedProperties += other.untrackedProperties;
    this.minItems = minOf(this.minItems, other.minItems);
    this.maxItems = maxOf(this.maxItems, other.maxItems);
    if (other.items) {
      this.items ??= newNode(this.key, this.depth + 1, b);
      this.items?.merge(other.items, b);
    }
    this.deep += other.deep;
  }

  private mergeValues(other: Node, b: Budget): void {
    if (this.unsafe || other.unsafe) {
      this.unsafe = true;
      this.values = null;
      this.examples = [];
      return;
    }
    for (const v of other.examples) {
      if (this.examples.length >= b.opts.maxExamples) break;
      if (!this.examples.includes(v)) this.examples.push(v);
    }
    if (this.values === null) return;
    if (other.values === null) { this.values = null; return; }
    for (const [k, ov] of other.values) {
      const seen = this.values.get(k);
      if (seen) seen.count += ov.count;
      else if (this.values.size >= b.opts.maxEnumValues) { this.values = null; return; }
      else this.values.set(k, { ...ov });
    }
  }
}

export function newNode(key: string | undefined, depth: number, b: Budget): Node | undefined {
  if (b.nodes >= b.opts.maxNodes) { b.overBudget++; return undefined; }
  b.nodes++;
  return new Node(key, depth);
}

export function typeOf(v: unknown): JsonType | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean': return 'boolean';
    case 'number': return Number.isFinite(v) ? (Number.isInteger(v) ? 'integer' : 'number') : undefined;
    case 'string': return 'string';
    case 'object': return Array.isArray(v) ? 'array' : 'object';
    default: return undefined; // undefined, functions, bigints, symbols: not JSON
  }
}

/** JSON Schema counts string length in code points, not UTF-16 units. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}

function valueKey(v: Scalar): string {
  return `${typeof v}:${String(v)}`;
}

function minOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function maxOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}
