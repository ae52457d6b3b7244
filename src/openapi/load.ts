import $RefParser from '@apidevtools/json-schema-ref-parser';
import { PortcullisError } from '../errors.js';

export type JsonObject = Record<string, unknown>;

export interface LoadedSpec {
  file: string;
  /** '3.0' or '3.1' */
  version: '3.0' | '3.1';
  /** All references made internal (`#/...`); external files are inlined by the bundler. */
  doc: JsonObject;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export { HTTP_METHODS };

/**
 * Load an OpenAPI 3.0/3.1 document (YAML or JSON) with its file `$ref`s bundled into one document.
 * Network references are refused: a spec must not make the gateway fetch things at start-up.
 */
export async function loadSpec(file: string): Promise<LoadedSpec> {
  let doc: JsonObject;
  try {
    doc = (await $RefParser.bundle(file, {
      resolve: { http: false, external: true },
      parse: { yaml: { allowEmpty: false } } as never,
    })) as JsonObject;
  } catch (cause) {
    const msg = (cause as Error).message ?? String(cause);
    throw new PortcullisError('PC_ERR_SPEC_READ', `cannot load OpenAPI document ${file}: ${firstLine(msg)}`, {
      where: file, hint: 'Check that the file exists, is valid YAML/JSON, and that every $ref points at an existing local file.', cause,
    });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new PortcullisError('PC_ERR_SPEC_INVALID', `${file} is not an OpenAPI document (top level is not an object)`, { where: file });
  }
  const version = detectVersion(doc, file);
  if (doc.paths === undefined || typeof doc.paths !== 'object' || doc.paths === null) {
    throw new PortcullisError('PC_ERR_SPEC_INVALID', `${file} has no "paths" object`, {
      where: `${file} paths`, hint: 'A gateway enforces operations: declare them under "paths".',
    });
  }
  return { file, version, doc };
}

function detectVersion(doc: JsonObject, file: string): '3.0' | '3.1' {
  if (typeof doc.swagger === 'string') {
    throw new PortcullisError('PC_ERR_SPEC_VERSION', `${file} is Swagger ${doc.swagger}; the gateway enforces OpenAPI 3.0 and 3.1`, {
      where: `${file} swagger`,
      hint: 'Convert it first, e.g. `npx swagger2openapi spec.yaml -o openapi.yaml`, then review the result.',
    });
  }
  const v = typeof doc.openapi === 'string' ? doc.openapi : '';
  if (/^3\.0\.\d+$/.test(v)) return '3.0';
  if (/^3\.1\.\d+$/.test(v)) return '3.1';
  throw new PortcullisError('PC_ERR_SPEC_VERSION', `${file}: unsupported "openapi: ${v || '(missing)'}"`, {
    where: `${file} openapi`, hint: 'Use an OpenAPI 3.0.x or 3.1.x document.',
  });
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

/** Follow a local JSON pointer (`#/components/schemas/X`) inside a bundled document. */
export function resolvePointer(doc: JsonObject, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as JsonObject)[key];
  }
  return node;
}

/** Resolve `$ref` chains on a non-schema object (parameter, requestBody, response). Bounded. */
export function deref<T>(doc: JsonObject, value: unknown): T | undefined {
  let v = value;
  for (let i = 0; i < 32 && v !== null && typeof v === 'object' && typeof (v as JsonObject).$ref === 'string'; i++) {
    v = resolvePointer(doc, (v as JsonObject).$ref as string);
  }
  return v as T | undefined;
}
