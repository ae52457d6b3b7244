import { existsSync } from 'node:fs';
import { storedTraffic } from '../discovery/sources/store.js';
import type { SourceStats } from '../discovery/sources/lines.js';
import type { TrafficRecord } from '../discovery/sources/record.js';
import { PortcullisError } from '../errors.js';
import { openTrafficStore, parseStoreUrl } from '../store/open.js';
import type { TrafficStore } from '../store/ports.js';
import { redactUrl } from '../store/url.js';

/** `portcullis discover --from-store`: the gateway's own traffic samples, read twice (one pass each). */
export interface StoreSource {
  open: () => AsyncIterable<TrafficRecord>;
  report: () => { kind: 'store'; file: string; records: number; skipped: Record<string, number> };
  close: () => Promise<void>;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a duration back from now (`30m`, `24h`, `7d`) or an ISO time; epoch ms. */
export function parseSince(value: string, now = Date.now()): number {
  const rel = /^([0-9]{1,6})([mhd])$/.exec(value);
  if (rel) return now - Number(rel[1]) * UNITS[rel[2]!]!;
  const t = /^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) {
    throw new PortcullisError('PC_ERR_CLI_USAGE', `--since must be a duration such as 30m, 24h or 7d, or an ISO time (got "${value.slice(0, 40)}")`, { where: '--since' });
  }
  return t;
}

export async function openStoreSource(url: string, since: number | undefined): Promise<StoreSource> {
  const at = parseStoreUrl(url);
  const shown = at.kind === 'postgres' ? redactUrl(url) : url;
  if (at.kind === 'memory') {
    throw new PortcullisError('PC_ERR_CLI_USAGE', '--from-store needs the gateway\'s durable store: a memory store lives and dies with its gateway', {
      where: '--store', hint: 'Run the gateway with --store sqlite:PATH or postgres://…, and give discover the same --store.',
    });
  }
  // Opening a SQLite store creates it: a path that holds none is a mistake, not an empty window.
  if (at.kind === 'sqlite' && !existsSync(at.file)) {
    throw new PortcullisError('PC_ERR_DISCOVER_READ', `no store at ${at.file} (--from-store)`, {
      where: '--store', hint: 'Give the --store (or --config) the gateway runs with; its default is sqlite:.portcullis/portcullis.db in the directory it was started from.',
    });
  }
  let store: TrafficStore;
  try {
    store = await openTrafficStore(url);
  } catch (cause) {
    throw new PortcullisError('PC_ERR_DISCOVER_READ', `cannot read the traffic samples in ${shown} (--from-store): ${(cause as Error).message}`, { where: '--store', cause });
  }
  let last: SourceStats | undefined;
  return {
    open: () => {
      const src = storedTraffic(store, { since });
      last = src.stats;
      return src;
    },
    report: () => ({ kind: 'store', file: shown, records: last?.records ?? 0, skipped: {} }),
    close: () => store.close(),
  };
}
