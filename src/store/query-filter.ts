import type { SecurityEvent } from '../events/security-event.js';
import type { EventQuery } from './ports.js';

/** The filter semantics every adapter must reproduce (SQL adapters translate it to WHERE). */
export function matches(e: SecurityEvent, q: EventQuery): boolean {
  return (q.rule === undefined || e.rule === q.rule)
    && (q.severity === undefined || e.severity === q.severity)
    && (q.principal === undefined || e.principal === q.principal)
    && (q.action === undefined || e.action === q.action)
    && (q.since === undefined || e.time >= q.since)
    && (q.until === undefined || e.time <= q.until);
}
