import type { DataClass } from '../../detect/data-classes/index.js';
import type { DataField } from '../inventory/data-classes.js';
import type { AuthSeen, EndpointInventory } from '../inventory/endpoint.js';

/**
 * What `portcullis discover` reports per endpoint: the fields the issue names (method, path,
 * status, auth, dataClasses, risk, count, firstSeen, lastSeen) and the evidence behind them.
 * Everything here is a count, a name or a class: no value seen in traffic is carried.
 */
export type EndpointStatus = 'declared' | 'shadow' | 'zombie' | 'orphan';

export interface RiskFactor {
  /** Stable id: `no-auth-write`, `sensitive-data`, `shadow`, `zombie`, `numeric-id`, `error-rate`, `unusual-volume`, … */
  id: string;
  points: number;
  detail: string;
}

export interface Risk {
  /** 0–100: the sum of the factors' points, capped at 100. */
  score: number;
  factors: RiskFactor[];
}

export interface DriftItem {
  /** `auth-not-enforced`, `undeclared-parameter`, `undeclared-property`, `type-mismatch`, `undeclared-status`, `undeclared-body`. */
  kind: string;
  /** `query page`, `request /items/*\/sku`, `response 200 /total`, `status 500`. */
  where: string;
  detail: string;
}

export interface DeclaredRef {
  method: string;
  /** The template as the spec writes it (`/orders/{id}`), without the server base path. */
  path: string;
  operationId?: string;
  deprecated: boolean;
}

export interface DiscoveredEndpoint {
  method: string;
  /** The template: observed (`/orders/{orderId}`), or the declared one for an orphan. */
  path: string;
  status: EndpointStatus;
  /** Declared in the spec (declared, orphan, and zombies the spec marks deprecated). */
  declared: boolean;
  /** Why the status: `deprecated in the spec`, `/api/v2 exists beside /api/v1`, `no --spec given`. */
  reasons: string[];
  /** Schemes seen, most used first: `none` for requests without a credential, `unknown` where the source does not log credentials (combined logs). */
  auth: AuthSeen[];
  /** Sensitive-data classes seen in requests or responses. */
  dataClasses: DataClass[];
  risk: Risk;
  count: number;
  /** ISO 8601; null for an orphan. */
  firstSeen: string | null;
  lastSeen: string | null;
  requestDataClasses: DataClass[];
  responseDataClasses: DataClass[];
  /** Where the classes were seen (field names, never values). */
  dataFields: DataField[];
  statuses: Record<string, number>;
  /** Shares 0..1 of 4xx and 5xx answers. */
  clientErrorRate: number;
  serverErrorRate: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number } | null;
  principals: number;
  principalsEstimated: boolean;
  /** Lowest confidence of the path's parameters (1 without any). */
  templateConfidence: number;
  parameters: Array<{ name: string; kind: string; distinct: number; confidence: number }>;
  spec?: DeclaredRef;
  drift: DriftItem[];
  /** The learned per-caller limit (limits/learn.ts), when callers could be told apart. */
  rateLimit?: { rate: string; operation: string; p50: number; p90: number; p99: number; max: number; samples: number; confidence: 'low' | 'medium' | 'high' };
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function observedEndpoint(e: EndpointInventory): DiscoveredEndpoint {
  const classes = new Set<DataClass>([...e.dataClasses.request, ...e.dataClasses.response]);
  const l = e.latencyMs;
  return {
    method: e.method,
    path: e.template,
    status: 'shadow',
    declared: false,
    reasons: [],
    auth: e.auth.map((a) => a.scheme),
    dataClasses: [...classes].sort(),
    risk: { score: 0, factors: [] },
    count: e.count,
    firstSeen: new Date(e.firstSeen).toISOString(),
    lastSeen: new Date(e.lastSeen).toISOString(),
    requestDataClasses: e.dataClasses.request,
    responseDataClasses: e.dataClasses.response,
    dataFields: e.dataClasses.fields,
    statuses: e.statuses,
    clientErrorRate: round(e.clientErrors / Math.max(1, e.count)),
    serverErrorRate: round(e.serverErrors / Math.max(1, e.count)),
    latencyMs: l ? { p50: round(l.p50, 1), p95: round(l.p95, 1), p99: round(l.p99, 1), max: round(l.max, 1) } : null,
    principals: e.principals.distinct,
    principalsEstimated: e.principals.estimated,
    templateConfidence: e.path.confidence,
    parameters: e.path.params.map((p) => ({ name: p.name, kind: p.kind, distinct: p.distinct, confidence: p.confidence })),
    drift: [],
  };
}

/** A declared operation no request reached. */
export function orphanEndpoint(ref: DeclaredRef, fullPath: string): DiscoveredEndpoint {
  return {
    method: ref.method, path: fullPath, status: 'orphan', declared: true, reasons: ['declared, never seen in the traffic window'],
    auth: [], dataClasses: [], risk: { score: 0, factors: [] }, count: 0, firstSeen: null, lastSeen: null,
    requestDataClasses: [], responseDataClasses: [], dataFields: [], statuses: {}, clientErrorRate: 0, serverErrorRate: 0,
    latencyMs: null, principals: 0, principalsEstimated: false, templateConfidence: 1, parameters: [], spec: ref, drift: [],
  };
}
