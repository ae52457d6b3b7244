import { SchemaBuilder } from './builder.js';
import type { JsonSchema } from './emit.js';
import { ParameterSetBuilder, type InferredParameter, type ParameterOptions } from './parameters.js';

/** What one request/response pair of an operation says about its schemas. */
export interface EndpointSample {
  query?: Readonly<Record<string, string | readonly string[]>>;
  /** Path parameter values by name (from the path template). */
  pathParams?: Readonly<Record<string, string>>;
  headers?: Readonly<Record<string, string>>;
  /** The parsed JSON request body; undefined when there was none or it was not JSON. */
  requestBody?: unknown;
  status?: number;
  responseBody?: unknown;
}

export interface InferredBody {
  /** Samples that carried a JSON body. */
  samples: number;
  schema: JsonSchema;
}

export interface EndpointSchemas {
  samples: number;
  parameters: InferredParameter[];
  /** `required` when every request had a body. */
  requestBody?: InferredBody & { required: boolean };
  /** By status code (`"200"`); bodies only where a JSON body was seen. */
  responses: Record<string, { samples: number; body?: InferredBody }>;
  /** Responses whose status was past maxStatuses. */
  untrackedStatuses: number;
}

export interface EndpointOptions extends ParameterOptions {
  /** Distinct response statuses tracked. */
  maxStatuses?: number;
}

export const MAX_STATUSES = 20;

interface Response {
  samples: number;
  body: SchemaBuilder;
}

/** Schemas of one operation (endpoint and method): parameters, request body, responses by status. */
export class EndpointSchemaBuilder {
  private samples = 0;
  private readonly query: ParameterSetBuilder;
  private readonly path: ParameterSetBuilder;
  private readonly header: ParameterSetBuilder;
  private readonly request: SchemaBuilder;
  private readonly responses = new Map<number, Response>();
  private untrackedStatuses = 0;
  private readonly maxStatuses: number;

  constructor(private readonly opts: EndpointOptions = {}) {
    this.query = new ParameterSetBuilder('query', opts);
    this.path = new ParameterSetBuilder('path', opts);
    this.header = new ParameterSetBuilder('header', opts);
    this.request = new SchemaBuilder(opts);
    this.maxStatuses = opts.maxStatuses ?? MAX_STATUSES;
  }

  add(s: EndpointSample): this {
    this.samples++;
    this.query.add(s.query ?? {});
    this.path.add(s.pathParams ?? {});
    this.header.add(s.headers ?? {});
    if (s.requestBody !== undefined) this.request.add(s.requestBody);
    if (s.status !== undefined) {
      const r = this.response(s.status);
      if (r) {
        r.samples++;
        if (s.responseBody !== undefined) r.body.add(s.responseBody);
      } else this.untrackedStatuses++;
    }
    return this;
  }

  private response(status: number): Response | undefined {
    let r = this.responses.get(status);
    if (r) return r;
    if (this.responses.size >= this.maxStatuses) return undefined;
    r = { samples: 0, body: new SchemaBuilder(this.opts) };
    this.responses.set(status, r);
    return r;
  }

  merge(other: EndpointSchemaBuilder): this {
    this.samples += other.samples;
    this.query.merge(other.query);
    this.path.merge(other.path);
    this.header.merge(other.header);
    this.request.merge(other.request);
    this.untrackedStatuses += other.untrackedStatuses;
    for (const [status, o] of other.responses) {
      const r = this.response(status);
      if (!r) { this.untrackedStatuses += o.samples; continue; }
      r.samples += o.samples;
      r.body.merge(o.body);
    }
    return this;
  }

  toSchemas(): EndpointSchemas {
    const parameters = [...this.path.toParameters(), ...this.query.toParameters(), ...this.header.toParameters()];
    const out: EndpointSchemas = { samples: this.samples, parameters, responses: {}, untrackedStatuses: this.untrackedStatuses };
    const bodies = this.request.stats.samples;
    if (bodies > 0) out.requestBody = { samples: bodies, schema: this.request.toSchema(), required: bodies === this.samples };
    for (const status of [...this.responses.keys()].sort((a, b) => a - b)) {
      const r = this.responses.get(status)!;
      const n = r.body.stats.samples;
      out.responses[String(status)] = n > 0 ? { samples: r.samples, body: { samples: n, schema: r.body.toSchema() } } : { samples: r.samples };
    }
    return out;
  }
}
