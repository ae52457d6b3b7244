import { resolvePointer, type JsonObject } from '../../openapi/load.js';
import type { OperationSpec, ParameterSpec, ScalarType, SecuritySchemeSpec } from '../../openapi/operations.js';
import { isObject } from '../../openapi/schema-views.js';
import type { EndpointInventory } from '../inventory/endpoint.js';
import type { DriftItem } from '../report/model.js';
import { coerceParameter } from '../schema/coerce.js';
import type { JsonSchema } from '../schema/emit.js';
import { decodeSegment } from '../segments.js';

/**
 * Drift: what traffic did that the declared operation does not say. Requests served without the
 * credentials the operation requires (`auth-not-enforced`), parameters and body or
 * response members seen but not declared, declared types the values broke (a `string` where an
 * `integer` is declared, `/users/me` under a declared integer id), statuses not declared, a
 * body where none is declared. The inferred schemas are compared with the declared ones, so the
 * cost is the size of the schemas, not of the traffic.
 *
 * A declared schema that does not say (no `type`, no `properties`, a composition with an
 * untyped member) is not judged. Members are undeclared only where the declared object lists
 * its properties and does not allow others explicitly (`additionalProperties: true` or a schema).
 */
export const MAX_DRIFT = 50;
const MAX_DEPTH = 16;
const MAX_REFS = 32;

interface Ctx {
  doc: JsonObject;
  version: '3.0' | '3.1';
  out: DriftItem[];
}

function push(c: Ctx, item: DriftItem): void {
  if (c.out.length < MAX_DRIFT) c.out.push(item);
}

function deref(doc: JsonObject, s: unknown): JsonObject | undefined {
  let v = s;
  for (let i = 0; i < MAX_REFS && isObject(v) && typeof v['$ref'] === 'string'; i++) v = resolvePointer(doc, v['$ref']);
  return isObject(v) ? v : undefined;
}

const COMPOSITIONS = ['allOf', 'anyOf', 'oneOf'] as const;

/** The types a declared schema allows; undefined when it does not say. */
function declaredTypes(c: Ctx, s: JsonObject, depth = 0): Set<string> | undefined {
  const t = s['type'];
  if (typeof t === 'string' || Array.isArray(t)) {
    const set = new Set((Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string'));
    if (c.version === '3.0' && s['nullable'] === true) set.add('null');
    return set;
  }
  if (depth > 8) return undefined;
  let union: Set<string> | undefined;
  for (const k of COMPOSITIONS) {
    const list = s[k];
    if (!Array.isArray(list)) continue;
    for (const m of list) {
      const d = deref(c.doc, m);
      const ts = d ? declaredTypes(c, d, depth + 1) : undefined;
      // allOf narrows, but one typed member is enough to judge; an untyped anyOf member allows anything.
      if (!ts) { if (k !== 'allOf') return undefined; continue; }
      union = union ? new Set([...union, ...ts]) : ts;
    }
  }
  return union;
}

function allows(types: Set<string>, t: string): boolean {
  return types.has(t) || (t === 'integer' && types.has('number'));
}

interface Properties {
  props: Map<string, unknown>;
  /** Others are allowed explicitly. */
  open: boolean;
  /** Some schema here lists properties: without any, the object is not judged. */
  known: boolean;
}

function declaredProperties(c: Ctx, s: JsonObject, into: Properties, depth = 0): Properties {
  const props = s['properties'];
  if (isObject(props)) {
    into.known = true;
    for (const [k, v] of Object.entries(props)) if (!into.props.has(k)) into.props.set(k, v);
  }
  const ap = s['additionalProperties'] ?? s['unevaluatedProperties'];
  if (ap === true || isObject(ap) || isObject(s['patternProperties'])) into.open = true;
  if (depth <= 8) {
    for (const k of COMPOSITIONS) {
      const list = s[k];
      if (!Array.isArray(list)) continue;
      for (const m of list) {
        const d = deref(c.doc, m);
        if (d) declaredProperties(c, d, into, depth + 1);
        else into.open = true;
      }
    }
  }
  return into;
}

function declaredItems(c: Ctx, s: JsonObject): JsonObject | undefined {
  const items = deref(c.doc, s['items']);
  if (items) return items;
  for (const k of COMPOSITIONS) {
    const list = s[k];
    if (Array.isArray(list)) for (const m of list) { const d = deref(c.doc, m); const it = d && deref(c.doc, d['items']); if (it) return it; }
  }
  return undefined;
}

function escapeToken(k: string): string {
  return k.replaceAll('~', '~0').replaceAll('/', '~1');
}

function inferredTypes(s: JsonSchema): string[] {
  return s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
}

/** Compares what was seen (`seen`) with what is declared (`declared`), below `where` at `pointer`. */
export function compareSchemas(c: Ctx, seen: JsonSchema, declaredRaw: unknown, where: string, pointer = '', depth = 0): void {
  const d = deref(c.doc, declaredRaw);
  if (!d || depth > MAX_DEPTH || c.out.length >= MAX_DRIFT) return;
  const types = declaredTypes(c, d);
  if (types) {
    const bad = inferredTypes(seen).filter((t) => !allows(types, t));
    if (bad.length > 0) push(c, { kind: 'type-mismatch', where: `${where} ${pointer || '/'}`, detail: `seen ${bad.join(' and ')}, declared ${[...types].join(' | ')}` });
  }
  if (seen.properties) {
    const dp = declaredProperties(c, d, { props: new Map(), open: false, known: false });
    if (dp.known) {
      for (const [name, sub] of Object.entries(seen.properties)) {
        const p = `${pointer}/${escapeToken(name)}`;
        if (dp.props.has(name)) compareSchemas(c, sub, dp.props.get(name), where, p, depth + 1);
        else if (!dp.open) push(c, { kind: 'undeclared-property', where: `${where} ${p}`, detail: 'seen in traffic, not declared' });
      }
    }
  }
  if (seen.items) {
    const items = declaredItems(c, d);
    if (items) compareSchemas(c, seen.items, items, where, `${pointer}/*`, depth + 1);
  }
}

/** The types a parameter value may have for the declared scalar type (values are text on the wire). */
function paramAllows(declared: ScalarType, seen: string): boolean {
  if (declared === 'any' || declared === 'string') return true;
  if (declared === 'number') return seen === 'integer' || seen === 'number';
  return seen === declared;
}

function checkParameterType(c: Ctx, decl: ParameterSpec, seen: JsonSchema, where: string): void {
  const isArray = seen.type === 'array';
  if (isArray && decl.shape === 'scalar') push(c, { kind: 'type-mismatch', where, detail: 'seen repeated, declared a single value' });
  const scalar = isArray ? seen.items ?? {} : seen;
  for (const t of inferredTypes(scalar)) {
    if (!paramAllows(decl.scalarType, t)) push(c, { kind: 'type-mismatch', where, detail: `seen ${t}, declared ${decl.scalarType}` });
  }
}

function credentialQueryNames(op: OperationSpec, schemes: Map<string, SecuritySchemeSpec>): Set<string> {
  const names = new Set<string>();
  for (const alt of op.security) for (const id of Object.keys(alt)) {
    const s = schemes.get(id);
    if (s?.type === 'apiKey' && s.in === 'query' && s.name) names.add(s.name);
  }
  return names;
}

function declaredStatus(op: OperationSpec, status: string): Map<string, string | undefined> | undefined {
  return op.responses.get(status) ?? op.responses.get(`${status[0]}XX`) ?? op.responses.get('default');
}

function jsonPointer(media: Map<string, string | undefined> | undefined): string | undefined {
  if (!media) return undefined;
  for (const [type, ptr] of media) if (type === 'application/json' || type.endsWith('+json') || type === '*/*' || type === 'application/*') return ptr;
  return undefined;
}

export interface DriftInput {
  doc: JsonObject;
  version: '3.0' | '3.1';
  op: OperationSpec;
  schemes: Map<string, SecuritySchemeSpec>;
  /** Declared variable names by observed segment index. */
  pathParams: Map<number, string>;
}

export function driftOf(e: EndpointInventory, input: DriftInput): DriftItem[] {
  const c: Ctx = { doc: input.doc, version: input.version, out: [] };
  const { op } = input;
  const declared = (loc: string, name: string) => op.parameters.find((p) => p.in === loc && (loc === 'header' ? p.name.toLowerCase() === name.toLowerCase() : p.name === name));

  // Path: by position, since names differ (`{orderId}` observed, `{id}` declared).
  e.path.segments.forEach((seg, i) => {
    const name = input.pathParams.get(i);
    const decl = name === undefined ? undefined : declared('path', name);
    if (!decl) return;
    if ('literal' in seg) {
      const v = coerceParameter(decodeSegment(seg.literal));
      const seenType = typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;
      if (!paramAllows(decl.scalarType, seenType)) push(c, { kind: 'type-mismatch', where: `path ${name}`, detail: `the literal segment "${seg.literal.slice(0, 40)}" is not a declared ${decl.scalarType}` });
      return;
    }
    const seen = e.schemas.parameters.find((p) => p.in === 'path' && p.name === seg.param);
    if (seen) checkParameterType(c, decl, seen.schema, `path ${name}`);
  });

  // The contract requires a credential (no `{}` alternative), yet callers without one were served.
  const open = e.auth.find((a) => a.scheme === 'none');
  if (op.security.length > 0 && !op.security.some((alt) => Object.keys(alt).length === 0) && open && open.succeeded > 0) {
    push(c, { kind: 'auth-not-enforced', where: 'security', detail: `the spec requires ${op.security.map((alt) => Object.keys(alt).join(' + ')).join(' or ')}; ${open.succeeded} request${open.succeeded === 1 ? '' : 's'} without credentials answered 2xx/3xx` });
  }

  const credentialQuery = credentialQueryNames(op, input.schemes);
  for (const p of e.schemas.parameters) {
    if (p.in === 'path') continue;
    const decl = declared(p.in, p.name);
    if (!decl) {
      if (p.in === 'query' && credentialQuery.has(p.name)) continue;
      push(c, { kind: 'undeclared-parameter', where: `${p.in} ${p.name}`, detail: `seen in ${p.seen} of ${e.count} requests, not declared` });
    } else checkParameterType(c, decl, p.schema, `${p.in} ${p.name}`);
  }

  const body = e.schemas.requestBody;
  if (body) {
    if (!op.body) push(c, { kind: 'undeclared-body', where: 'request', detail: `a JSON body in ${body.samples} requests; the operation declares none` });
    else {
      const ptr = jsonPointer(op.body.media);
      if (ptr) compareSchemas(c, body.schema, resolvePointer(input.doc, ptr), 'request');
      else if (op.body.media.size > 0 && !op.body.media.has('application/json')) push(c, { kind: 'undeclared-body', where: 'request', detail: `a JSON body; the operation declares ${[...op.body.media.keys()].join(', ')}` });
    }
  }

  for (const [status, r] of Object.entries(e.schemas.responses)) {
    const media = declaredStatus(op, status);
    if (!media) { push(c, { kind: 'undeclared-status', where: `status ${status}`, detail: `answered ${r.samples} time${r.samples === 1 ? '' : 's'}, not declared` }); continue; }
    const ptr = jsonPointer(media);
    if (ptr && r.body) compareSchemas(c, r.body.schema, resolvePointer(input.doc, ptr), `response ${status}`);
  }
  return c.out;
}
