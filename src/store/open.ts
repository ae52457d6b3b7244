import { PortcullisError } from '../errors.js';
import { createMemoryEventStore } from './memory/event-store.js';
import type { EventStore } from './ports.js';
import { createSqliteEventStore } from './sqlite/event-store.js';

/** `--store memory | sqlite:PATH | postgres://…` → an EventStore. */
export function openEventStore(url: string): EventStore {
  if (url === 'memory') return createMemoryEventStore();
  if (url.startsWith('sqlite:')) return createSqliteEventStore(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    throw new PortcullisError('PC_ERR_STORE_URL', 'the PostgreSQL store is not available in this build yet', {
      where: '--store', hint: 'Use sqlite:PATH (the default) or memory; PostgreSQL arrives with the scale-out work.',
    });
  }
  throw new PortcullisError('PC_ERR_STORE_URL', `unknown store "${url}"`, { where: '--store', hint: 'Use memory, sqlite:PATH or postgres://…' });
}
