import type { Inventory } from '../inventory/build.js';
import { observedEndpoint, orphanEndpoint, type DeclaredRef, type DiscoveredEndpoint } from '../report/model.js';
import type { TemplateSegment } from '../templating.js';
import { declaredSegments, type DeclaredApi, type DeclaredOperation } from './declared.js';
import { driftOf } from './drift.js';
import { matchDeclared } from './match.js';
import { VersionIndex } from './versions.js';

/**
 * Each endpoint seen, against the declared spec:
 * - declared: it matches a declared operation (by structure, server base paths included);
 * - shadow: it matches none (a declared path with another method is still shadow);
 * - zombie: it is declared `deprecated: true`, or its path has a version older than one seen or
 *   declared under the same prefix (`/api/v1/…` while `/api/v2` exists); a zombie may be declared
 *   or not (`declared` says which);
 * - orphan: a declared operation that no request reached in the window.
 * Declared and zombie endpoints carry their drift from the declared operation.
 */
function literalSegments(segments: readonly TemplateSegment[]): string[] {
  return segments.map((s) => ('literal' in s ? s.literal : '{}'));
}

function ref(d: DeclaredOperation): DeclaredRef {
  return { method: d.op.method, path: d.op.template, ...(d.op.operationId ? { operationId: d.op.operationId } : {}), deprecated: d.op.deprecated };
}

export function classifyEndpoints(inventory: Inventory, api: DeclaredApi | undefined, version: '3.0' | '3.1' = '3.1'): DiscoveredEndpoint[] {
  const versions = new VersionIndex();
  for (const e of inventory.endpoints) versions.add({ segments: literalSegments(e.path.segments), origin: 'seen' });
  for (const d of api?.operations ?? []) {
    for (const p of d.paths) versions.add({ segments: p.segments.map((s) => (s.kind === 'literal' ? s.value : '{}')), origin: 'declared' });
  }
  const reached = new Set<DeclaredOperation>();
  const out: DiscoveredEndpoint[] = [];
  for (const e of inventory.endpoints) {
    const d = observedEndpoint(e);
    let deprecated = false;
    if (!api) d.reasons.push('no --spec given: nothing is declared');
    else {
      const m = matchDeclared(api, e.method, e.path.segments);
      if (m.operation) {
        const decl = m.operation.declared;
        reached.add(decl);
        d.declared = true;
        d.spec = ref(decl);
        d.reasons.push(`declared as ${decl.op.method} ${m.operation.template}`);
        deprecated = decl.op.deprecated;
        if (deprecated) d.reasons.push('deprecated in the spec');
        d.drift = driftOf(e, { doc: api.doc, version, op: decl.op, schemes: api.schemes, pathParams: m.operation.params });
      } else if (m.path) d.reasons.push(`not declared: the spec declares ${m.path.template}, but not for ${e.method}`);
      else d.reasons.push('not declared in the spec');
    }
    const older = versions.older(literalSegments(e.path.segments));
    if (older) d.reasons.push(older);
    d.status = deprecated || older ? 'zombie' : d.declared ? 'declared' : 'shadow';
    out.push(d);
  }
  for (const decl of api?.operations ?? []) {
    if (reached.has(decl)) continue;
    const path = decl.paths[0]!;
    const o = orphanEndpoint(ref(decl), path.template);
    o.parameters = declaredSegments(path.template).flatMap((s) => (s.kind === 'param' ? [{ name: s.name, kind: 'declared', distinct: 0, confidence: 1 }] : []));
    out.push(o);
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.method < b.method ? -1 : a.method > b.method ? 1 : 0));
}
