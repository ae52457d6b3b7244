import type { TrafficStore } from '../../store/ports.js';
import type { SourceStats, TrafficSource } from './lines.js';

export interface StoredTrafficOptions {
  /** Epoch milliseconds: only samples from then on. */
  since?: number;
  /** Records per store read. */
  pageSize?: number;
}

/**
 * The gateway's samples as a source, like a log: oldest first, page by page, so a large window
 * is never held at once. Records in the store were reduced and redacted when they were written.
 */
export function storedTraffic(store: TrafficStore, opts: StoredTrafficOptions = {}): TrafficSource {
  const stats: SourceStats = { lines: 0, records: 0, blank: 0, bad: 0, reasons: {}, badLines: [] };
  let used = false;
  return {
    stats,
    async *[Symbol.asyncIterator]() {
      if (used) throw new Error('a traffic source is read once');
      used = true;
      let cursor: string | undefined;
      do {
        const page = await store.read({ limit: opts.pageSize ?? 1_000, cursor, since: opts.since });
        for (const r of page.records) {
          stats.lines++;
          stats.records++;
          yield r;
        }
        cursor = page.next ?? undefined;
      } while (cursor !== undefined);
    },
  };
}
