import { PortcullisError } from '../errors.js';
import { HTTP_METHODS, resolvePointer, type JsonObject, type LoadedSpec } from './load.js';
import { DATA_CLASSES } from '../detect/data-classes/types.js';
import { isObject } from './schema-views.js';

export type ParamLocation = 'path' | 'query' | 'header' | 'cookie';
export type ScalarType = 'integer' | 'number' | 'boolean' | 'string' | 'any';

export interface ParameterSpec {
  name: string;
  in: ParamLocation;
  required: boolean;
  /** JSON pointer of the parameter's schema inside the bundled document. */
  schemaPointer: string | undefined;
  shape: 'scalar' | 'array' | 'object';
  /** Type used to coerce the text form (the item type for arrays). */
  scalarType: ScalarType;
  style: string;
  explode: boolean;
}

export interface BodySpec {
  required: boolean;
  /** Lower-case media type (or range such as `application/*`) → pointer of its schema. */
  media: Map<string, string | undefined>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface OperationSpec {
  method: string; // upper-case
  template: string;
  operationId: string | undefined;
  /** `METHOD /template`: the name events, metrics and config overrides use. */
  key: string;
  deprecated: boolean;
  parameters: ParameterSpec[];
  body: BodySpec | undefined;
  /** Effective requirement: operation's own, else the document's. `[]` = public. */
  security: SecurityRequirement[];
  roles: string[];
  /** `x-portcullis-mode` extension. */
  mode: string | undefined;
  /** Status key as written (`200`, `2XX`, `default`) → lower-case media type → schema pointer. */
  responses: Map<string, Map<string, string | undefined>>;
  /** `x-portcullis-data-classes`: the sensitive-data classes this operation may return. */
  dataClasses: string[] | undefined;
  /** `x-portcullis-flow`: the sensitive business flow this operation is (login, signup…). */
  flow?: FlowKind;
}

export const FLOW_KINDS = ['login', 'signup', 'password-reset', 'otp', 'checkout'] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

export interface SecuritySchemeSpec {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
}

/** Walk `paths` once and describe every operation with its `$ref`s resolved. */
export function extractOperations(spec: LoadedSpec): { operations: OperationSpec[]; schemes: Map<string, SecuritySchemeSpec> } {
  const { doc, file } = spec;
  const paths = doc.paths as JsonObject;
  const globalSecurity = Array.isArray(doc.security) ? (doc.security as SecurityRequirement[]) : [];
  const operations: OperationSpec[] = [];
  const problems: string[] = [];
  for (const [template, rawItem] of Object.entries(paths)) {
    if (!template.startsWith('/')) { problems.push(`paths."${template}": a path must start with "/"`); continue; }
    const itemPtr = `#/paths/${escapePointer(template)}`;
    const resolvedItem = follow(doc, rawItem, itemPtr);
    if (!isObject(resolvedItem.value)) continue;
    const item = resolvedItem.value;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const opPtr = `${resolvedItem.pointer}/${method}`;
      const params = new Map<string, ParameterSpec>();
      const add = (list: unknown[], base: string): void => {
        list.forEach((p, i) => {
          try {
            const spec = describeParameter(doc, p, `${base}/${i}`);
            if (spec) params.set(`${spec.in}:${spec.in === 'header' ? spec.name.toLowerCase() : spec.name}`, spec);
          } catch (e) { problems.push(`${method.toUpperCase()} ${template}: ${(e as Error).message}`); }
        });
      };
      add(shared, `${resolvedItem.pointer}/parameters`);
      add(Array.isArray(op.parameters) ? op.parameters : [], `${opPtr}/parameters`);
      for (const name of templateNames(template)) {
        if (!params.has(`path:${name}`)) {
          // Undeclared template variables are still routed; they take any non-empty segment.
          params.set(`path:${name}`, { name, in: 'path', required: true, schemaPointer: undefined, shape: 'scalar', scalarType: 'string', style: 'simple', explode: false });
        }
      }
      const dataClasses = op['x-portcullis-data-classes'];
      if (dataClasses !== undefined) {
        const unknown = Array.isArray(dataClasses) ? dataClasses.filter((c) => !(DATA_CLASSES as readonly unknown[]).includes(c)) : [dataClasses];
        if (unknown.length > 0) problems.push(`${method.toUpperCase()} ${template}: x-portcullis-data-classes must list classes among ${DATA_CLASSES.join(', ')} (got ${unknown.map(String).join(', ')})`);
      }
      const flow = op['x-portcullis-flow'];
      if (flow !== undefined && !(FLOW_KINDS as readonly unknown[]).includes(flow)) {
        problems.push(`${method.toUpperCase()} ${template}: x-portcullis-flow must be one of ${FLOW_KINDS.join(', ')} (got ${String(flow).slice(0, 40)})`);
      }
      const roles = Array.isArray(op['x-portcullis-roles']) ? (op['x-portcullis-roles'] as unknown[]).map(String) : [];
      operations.push({
        method: method.toUpperCase(),
        template,
        operationId: typeof op.operationId === 'string' ? op.operationId : undefined,
        key: `${method.toUpperCase()} ${template}`,
        deprecated: op.deprecated === true,
        parameters: [...params.values()],
        body: describeBody(doc, op.requestBody, `${opPtr}/requestBody`),
        security: Array.isArray(op.security) ? (op.security as SecurityRequirement[]) : globalSecurity,
        roles,
        mode: typeof op['x-portcullis-mode'] === 'string' ? op['x-portcullis-mode'] : undefined,
        responses: describeResponses(doc, op.responses, `${opPtr}/responses`),
        dataClasses: Array.isArray(dataClasses) ? dataClasses.map(String) : undefined,
        ...(typeof flow === 'string' ? { flow: flow as FlowKind } : {}),
      });
    }
  }
  if (problems.length > 0) {
    throw new PortcullisError('PC_ERR_SPEC_INVALID', `${file}: ${problems.length} invalid operation(s)`, { where: file, details: problems });
  }
  const schemes = new Map<string, SecuritySchemeSpec>();
  const comp = isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  for (const [name, s] of Object.entries(comp)) {
    const v = follow(doc, s, `#/components/securitySchemes/${escapePointer(name)}`).value;
    if (isObject(v) && typeof v.type === 'string') schemes.set(name, v as unknown as SecuritySchemeSpec);
  }
  return { operations, schemes };
}

function describeParameter(doc: JsonObject, raw: unknown, ptr: string): ParameterSpec | undefined {
  const { value, pointer } = follow(doc, raw, ptr);
  if (!isObject(value)) return undefined;
  const where = value.in;
  if (where !== 'path' && where !== 'query' && where !== 'header' && where !== 'cookie') {
    throw new Error(`parameter ${String(value.name)} has invalid "in": ${String(where)}`);
  }
  if (typeof value.name !== 'string' || value.name === '') throw new Error('parameter without a name');
  let schemaPointer: string | undefined;
  let schema: unknown;
  if (isObject(value.schema)) {
    const r = follow(doc, value.schema, `${pointer}/schema`);
    schema = r.value;
    schemaPointer = `${pointer}/schema`;
  } else if (isObject(value.content)) {
    // `content`-encoded parameters (e.g. JSON in a query value) are validated as strings only.
    schemaPointer = undefined;
  }
  const type = schemaType(doc, schema);
  let shape: ParameterSpec['shape'] = 'scalar';
  let scalarType: ScalarType = type === 'array' || type === 'object' ? 'any' : type;
  if (type === 'array') {
    shape = 'array';
    const items = isObject(schema) ? follow(doc, schema.items, '').value : undefined;
    const t = schemaType(doc, items);
    scalarType = t === 'array' || t === 'object' ? 'string' : t;
  } else if (type === 'object') shape = 'object';
  const defaultStyle = where === 'query' || where === 'cookie' ? 'form' : 'simple';
  const style = typeof value.style === 'string' ? value.style : defaultStyle;
  return {
    name: value.name,
    in: where,
    required: where === 'path' ? true : value.required === true,
    schemaPointer,
    shape,
    scalarType,
    style,
    explode: typeof value.explode === 'boolean' ? value.explode : style === 'form',
  };
}

function describeBody(doc: JsonObject, raw: unknown, ptr: string): BodySpec | undefined {
  if (raw === undefined) return undefined;
  const { value, pointer } = follow(doc, raw, ptr);
  if (!isObject(value) || !isObject(value.content)) return undefined;
  const media = new Map<string, string | undefined>();
  for (const [type, m] of Object.entries(value.content)) {
    const base = type.split(';')[0]!.trim().toLowerCase();
    media.set(base, isObject(m) && m.schema !== undefined ? `${pointer}/content/${escapePointer(type)}/schema` : undefined);
  }
  return { required: value.required === true, media };
}

function describeResponses(doc: JsonObject, raw: unknown, ptr: string): Map<string, Map<string, string | undefined>> {
  const out = new Map<string, Map<string, string | undefined>>();
  if (!isObject(raw)) return out;
  for (const status of Object.keys(raw)) {
    const { value, pointer } = follow(doc, raw[status], `${ptr}/${escapePointer(status)}`);
    const media = new Map<string, string | undefined>();
    if (isObject(value) && isObject(value.content)) {
      for (const [type, m] of Object.entries(value.content)) {
        const base = type.split(';')[0]!.trim().toLowerCase();
        media.set(base, isObject(m) && m.schema !== undefined ? `${pointer}/content/${escapePointer(type)}/schema` : undefined);
      }
    }
    out.set(status.toUpperCase() === 'DEFAULT' ? 'default' : status.toUpperCase(), media);
  }
  return out;
}

function schemaType(doc: JsonObject, schema: unknown): ScalarType | 'array' | 'object' {
  const s = follow(doc, schema, '').value;
  if (!isObject(s)) return 'any';
  let t = s.type;
  if (Array.isArray(t)) t = t.find((x) => x !== 'null');
  if (t === 'integer' || t === 'number' || t === 'boolean' || t === 'string' || t === 'array' || t === 'object') return t;
  for (const k of ['allOf', 'oneOf', 'anyOf']) {
    const list = s[k];
    if (Array.isArray(list) && list.length > 0) {
      const inner = schemaType(doc, list[0]);
      if (inner !== 'any') return inner;
    }
  }
  return 'any';
}

/** Follow `$ref`s, keeping the pointer of the final target so validators can reference it. */
function follow(doc: JsonObject, value: unknown, pointer: string): { value: unknown; pointer: string } {
  let v = value;
  let p = pointer;
  for (let i = 0; i < 32 && isObject(v) && typeof v.$ref === 'string'; i++) {
    p = v.$ref;
    v = resolvePointer(doc, v.$ref);
  }
  return { value: v, pointer: p };
}

export function templateNames(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/** A JSON-pointer token in URI-fragment form (Ajv and resolvePointer both accept it). */
export function escapePointer(s: string): string {
  return encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'));
}
