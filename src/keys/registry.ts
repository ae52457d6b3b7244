import { timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, KeyStore } from '../store/ports.js';
import { parseKey } from './format.js';
import { hashSecret, statusOf } from './service.js';

export type KeyCheck =
  | { ok: true; record: ApiKeyRecord }
  | { ok: false; reason: 'malformed' | 'unknown' | 'mismatch' | 'revoked' | 'expired' | 'unavailable'; record?: ApiKeyRecord }
  /** A honeytoken was presented with its real secret: whoever holds it took it from where it was planted. */
  | { ok: false; reason: 'decoy'; record: ApiKeyRecord };

export interface KeyRegistryOptions {
  /** How often to poll the store for changes (another instance or `portcullis keys` may write). */
  refreshMs: number;
  /** How old the snapshot may get while the store cannot be read before every key is refused (503). */
  maxStaleMs: number;
  now?: () => number;
}

interface Entry { record: ApiKeyRecord; digest: Buffer }

const DUMMY = Buffer.alloc(32);

/**
 * The gateway's view of the key store: an in-memory snapshot, so checking a key is a hash and
 * a map lookup, never a store round trip. A poll of the store's revision picks up keys created,
 * rotated or revoked elsewhere within `refreshMs`. When the store stays unreadable past
 * `maxStaleMs`, revocations could be missed, so every key check fails closed.
 */
export class KeyRegistry {
  private entries = new Map<string, Entry>();
  private revision: string | undefined;
  private lastRefresh = 0;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly store: KeyStore, private readonly opts: KeyRegistryOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Load the first snapshot (a failure here fails the start) and begin polling. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => { this.refresh().catch(() => undefined); }, this.opts.refreshMs);
    this.timer.unref();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Re-read the store if its revision moved. Concurrent calls share one read. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const revision = await this.store.revision();
    if (revision !== this.revision) {
      const next = new Map<string, Entry>();
      for (const record of await this.store.list()) next.set(record.id, { record, digest: Buffer.from(record.secretHash, 'hex') });
      this.entries = next;
      this.revision = revision;
    }
    this.lastRefresh = this.now();
  }

  check(presented: string): KeyCheck {
    const nowMs = this.now();
    if (nowMs - this.lastRefresh > this.opts.maxStaleMs) return { ok: false, reason: 'unavailable' };
    const parsed = parseKey(presented);
    if (!parsed) return { ok: false, reason: 'malformed' };
    const digest = Buffer.from(hashSecret(parsed.secret), 'hex');
    const entry = this.entries.get(parsed.id);
    // Compare against something either way, so an unknown id costs what a known one does.
    const matches = timingSafeEqual(digest, entry?.digest.length === 32 ? entry.digest : DUMMY) && entry !== undefined;
    if (!entry) return { ok: false, reason: 'unknown' };
    if (!matches || entry.record.env !== parsed.env) return { ok: false, reason: 'mismatch', record: entry.record };
    if (entry.record.decoy) return { ok: false, reason: 'decoy', record: entry.record };
    const status = statusOf(entry.record, nowMs);
    if (status !== 'active') return { ok: false, reason: status, record: entry.record };
    return { ok: true, record: entry.record };
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
