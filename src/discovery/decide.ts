import { isValueKind, type SegmentKind } from './classify.js';
import { isNamespaceWord, isRouteWord } from './route-words.js';
import { decodeSegment } from './segments.js';
import type { TrieNode } from './trie.js';

/**
 * Which children of one trie node merge into a parameter, and which stay literal. The rules,
 * in order:
 * 1. Versions (`v1`, `2.0`) are always literal: two API versions are two endpoints.
 * 2. Values whose shape makes them values (integers, UUIDs, hashes, ObjectIds, dates, e-mails,
 *    codes, tokens) always merge, even alone: a lone `/orders/8812` is an order id.
 * 3. Words, slugs, file names and other text merge only by cardinality: at least
 *    `minDistinctWords` distinct ones that are not route words, and at least twice as many as
 *    the route words beside them (else the position lists routes). Under the root, a version,
 *    a locale or a namespace (`/api`), the threshold is three times higher.
 * 4. Locales merge (into `{locale}`) from `minDistinctLocales` distinct ones.
 * 5. Route words (`me`, `search`, `settings`) stay literal beside a parameter, and so does any
 *    word beside values of rule 2 while rule 3 does not apply (`/users/admins` next to ids).
 * Children beyond the tracked cap (the overflow) always merge: the position has more distinct
 * values than any list of routes.
 */
export interface Partition {
  literals: TrieNode[];
  merged: TrieNode[];
  /** Why the merged set merged; undefined when nothing merged. */
  rule: 'value-kind' | 'cardinality' | 'locale' | 'overflow' | undefined;
  /** The cardinality threshold that applied to words here. */
  wordThreshold: number;
}

export interface DecideOptions {
  minDistinctWords: number;
  minDistinctLocales: number;
}

const WEAK_SHARE_OVER_ROUTE_WORDS = 2;
const CONTAINER_FACTOR = 3;

/** The position under `parent` holds routes more often than values (`/`, `/v1`, `/en-us`, `/api`). */
function isContainer(parent: TrieNode | undefined): boolean {
  if (!parent) return true;
  return parent.kind === 'version' || parent.kind === 'locale' || isNamespaceWord(decodeSegment(parent.value));
}

export function partitionChildren(node: TrieNode, parentLiteral: TrieNode | undefined, opts: DecideOptions): Partition {
  const strong: TrieNode[] = [];
  const weak: TrieNode[] = [];
  const locales: TrieNode[] = [];
  const literals: TrieNode[] = [];
  let routeWords = 0;
  for (const child of node.children.values()) {
    const k: SegmentKind = child.kind;
    if (k === 'version') literals.push(child);
    else if (isValueKind(k)) strong.push(child);
    else if (isRouteWord(decodeSegment(child.value))) { literals.push(child); routeWords++; }
    else if (k === 'locale') locales.push(child);
    else weak.push(child);
  }
  const wordThreshold = opts.minDistinctWords * (isContainer(parentLiteral) ? CONTAINER_FACTOR : 1);
  // Past the cap, words are values too: no list of routes is that long.
  const overflow = node.overflow !== undefined;
  const weakMerges = overflow || (weak.length >= wordThreshold && weak.length >= WEAK_SHARE_OVER_ROUTE_WORDS * routeWords);
  const merged: TrieNode[] = [...strong];
  let rule: Partition['rule'] = strong.length > 0 ? 'value-kind' : undefined;
  if (weakMerges) {
    merged.push(...weak, ...locales);
    if (node.overflow) merged.push(node.overflow);
    rule = overflow ? 'overflow' : weak.length > 0 ? 'cardinality' : rule;
  } else {
    literals.push(...weak);
    if (locales.length >= opts.minDistinctLocales && strong.length === 0) {
      merged.push(...locales);
      rule = 'locale';
    } else literals.push(...locales);
  }
  return { literals, merged, rule, wordThreshold };
}
