import { isObject } from '../../openapi/schema-views.js';
import type { JsonObject, LoadedSpec } from '../../openapi/load.js';
import { extractOperations, type OperationSpec, type SecuritySchemeSpec } from '../../openapi/operations.js';
import { canonicalSegment } from '../segments.js';

/**
 * The declared side of the diff: every operation of the spec with its path split into segments,
 * and the base paths its servers put in front (`https://api.example.com/api/v2` → `/api/v2`).
 * Traffic carries full paths, so a declared `/orders/{id}` is matched as `/api/v2/orders/{id}`.
 */
export type DeclaredSegment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  /** A segment mixing literal text and variables (`v{major}`, `{id}.json`); `test` matches a canonical segment. */
  | { kind: 'mixed'; text: string; test: (segment: string) => boolean };

export interface DeclaredOperation {
  op: OperationSpec;
  /** One full path per base path: the segments of base + template. */
  paths: Array<{ base: string; template: string; segments: DeclaredSegment[] }>;
}

export interface DeclaredApi {
  file: string;
  operations: DeclaredOperation[];
  schemes: Map<string, SecuritySchemeSpec>;
  doc: JsonObject;
  /** The base paths considered (`''` for none). */
  bases: string[];
}

const MAX_BASES = 10;

/** The path of a server URL, its `{variables}` replaced by their defaults. `''` for the root. */
export function serverBasePath(url: string, variables: unknown): string {
  let u = url.replace(/\{([^}]{1,64})\}/g, (_m, name: string) => {
    const v = isObject(variables) && isObject(variables[name]) ? variables[name]['default'] : undefined;
    return typeof v === 'string' ? v : '';
  });
  const scheme = /^(?:[A-Za-z][A-Za-z0-9+.-]*)?:?\/\/[^/?#]*/.exec(u);
  if (scheme) u = u.slice(scheme[0].length);
  const cut = u.search(/[?#]/);
  if (cut >= 0) u = u.slice(0, cut);
  const segs = u.split('/').filter((s) => s !== '' && s !== '.');
  return segs.length === 0 ? '' : `/${segs.join('/')}`;
}

function basesOf(servers: unknown): string[] {
  if (!Array.isArray(servers) || servers.length === 0) return [''];
  const out = new Set<string>();
  for (const s of servers.slice(0, MAX_BASES)) if (isObject(s) && typeof s['url'] === 'string') out.add(serverBasePath(s['url'], s['variables']));
  return out.size === 0 ? [''] : [...out];
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function declaredSegments(template: string): DeclaredSegment[] {
  return template.split('/').filter((s) => s !== '').map((seg): DeclaredSegment => {
    const whole = /^\{([^{}]+)\}$/.exec(seg);
    if (whole) return { kind: 'param', name: whole[1]! };
    if (!seg.includes('{')) return { kind: 'literal', value: canonicalSegment(seg) };
    // Literal parts compared in canonical form, each variable one or more characters of a segment.
    const source = seg.split(/(\{[^{}]*\})/).filter(Boolean).map((p) => (p.startsWith('{') ? '(.+?)' : escapeRegex(canonicalSegment(p)))).join('');
    const re = new RegExp(`^${source}$`);
    return { kind: 'mixed', text: seg, test: (s) => re.test(s) };
  });
}

function pathItemServers(doc: JsonObject, template: string): unknown {
  const paths = doc['paths'];
  const item = isObject(paths) ? paths[template] : undefined;
  return isObject(item) ? item['servers'] : undefined;
}

export function declaredApi(spec: LoadedSpec): DeclaredApi {
  const { operations, schemes } = extractOperations(spec);
  const docBases = basesOf(spec.doc['servers']);
  const all = new Set<string>(docBases);
  const out: DeclaredOperation[] = operations.map((op) => {
    // Path-level servers replace the document's for that path (OpenAPI 3.x).
    const itemServers = pathItemServers(spec.doc, op.template);
    const bases = itemServers === undefined ? docBases : basesOf(itemServers);
    for (const b of bases) all.add(b);
    return { op, paths: bases.map((base) => ({ base, template: `${base}${op.template === '/' && base !== '' ? '' : op.template}`, segments: [...declaredSegments(base), ...declaredSegments(op.template)] })) };
  });
  return { file: spec.file, operations: out, schemes, doc: spec.doc, bases: [...all] };
}
