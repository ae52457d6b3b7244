import { classifySegment, type SegmentKind } from './classify.js';
import { isRouteWord } from './route-words.js';
import { decodeSegment } from './segments.js';

/**
 * A segment trie of observed paths, with the bounds that keep it small: at most
 * `maxDistinct` children are tracked per node; further values go to one overflow child that
 * keeps their subtrees and their kinds but not the values themselves. Route words and
 * versions always get their own child, so `/users/me` seen after 10 000 ids stays literal.
 */
export interface TrieNode {
  /** Canonical segment ('' for the root and for overflow nodes). */
  value: string;
  kind: SegmentKind;
  /** Observations passing through (weighted by count). */
  hits: number;
  /** Observations ending here, and by method. */
  ends: number;
  methods: Map<string, number>;
  trailingSlash: number;
  examples: string[];
  children: Map<string, TrieNode>;
  overflow: TrieNode | undefined;
  /** Kinds of the values that went to `overflow` (one per observation, not per value). */
  overflowKinds: Map<SegmentKind, number>;
}

export const MAX_EXAMPLES = 3;

export function newNode(value: string, kind: SegmentKind): TrieNode {
  return { value, kind, hits: 0, ends: 0, methods: new Map(), trailingSlash: 0, examples: [], children: new Map(), overflow: undefined, overflowKinds: new Map() };
}

function addCount<K>(m: Map<K, number>, k: K, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

export interface Insert {
  segments: readonly string[];
  path: string;
  method: string | undefined;
  count: number;
  trailingSlash: boolean;
}

/** Adds one observation; returns the number of nodes created. */
export function insertPath(root: TrieNode, obs: Insert, maxDistinct: number): number {
  let node = root;
  let created = 0;
  node.hits += obs.count;
  for (const seg of obs.segments) {
    let next = node.children.get(seg);
    if (!next) {
      const kind = classifySegment(decodeSegment(seg));
      if (node.children.size < maxDistinct || kind === 'version' || isRouteWord(decodeSegment(seg))) {
        next = newNode(seg, kind);
        node.children.set(seg, next);
        created++;
      } else {
        addCount(node.overflowKinds, kind, obs.count);
        if (!node.overflow) { node.overflow = newNode('', kind); created++; }
        next = node.overflow;
      }
    }
    next.hits += obs.count;
    node = next;
  }
  node.ends += obs.count;
  if (obs.method) addCount(node.methods, obs.method, obs.count);
  if (obs.trailingSlash) node.trailingSlash += obs.count;
  if (node.examples.length < MAX_EXAMPLES && !node.examples.includes(obs.path)) node.examples.push(obs.path);
  return created;
}

/**
 * Merges `src` into `dst` (both consumed into `dst`). A child only `src` has is moved, not
 * copied, so each source node is visited at most once: merging is linear in the nodes merged.
 */
export function mergeInto(dst: TrieNode, src: TrieNode, maxDistinct: number): void {
  dst.hits += src.hits;
  dst.ends += src.ends;
  dst.trailingSlash += src.trailingSlash;
  for (const [m, n] of src.methods) addCount(dst.methods, m, n);
  for (const e of src.examples) if (dst.examples.length < MAX_EXAMPLES && !dst.examples.includes(e)) dst.examples.push(e);
  for (const [k, n] of src.overflowKinds) addCount(dst.overflowKinds, k, n);
  for (const [key, child] of src.children) {
    const mine = dst.children.get(key);
    if (mine) mergeInto(mine, child, maxDistinct);
    else if (dst.children.size < maxDistinct || child.kind === 'version' || isRouteWord(decodeSegment(key))) dst.children.set(key, child);
    else {
      addCount(dst.overflowKinds, child.kind, child.hits);
      if (dst.overflow) mergeInto(dst.overflow, child, maxDistinct);
      else dst.overflow = child;
    }
  }
  if (src.overflow) {
    if (dst.overflow) mergeInto(dst.overflow, src.overflow, maxDistinct);
    else dst.overflow = src.overflow;
  }
}
