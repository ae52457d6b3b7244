import type { SecurityEvent } from '../../events/security-event.js';
import type { EventPage, EventQuery, EventStore } from '../ports.js';
import { connectPostgres, type PostgresStoreOptions } from './connect.js';

export type { PostgresStoreOptions } from './connect.js';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE portcullis_events (
     id TEXT PRIMARY KEY, time TIMESTAMPTZ NOT NULL, rule TEXT NOT NULL, owasp TEXT NOT NULL, severity TEXT NOT NULL,
     action TEXT NOT NULL, principal TEXT NOT NULL, client_ip TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
     operation TEXT, evidence JSONB NOT NULL, request_id TEXT NOT NULL
   );
   CREATE INDEX portcullis_events_rule ON portcullis_events (rule, id);
   CREATE INDEX portcullis_events_principal ON portcullis_events (principal, id);
   CREATE INDEX portcullis_events_time ON portcullis_events (time);`,
];

interface Row {
  id: string; time: Date; rule: string; owasp: string; severity: string; action: string; principal: string;
  client_ip: string; method: string; path: string; operation: string | null; evidence: SecurityEvent['evidence']; request_id: string;
}

/**
 * The scale-out event store: many gateway instances append to one PostgreSQL database. Opened
 * and migrated before the gateway listens, so a wrong URL or missing rights fail the start with
 * a clear error instead of spooling forever.
 */
export async function createPostgresEventStore(url: string, opts: PostgresStoreOptions = {}): Promise<EventStore> {
  const pool = await connectPostgres(url, opts, 'portcullis_schema_migrations', MIGRATIONS);

  return {
    kind: 'postgres',
    async append(events) {
      if (events.length === 0) return;
      // One statement per batch: column arrays unnested into rows.
      const cols: unknown[][] = Array.from({ length: 13 }, () => []);
      for (const e of events) {
        const values = [e.id, e.time, e.rule, e.owasp, e.severity, e.action, e.principal, e.clientIp, e.method, e.path, e.operation, JSON.stringify(e.evidence), e.requestId];
        values.forEach((v, i) => cols[i]!.push(v));
      }
      await pool.query(
        `INSERT INTO portcullis_events (id, time, rule, owasp, severity, action, principal, client_ip, method, path, operation, evidence, request_id)
         SELECT id, time, rule, owasp, severity, action, principal, client_ip, method, path, operation, evidence::jsonb, request_id
         FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
           AS t(id, time, rule, owasp, severity, action, principal, client_ip, method, path, operation, evidence, request_id)
         ON CONFLICT (id) DO NOTHING`,
        cols,
      );
    },
    async query(q: EventQuery): Promise<EventPage> {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, v: unknown): void => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
      if (q.rule !== undefined) add('rule = ?', q.rule);
      if (q.severity !== undefined) add('severity = ?', q.severity);
      if (q.principal !== undefined) add('principal = ?', q.principal);
      if (q.action !== undefined) add('action = ?', q.action);
      if (q.since !== undefined) add('time >= ?::timestamptz', q.since);
      if (q.until !== undefined) add('time <= ?::timestamptz', q.until);
      if (q.cursor !== undefined) add('id < ?', q.cursor);
      params.push(q.limit + 1);
      const sql = `SELECT * FROM portcullis_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`;
      const rows = (await pool.query<Row>(sql, params)).rows;
      const page = rows.slice(0, q.limit).map(fromRow);
      return { events: page, next: rows.length > q.limit ? page[page.length - 1]!.id : null };
    },
    async count() {
      const r = await pool.query<{ n: string }>('SELECT count(*) AS n FROM portcullis_events');
      return Number(r.rows[0]!.n);
    },
    async close() { await pool.end(); },
  };
}

function fromRow(r: Row): SecurityEvent {
  return {
    id: r.id, time: r.time.toISOString(), rule: r.rule, owasp: r.owasp as SecurityEvent['owasp'], severity: r.severity as SecurityEvent['severity'],
    action: r.action as SecurityEvent['action'], principal: r.principal, clientIp: r.client_ip, method: r.method, path: r.path,
    operation: r.operation, evidence: r.evidence, requestId: r.request_id,
  };
}
