import type { TrafficRecord } from '../../discovery/sources/record.js';
import type { TrafficPage, TrafficQuery, TrafficStore } from '../ports.js';
import { clampTrafficLimit, DEFAULT_MAX_TRAFFIC_RECORDS, parseTrafficCursor } from '../traffic-window.js';
import { connectPostgres, type PostgresStoreOptions } from './connect.js';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE portcullis_traffic (seq BIGSERIAL PRIMARY KEY, time BIGINT NOT NULL, record JSONB NOT NULL);
   CREATE INDEX portcullis_traffic_time ON portcullis_traffic (time);`,
];

/** The scale-out traffic window: every gateway instance appends to one table. */
export async function createPostgresTrafficStore(url: string, opts: PostgresStoreOptions & { maxRecords?: number } = {}): Promise<TrafficStore> {
  const pool = await connectPostgres(url, opts, 'portcullis_traffic_migrations', MIGRATIONS);
  const maxRecords = opts.maxRecords ?? DEFAULT_MAX_TRAFFIC_RECORDS;
  return {
    kind: 'postgres',
    async append(records) {
      if (records.length === 0) return;
      // One statement per batch (WITH ORDINALITY keeps the batch's order in seq), then the window trimmed.
      await pool.query(
        `INSERT INTO portcullis_traffic (time, record)
         SELECT t.time, t.record::jsonb FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS t(time, record, n) ORDER BY t.n`,
        [records.map((r) => r.time), records.map((r) => JSON.stringify(r))],
      );
      await pool.query('DELETE FROM portcullis_traffic WHERE seq <= (SELECT max(seq) FROM portcullis_traffic) - $1', [maxRecords]);
    },
    async read(q: TrafficQuery): Promise<TrafficPage> {
      const limit = clampTrafficLimit(q.limit);
      const { rows } = await pool.query<{ seq: string; record: TrafficRecord }>(
        'SELECT seq, record FROM portcullis_traffic WHERE seq > $1 AND time >= $2 ORDER BY seq LIMIT $3',
        [parseTrafficCursor(q.cursor), q.since ?? 0, limit + 1],
      );
      const kept = rows.slice(0, limit);
      return { records: kept.map((r) => r.record), next: rows.length > limit ? String(kept[kept.length - 1]!.seq) : null };
    },
    async count() {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM portcullis_traffic');
      return Number(rows[0]!.n);
    },
    async close() { await pool.end(); },
  };
}
