import type { RequestContext } from '../../core/context.js';

/** One free-form value a detector should look at, and where it came from (for events and exclusions). */
export interface Input {
  /** `path.id`, `query.q`, `query-key`, `body/comment`, `body-key/…`. */
  location: string;
  value: string;
}

const MAX_INPUTS = 2_000;
const collected = new WeakMap<RequestContext, Input[]>();
const MAX_WALK = 100_000;
/** Scalars the contract already pinned to a type cannot carry a payload. */
const TYPED = new Set(['integer', 'number', 'boolean']);

/**
 * The values attackers control, decoded once by the request parsers: path parameters, query
 * keys and values, and every string leaf and member name of a decoded body (JSON, form,
 * multipart fields and file names). Parameters the contract declares as integer, number or
 * boolean already passed validation and are skipped. Bounded in count and in work.
 */
export function collectInputs(ctx: RequestContext): Input[] {
  // Several controls read the same inputs of one request: walk the body once.
  const cached = collected.get(ctx);
  if (cached) return cached;
  const out: Input[] = [];
  collected.set(ctx, out);
  const push = (location: string, value: string): void => { if (out.length < MAX_INPUTS && value !== '') out.push({ location, value }); };
  const op = ctx.route?.operation;
  const typed = (where: 'path' | 'query', name: string): boolean => op?.params[where].some((p) => p.name === name && TYPED.has(p.scalarType) && p.shape === 'scalar') ?? false;
  for (const [name, raw] of Object.entries(ctx.route?.rawParams ?? {})) {
    if (!typed('path', name)) push(`path.${name}`, safeDecode(raw));
  }
  for (const [name, values] of ctx.query ?? []) {
    push('query-key', name);
    if (typed('query', name)) continue;
    for (const v of values) push(`query.${name.slice(0, 64)}`, v);
  }
  const body = ctx.body?.decoded ? ctx.body.value : undefined;
  if (body !== undefined) walk(body, push);
  return out;
}

function walk(body: unknown, push: (location: string, value: string) => void): void {
  const stack: { v: unknown; at: string }[] = [{ v: body, at: '' }];
  let visited = 0;
  while (stack.length > 0 && visited++ < MAX_WALK) {
    const { v, at } = stack.pop()!;
    if (typeof v === 'string') { push(`body${at || '/'}`.slice(0, 200), v); continue; }
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) { v.forEach((x, i) => stack.push({ v: x, at: `${at}/${i}` })); continue; }
    for (const [k, x] of Object.entries(v)) {
      const path = `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      push(`body-key${at || '/'}`.slice(0, 200), k);
      stack.push({ v: x, at: path });
    }
  }
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
