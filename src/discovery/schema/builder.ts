import { SCHEMA_DEFAULTS, type SchemaOptions } from './bounds.js';
import { nodeSchema, type JsonSchema } from './emit.js';
import { Node, type Budget } from './node.js';

export interface SchemaBuilderStats {
  samples: number;
  nodes: number;
  /** Values left undescribed because the node budget (maxNodes) ran out. */
  overBudget: number;
}

/**
 * Infers a JSON Schema 2020-12 from sample values, incrementally:
 *
 *   const b = new SchemaBuilder(); b.add(body1); b.add(body2); b.merge(otherBuilder); b.toSchema();
 *
 * `a.merge(b)` gives the schema `a` would have had from reading b's samples after its own
 * (under the node budget). Memory is bounded by the options (bounds.ts), not by the samples.
 */
export class SchemaBuilder {
  readonly options: Readonly<Required<SchemaOptions>>;
  private readonly budget: Budget;
  private readonly root: Node;

  /** `key` names the value (a parameter or member name): values under sensitive names are never shown. */
  constructor(options: SchemaOptions = {}, key?: string) {
    this.options = Object.freeze({ ...SCHEMA_DEFAULTS, ...options });
    this.budget = { opts: this.options, nodes: 1, overBudget: 0 };
    this.root = new Node(key, 0);
  }

  add(value: unknown): this {
    this.root.add(value, this.budget);
    return this;
  }

  merge(other: SchemaBuilder): this {
    this.root.merge(other.root, this.budget);
    return this;
  }

  get stats(): SchemaBuilderStats {
    return { samples: this.root.samples, nodes: this.budget.nodes, overBudget: this.budget.overBudget };
  }

  toSchema(): JsonSchema {
    return nodeSchema(this.root, this.options);
  }
}
