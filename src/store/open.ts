import { PortcullisError } from '../errors.js';
import { createMemoryEventStore } from './memory/event-store.js';
import type { EventStore } from './ports.js';
import { createPostgresEventStore } from './postgres/event-store.js';
import { createSqliteEventStore } from './sqlite/event-store.js';

/**
 * `--store memory | sqlite:PATH | postgres://…` → an open, migrated EventStore. A PostgreSQL URL
 * may carry `?schema=NAME` to keep the tables out of `public`.
 */
export async function openEventStore(url: string): Promise<EventStore> {
  if (url === 'memory') return createMemoryEventStore();
  if (url.startsWith('sqlite:')) return createSqliteEventStore(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new PortcullisError('PC_ERR_STORE_URL', 'the PostgreSQL store URL is malformed', { where: '--store', hint: 'Use postgres://user[:password]@host[:port]/database' });
    }
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return createPostgresEventStore(parsed.toString(), { schema });
  }
  throw new PortcullisError('PC_ERR_STORE_URL', `unknown store "${url}"`, { where: '--store', hint: 'Use memory, sqlite:PATH or postgres://…' });
}
