import { PortcullisError } from '../errors.js';

/**
 * Match a canonical path to exactly one path template. A small segment trie rather than a
 * general router library: OpenAPI matching rules are narrow (literal segments win over
 * templated ones, templates never span `/`, two templates of one shape are a spec error) and
 * we want those rules, and only those, compiled once.
 */
export interface RouteMatch<T> {
  value: T;
  /** Raw (still percent-encoded) template variables. */
  params: Record<string, string>;
}

interface TemplatedSegment<T> {
  /** `{id}`, `{id}.json`, `v{major}` …: literal prefix/suffix around one or more variables. */
  regex: RegExp;
  names: string[];
  /** The segment is one variable and nothing else (`{id}`): any non-empty segment matches, no regex needed. */
  whole: boolean;
  shape: string;
  node: Node<T>;
}

interface Node<T> {
  literal: Map<string, Node<T>>;
  templated: TemplatedSegment<T>[];
  value: T | undefined;
  template: string | undefined;
}

const newNode = <T>(): Node<T> => ({ literal: new Map(), templated: [], value: undefined, template: undefined });

export class Router<T> {
  private readonly root: Node<T> = newNode();

  add(template: string, value: T): void {
    let node = this.root;
    for (const seg of template.split('/').slice(1)) {
      if (!seg.includes('{')) {
        let next = node.literal.get(seg);
        if (!next) { next = newNode(); node.literal.set(seg, next); }
        node = next;
        continue;
      }
      const shape = seg.replace(/\{[^}]*\}/g, '{}');
      let t = node.templated.find((x) => x.shape === shape);
      if (!t) {
        const names: string[] = [];
        const source = seg.split(/(\{[^}]*\})/).filter(Boolean).map((part) => {
          if (part.startsWith('{')) { names.push(part.slice(1, -1)); return '([^/]+?)'; }
          return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        }).join('');
        t = { regex: new RegExp(`^${source}$`), names, shape, whole: shape === '{}', node: newNode() };
        // More literal text = more specific: `{id}.json` is tried before `{id}`.
        node.templated.push(t);
        node.templated.sort((a, b) => b.shape.length - a.shape.length);
      }
      node = t.node;
    }
    if (node.value !== undefined) {
      throw new PortcullisError('PC_ERR_SPEC_ROUTE_CONFLICT', `path templates "${node.template}" and "${template}" match the same requests`, {
        hint: 'OpenAPI treats templates that differ only in variable names as identical: merge them.',
      });
    }
    node.value = value;
    node.template = template;
  }

  match(path: string): RouteMatch<T> | undefined {
    const segments = path.split('/');
    const params: Record<string, string> = {};
    const value = this.walk(this.root, segments, 1, params);
    return value === undefined ? undefined : { value, params };
  }

  private walk(node: Node<T>, segs: string[], i: number, params: Record<string, string>): T | undefined {
    if (i === segs.length) return node.value;
    const seg = segs[i]!;
    const lit = node.literal.get(seg);
    if (lit) {
      const found = this.walk(lit, segs, i + 1, params);
      if (found !== undefined) return found;
    }
    if (seg === '') return undefined; // a template variable never matches an empty segment
    for (const t of node.templated) {
      if (t.whole) {
        const found = this.walk(t.node, segs, i + 1, params);
        if (found !== undefined) { params[t.names[0]!] = seg; return found; }
        continue;
      }
      const m = t.regex.exec(seg);
      if (!m) continue;
      const found = this.walk(t.node, segs, i + 1, params);
      if (found !== undefined) {
        for (let k = 0; k < t.names.length; k++) params[t.names[k]!] = m[k + 1]!;
        return found;
      }
    }
    return undefined;
  }
}
