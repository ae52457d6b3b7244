import type { DataClass } from '../../detect/data-classes/index.js';
import { EndpointSchemaBuilder, type EndpointOptions, type EndpointSchemas } from '../schema/endpoint.js';
import type { AuthScheme, TrafficRecord } from '../sources/record.js';
import { isCredentialName } from '../sources/redact.js';
import type { PathTemplate } from '../templating.js';
import { authOf, credentialsOf, type Credential } from './auth.js';
import { recordDataClasses, type DataField } from './data-classes.js';
import { DistinctCounter } from './distinct.js';
import { Histogram, LATENCY_BUCKETS, type Quantiles } from './histogram.js';
import { PrincipalRates, type RateDistribution, type RateOptions } from './rates.js';

/** A request's auth as the inventory counts it: a scheme, `none`, or `unknown` where the source does not record credentials. */
export type AuthSeen = AuthScheme | 'unknown';

/** What the inventory knows of one endpoint (method + path template) after reading the traffic. */
export interface EndpointInventory {
  method: string;
  /** `/orders/{orderId}`. */
  template: string;
  /** The templating evidence: parameters with kinds, distinct counts, masked samples, confidence. */
  path: Pick<PathTemplate, 'segments' | 'params' | 'confidence'>;
  count: number;
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
  /** Count by status code (`"200"`). */
  statuses: Record<string, number>;
  /** Of `count`, how many were 4xx and 5xx. */
  clientErrors: number;
  serverErrors: number;
  /** From records that had a duration; undefined when none had. */
  latencyMs: Quantiles | undefined;
  /** By scheme, most used first: how many requests, and how many of them were answered 2xx/3xx. */
  auth: Array<{ scheme: AuthSeen; count: number; succeeded: number }>;
  /** Where credentials were sent (`header Authorization bearer`, `query api_key apikey`), most used first. */
  credentials: Array<Credential & { count: number }>;
  dataClasses: { request: DataClass[]; response: DataClass[]; fields: DataField[] };
  principals: {
    /** Distinct principals (exact, or a HyperLogLog estimate past EXACT_DISTINCT). */
    distinct: number;
    estimated: boolean;
    /** Requests with neither a principal nor a client IP. */
    unknown: number;
    /** How principals were known: from a credential (hashed) or by client IP. */
    byCredential: number;
    byIp: number;
  };
  /** Requests per principal per window; undefined when no request had a principal. */
  rates: RateDistribution | undefined;
  schemas: EndpointSchemas;
}

export interface EndpointAggregateOptions {
  schema?: EndpointOptions;
  rates?: Readonly<RateOptions>;
}

const MAX_FIELDS = 20;
const MAX_CREDENTIAL_KINDS = 10;

/** A record's latency, weighted: its repeats' durations, and for repeats past those kept, their mean. */
function addDurations(latency: Histogram, r: TrafficRecord, n: number): void {
  const kept = r.durations?.filter((d) => Number.isFinite(d) && d >= 0).slice(0, n);
  if (kept && kept.length > 0) {
    let sum = 0;
    for (const d of kept) { latency.add(d); sum += d; }
    if (n > kept.length) latency.add(sum / kept.length, n - kept.length);
  } else if (r.durationMs !== undefined) latency.add(r.durationMs, n);
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 400;
}

/**
 * Everything an endpoint keeps while records stream by, bounded: counters, fixed histograms,
 * a bounded distinct counter and rate tracker, a schema builder under its own node budget.
 */
export class EndpointAggregate {
  private count = 0;
  private firstSeen = Infinity;
  private lastSeen = -Infinity;
  private readonly statuses = new Map<number, number>();
  private readonly latency = new Histogram(LATENCY_BUCKETS);
  private readonly auth = new Map<AuthSeen, { count: number; succeeded: number }>();
  private readonly credentials = new Map<string, Credential & { count: number }>();
  private readonly request = new Set<DataClass>();
  private readonly response = new Set<DataClass>();
  private readonly fields = new Map<string, DataField>();
  private readonly principals = new DistinctCounter();
  private unknownPrincipals = 0;
  private byCredential = 0;
  private byIp = 0;
  private readonly rates: PrincipalRates;
  private readonly schemas: EndpointSchemaBuilder;

  constructor(readonly method: string, readonly template: PathTemplate, o: EndpointAggregateOptions = {}) {
    this.rates = new PrincipalRates(o.rates);
    this.schemas = new EndpointSchemaBuilder(o.schema);
  }

  /** One record of this endpoint; `pathParams` are its decoded template variables. */
  add(r: TrafficRecord, pathParams: Record<string, string>): void {
    // A gateway sample can stand for `count` repeats: every count below is weighted by it.
    const n = r.count !== undefined && Number.isInteger(r.count) && r.count > 1 ? r.count : 1;
    this.count += n;
    if (r.time < this.firstSeen) this.firstSeen = r.time;
    if (r.time > this.lastSeen) this.lastSeen = r.time;
    this.statuses.set(r.status, (this.statuses.get(r.status) ?? 0) + n);
    addDurations(this.latency, r, n);

    const creds = credentialsOf(r);
    const scheme: AuthSeen = creds.length === 0 && r.authUnknown ? 'unknown' : authOf(creds);
    const a = this.auth.get(scheme) ?? { count: 0, succeeded: 0 };
    a.count += n;
    if (isSuccess(r.status)) a.succeeded += n;
    this.auth.set(scheme, a);
    for (const c of creds) {
      const key = `${c.in}\0${c.name.toLowerCase()}\0${c.scheme}`;
      const seen = this.credentials.get(key);
      if (seen) seen.count += n;
      else if (this.credentials.size < MAX_CREDENTIAL_KINDS) this.credentials.set(key, { ...c, count: n });
    }

    const data = recordDataClasses(r);
    for (const c of data.request) this.request.add(c);
    for (const c of data.response) this.response.add(c);
    for (const f of data.fields) {
      const key = `${f.in}\0${f.pointer}\0${f.cls}`;
      if (this.fields.size < MAX_FIELDS && !this.fields.has(key)) this.fields.set(key, f);
    }

    const principal = r.principal !== undefined ? r.principal : r.clientIp !== undefined ? `ip:${r.clientIp}` : undefined;
    if (principal === undefined) this.unknownPrincipals += n;
    else {
      if (r.principal !== undefined) this.byCredential += n;
      else this.byIp += n;
      this.principals.add(principal);
      this.rates.add(principal, r.time, n);
    }

    // A request the gateway refused never reached the API: its parameters and body (often the
    // attack itself) say nothing about the API's schema.
    if (r.refused) return;
    this.schemas.add({
      pathParams,
      query: withoutCredentials(r.query),
      headers: withoutCredentials(r.requestHeaders),
      requestBody: r.requestBody,
      status: r.status,
      responseBody: r.responseBody,
    });
  }

  finish(): EndpointInventory {
    const statuses: Record<string, number> = {};
    let clientErrors = 0;
    let serverErrors = 0;
    for (const [s, n] of [...this.statuses].sort((a, b) => a[0] - b[0])) {
      statuses[String(s)] = n;
      if (s >= 400 && s < 500) clientErrors += n;
      else if (s >= 500) serverErrors += n;
    }
    const byCount = <T extends { count: number }>(a: T, b: T) => b.count - a.count;
    return {
      method: this.method,
      template: this.template.template,
      path: { segments: this.template.segments, params: this.template.params, confidence: this.template.confidence },
      count: this.count,
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      statuses,
      clientErrors,
      serverErrors,
      latencyMs: this.latency.quantiles(),
      auth: [...this.auth].map(([scheme, a]) => ({ scheme, ...a })).sort((a, b) => byCount(a, b) || (a.scheme < b.scheme ? -1 : 1)),
      credentials: [...this.credentials.values()].sort((a, b) => byCount(a, b) || (a.name < b.name ? -1 : 1)),
      dataClasses: { request: [...this.request].sort(), response: [...this.response].sort(), fields: [...this.fields.values()] },
      principals: { distinct: this.principals.count, estimated: this.principals.estimated, unknown: this.unknownPrincipals, byCredential: this.byCredential, byIp: this.byIp },
      rates: this.rates.finish(),
      schemas: this.schemas.toSchemas(),
    };
  }
}

/** Credentials are security schemes, not parameters: their names are left out of the parameter schemas. */
function withoutCredentials<V>(values: Readonly<Record<string, V>>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of Object.entries(values)) {
    // A parsed `__proto__` name is an own property; plain assignment would set the prototype.
    if (!isCredentialName(k)) Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
  }
  return out;
}
