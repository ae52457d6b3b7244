import type { SecurityEvent } from '../../events/security-event.js';
import type { EventPage, EventQuery, EventStore } from '../ports.js';
import { matches } from '../query-filter.js';

/** In-process store for tests and `--store memory`: bounded, oldest evicted first. */
export function createMemoryEventStore(maxEvents = 100_000): EventStore {
  // Kept sorted by id (ids are time-ordered); appends are almost always at the end.
  const events: SecurityEvent[] = [];
  return {
    kind: 'memory',
    async append(batch) {
      for (const e of batch) {
        let i = events.length;
        while (i > 0 && events[i - 1]!.id > e.id) i--;
        if (events[i - 1]?.id === e.id) continue; // idempotent replays
        events.splice(i, 0, e);
      }
      if (events.length > maxEvents) events.splice(0, events.length - maxEvents);
    },
    async query(q: EventQuery): Promise<EventPage> {
      const out: SecurityEvent[] = [];
      for (let i = events.length - 1; i >= 0 && out.length <= q.limit; i--) {
        const e = events[i]!;
        if (q.cursor && e.id >= q.cursor) continue;
        if (matches(e, q)) out.push(e);
      }
      const page = out.slice(0, q.limit);
      return { events: page, next: out.length > q.limit ? page[page.length - 1]!.id : null };
    },
    async count() { return events.length; },
    async close() { /* nothing to release */ },
  };
}
