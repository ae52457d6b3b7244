import { SCHEMA_DEFAULTS, type SchemaOptions } from './bounds.js';
import { SchemaBuilder } from './builder.js';
import { coerceParameter } from './coerce.js';
import type { JsonSchema } from './emit.js';

export type ParameterLocation = 'query' | 'path' | 'header';

/** An OpenAPI Parameter Object, as far as traffic can tell. */
export interface InferredParameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  schema: JsonSchema;
  /** Requests that carried it. */
  seen: number;
}

export interface ParameterOptions extends SchemaOptions {
  /** Parameters tracked per location; further names are counted in `untracked`. */
  maxParameters?: number;
}

export const MAX_PARAMETERS = 100;

/**
 * Headers that are not an API's parameters: transport, caching, content negotiation, proxies,
 * browsers. Credentials (Authorization, Cookie, API keys) are security schemes, not parameters.
 */
const NOT_PARAMETERS: ReadonlySet<string> = new Set([
  'accept', 'accept-charset', 'accept-encoding', 'accept-language', 'cache-control', 'connection', 'content-length',
  'content-type', 'content-encoding', 'cookie', 'authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'apikey',
  'x-auth-token', 'x-access-token', 'host', 'keep-alive', 'origin', 'pragma', 'referer', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'user-agent', 'via', 'forwarded', 'x-forwarded-for', 'x-forwarded-host',
  'x-forwarded-proto', 'x-forwarded-port', 'x-real-ip', 'if-match', 'if-none-match', 'if-modified-since',
  'if-unmodified-since', 'if-range', 'range', 'dnt', 'priority', 'expect', 'x-requested-with', 'upgrade-insecure-requests',
]);

export function isParameterHeader(name: string): boolean {
  const n = name.toLowerCase();
  return !NOT_PARAMETERS.has(n) && !n.startsWith('sec-') && !n.startsWith(':');
}

interface Tracked {
  seen: number;
  /** Requests where it was repeated (`?tag=a&tag=b`): an array parameter. */
  repeated: number;
  maxRepeat: number;
  /** Values as they read (`42` → 42), and as the strings they are; see `schemaOf`. */
  typed: SchemaBuilder;
  raw: SchemaBuilder;
}

/**
 * The parameters of one location (query, path or headers) of one operation, from requests.
 * Values are strings on the wire; a parameter's type is the narrowest every value reads as
 * (integer ⊂ number ⊂ string, boolean ⊂ string), as OpenAPI parameter coercion reads them.
 */
export class ParameterSetBuilder {
  private readonly params = new Map<string, Tracked>();
  private requests = 0;
  /** Occurrences of parameters past maxParameters. */
  untracked = 0;
  private readonly opts: ParameterOptions;
  private readonly max: number;

  constructor(readonly location: ParameterLocation, options: ParameterOptions = {}) {
    this.opts = options;
    this.max = options.maxParameters ?? MAX_PARAMETERS;
  }

  /** One request's values for this location. Header names are compared lower-cased. */
  add(values: Readonly<Record<string, string | readonly string[] | undefined>>): this {
    this.requests++;
    for (const rawName of Object.keys(values)) {
      const v = values[rawName];
      if (v === undefined) continue;
      const name = this.location === 'header' ? rawName.toLowerCase() : rawName;
      if (this.location === 'header' && !isParameterHeader(name)) continue;
      const t = this.track(name);
      if (!t) { this.untracked++; continue; }
      const list = typeof v === 'string' ? [v] : v;
      t.seen++;
      if (list.length > 1) t.repeated++;
      t.maxRepeat = Math.max(t.maxRepeat, list.length);
      const n = Math.min(list.length, this.opts.maxArrayItems ?? SCHEMA_DEFAULTS.maxArrayItems);
      for (let i = 0; i < n; i++) {
        t.typed.add(coerceParameter(list[i]!));
        t.raw.add(list[i]!);
      }
    }
    return this;
  }

  private track(name: string): Tracked | undefined {
    let t = this.params.get(name);
    if (t) return t;
    if (this.params.size >= this.max) return undefined;
    t = { seen: 0, repeated: 0, maxRepeat: 0, typed: new SchemaBuilder(this.opts, name), raw: new SchemaBuilder(this.opts, name) };
    this.params.set(name, t);
    return t;
  }

  merge(other: ParameterSetBuilder): this {
    this.requests += other.requests;
    this.untracked += other.untracked;
    for (const [name, o] of other.params) {
      const t = this.track(name);
      if (!t) { this.untracked += o.seen; continue; }
      t.seen += o.seen;
      t.repeated += o.repeated;
      t.maxRepeat = Math.max(t.maxRepeat, o.maxRepeat);
      t.typed.merge(o.typed);
      t.raw.merge(o.raw);
    }
    return this;
  }

  /** Sorted by name. Path parameters are always required, as OpenAPI demands. */
  toParameters(): InferredParameter[] {
    const out: InferredParameter[] = [];
    for (const [name, t] of this.params) {
      const scalar = schemaOf(t);
      const schema: JsonSchema = t.repeated > 0 ? { type: 'array', items: scalar, maxItems: t.maxRepeat } : scalar;
      out.push({ name, in: this.location, required: this.location === 'path' || t.seen === this.requests, schema, seen: t.seen });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** The typed reading when every value reads as one type (integers count as numbers), else the values as strings. */
function schemaOf(t: Tracked): JsonSchema {
  const typed = t.typed.toSchema();
  if (typeof typed.type === 'string') return typed;
  return t.raw.toSchema();
}
