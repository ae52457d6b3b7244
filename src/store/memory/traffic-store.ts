import type { TrafficRecord } from '../../discovery/sources/record.js';
import type { TrafficPage, TrafficQuery, TrafficStore } from '../ports.js';
import { clampTrafficLimit, DEFAULT_MAX_TRAFFIC_RECORDS, parseTrafficCursor } from '../traffic-window.js';

/**
 * A process-local store is for trials and tests: its window is capped lower than the durable
 * stores' so that samples held as objects cannot grow the gateway's heap (and its GC pauses).
 */
export const MAX_MEMORY_TRAFFIC_RECORDS = 20_000;

/** In-process traffic window for tests and `--store memory`: the newest `maxRecords` (at most 20 000). */
export function createMemoryTrafficStore(requested = DEFAULT_MAX_TRAFFIC_RECORDS): TrafficStore {
  const maxRecords = Math.min(requested, MAX_MEMORY_TRAFFIC_RECORDS);
  // seq[i] is the sequence number of records[i]; both grow at the end and are trimmed at the front.
  let records: TrafficRecord[] = [];
  let seqs: number[] = [];
  let nextSeq = 1;
  return {
    kind: 'memory',
    async append(batch) {
      for (const r of batch) { records.push(r); seqs.push(nextSeq++); }
      // Trimmed in slices, not per record: splice(0, 1) per append would be quadratic.
      if (records.length > maxRecords + Math.max(1, maxRecords >> 3)) {
        records = records.slice(records.length - maxRecords);
        seqs = seqs.slice(seqs.length - maxRecords);
      }
    },
    async read(q: TrafficQuery): Promise<TrafficPage> {
      const limit = clampTrafficLimit(q.limit);
      const after = parseTrafficCursor(q.cursor);
      const floor = Math.max(0, records.length - maxRecords);
      const out: TrafficRecord[] = [];
      let last = 0;
      let more = false;
      for (let i = lowerBound(seqs, after + 1, floor); i < records.length; i++) {
        const r = records[i]!;
        if (q.since !== undefined && r.time < q.since) continue;
        if (out.length === limit) { more = true; break; }
        out.push(r);
        last = seqs[i]!;
      }
      return { records: out, next: more ? String(last) : null };
    },
    async count() { return Math.min(records.length, maxRecords); },
    async close() { /* nothing to release */ },
  };
}

/** First index at or after `from` whose sequence number is >= seq (seqs ascend). */
function lowerBound(seqs: readonly number[], seq: number, from: number): number {
  let lo = from;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seqs[mid]! < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
