import type { ValidateFunction } from 'ajv';
import { PortcullisError } from '../errors.js';
import { createAjv } from './ajv.js';
import type { LoadedSpec } from './load.js';
import { extractOperations, type OperationSpec, type ParamLocation, type ParameterSpec, type SecuritySchemeSpec } from './operations.js';
import { compilePropertyFilter, WRITE_ROLES_KEYWORD, type ResponseFilter } from './response-filter.js';
import { ResponseTable } from './responses.js';
import { resolvePointer, type JsonObject } from './load.js';
import { Router } from './router.js';
import { compileScanPlan, type ScanPlan } from './scan-plan.js';
import { buildRequestView, buildResponseView } from './schema-views.js';

export interface CompiledBody {
  required: boolean;
  /** Exact lower-case media types with their validators (undefined = any content accepted). */
  media: Map<string, ValidateFunction | undefined>;
  /**
   * Per media type, the members a caller may not set (readOnly, x-portcullis-write-roles, and
   * undeclared ones when those are refused); undefined where the schema restricts none.
   */
  writeFilters: Map<string, ResponseFilter | undefined>;
  /** Per media type, what of a body that validated against it needs no injection scan. */
  scanPlans: Map<string, ScanPlan>;
}

export interface CompiledOperation extends OperationSpec {
  upstream: string;
  params: Record<ParamLocation, ParameterSpec[]>;
  /** One validator per location over an object of coerced values. */
  validators: Partial<Record<ParamLocation, ValidateFunction>>;
  compiledBody: CompiledBody | undefined;
  schemes: Map<string, SecuritySchemeSpec>;
  /** Query parameters that carry an apiKey credential of this operation: not undeclared parameters. */
  credentialQuery: ReadonlySet<string>;
  /** Declared responses with their property filters (excessive data exposure). */
  responseTable: ResponseTable;
  /**
   * `path:<name>` / `query:<name>` → true for a value of that parameter which, once validated,
   * cannot carry a payload (typed, enum, safe format): the injection scan skips it.
   */
  pinnedParams: Map<string, (value: string) => boolean>;
  /** `path:<name>` / `query:<name>` of parameters the contract declares as URLs (`format: uri`…). */
  urlParams: Set<string>;
}

export interface CompiledPathItem {
  template: string;
  /** Upper-case method → operation. */
  methods: Map<string, CompiledOperation>;
  allow: string;
}

export interface CompiledSpec {
  file: string;
  router: Router<CompiledPathItem>;
  operations: CompiledOperation[];
}

export interface CompileOptions {
  upstream: string;
  rejectUndeclared: boolean;
}

/** Everything the hot path needs from a spec, compiled once: the router and one validator per operation part. */
export function compileSpec(spec: LoadedSpec, opts: CompileOptions): CompiledSpec {
  const { operations, schemes } = extractOperations(spec);
  const ajv = createAjv();
  const formAjv = createAjv({ coerce: true });
  const reqId = `urn:portcullis:req:${opts.upstream}`;
  const requestView = buildRequestView(spec.doc, { version: spec.version, rejectUndeclared: opts.rejectUndeclared });
  ajv.addSchema(requestView, reqId);
  formAjv.addSchema(requestView, reqId);
  ajv.addSchema(buildResponseView(spec.doc, { version: spec.version, rejectUndeclared: false }), `urn:portcullis:res:${opts.upstream}`);

  const compile = (schema: object, what: string, form = false): ValidateFunction => {
    try {
      return (form ? formAjv : ajv).compile(schema);
    } catch (cause) {
      const msg = (cause as Error).message;
      if (/regexp|Perl syntax|invalid.*escape|missing closing/i.test(msg)) {
        throw new PortcullisError('PC_ERR_SPEC_UNSAFE_PATTERN', `${spec.file}: ${what}: a schema pattern cannot run on the linear-time engine: ${msg}`, {
          where: `${spec.file} ${what}`, hint: 'Rewrite the pattern without lookaround or backreferences (RE2 syntax).', cause,
        });
      }
      throw new PortcullisError('PC_ERR_SPEC_INVALID', `${spec.file}: ${what}: ${msg}`, { where: `${spec.file} ${what}`, cause });
    }
  };

  const writeDirection = { hidden: 'readOnly', roles: WRITE_ROLES_KEYWORD, stripUndeclared: opts.rejectUndeclared } as const;
  const router = new Router<CompiledPathItem>();
  const items = new Map<string, CompiledPathItem>();
  const compiled: CompiledOperation[] = [];
  for (const op of operations) {
    const params: Record<ParamLocation, ParameterSpec[]> = { path: [], query: [], header: [], cookie: [] };
    for (const p of op.parameters) params[p.in].push(p);
    const validators: CompiledOperation['validators'] = {};
    for (const loc of ['path', 'query', 'header', 'cookie'] as const) {
      const list = params[loc];
      if (list.length === 0) continue;
      const properties: Record<string, object> = {};
      for (const p of list) properties[loc === 'header' ? p.name.toLowerCase() : p.name] = p.schemaPointer ? { $ref: `${reqId}${p.schemaPointer}` } : {};
      const required = list.filter((p) => p.required).map((p) => (loc === 'header' ? p.name.toLowerCase() : p.name));
      validators[loc] = compile({ type: 'object', properties, required }, `${op.key} ${loc} parameters`);
    }
    let compiledBody: CompiledBody | undefined;
    if (op.body) {
      const media = new Map<string, ValidateFunction | undefined>();
      const writeFilters = new Map<string, ResponseFilter | undefined>();
      const scanPlans = new Map<string, ScanPlan>();
      for (const [type, ptr] of op.body.media) {
        if (ptr) scanPlans.set(type, compileScanPlan(resolvePointer(requestView, ptr), requestView));
        const form = type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data';
        media.set(type, ptr ? compile({ $ref: `${reqId}${ptr}` }, `${op.key} body ${type}`, form) : undefined);
        writeFilters.set(type, ptr ? compilePropertyFilter(resolvePointer(spec.doc, ptr), spec.doc, writeDirection, FILTER_BOUNDS) : undefined);
      }
      compiledBody = { required: op.body.required, media, writeFilters, scanPlans };
    }
    let responseTable: ResponseTable;
    try {
      responseTable = ResponseTable.compile(spec.doc, op.responses);
    } catch (cause) {
      throw new PortcullisError('PC_ERR_SPEC_INVALID', `${spec.file}: ${op.key} responses: ${(cause as Error).message}`, { where: `${spec.file} ${op.key}`, cause });
    }
    const c: CompiledOperation = {
      ...op, upstream: opts.upstream, params, validators, compiledBody, schemes, credentialQuery: credentialQueryNames(op, schemes), responseTable,
      ...parameterPlans(params, requestView),
    };
    compiled.push(c);
    let item = items.get(op.template);
    if (!item) {
      item = { template: op.template, methods: new Map(), allow: '' };
      items.set(op.template, item);
      router.add(op.template, item);
    }
    item.methods.set(op.method, c);
  }
  for (const item of items.values()) {
    const methods = [...item.methods.keys()];
    if (item.methods.has('GET') && !item.methods.has('HEAD')) methods.push('HEAD');
    item.allow = methods.join(', ');
  }
  return { file: spec.file, router, operations: compiled };
}

/** Request bodies are already bounded by limits.jsonNodes and jsonDepth; these never bind first. */
const FILTER_BOUNDS = { maxNodes: 1_000_000, maxDepth: 512 };

function parameterPlans(params: Record<ParamLocation, ParameterSpec[]>, view: JsonObject): Pick<CompiledOperation, 'pinnedParams' | 'urlParams'> {
  const pinnedParams = new Map<string, (value: string) => boolean>();
  const urlParams = new Set<string>();
  for (const p of [...params.path, ...params.query]) {
    if (!p.schemaPointer || p.shape === 'object') continue;
    const plan = compileScanPlan(resolvePointer(view, p.schemaPointer), view);
    const leaf = p.shape === 'array' ? plan.items : plan;
    if (leaf?.pinString) pinnedParams.set(`${p.in}:${p.name}`, leaf.pinString);
    if (leaf?.urlValued) urlParams.add(`${p.in}:${p.name}`);
  }
  return { pinnedParams, urlParams };
}

function credentialQueryNames(op: OperationSpec, schemes: Map<string, SecuritySchemeSpec>): Set<string> {
  const names = new Set<string>();
  for (const alternative of op.security) {
    for (const name of Object.keys(alternative)) {
      const s = schemes.get(name);
      if (s?.type === 'apiKey' && s.in === 'query' && s.name) names.add(s.name);
    }
  }
  return names;
}
