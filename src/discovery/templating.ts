import { partitionChildren, type DecideOptions } from './decide.js';
import { classifySegment } from './classify.js';
import { buildEvidence, maskSample, type ParameterEvidence } from './evidence.js';
import { parameterName } from './naming.js';
import { decodeSegment, splitPath } from './segments.js';
import { insertPath, mergeInto, newNode, type TrieNode } from './trie.js';

/**
 * Concrete paths to path templates: `/orders/8812/items/3` → `/orders/{orderId}/items/{itemId}`.
 *
 * The observed paths go into a segment trie; then, top-down, the children of each node are
 * split into literals and at most one parameter (decide.ts), the parameter's subtrees are
 * merged, and the walk goes on below. Because merging happens before the next level is decided,
 * a position's cardinality counts the values under every merged parent
 * (`/users/1/orders/5`, `/users/2/orders/6` → 2 order ids).
 *
 * Cost: O(total segments) to build the trie (each segment classified once), and merging moves
 * subtrees rather than copying them, so each node is merged at most once; the per-node sort for
 * samples is bounded by `maxDistinctPerPosition`. Never exponential in anything.
 */

export interface PathObservation {
  /** A path (`/orders/8812?x=1`) or an absolute URL; the query and fragment are ignored. */
  path: string;
  method?: string;
  /** How many times it was seen; 1 when absent. */
  count?: number;
}

export interface TemplatingOptions extends Partial<DecideOptions> {
  /** Observations read per call; the rest are counted as skipped and `truncated` is set. */
  maxPaths?: number;
  /** Distinct values tracked per position; more go to one untracked overflow (still templated). */
  maxDistinctPerPosition?: number;
  maxSegments?: number;
  maxPathLength?: number;
  /** Trie nodes; observations that would need more are skipped. */
  maxNodes?: number;
}

/** The bounds. Every one has a default; nothing is unbounded. */
export const TEMPLATING_DEFAULTS = {
  maxPaths: 100_000,
  maxDistinctPerPosition: 1_000,
  // The gateway refuses targets over 8 KiB; a longer logged path is not one it would route.
  maxPathLength: 8_192,
  maxSegments: 64,
  maxNodes: 500_000,
  minDistinctWords: 10,
  minDistinctLocales: 3,
} as const;

export type TemplateSegment = { literal: string } | { param: string };

export interface PathTemplate {
  /** `/orders/{orderId}`; literals stay in canonical percent-encoded form. */
  template: string;
  segments: TemplateSegment[];
  params: ParameterEvidence[];
  /** Observations (weighted by count) that this template covers. */
  count: number;
  methods: Record<string, number>;
  /** Of `count`, how many were seen with a trailing `/` (dropped from the template). */
  trailingSlash: number;
  /** Up to three concrete paths seen (canonical, no query; tokens, hashes, e-mails masked). */
  examples: string[];
  /** The lowest parameter confidence, 1 for a template without parameters. */
  confidence: number;
}

export interface TemplatingResult {
  templates: PathTemplate[];
  stats: {
    observations: number;
    processed: number;
    skipped: { invalid: number; tooLong: number; tooManySegments: number; overLimit: number };
    /** True when some observations were not read (maxPaths or maxNodes). */
    truncated: boolean;
  };
}

interface Walk {
  segments: TemplateSegment[];
  params: ParameterEvidence[];
  used: Set<string>;
  /** The node of the previous segment when it is a literal. */
  prevLiteral: TrieNode | undefined;
}

type Bounds = Required<TemplatingOptions>;

function validCount(c: number | undefined): number | undefined {
  if (c === undefined) return 1;
  return Number.isSafeInteger(c) && c > 0 ? c : undefined;
}

/** Parameter names only follow literal words and slugs; `/v1/{id}`, not `/v1/{v1Id}`. */
function nameContext(prev: TrieNode | undefined): string | undefined {
  if (!prev || (prev.kind !== 'word' && prev.kind !== 'slug')) return undefined;
  return decodeSegment(prev.value);
}

const MAX_EXAMPLE_LENGTH = 200;

function maskPath(path: string): string {
  const masked = path.split('/').map((seg) => (seg === '' ? seg : maskSample(seg, classifySegment(decodeSegment(seg))))).join('/');
  return masked.length > MAX_EXAMPLE_LENGTH ? `${masked.slice(0, MAX_EXAMPLE_LENGTH)}…` : masked;
}

function emit(node: TrieNode, w: Walk, out: PathTemplate[]): void {
  const template = '/' + w.segments.map((s) => ('literal' in s ? s.literal : `{${s.param}}`)).join('/');
  const methods: Record<string, number> = {};
  for (const [m, n] of [...node.methods].sort((a, b) => (a[0] < b[0] ? -1 : 1))) methods[m] = n;
  let confidence = 1;
  for (const p of w.params) confidence = Math.min(confidence, p.confidence);
  out.push({ template, segments: [...w.segments], params: [...w.params], count: node.ends, methods, trailingSlash: node.trailingSlash, examples: node.examples.map(maskPath), confidence });
}

function walk(node: TrieNode, w: Walk, b: Bounds, out: PathTemplate[]): void {
  if (node.ends > 0) emit(node, w, out);
  if (node.children.size === 0 && !node.overflow) return;
  const part = partitionChildren(node, w.prevLiteral, b);
  for (const lit of part.literals) {
    walk(lit, { segments: [...w.segments, { literal: lit.value }], params: w.params, used: w.used, prevLiteral: lit }, b, out);
  }
  if (part.merged.length === 0) return;
  // Small into large: the biggest subtree absorbs the others.
  let target = part.merged[0]!;
  for (const n of part.merged) if (n.children.size > target.children.size) target = n;
  const evidenceName = (kind: Parameters<typeof parameterName>[1]) => parameterName(nameContext(w.prevLiteral), kind, w.used);
  const evidence = buildEvidence(node, part, w.segments.length, '', b.maxDistinctPerPosition);
  evidence.name = evidenceName(evidence.kind);
  for (const n of part.merged) if (n !== target) mergeInto(target, n, b.maxDistinctPerPosition);
  const used = new Set(w.used).add(evidence.name);
  walk(target, { segments: [...w.segments, { param: evidence.name }], params: [...w.params, evidence], used, prevLiteral: undefined }, b, out);
}

/**
 * The templater fed one observation at a time, for sources that stream (a log read line by
 * line): `add` as records come, `result` once at the end. Memory is the trie's, bounded by the
 * options, however many observations are added.
 */
export class PathTemplater {
  private readonly b: Bounds;
  private readonly stats: TemplatingResult['stats'] = { observations: 0, processed: 0, skipped: { invalid: 0, tooLong: 0, tooManySegments: 0, overLimit: 0 }, truncated: false };
  private readonly root = newNode('', 'empty');
  private nodes = 1;
  private done: TemplatingResult | undefined;

  constructor(options: TemplatingOptions = {}) {
    this.b = { ...TEMPLATING_DEFAULTS, ...options };
  }

  /** False once a bound is reached: the observation was not read, and no further one will be. */
  add(item: PathObservation | string): boolean {
    const { b, stats } = this;
    if (this.done) throw new Error('PathTemplater: add after result');
    stats.observations++;
    if (stats.processed >= b.maxPaths || this.nodes >= b.maxNodes) {
      stats.skipped.overLimit++;
      stats.truncated = true;
      return false;
    }
    const obs = typeof item === 'string' ? { path: item } : item;
    const count = validCount(obs.count);
    if (typeof obs.path !== 'string' || count === undefined) { stats.skipped.invalid++; return true; }
    const split = splitPath(obs.path, b.maxPathLength, b.maxSegments);
    if (!split.ok) {
      if (split.reason === 'too-long') stats.skipped.tooLong++;
      else if (split.reason === 'too-many-segments') stats.skipped.tooManySegments++;
      else stats.skipped.invalid++;
      return true;
    }
    const method = typeof obs.method === 'string' && obs.method.length > 0 ? obs.method.toUpperCase() : undefined;
    this.nodes += insertPath(this.root, { segments: split.segments, path: '/' + split.segments.join('/'), method, count, trailingSlash: split.trailingSlash }, b.maxDistinctPerPosition);
    stats.processed++;
    return true;
  }

  /** The templates, sorted by template. Deciding merges the trie in place, so the result is computed once and kept. */
  result(): TemplatingResult {
    if (this.done) return this.done;
    const out: PathTemplate[] = [];
    walk(this.root, { segments: [], params: [], used: new Set(), prevLiteral: undefined }, this.b, out);
    out.sort((x, y) => (x.template < y.template ? -1 : x.template > y.template ? 1 : 0));
    this.done = { templates: out, stats: this.stats };
    return this.done;
  }
}

/**
 * Templates for the observed paths, sorted by template. Literal siblings coexist with a
 * parameter (`/users/me` and `/users/{userId}`), as OpenAPI routing allows (literals win).
 */
export function templatePaths(observations: Iterable<PathObservation | string>, options: TemplatingOptions = {}): TemplatingResult {
  const t = new PathTemplater(options);
  // Counting the rest would read an unbounded iterable; the first refusal says so and stops.
  for (const item of observations) if (!t.add(item)) break;
  return t.result();
}
