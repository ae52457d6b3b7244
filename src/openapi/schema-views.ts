import type { JsonObject } from './load.js';

/**
 * OpenAPI shares one schema between requests and responses, but the two directions read it
 * differently: `readOnly` properties must not be sent by clients (mass assignment), `writeOnly`
 * ones are not returned. We derive two JSON Schema 2020-12 views of the whole bundled document
 * once at load, so validators are plain Ajv code on the hot path.
 */
export interface ViewOptions {
  version: '3.0' | '3.1';
  /** Reject properties a request schema does not declare (mass assignment). */
  rejectUndeclared: boolean;
}

const COMPOSITION = new Set(['allOf', 'anyOf', 'oneOf']);
export const READ_ONLY_KEYWORD = 'x-portcullis-read-only';

export function buildRequestView(doc: JsonObject, opts: ViewOptions): JsonObject {
  const view = structuredClone(doc);
  const members = compositionMemberRefs(view);
  walkSchemas(view, (schema, parentKey) => {
    if (opts.version === '3.0') convert30(schema);
    boundIntegers(schema);
    const props = schema.properties;
    if (isObject(props)) {
      const readOnly = Object.keys(props).filter((k) => isReadOnly(view, props[k]));
      for (const k of readOnly) props[k] = { [READ_ONLY_KEYWORD]: true };
      if (readOnly.length > 0 && Array.isArray(schema.required)) {
        schema.required = schema.required.filter((r) => !readOnly.includes(r as string));
      }
    }
    if (opts.rejectUndeclared && looksLikeClosedCandidate(schema) && !COMPOSITION.has(parentKey) && !members.has(schema)) {
      schema.unevaluatedProperties = false;
    }
  });
  return view;
}

export function buildResponseView(doc: JsonObject, opts: ViewOptions): JsonObject {
  const view = structuredClone(doc);
  walkSchemas(view, (schema) => {
    if (opts.version === '3.0') convert30(schema);
    const props = schema.properties;
    if (isObject(props) && Array.isArray(schema.required)) {
      const writeOnly = Object.keys(props).filter((k) => isObject(props[k]) && (props[k] as JsonObject).writeOnly === true);
      schema.required = schema.required.filter((r) => !writeOnly.includes(r as string));
    }
  });
  return view;
}

function looksLikeClosedCandidate(s: JsonObject): boolean {
  const isObjectSchema = s.type === 'object' || isObject(s.properties) || Array.isArray(s.allOf);
  return isObjectSchema && !('additionalProperties' in s) && !('unevaluatedProperties' in s) && !('patternProperties' in s);
}

function isReadOnly(doc: JsonObject, prop: unknown): boolean {
  if (!isObject(prop)) return false;
  if (prop.readOnly === true) return true;
  if (typeof prop.$ref === 'string') {
    const target = pointer(doc, prop.$ref);
    return isObject(target) && target.readOnly === true;
  }
  return false;
}

/** Schemas that are allOf/anyOf/oneOf members (directly or by $ref) must stay open, or composition breaks. */
function compositionMemberRefs(doc: JsonObject): Set<JsonObject> {
  const out = new Set<JsonObject>();
  walkSchemas(doc, (schema) => {
    for (const k of COMPOSITION) {
      const list = schema[k];
      if (!Array.isArray(list)) continue;
      for (const m of list) {
        if (!isObject(m)) continue;
        out.add(m);
        if (typeof m.$ref === 'string') {
          const t = pointer(doc, m.$ref);
          if (isObject(t)) out.add(t);
        }
      }
    }
  });
  return out;
}

/**
 * JSON numbers are read as doubles, so an `integer` beyond ±(2^53−1) cannot be told from its
 * neighbours (`9007199254740993.0` reads as …992): the validator and an upstream with exact
 * integers would judge different values. Request integers are held to the safe range.
 */
function boundIntegers(s: JsonObject): void {
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (!types.includes('integer') || types.includes('number')) return;
  if (typeof s.maximum !== 'number' || s.maximum > Number.MAX_SAFE_INTEGER) s.maximum = Number.MAX_SAFE_INTEGER;
  if (typeof s.minimum !== 'number' || s.minimum < -Number.MAX_SAFE_INTEGER) s.minimum = -Number.MAX_SAFE_INTEGER;
}

/** OpenAPI 3.0 schema dialect → JSON Schema 2020-12, in place. */
function convert30(s: JsonObject): void {
  if (s.nullable === true) {
    if (typeof s.type === 'string') s.type = [s.type, 'null'];
    else if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
    delete s.nullable;
  }
  if (s.exclusiveMinimum === true && typeof s.minimum === 'number') { s.exclusiveMinimum = s.minimum; delete s.minimum; }
  else if (s.exclusiveMinimum === false) delete s.exclusiveMinimum;
  if (s.exclusiveMaximum === true && typeof s.maximum === 'number') { s.exclusiveMaximum = s.maximum; delete s.maximum; }
  else if (s.exclusiveMaximum === false) delete s.exclusiveMaximum;
}

const SCHEMA_HOLDERS = new Set(['schema', 'items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/**
 * Visit every schema object in an OpenAPI document exactly once. Schemas are found where
 * OpenAPI puts them (components.schemas, `schema` fields, and the subschema keywords), so a
 * property that happens to be named `properties` in an example is never mistaken for one.
 */
export function walkSchemas(doc: JsonObject, visit: (schema: JsonObject, parentKey: string) => void): void {
  const seen = new Set<object>();
  const visitSchema = (s: unknown, parentKey: string): void => {
    if (!isObject(s) || seen.has(s)) return;
    seen.add(s);
    visit(s, parentKey);
    for (const [k, v] of Object.entries(s)) {
      if (SCHEMA_HOLDERS.has(k)) visitSchema(v, k);
      else if (SCHEMA_MAPS.has(k) && isObject(v)) for (const sub of Object.values(v)) visitSchema(sub, k);
      else if ((COMPOSITION.has(k) || k === 'prefixItems') && Array.isArray(v)) for (const sub of v) visitSchema(sub, k);
      else if (k === 'items' && Array.isArray(v)) for (const sub of v) visitSchema(sub, k);
    }
  };
  const visitContainer = (node: unknown, depth: number): void => {
    if (depth > 64 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) { for (const n of node) visitContainer(n, depth + 1); return; }
    for (const [k, v] of Object.entries(node as JsonObject)) {
      if (k === 'schema') visitSchema(v, k);
      else if (k === 'examples' || k === 'example') continue;
      else visitContainer(v, depth + 1);
    }
  };
  const components = isObject(doc.components) ? doc.components : {};
  if (isObject(components.schemas)) for (const s of Object.values(components.schemas)) visitSchema(s, 'schemas');
  visitContainer(doc.paths, 0);
  visitContainer(components.parameters, 0);
  visitContainer(components.requestBodies, 0);
  visitContainer(components.responses, 0);
  visitContainer(components.headers, 0);
  visitContainer(doc.webhooks, 0);
}

function pointer(doc: JsonObject, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let n: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    if (!isObject(n)) return undefined;
    n = n[decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return n;
}

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
