import type { SecurityEvent } from '../events/security-event.js';
import type { TrafficRecord } from '../discovery/sources/record.js';

export interface EventQuery {
  rule?: string;
  severity?: string;
  principal?: string;
  action?: 'blocked' | 'flagged' | 'modified';
  /** ISO times, inclusive. */
  since?: string;
  until?: string;
  /** Page size, 1..500. */
  limit: number;
  /** Opaque cursor from a previous page's `next`. */
  cursor?: string;
}

export interface EventPage {
  /** Newest first. */
  events: SecurityEvent[];
  next: string | null;
}

/** Durable event storage. Every adapter passes src/store/contract/event-store.contract.ts. */
export interface EventStore {
  readonly kind: string;
  append(events: readonly SecurityEvent[]): Promise<void>;
  query(q: EventQuery): Promise<EventPage>;
  count(): Promise<number>;
  close(): Promise<void>;
}

/** One API key as stored: never the key itself, only the SHA-256 of its secret. */
export interface ApiKeyRecord {
  /** The public short id inside the key (`pcl_<env>_<id>_…`). */
  id: string;
  name: string;
  env: string;
  /** Hex SHA-256 of the key's secret part. */
  secretHash: string;
  scopes: string[];
  roles: string[];
  /** ISO times. */
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** A honeytoken: never handed to a real client, so any use of it is an attack. */
  decoy: boolean;
  /** The id of the key this one replaced (rotation). */
  rotatedFrom: string | null;
}

export type ApiKeyPatch = Partial<Pick<ApiKeyRecord, 'expiresAt' | 'revokedAt'>>;

/** Durable API key storage. Every adapter passes src/store/contract/key-store.contract.ts. */
export interface KeyStore {
  readonly kind: string;
  /** Fails with PC_ERR_KEY_EXISTS when the id is taken. */
  insert(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** All keys, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Returns the updated record, or undefined when there is no such key. */
  update(id: string, patch: ApiKeyPatch): Promise<ApiKeyRecord | undefined>;
  /** Changes whenever any key is inserted or updated: lets gateways poll cheaply. */
  revision(): Promise<string>;
  close(): Promise<void>;
}

/** Which sampled requests to read: oldest first, from a time and after a cursor. */
export interface TrafficQuery {
  /** Epoch milliseconds, inclusive. */
  since?: number;
  /** Opaque cursor from a previous page's `next`. */
  cursor?: string;
  /** Page size, 1..5000. */
  limit: number;
}

export interface TrafficPage {
  /** Oldest first. */
  records: TrafficRecord[];
  next: string | null;
}

/**
 * The gateway's own traffic samples (discovery's live source): request metadata, redacted and
 * size-capped, kept as a rolling window of the newest `maxRecords`. Every adapter passes
 * src/store/contract/traffic-store.contract.ts.
 */
export interface TrafficStore {
  readonly kind: string;
  /** Appends in order; then drops the oldest beyond the adapter's `maxRecords`. */
  append(records: readonly TrafficRecord[]): Promise<void>;
  read(q: TrafficQuery): Promise<TrafficPage>;
  count(): Promise<number>;
  close(): Promise<void>;
}
