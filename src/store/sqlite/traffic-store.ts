import type { TrafficRecord } from '../../discovery/sources/record.js';
import type { TrafficPage, TrafficQuery, TrafficStore } from '../ports.js';
import { clampTrafficLimit, DEFAULT_MAX_TRAFFIC_RECORDS, parseTrafficCursor } from '../traffic-window.js';
import { openSqlite } from './open.js';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE traffic (seq INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, record TEXT NOT NULL);
   CREATE INDEX traffic_time ON traffic(time);`,
];

/** The embedded default: the traffic window in the same SQLite file as the events. */
export function createSqliteTrafficStore(file: string, maxRecords = DEFAULT_MAX_TRAFFIC_RECORDS): TrafficStore {
  const db = openSqlite(file, 'traffic_migrations', MIGRATIONS);
  const insert = db.prepare('INSERT INTO traffic (time, record) VALUES (?, ?)');
  // AUTOINCREMENT never reuses a number, so "the newest maxRecords" is a range on seq.
  const trim = db.prepare('DELETE FROM traffic WHERE seq <= (SELECT max(seq) FROM traffic) - ?');
  const insertMany = db.transaction((records: readonly TrafficRecord[]) => {
    for (const r of records) insert.run(r.time, JSON.stringify(r));
    trim.run(maxRecords);
  });
  const page = db.prepare('SELECT seq, record FROM traffic WHERE seq > @after AND time >= @since ORDER BY seq LIMIT @limit');
  const countStmt = db.prepare('SELECT count(*) AS n FROM traffic');
  return {
    kind: 'sqlite',
    async append(records) { if (records.length > 0) insertMany(records); },
    async read(q: TrafficQuery): Promise<TrafficPage> {
      const limit = clampTrafficLimit(q.limit);
      const rows = page.all({ after: parseTrafficCursor(q.cursor), since: q.since ?? 0, limit: limit + 1 }) as { seq: number; record: string }[];
      const kept = rows.slice(0, limit);
      return { records: kept.map((r) => JSON.parse(r.record) as TrafficRecord), next: rows.length > limit ? String(kept[kept.length - 1]!.seq) : null };
    },
    async count() { return (countStmt.get() as { n: number }).n; },
    async close() { db.close(); },
  };
}
