import type { SecurityEvent } from '../../events/security-event.js';
import type { EventPage, EventQuery, EventStore } from '../ports.js';
import { openSqlite } from './open.js';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     id TEXT PRIMARY KEY, time TEXT NOT NULL, rule TEXT NOT NULL, owasp TEXT NOT NULL, severity TEXT NOT NULL,
     action TEXT NOT NULL, principal TEXT NOT NULL, client_ip TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
     operation TEXT, evidence TEXT NOT NULL, request_id TEXT NOT NULL
   );
   CREATE INDEX events_rule ON events(rule, id);
   CREATE INDEX events_principal ON events(principal, id);
   CREATE INDEX events_time ON events(time);`,
];

interface Row {
  id: string; time: string; rule: string; owasp: string; severity: string; action: string; principal: string;
  client_ip: string; method: string; path: string; operation: string | null; evidence: string; request_id: string;
}

/** The embedded default: one SQLite file (WAL), migrated on open. */
export function createSqliteEventStore(file: string): EventStore {
  const db = openSqlite(file, 'schema_migrations', MIGRATIONS);
  const insert = db.prepare(`INSERT OR IGNORE INTO events (id, time, rule, owasp, severity, action, principal, client_ip, method, path, operation, evidence, request_id)
    VALUES (@id, @time, @rule, @owasp, @severity, @action, @principal, @clientIp, @method, @path, @operation, @evidence, @requestId)`);
  const insertMany = db.transaction((events: readonly SecurityEvent[]) => {
    for (const e of events) insert.run({ ...e, evidence: JSON.stringify(e.evidence) });
  });
  const countStmt = db.prepare('SELECT count(*) AS n FROM events');
  return {
    kind: 'sqlite',
    async append(events) { insertMany(events); },
    async query(q: EventQuery): Promise<EventPage> {
      const where: string[] = [];
      const params: Record<string, string | number> = { limit: q.limit + 1 };
      const eq = (col: string, key: string, v: string | undefined): void => { if (v !== undefined) { where.push(`${col} = @${key}`); params[key] = v; } };
      eq('rule', 'rule', q.rule);
      eq('severity', 'severity', q.severity);
      eq('principal', 'principal', q.principal);
      eq('action', 'action', q.action);
      if (q.since !== undefined) { where.push('time >= @since'); params.since = q.since; }
      if (q.until !== undefined) { where.push('time <= @until'); params.until = q.until; }
      if (q.cursor !== undefined) { where.push('id < @cursor'); params.cursor = q.cursor; }
      const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
      const rows = db.prepare(sql).all(params) as Row[];
      const page = rows.slice(0, q.limit).map(fromRow);
      return { events: page, next: rows.length > q.limit ? page[page.length - 1]!.id : null };
    },
    async count() { return (countStmt.get() as { n: number }).n; },
    async close() { db.close(); },
  };
}

function fromRow(r: Row): SecurityEvent {
  return {
    id: r.id, time: r.time, rule: r.rule, owasp: r.owasp as SecurityEvent['owasp'], severity: r.severity as SecurityEvent['severity'],
    action: r.action as SecurityEvent['action'], principal: r.principal, clientIp: r.client_ip, method: r.method, path: r.path,
    operation: r.operation, evidence: JSON.parse(r.evidence) as SecurityEvent['evidence'], requestId: r.request_id,
  };
}
