import type { RequestContext } from '../../core/context.js';
import { PortcullisError } from '../../errors.js';
import type { CompiledOperation } from '../../openapi/compile.js';
import { templateNames } from '../../openapi/operations.js';

/**
 * Where a request or a response names an object (its id, its owner), as configured for the
 * object-level controls: `path.<param>`, `query.<param>`, `header.<name>`, `body/<pointer>`, or
 * a JSON pointer into the response where `*` stands for every item.
 */
export type ValueSource =
  | { in: 'path' | 'query' | 'header'; name: string }
  | { in: 'body'; pointer: string[] };

/** A value that should be there and is not, or cannot be compared (an object where an id belongs). */
export const MISSING = Symbol('missing');
export type Found = string | typeof MISSING;

/** Values read per response pointer: a list of millions of items is not checked item by item forever. */
const MAX_RESPONSE_VALUES = 100_000;

export function configError(where: string, msg: string, hint?: string): never {
  throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where}: ${msg}`, { where, hint });
}

export function parseValueSource(v: string, where: string): ValueSource {
  if (v === 'body' || v.startsWith('body/')) return { in: 'body', pointer: parsePointer(v.slice(4), where) };
  const m = /^(path|query|header)\.(.+)$/.exec(v);
  if (!m) return configError(where, `value "${v}" must be path.<param>, query.<param>, header.<name> or body/<json pointer>`);
  return { in: m[1] as 'path' | 'query' | 'header', name: m[1] === 'header' ? m[2]!.toLowerCase() : m[2]! };
}

export function parsePointer(p: string, where: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) return configError(where, `"${p}" is not a JSON pointer (it must start with /)`);
  return p.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The operations a rule names (operationId or `METHOD /template`); none is a configuration error. */
export function resolveOperations(names: string | string[], operations: readonly CompiledOperation[], where: string): CompiledOperation[] {
  const out: CompiledOperation[] = [];
  for (const name of Array.isArray(names) ? names : [names]) {
    const matched = operations.filter((op) => op.key === name || op.operationId === name);
    if (matched.length === 0) configError(where, `no operation "${name}" in the loaded specs`, 'Use an operationId or "METHOD /path/template" exactly as in the OpenAPI document.');
    out.push(...matched);
  }
  return out;
}

export function checkSourceFits(source: ValueSource, op: CompiledOperation, where: string): void {
  if (source.in === 'path' && !templateNames(op.template).includes(source.name)) configError(where, `${op.key} has no path parameter "${source.name}"`);
}

/**
 * Every value the request gives at a source: `undefined` where it names none; a repeated query
 * parameter gives each of its values; a body member that is not a scalar gives MISSING.
 */
export function requestValues(ctx: RequestContext, s: ValueSource): (string | undefined | typeof MISSING)[] {
  switch (s.in) {
    case 'path': {
      const raw = ctx.route?.rawParams[s.name];
      return [raw === undefined ? undefined : safeDecode(raw)];
    }
    case 'query':
      return ctx.query?.get(s.name) ?? [undefined];
    case 'header': {
      const v = ctx.headers[s.name];
      return Array.isArray(v) ? v : [v];
    }
    case 'body': {
      if (!ctx.body?.decoded || ctx.body.value === undefined) return [undefined];
      const v = at(ctx.body.value, s.pointer);
      return [v === undefined ? undefined : scalar(v) ?? MISSING];
    }
  }
}

/** Values at a response pointer; where the pointer does not lead to a scalar, MISSING. */
export function responseValues(value: unknown, pointer: readonly string[]): Found[] {
  const out: Found[] = [];
  const walk = (v: unknown, i: number): void => {
    if (out.length >= MAX_RESPONSE_VALUES) return;
    if (i === pointer.length) { out.push(scalar(v) ?? MISSING); return; }
    const t = pointer[i]!;
    if (t === '*' && v !== null && typeof v === 'object') {
      for (const item of Array.isArray(v) ? v : Object.values(v)) walk(item, i + 1);
      return;
    }
    const next = at(v, [t]);
    if (next === undefined) { out.push(MISSING); return; }
    walk(next, i + 1);
  };
  walk(value, 0);
  if (out.length >= MAX_RESPONSE_VALUES) out.push(MISSING);
  return out;
}

function at(value: unknown, pointer: readonly string[]): unknown {
  let v = value;
  for (const t of pointer) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Array.isArray(v) ? (/^(0|[1-9]\d*)$/.test(t) ? v[Number(t)] : undefined) : Object.hasOwn(v, t) ? (v as Record<string, unknown>)[t] : undefined;
  }
  return v;
}

/** Ids compare as text: `7` and `"7"` name the same object; objects and arrays name none. */
function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
