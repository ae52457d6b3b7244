import type { ErrorObject } from 'ajv';
import type { CompiledOperation } from './compile.js';
import type { ParamLocation, ParameterSpec, ScalarType } from './operations.js';

export interface ParameterInput {
  /** Decoded template variables. */
  path: Record<string, string>;
  query: Map<string, string[]> | undefined;
  /** Lower-case header name → single value (duplicates were refused earlier). */
  header: (name: string) => string | undefined;
  cookie: () => Map<string, string>;
}

export interface ParameterProblem {
  location: ParamLocation;
  name: string;
  message: string;
}

/**
 * Coerce each declared parameter from its text form to the schema's type, then validate each
 * location with its compiled validator. The first problem is reported, naming the parameter.
 */
export function checkParameters(op: CompiledOperation, input: ParameterInput, rejectUndeclaredQuery: boolean): ParameterProblem | undefined {
  // Path
  if (op.validators.path) {
    const values: Record<string, unknown> = {};
    for (const p of op.params.path) {
      const raw = input.path[p.name];
      if (raw !== undefined) values[p.name] = coerceOne(raw, p.scalarType);
    }
    const bad = run(op.validators.path, values, 'path');
    if (bad) return bad;
  }
  // Query
  const query = input.query;
  if (query && query.size > 0) {
    for (const [name, vals] of query) {
      const p = op.params.query.find((q) => q.name === name) ?? deepObjectOwner(op.params.query, name);
      if (!p) {
        if (op.credentialQuery.has(name)) continue;
        if (rejectUndeclaredQuery) return { location: 'query', name, message: 'is not a declared query parameter' };
        continue;
      }
      if (p.shape === 'scalar' && vals.length > 1) return { location: 'query', name, message: 'must not repeat (it is a single value)' };
    }
  }
  if (op.validators.query) {
    const values: Record<string, unknown> = {};
    for (const p of op.params.query) {
      const v = queryValue(p, query);
      if (v !== undefined) values[p.name] = v;
    }
    const bad = run(op.validators.query, values, 'query');
    if (bad) return bad;
  }
  if (op.validators.header) {
    const values: Record<string, unknown> = {};
    for (const p of op.params.header) {
      const name = p.name.toLowerCase();
      const raw = input.header(name);
      if (raw !== undefined) values[name] = p.shape === 'array' ? raw.split(',').map((s) => coerceOne(s.trim(), p.scalarType)) : coerceOne(raw, p.scalarType);
    }
    const bad = run(op.validators.header, values, 'header');
    if (bad) return bad;
  }
  if (op.validators.cookie) {
    const jar = input.cookie();
    const values: Record<string, unknown> = {};
    for (const p of op.params.cookie) {
      const raw = jar.get(p.name);
      if (raw !== undefined) values[p.name] = coerceOne(raw, p.scalarType);
    }
    const bad = run(op.validators.cookie, values, 'cookie');
    if (bad) return bad;
  }
  return undefined;
}

function deepObjectOwner(params: ParameterSpec[], key: string): ParameterSpec | undefined {
  const open = key.indexOf('[');
  if (open <= 0 || !key.endsWith(']')) return undefined;
  const base = key.slice(0, open);
  return params.find((p) => p.name === base && p.style === 'deepObject');
}

function queryValue(p: ParameterSpec, query: Map<string, string[]> | undefined): unknown {
  if (!query) return undefined;
  if (p.style === 'deepObject') {
    const out: Record<string, unknown> = {};
    let any = false;
    for (const [k, vals] of query) {
      if (k.startsWith(`${p.name}[`) && k.endsWith(']')) {
        out[k.slice(p.name.length + 1, -1)] = vals[0] ?? '';
        any = true;
      }
    }
    return any ? out : undefined;
  }
  const vals = query.get(p.name);
  if (!vals) return undefined;
  if (p.shape === 'array') {
    const flat = p.explode ? vals : vals.flatMap((v) => v.split(p.style === 'spaceDelimited' ? ' ' : p.style === 'pipeDelimited' ? '|' : ','));
    return flat.map((v) => coerceOne(v, p.scalarType));
  }
  return coerceOne(vals[0]!, p.scalarType);
}

const INTEGER = /^-?[0-9]{1,16}$/;
const NUMBER = /^-?(?:0|[1-9][0-9]{0,15})(?:\.[0-9]{1,16})?(?:[eE][+-]?[0-9]{1,3})?$/;

/** Text → typed value. Text that is not a canonical spelling stays a string, so the validator names it. */
export function coerceOne(raw: string, type: ScalarType): unknown {
  switch (type) {
    case 'integer': {
      if (!INTEGER.test(raw)) return raw;
      const n = Number(raw);
      return Number.isSafeInteger(n) ? n : raw;
    }
    case 'number': {
      if (!NUMBER.test(raw)) return raw;
      const n = Number(raw);
      return Number.isFinite(n) ? n : raw;
    }
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    default:
      return raw;
  }
}

function run(validate: (v: unknown) => boolean, values: Record<string, unknown>, location: ParamLocation): ParameterProblem | undefined {
  if (validate(values)) return undefined;
  const err = (validate as unknown as { errors?: ErrorObject[] }).errors?.[0];
  return { location, ...describe(err) };
}

function describe(err: ErrorObject | undefined): { name: string; message: string } {
  if (!err) return { name: '?', message: 'is invalid' };
  if (err.keyword === 'required') return { name: String((err.params as { missingProperty: string }).missingProperty), message: 'is required' };
  const [name = '?', ...rest] = err.instancePath.split('/').slice(1);
  const sub = rest.length > 0 ? ` (at ${rest.join('/')})` : '';
  return { name: decodeURIComponent(name.replace(/~1/g, '/').replace(/~0/g, '~')), message: `${err.message ?? 'is invalid'}${sub}` };
}

/** Parse a Cookie header into name → value; a repeated name keeps the first (duplicates are refused earlier). */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  if (!header) return jar;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!jar.has(name)) jar.set(name, part.slice(eq + 1).trim());
  }
  return jar;
}
