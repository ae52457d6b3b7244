import { PortcullisError } from '../errors.js';
import { createMemoryEventStore } from './memory/event-store.js';
import { createMemoryKeyStore } from './memory/key-store.js';
import type { EventStore, KeyStore, TrafficStore } from './ports.js';
import { createMemoryTrafficStore } from './memory/traffic-store.js';
import { createPostgresTrafficStore } from './postgres/traffic-store.js';
import { createSqliteTrafficStore } from './sqlite/traffic-store.js';
import { createPostgresEventStore } from './postgres/event-store.js';
import { createPostgresKeyStore } from './postgres/key-store.js';
import { createSqliteEventStore } from './sqlite/event-store.js';
import { createSqliteKeyStore } from './sqlite/key-store.js';

type StoreLocation =
  | { kind: 'memory' }
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema: string | undefined };

/**
 * `--store memory | sqlite:PATH | postgres://…`. A PostgreSQL URL may carry `?schema=NAME` to
 * keep the tables out of `public`.
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (url === 'memory') return { kind: 'memory' };
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', file: url.slice('sqlite:'.length) };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new PortcullisError('PC_ERR_STORE_URL', 'the PostgreSQL store URL is malformed', { where: '--store', hint: 'Use postgres://user[:password]@host[:port]/database' });
    }
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return { kind: 'postgres', url: parsed.toString(), schema };
  }
  throw new PortcullisError('PC_ERR_STORE_URL', `unknown store "${url}"`, { where: '--store', hint: 'Use memory, sqlite:PATH or postgres://…' });
}

/** An open, migrated EventStore. */
export async function openEventStore(url: string): Promise<EventStore> {
  const at = parseStoreUrl(url);
  switch (at.kind) {
    case 'memory': return createMemoryEventStore();
    case 'sqlite': return createSqliteEventStore(at.file);
    case 'postgres': return createPostgresEventStore(at.url, { schema: at.schema });
  }
}

/** An open, migrated KeyStore, in the same place as the events. */
export async function openKeyStore(url: string): Promise<KeyStore> {
  const at = parseStoreUrl(url);
  switch (at.kind) {
    case 'memory': return createMemoryKeyStore();
    case 'sqlite': return createSqliteKeyStore(at.file);
    case 'postgres': return createPostgresKeyStore(at.url, { schema: at.schema, maxConnections: 2 });
  }
}

/** An open, migrated TrafficStore (discovery's samples), in the same place as the events. */
export async function openTrafficStore(url: string, opts: { maxRecords?: number } = {}): Promise<TrafficStore> {
  const at = parseStoreUrl(url);
  switch (at.kind) {
    case 'memory': return createMemoryTrafficStore(opts.maxRecords);
    case 'sqlite': return createSqliteTrafficStore(at.file, opts.maxRecords);
    case 'postgres': return createPostgresTrafficStore(at.url, { schema: at.schema, maxConnections: 2, maxRecords: opts.maxRecords });
  }
}
