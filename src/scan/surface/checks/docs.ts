import { parse as parseYaml } from 'yaml';
import { mediaType } from '../baseline.js';
import { isObject, parseJson, quote } from '../redact.js';
import type { Answer, CheckInfo, Judgement } from '../types.js';

export const EXPOSED_OPENAPI: CheckInfo = {
  id: 'surface:exposed-openapi',
  title: 'OpenAPI/Swagger document published',
  owasp: 'API9:2023',
  cwe: 'CWE-200',
  severity: 'medium',
  remediation: 'Do not serve the API description from production hosts unless it is meant to be public; if it is, publish a reviewed copy that lists only the public operations (no admin, internal or deprecated ones) and keep the full one in the repository.',
};

export const EXPOSED_DOCS_UI: CheckInfo = {
  id: 'surface:exposed-docs-ui',
  title: 'Interactive API documentation (Swagger UI, ReDoc…) published',
  owasp: 'API9:2023',
  cwe: 'CWE-200',
  severity: 'low',
  remediation: 'Serve interactive documentation from a documentation site or an internal host, not from the API itself; if it must stay, put it behind authentication and turn off "try it out" against production.',
};

/** Well-known places of machine-readable API descriptions, tried at the root and the target's base path. */
export const DOC_PATHS: readonly string[] = [
  'openapi.json', 'openapi.yaml', 'openapi.yml', 'openapi', 'swagger.json', 'swagger.yaml',
  'v3/api-docs', 'v2/api-docs', 'api-docs', 'api-docs.json', 'swagger/v1/swagger.json',
  'api/openapi.json', 'api/swagger.json', '.well-known/openapi.json',
];

/** The few tried again under each API version prefix found (`/api/v2/openapi.json`). */
export const DOC_PATHS_UNDER_PREFIX: readonly string[] = ['openapi.json', 'openapi.yaml', 'swagger.json', 'api-docs'];

export const DOC_UI_PATHS: readonly string[] = ['swagger-ui/', 'swagger-ui.html', 'swagger/index.html', 'docs', 'redoc', 'api/docs', 'api-docs/'];

export interface ApiDocument {
  /** `OpenAPI 3.1.0`, `Swagger 2.0` */
  format: string;
  title: string | undefined;
  version: string | undefined;
  paths: string[];
  operations: number;
  deprecated: number;
  /** Path parts of `servers[].url` (3.x) or `basePath` (2.0). */
  basePaths: string[];
  /** GET operations by path: the candidates for the old-version check. */
  getPaths: string[];
  /** POST operations that take JSON: where a malformed body may provoke an error page. */
  jsonPostPaths: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function looksLikeYamlDocument(body: string): boolean {
  return /^(?:\s*#[^\n]*\n|\s*---\s*\n)*\s*['"]?(?:openapi|swagger)['"]?\s*:/.test(body.slice(0, 2048));
}

/**
 * The body read as an OpenAPI 3.x or Swagger 2.0 document: `openapi: 3.x` or `swagger: "2.0"`
 * and a `paths` (or, 3.1, `webhooks`) object. Anything else, a look-alike HTML page included, is not one.
 */
export function parseApiDocument(body: string): ApiDocument | undefined {
  let doc = parseJson(body);
  if (doc === undefined && looksLikeYamlDocument(body)) {
    try {
      doc = parseYaml(body, { maxAliasCount: 100 }) as unknown;
    } catch {
      return undefined;
    }
  }
  if (!isObject(doc)) return undefined;
  const openapi = typeof doc['openapi'] === 'string' && /^3\.\d+(?:\.\d+)?$/.test(doc['openapi']) ? doc['openapi'] : undefined;
  const swagger = doc['swagger'] === '2.0' ? '2.0' : undefined;
  if (openapi === undefined && swagger === undefined) return undefined;
  const paths = isObject(doc['paths']) ? doc['paths'] : undefined;
  if (paths === undefined && !(openapi?.startsWith('3.1') && isObject(doc['webhooks']))) return undefined;
  const info = isObject(doc['info']) ? doc['info'] : {};
  const out: ApiDocument = {
    format: openapi ? `OpenAPI ${openapi}` : 'Swagger 2.0',
    title: typeof info['title'] === 'string' ? info['title'] : undefined,
    version: typeof info['version'] === 'string' ? info['version'] : undefined,
    paths: [], operations: 0, deprecated: 0, basePaths: [], getPaths: [], jsonPostPaths: [],
  };
  for (const [path, item] of Object.entries(paths ?? {})) {
    if (!path.startsWith('/') || !isObject(item)) continue;
    out.paths.push(path);
    for (const m of METHODS) {
      const op = item[m];
      if (!isObject(op)) continue;
      out.operations++;
      if (op['deprecated'] === true) out.deprecated++;
      if (m === 'get') out.getPaths.push(path);
      if (m === 'post' && takesJson(op, swagger !== undefined, doc)) out.jsonPostPaths.push(path);
    }
  }
  if (Array.isArray(doc['servers'])) {
    for (const s of doc['servers']) {
      if (isObject(s) && typeof s['url'] === 'string') out.basePaths.push(serverPath(s['url']));
    }
  }
  if (typeof doc['basePath'] === 'string') out.basePaths.push(serverPath(doc['basePath']));
  out.basePaths = [...new Set(out.basePaths.filter((p) => p !== ''))];
  return out;
}

function takesJson(op: Record<string, unknown>, swagger2: boolean, doc: Record<string, unknown>): boolean {
  if (swagger2) {
    const consumes = Array.isArray(op['consumes']) ? op['consumes'] : Array.isArray(doc['consumes']) ? doc['consumes'] : ['application/json'];
    return consumes.some((c) => typeof c === 'string' && /json/i.test(c));
  }
  const body = op['requestBody'];
  if (!isObject(body)) return false;
  const content = body['content'];
  // A $ref'd request body: assume JSON, the common case; the probe only sends a malformed JSON body.
  if (!isObject(content)) return typeof body['$ref'] === 'string';
  return Object.keys(content).some((t) => /json/i.test(t));
}

/** The path of a server URL (`https://api.example.com/v2/` → `/v2`, `/api` → `/api`); templated servers count as none. */
function serverPath(url: string): string {
  if (url.includes('{')) return '';
  let path: string;
  try {
    path = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    return '';
  }
  return path.replace(/\/+$/, '');
}

export function judgeApiDocument(a: Answer): Judgement | undefined {
  if (a.status !== 200) return undefined;
  const doc = parseApiDocument(a.body);
  if (doc === undefined) return undefined;
  const name = doc.title ? ` "${quote(doc.title, 60)}"${doc.version ? ` ${quote(doc.version, 20)}` : ''}` : '';
  const dep = doc.deprecated > 0 ? ` (${doc.deprecated} deprecated)` : '';
  return { evidence: `${doc.format} document${name}: ${doc.paths.length} paths, ${doc.operations} operations${dep}` };
}

const UI_SIGNATURES: ReadonlyArray<[name: string, re: RegExp]> = [
  ['Swagger UI', /SwaggerUIBundle|swagger-ui(?:-bundle|-standalone-preset)?\.js|<title>\s*Swagger UI|id=["']swagger-ui["']/i],
  ['ReDoc', /<redoc[\s>]|redoc\.standalone\.js/i],
  ['RapiDoc', /<rapi-doc[\s>]/i],
  ['Scalar API reference', /@scalar\/api-reference|id=["']api-reference["'][^>]*data-url/i],
  ['Stoplight Elements', /<elements-api[\s>]/i],
];

export function judgeDocsUi(a: Answer): Judgement | undefined {
  if (a.status !== 200 || !/html/.test(mediaType(a))) return undefined;
  for (const [name, re] of UI_SIGNATURES) if (re.test(a.body)) return { evidence: `${name} page`, title: `${name} published` };
  return undefined;
}

const VERSION_SEGMENT = /^v\d{1,3}(?:\.\d{1,3})?(?:(?:alpha|beta)\d*)?$/i;

export function isVersionSegment(segment: string): boolean {
  return VERSION_SEGMENT.test(segment);
}

/**
 * The API version prefixes a document's paths use (`/api/v2/users/{id}` → `/api/v2`): the
 * segments up to and including the first version segment, if it is among the first four.
 */
export function versionPrefixes(paths: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const segs = p.split('/').filter(Boolean);
    const i = segs.slice(0, 4).findIndex((s) => isVersionSegment(s));
    if (i >= 0) out.add(`/${segs.slice(0, i + 1).join('/')}`);
  }
  return [...out];
}
