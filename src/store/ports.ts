import type { SecurityEvent } from '../events/security-event.js';

export interface EventQuery {
  rule?: string;
  severity?: string;
  principal?: string;
  action?: 'blocked' | 'flagged';
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
