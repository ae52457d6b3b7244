import { resolvePointer, type JsonObject } from './load.js';

/**
 * Which parts of a request value the negative model (injection, SSRF) can leave alone because
 * the contract already pins them: a value that passed strict validation as an integer, a
 * boolean, an enum member, a UUID or a date cannot carry a payload, and scanning it only costs
 * time and false alarms. Compiled once per schema at load; applies only to values that were
 * validated against that schema (the caller checks).
 *
 * Conservative by construction: a schema whose valid instances this code cannot bound exactly
 * (composition, conditionals, dynamic references) is scanned in full.
 */
export interface ScanPlan {
  /** Returns true for a string value here that needs no scan; absent = scan every string. */
  readonly pinString?: (value: string) => boolean;
  /** The contract declares strings here as URLs (`format: uri`…): what the API will fetch or follow. */
  readonly urlValued?: boolean;
  /** Member names of a valid object here are all names the contract declares (none are scanned). */
  readonly keysDeclared: boolean;
  readonly properties?: ReadonlyMap<string, ScanPlan>;
  /** Plan for members not in `properties`; absent = scan in full. */
  readonly rest?: ScanPlan;
  /** Plan for array elements; absent = scan in full. */
  readonly items?: ScanPlan;
}

export const SCAN_ALL: ScanPlan = { keysDeclared: false };

const always = (): boolean => true;
/** Nothing below needs a scan: an enum, a constant, a number, or a type no string or name can take. */
export const SCAN_NONE: ScanPlan = (() => {
  const p: { pinString: () => boolean; keysDeclared: boolean; rest?: ScanPlan; items?: ScanPlan } = { pinString: always, keysDeclared: true };
  p.rest = p;
  p.items = p;
  return p;
})();

/**
 * String formats whose validated values consist of digits, letters and `-:.+TZ` only (Ajv's
 * ajv-formats definitions): nothing a detector looks for fits in them.
 */
const PINNED_FORMATS = new Set(['uuid', 'date', 'date-time', 'time', 'duration', 'ipv4', 'ipv6', 'hostname', 'int32', 'int64', 'float', 'double']);
/**
 * An e-mail address may legally hold `'`, `|`, `$` and `{` in its local part, and attackers put
 * payloads exactly there: only the plain form is exempt.
 */
const URL_FORMATS = new Set(['uri', 'uri-reference', 'iri', 'iri-reference', 'url', 'uri-template']);
const PLAIN_EMAIL = /^[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9.-]{1,253}$/;
const plainEmail = (s: string): boolean => PLAIN_EMAIL.test(s);

/** Keywords whose effect on which members or strings are valid this compiler does not model. */
const UNMODELLED = ['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', 'dependentRequired', '$dynamicRef', 'prefixItems', 'contains', 'unevaluatedItems', 'propertyNames'];
const MAX_DEPTH = 64;

/** Compiles the plan of `schema` (a JSON Schema 2020-12 node of `doc`, local `$ref`s resolved through it). */
export function compileScanPlan(schema: unknown, doc: JsonObject): ScanPlan {
  const memo = new Map<object, ScanPlan>();
  const visit = (s: unknown, depth: number, refs: number): ScanPlan => {
    if (s === false) return SCAN_NONE; // no instance is valid
    if (s === null || typeof s !== 'object' || Array.isArray(s) || depth > MAX_DEPTH) return SCAN_ALL;
    const node = s as JsonObject;
    const cached = memo.get(node);
    if (cached) return cached;
    // A cycle (a recursive schema) reads as "scan in full" while it is being compiled.
    memo.set(node, SCAN_ALL);
    const plan = compileNode(node, (child) => visit(child, depth + 1, refs), (ref) => (refs > 32 ? SCAN_ALL : visit(resolvePointer(doc, ref), depth + 1, refs + 1)));
    memo.set(node, plan);
    return plan;
  };
  return visit(schema, 0, 0);
}

function compileNode(s: JsonObject, child: (s: unknown) => ScanPlan, ref: (ref: string) => ScanPlan): ScanPlan {
  if (Array.isArray(s.enum) || 'const' in s) return SCAN_NONE;
  const types = typesOf(s.type);
  if (types && !types.has('string') && !types.has('object') && !types.has('array')) return SCAN_NONE;
  if (typeof s.$ref === 'string') {
    // A bare reference is its target; a reference beside other assertions is an intersection we do not model.
    const siblings = Object.keys(s).filter((k) => k !== '$ref' && !ANNOTATIONS.has(k));
    return siblings.length === 0 && s.$ref.startsWith('#') ? ref(s.$ref) : SCAN_ALL;
  }
  if (UNMODELLED.some((k) => k in s)) return SCAN_ALL;
  const allows = (t: string): boolean => types === undefined || types.has(t);
  return {
    pinString: allows('string') ? stringPin(s) : always,
    ...(allows('string') && typeof s.format === 'string' && URL_FORMATS.has(s.format) ? { urlValued: true } : {}),
    ...(allows('object') ? objectPlan(s, child) : { keysDeclared: true, rest: SCAN_NONE }),
    items: allows('array') ? ('items' in s ? child(s.items) : SCAN_ALL) : SCAN_NONE,
  };
}

function stringPin(s: JsonObject): ((value: string) => boolean) | undefined {
  if (typeof s.format !== 'string') return undefined;
  if (PINNED_FORMATS.has(s.format)) return always;
  return s.format === 'email' ? plainEmail : undefined;
}

function objectPlan(s: JsonObject, child: (s: unknown) => ScanPlan): { keysDeclared: boolean; properties?: Map<string, ScanPlan>; rest?: ScanPlan } {
  const properties = new Map<string, ScanPlan>();
  if (s.properties !== null && typeof s.properties === 'object' && !Array.isArray(s.properties)) {
    for (const [k, v] of Object.entries(s.properties as JsonObject)) properties.set(k, child(v));
  }
  // Members matching a pattern are valid under any name the pattern allows: names and values scanned.
  if ('patternProperties' in s) return { keysDeclared: false, properties };
  const closed = s.additionalProperties === false || (s.unevaluatedProperties === false && !('additionalProperties' in s));
  if (closed) return { keysDeclared: true, properties, rest: SCAN_NONE };
  const extra = 'additionalProperties' in s ? s.additionalProperties : s.unevaluatedProperties;
  return extra !== undefined && extra !== true ? { keysDeclared: false, properties, rest: child(extra) } : { keysDeclared: false, properties };
}

const ANNOTATIONS = new Set(['description', 'title', 'summary', 'examples', 'example', 'default', 'deprecated', 'readOnly', 'writeOnly', '$comment']);

function typesOf(t: unknown): Set<string> | undefined {
  if (typeof t === 'string') return new Set([t]);
  if (Array.isArray(t) && t.every((x) => typeof x === 'string')) return new Set(t as string[]);
  return undefined;
}

/** The plan for member `key` of an object planned by `plan`. */
export function memberPlan(plan: ScanPlan, key: string): ScanPlan {
  return plan.properties?.get(key) ?? plan.rest ?? SCAN_ALL;
}
