import { HTTP_METHODS } from '../../openapi/load.js';
import { Router } from '../../openapi/router.js';
import type { EndpointOptions } from '../schema/endpoint.js';
import { decodeSegment, splitPath } from '../segments.js';
import type { TrafficRecord } from '../sources/record.js';
import { PathTemplater, TEMPLATING_DEFAULTS, type PathTemplate, type TemplatingOptions, type TemplatingResult } from '../templating.js';
import { EndpointAggregate, type EndpointInventory } from './endpoint.js';
import { RATE_DEFAULTS, type RateOptions } from './rates.js';

/**
 * The inventory: every endpoint (method + path template) seen in the traffic, with what it
 * carried. Two passes over the source:
 *
 * 1. the paths go into the templater (a bounded trie);
 * 2. each record is matched to its template and folded into that endpoint's aggregate.
 *
 * Why twice: a record's template depends on every other path (a position becomes a parameter
 * from the 10th distinct word, `/users/me` stays literal beside a thousand ids), so it is known
 * only once every path has been seen. Keeping the records until then grows with the log;
 * aggregating per concrete path first multiplies the aggregates by the ids (a schema builder and
 * a rate tracker for each of 100 000 order ids) and cannot sum one caller's rate across the ids
 * it walks. Reading twice keeps memory at the trie plus one aggregate per endpoint, all bounded,
 * for the price of parsing the input twice. A source is therefore a function that opens it anew.
 */
export type RecordSource = AsyncIterable<TrafficRecord> | Iterable<TrafficRecord>;

export interface InventoryOptions {
  templating?: TemplatingOptions;
  schema?: EndpointOptions;
  rates?: Partial<RateOptions>;
  /** Records read per pass; the rest are not read and `truncated` is set. */
  maxRecords?: number;
  /** Endpoints aggregated; records of further ones are counted in `stats.overflow`. */
  maxEndpoints?: number;
  /** Called every `progressEvery` records of each pass. */
  onProgress?: (pass: 1 | 2, records: number) => void;
  progressEvery?: number;
}

export const INVENTORY_DEFAULTS = {
  maxRecords: 10_000_000,
  maxEndpoints: 2_000,
  progressEvery: 50_000,
} as const;

export interface InventoryStats {
  /** Records read in the second pass (the first reads the same ones). */
  records: number;
  /** Records folded into an endpoint. */
  matched: number;
  /** Records not attributed: a method OpenAPI cannot describe, a path the templater skipped, endpoints past maxEndpoints. */
  skipped: { method: number; path: number; overflow: number };
  /** Methods skipped, by name (up to 10 names). */
  otherMethods: Record<string, number>;
  truncated: boolean;
  templating: TemplatingResult['stats'];
  /** Epoch ms of the first and last record; undefined for an empty source. */
  window: { first: number; last: number } | undefined;
}

export interface Inventory {
  endpoints: EndpointInventory[];
  /** Every template the paths gave, with evidence (more than endpoints when a template has several methods). */
  templates: PathTemplate[];
  stats: InventoryStats;
}

const METHODS: ReadonlySet<string> = new Set(HTTP_METHODS.map((m) => m.toUpperCase()));
const MAX_OTHER_METHODS = 10;

export async function buildInventory(open: () => RecordSource, options: InventoryOptions = {}): Promise<Inventory> {
  const maxRecords = options.maxRecords ?? INVENTORY_DEFAULTS.maxRecords;
  const maxEndpoints = options.maxEndpoints ?? INVENTORY_DEFAULTS.maxEndpoints;
  const every = options.progressEvery ?? INVENTORY_DEFAULTS.progressEvery;
  const templatingOptions = { ...TEMPLATING_DEFAULTS, ...options.templating, maxPaths: options.templating?.maxPaths ?? maxRecords };

  // Pass 1: templates.
  const templater = new PathTemplater(templatingOptions);
  let read = 0;
  for await (const r of open()) {
    if (++read > maxRecords) break;
    if (METHODS.has(r.method)) templater.add({ path: r.path, method: r.method, count: r.count });
    if (read % every === 0) options.onProgress?.(1, read);
  }
  const templating = templater.result();
  const router = new Router<PathTemplate>();
  for (const t of templating.templates) router.add(t.template, t);

  // Pass 2: aggregates.
  const stats: InventoryStats = {
    records: 0, matched: 0, skipped: { method: 0, path: 0, overflow: 0 }, otherMethods: {}, truncated: false,
    templating: templating.stats, window: undefined,
  };
  const aggregates = new Map<string, EndpointAggregate>();
  const rates = { ...RATE_DEFAULTS, ...options.rates };
  for await (const r of open()) {
    if (stats.records >= maxRecords) { stats.truncated = true; break; }
    stats.records++;
    if (stats.records % every === 0) options.onProgress?.(2, stats.records);
    if (!stats.window) stats.window = { first: r.time, last: r.time };
    else {
      if (r.time < stats.window.first) stats.window.first = r.time;
      if (r.time > stats.window.last) stats.window.last = r.time;
    }
    if (!METHODS.has(r.method)) {
      stats.skipped.method++;
      if (r.method in stats.otherMethods || Object.keys(stats.otherMethods).length < MAX_OTHER_METHODS) stats.otherMethods[r.method] = (stats.otherMethods[r.method] ?? 0) + 1;
      continue;
    }
    const split = splitPath(r.path, templatingOptions.maxPathLength, templatingOptions.maxSegments);
    const match = split.ok ? router.match('/' + split.segments.join('/')) : undefined;
    if (!match) { stats.skipped.path++; continue; }
    const key = `${r.method} ${match.value.template}`;
    let agg = aggregates.get(key);
    if (!agg) {
      if (aggregates.size >= maxEndpoints) { stats.skipped.overflow++; continue; }
      agg = new EndpointAggregate(r.method, match.value, { schema: options.schema, rates });
      aggregates.set(key, agg);
    }
    const params: Record<string, string> = {};
    for (const [name, raw] of Object.entries(match.params)) params[name] = decodeSegment(raw);
    agg.add(r, params);
    stats.matched++;
  }
  stats.truncated ||= templating.stats.truncated;
  const endpoints = [...aggregates.values()].map((a) => a.finish());
  endpoints.sort((a, b) => (a.template < b.template ? -1 : a.template > b.template ? 1 : a.method < b.method ? -1 : a.method > b.method ? 1 : 0));
  return { endpoints, templates: templating.templates, stats };
}
