import type { EndpointInventory } from '../inventory/endpoint.js';
import type { Inventory } from '../inventory/build.js';
import type { InferredParameter } from '../schema/parameters.js';
import type { JsonSchema } from '../schema/emit.js';
import { securityOf, type SecuritySchemeObject } from './security.js';

/**
 * The API as the traffic shows it, as an OpenAPI 3.1 document: one path per template, one
 * operation per method seen, its parameters and JSON bodies as inferred (JSON Schema 2020-12,
 * the 3.1 dialect), the statuses seen, and security schemes from the credentials seen.
 *
 * No value that could be sensitive is written: schemas carry enums and examples only where the
 * inference allows them (schema/values.ts), path literals are what templating kept literal,
 * and the `x-portcullis-discovery` extension holds counts and times, never samples.
 */
export interface ExportOptions {
  title?: string;
  version?: string;
  /** `servers[0].url`, when known. */
  serverUrl?: string;
}

export type OpenApiDocument = Record<string, unknown> & { openapi: '3.1.0'; paths: Record<string, Record<string, unknown>> };

const WORD = /[A-Za-z0-9]+/g;

function pascal(s: string): string {
  return (s.match(WORD) ?? []).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** `GET /orders/{orderId}/items` → `getOrdersByOrderIdItems`; unique within the document. */
function operationId(e: EndpointInventory, used: Set<string>): string {
  const parts = e.path.segments.map((s) => ('param' in s ? `By${pascal(s.param)}` : pascal(decodeURIComponentSafe(s.literal))));
  const base = `${e.method.toLowerCase()}${parts.join('') || 'Root'}`;
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}${n}`;
  used.add(id);
  return id;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Defaults apply: a repeated query parameter (`?tag=a&tag=b`, an array schema) is form style, exploded. */
function parameterObject(p: InferredParameter): Record<string, unknown> {
  return { name: p.name, in: p.in, required: p.required, schema: p.schema };
}

function jsonContent(schema: JsonSchema): Record<string, unknown> {
  return { 'application/json': { schema } };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function operation(e: EndpointInventory, used: Set<string>, schemes: Map<string, SecuritySchemeObject>): Record<string, unknown> {
  const parameters = e.schemas.parameters.map(parameterObject);
  // Every template variable must be declared; the inference sees each one in every request.
  for (const s of e.path.segments) {
    if ('param' in s && !e.schemas.parameters.some((p) => p.in === 'path' && p.name === s.param)) parameters.unshift({ name: s.param, in: 'path', required: true, schema: { type: 'string' } });
  }
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(e.schemas.responses)) {
    responses[status] = { description: `Seen ${r.samples} time${r.samples === 1 ? '' : 's'}.`, ...(r.body ? { content: jsonContent(r.body.schema) } : {}) };
  }
  if (Object.keys(responses).length === 0) responses['default'] = { description: 'No response status was tracked.' };
  const op: Record<string, unknown> = {
    operationId: operationId(e, used),
    summary: `${e.method} ${e.template}`,
    ...(parameters.length > 0 ? { parameters } : {}),
  };
  const body = e.schemas.requestBody;
  if (body) op['requestBody'] = { required: body.required, content: jsonContent(body.schema) };
  op['responses'] = responses;
  const security = securityOf(e, schemes);
  if (security) op['security'] = security;
  op['x-portcullis-discovery'] = {
    ...(security ? {} : { auth: 'unknown: the traffic sources did not record credentials' }),
    count: e.count, firstSeen: iso(e.firstSeen), lastSeen: iso(e.lastSeen), templateConfidence: e.path.confidence,
    principals: e.principals.distinct,
  };
  return op;
}

export function exportOpenApi(inventory: Inventory, options: ExportOptions = {}): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const used = new Set<string>();
  const schemes = new Map<string, SecuritySchemeObject>();
  for (const e of inventory.endpoints) {
    const item = (paths[e.template] ??= {});
    item[e.method.toLowerCase()] = operation(e, used, schemes);
  }
  const w = inventory.stats.window;
  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'API reconstructed from traffic',
      version: options.version ?? '0.0.0',
      description: `Reconstructed by portcullis discover from ${inventory.stats.matched} request${inventory.stats.matched === 1 ? '' : 's'}${w ? ` seen from ${iso(w.first)} to ${iso(w.last)}` : ''}. Schemas describe what was seen, no more: review before enforcing.`,
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
  };
  if (schemes.size > 0) {
    doc['components'] = { securitySchemes: Object.fromEntries([...schemes].sort((a, b) => (a[0] < b[0] ? -1 : 1))) };
  }
  return doc;
}
