import type { TemplateSegment } from '../templating.js';
import type { DeclaredApi, DeclaredOperation, DeclaredSegment } from './declared.js';

/**
 * Matching an observed template to a declared path by structure, segment by segment: names of
 * variables do not matter (`/orders/{orderId}` is `/orders/{id}`), literals must be equal, a
 * declared variable takes an observed literal (`/users/me` is an instance of `/users/{id}`),
 * and an observed variable needs a declared one. The most specific declared path wins, as
 * routing picks it: points per segment, literal = literal 4, observed literal in a mixed
 * declared segment 3, variable = variable 3, observed literal in a declared variable 2,
 * observed variable in a mixed segment 1.
 */
export interface DeclaredMatch {
  declared: DeclaredOperation;
  /** The full declared template matched (base path + spec template). */
  template: string;
  /** Declared variable names by observed segment index. */
  params: Map<number, string>;
  score: number;
}

function segmentScore(o: TemplateSegment, d: DeclaredSegment): number {
  if ('literal' in o) {
    if (d.kind === 'literal') return d.value === o.literal ? 4 : 0;
    if (d.kind === 'mixed') return d.test(o.literal) ? 3 : 0;
    return 2;
  }
  if (d.kind === 'param') return 3;
  return d.kind === 'mixed' ? 1 : 0;
}

function score(observed: readonly TemplateSegment[], declared: readonly DeclaredSegment[]): number {
  if (observed.length !== declared.length) return 0;
  let total = 0;
  for (let i = 0; i < observed.length; i++) {
    const s = segmentScore(observed[i]!, declared[i]!);
    if (s === 0) return 0;
    total += s;
  }
  return total + 1; // `/` itself: an empty path matches an empty declared path
}

/** The method OpenAPI routing answers with: HEAD is served by GET where no HEAD is declared. */
function methodOf(api: DeclaredApi, d: DeclaredOperation, method: string): boolean {
  if (d.op.method === method) return true;
  return method === 'HEAD' && d.op.method === 'GET' && !api.operations.some((x) => x.op.method === 'HEAD' && x.op.template === d.op.template);
}

export interface PathMatch {
  /** The best declared operation of this method, if any. */
  operation: DeclaredMatch | undefined;
  /** The best declared path whatever the method (to say "path declared, method not"). */
  path: DeclaredMatch | undefined;
}

export function matchDeclared(api: DeclaredApi, method: string, observed: readonly TemplateSegment[]): PathMatch {
  let best: DeclaredMatch | undefined;
  let anyMethod: DeclaredMatch | undefined;
  for (const d of api.operations) {
    for (const p of d.paths) {
      const s = score(observed, p.segments);
      if (s === 0) continue;
      const params = new Map<number, string>();
      p.segments.forEach((seg, i) => { if (seg.kind === 'param') params.set(i, seg.name); });
      const m: DeclaredMatch = { declared: d, template: p.template, params, score: s };
      if (!anyMethod || s > anyMethod.score) anyMethod = m;
      if (methodOf(api, d, method) && (!best || s > best.score || (s === best.score && d.op.method === method))) best = m;
    }
  }
  return { operation: best, path: anyMethod };
}
