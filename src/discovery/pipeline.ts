import type { LoadedSpec } from '../openapi/load.js';
import { declaredApi } from './diff/declared.js';
import { classifyEndpoints } from './diff/diff.js';
import { buildInventory, type Inventory, type InventoryOptions, type RecordSource } from './inventory/build.js';
import type { DiscoveredEndpoint, EndpointStatus } from './report/model.js';
import { isLearned, learnLimit, rateUnit, type LearnedLimit, type Unlimited } from './limits/learn.js';
import { medianCount, scoreEndpoint } from './risk/score.js';

/**
 * `portcullis discover` as a function: the inventory of the traffic, then each endpoint's
 * status against the declared spec, its risk and its learned limit. The CLI and the benchmark
 * call this; renderers (report/) turn the result into a table, Markdown or JSON.
 */
export interface DiscoverOptions extends InventoryOptions {
  /** The declared spec to diff against (src/openapi/load.ts `loadSpec`). */
  spec?: LoadedSpec;
}

export interface DiscoverySummary {
  endpoints: number;
  byStatus: Record<EndpointStatus, number>;
  records: number;
  matched: number;
  skipped: Inventory['stats']['skipped'];
  truncated: boolean;
  /** ISO times of the first and last record. */
  window: { first: string; last: string } | null;
  specGiven: boolean;
}

export interface DiscoveryResult {
  inventory: Inventory;
  endpoints: DiscoveredEndpoint[];
  summary: DiscoverySummary;
  /** Learned rate limits, and the endpoints that got none with why. */
  limits: { learned: LearnedLimit[]; unlimited: Unlimited[] };
}

export function summarize(inventory: Inventory, endpoints: readonly DiscoveredEndpoint[], specGiven: boolean): DiscoverySummary {
  const byStatus: Record<EndpointStatus, number> = { declared: 0, shadow: 0, zombie: 0, orphan: 0 };
  for (const e of endpoints) byStatus[e.status]++;
  const w = inventory.stats.window;
  return {
    endpoints: endpoints.length, byStatus, records: inventory.stats.records, matched: inventory.stats.matched,
    skipped: inventory.stats.skipped, truncated: inventory.stats.truncated,
    window: w ? { first: new Date(w.first).toISOString(), last: new Date(w.last).toISOString() } : null, specGiven,
  };
}

export async function discover(open: () => RecordSource, options: DiscoverOptions = {}): Promise<DiscoveryResult> {
  if (options.rates?.windowMs !== undefined) rateUnit(options.rates.windowMs);
  // The spec is read before the traffic: a spec error should not wait for a large log.
  const api = options.spec ? declaredApi(options.spec) : undefined;
  const inventory = await buildInventory(open, options);
  const endpoints = classifyEndpoints(inventory, api, options.spec?.version);
  const byKey = new Map(inventory.endpoints.map((e) => [`${e.method} ${e.template}`, e]));
  const ctx = { specGiven: api !== undefined, medianCount: medianCount(inventory.endpoints) };
  const limits: DiscoveryResult['limits'] = { learned: [], unlimited: [] };
  for (const d of endpoints) {
    const e = d.status === 'orphan' ? undefined : byKey.get(`${d.method} ${d.path}`);
    d.risk = scoreEndpoint(d, e, ctx);
    if (!e) continue;
    const l = learnLimit(e, d, api !== undefined);
    if (isLearned(l)) {
      limits.learned.push(l);
      d.rateLimit = { rate: l.rate, operation: l.operation, p50: l.p50, p90: l.p90, p99: l.p99, max: l.max, samples: l.samples, confidence: l.confidence };
    } else limits.unlimited.push(l);
  }
  return { inventory, endpoints, summary: summarize(inventory, endpoints, api !== undefined), limits };
}
