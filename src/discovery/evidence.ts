import type { SegmentKind } from './classify.js';
import { maskText, scanText } from '../detect/data-classes/index.js';
import type { Partition } from './decide.js';
import type { TrieNode } from './trie.js';
import { decodeSegment } from './segments.js';

/**
 * Why a position became a parameter, in numbers a reader can check: how many distinct values,
 * which kinds and in what share, a few samples, and a confidence 0..1.
 */
export interface ParameterEvidence {
  name: string;
  /** Segment index in the template (0 = first segment after `/`). */
  index: number;
  /** The most common kind among the values (schema inference uses it as the format). */
  kind: SegmentKind;
  /** Share of each kind seen, 0..1, summing to 1. */
  kinds: Partial<Record<SegmentKind, number>>;
  /** Share of the dominant kind. */
  agreement: number;
  /** Distinct values seen; a lower bound when `distinctCapped`. */
  distinct: number;
  distinctCapped: boolean;
  /** Up to MAX_SAMPLES values, most seen first; tokens, hashes, e-mails and other secrets masked. */
  samples: string[];
  /** Values at this position kept literal beside the parameter (`me`, `search`), up to MAX_LITERAL_SIBLINGS. */
  literalSiblings: string[];
  confidence: number;
  rule: NonNullable<Partition['rule']>;
  reason: string;
}

export const MAX_SAMPLES = 5;
export const MAX_LITERAL_SIBLINGS = 10;

/** How much one value of a kind says on its own: a UUID is surely an id, a word hardly. */
const BASE_CONFIDENCE: Record<SegmentKind, number> = {
  uuid: 0.95, objectid: 0.9, email: 0.9, hex: 0.85, date: 0.85, integer: 0.75, token: 0.7, code: 0.65,
  locale: 0.6, slug: 0.5, file: 0.5, word: 0.45, other: 0.4, version: 0.1, empty: 0.1,
};

const MASKED_KINDS: ReadonlySet<SegmentKind> = new Set(['token', 'hex', 'email']);

/** Samples go into reports: secrets by shape (tokens, hashes) and personal data never in clear. */
export function maskSample(canonical: string, kind: SegmentKind): string {
  if (MASKED_KINDS.has(kind)) return `[${kind}]`;
  const decoded = decodeSegment(canonical);
  const scan = scanText(decoded);
  return scan.matches.length > 0 || scan.truncated ? maskText(decoded, scan.matches) : canonical;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Confidence grows with the number of distinct values (log scale) and falls with kind disagreement. */
export function confidence(kind: SegmentKind, distinct: number, agreement: number): number {
  const base = BASE_CONFIDENCE[kind];
  const growth = 1 - 1 / (1 + Math.log2(Math.max(1, distinct)));
  const c = (base + (1 - base) * growth) * (0.5 + 0.5 * agreement);
  return round2(Math.min(0.99, Math.max(0.01, c)));
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function buildEvidence(parent: TrieNode, part: Partition, index: number, name: string, maxDistinct: number): ParameterEvidence {
  const tally = new Map<SegmentKind, number>();
  const tracked: TrieNode[] = [];
  for (const n of part.merged) {
    if (n === parent.overflow) continue;
    tracked.push(n);
    tally.set(n.kind, (tally.get(n.kind) ?? 0) + 1);
  }
  const capped = parent.overflow !== undefined && part.merged.includes(parent.overflow);
  if (capped) for (const [k, c] of parent.overflowKinds) tally.set(k, (tally.get(k) ?? 0) + c);
  let total = 0;
  for (const c of tally.values()) total += c;
  let kind: SegmentKind = 'other';
  let best = -1;
  const kinds: Partial<Record<SegmentKind, number>> = {};
  for (const [k, c] of [...tally].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    kinds[k] = round2(c / total);
    if (c > best) { best = c; kind = k; }
  }
  const agreement = round2(best / Math.max(1, total));
  const distinct = tracked.length;
  // Words merged by cardinality start from the threshold: reaching it is the evidence.
  const effective = part.rule === 'cardinality' ? distinct - part.wordThreshold + 1 : capped ? Math.max(distinct, maxDistinct) : distinct;
  const samples = [...tracked].sort((a, b) => b.hits - a.hits || (a.value < b.value ? -1 : 1)).slice(0, MAX_SAMPLES).map((n) => maskSample(n.value, n.kind));
  const literalSiblings = part.literals.map((n) => n.value).sort().slice(0, MAX_LITERAL_SIBLINGS);
  const conf = confidence(kind, effective, agreement);
  const shares = Object.entries(kinds).map(([k, s]) => `${k} ${percent(s)}`).join(', ');
  let why: string;
  if (part.rule === 'overflow') why = `more than ${maxDistinct} distinct values (the tracking cap)`;
  else if (part.rule === 'cardinality') why = `${distinct} distinct values, at least ${part.wordThreshold} of them words or slugs that name no route`;
  else if (part.rule === 'locale') why = `${distinct} distinct locales`;
  else why = distinct === 1 ? `one value, of kind ${kind}` : `${distinct} distinct values, each a value by its kind`;
  const kept = literalSiblings.length > 0 ? `; kept literal: ${literalSiblings.join(', ')}` : '';
  return { name, index, kind, kinds, agreement, distinct, distinctCapped: capped, samples, literalSiblings, confidence: conf, rule: part.rule!, reason: `${why} (${shares})${kept}` };
}
