import type { Redis } from 'ioredis';
import { closeRedis, connectRedis, waitReady } from '../store/redis.js';

/** One blocked caller: `ip:203.0.113.9`, `jwt:alice`, `key:…` (a principal id). */
export interface BlockEntry {
  key: string;
  /** Epoch ms. */
  since: number;
  until: number;
  /** The rule or actor that blocked it: `deception/honeypot`, `risk/score`, `admin`. */
  reason: string;
}

const MAX_ENTRIES = 100_000;
const MAX_KEY = 256;
const CHANNEL = 'portcullis:blocks';
const HASH = 'portcullis:blocks';

/**
 * The gateway's dynamic block list. Lookups are local and synchronous (every request asks);
 * with Redis, every instance mirrors one shared list: a block or unblock anywhere is written to a
 * Redis hash and published, each instance applies what it hears and reloads the whole hash
 * whenever its connection comes back, so an outage delays sharing but never loses a block.
 */
export class BlockList {
  private readonly entries = new Map<string, BlockEntry>();
  private shared?: { client: Redis; sub: Redis };
  /** Writes to Redis that failed (the block still holds locally). */
  sharedWriteFailures = 0;

  static async open(redisUrl?: string): Promise<BlockList> {
    const list = new BlockList();
    if (redisUrl) await list.share(redisUrl);
    return list;
  }

  /** The live block of `key`, if any. */
  get(key: string, now = Date.now()): BlockEntry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until > now) return e;
    this.entries.delete(key);
    return undefined;
  }

  /** Blocks `key` for `ms` (extending, never shortening, a block it already has). */
  block(key: string, ms: number, reason: string, now = Date.now()): BlockEntry {
    const k = key.slice(0, MAX_KEY);
    const current = this.get(k, now);
    const entry: BlockEntry = { key: k, since: current?.since ?? now, until: Math.max(current?.until ?? 0, now + ms), reason: current && current.until > now + ms ? current.reason : reason };
    this.apply(entry);
    if (this.shared) this.publish({ op: 'block', entry });
    return entry;
  }

  unblock(key: string): boolean {
    const had = this.get(key) !== undefined;
    this.entries.delete(key);
    if (this.shared) this.publish({ op: 'unblock', key });
    return had;
  }

  /** Live blocks, the longest-lasting first. */
  list(now = Date.now()): BlockEntry[] {
    const live: BlockEntry[] = [];
    for (const e of this.entries.values()) {
      if (e.until > now) live.push(e);
      else this.entries.delete(e.key);
    }
    return live.sort((a, b) => b.until - a.until);
  }

  get size(): number {
    return this.entries.size;
  }

  async close(): Promise<void> {
    if (!this.shared) return;
    const { client, sub } = this.shared;
    this.shared = undefined;
    await Promise.all([closeRedis(client), closeRedis(sub)]);
  }

  private apply(entry: BlockEntry): void {
    // Bounded: the oldest block goes first (Map keeps insertion order).
    this.entries.delete(entry.key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(entry.key, entry);
  }

  private async share(url: string): Promise<void> {
    const client = await connectRedis(url);
    const sub = client.duplicate();
    sub.on('error', () => undefined);
    this.shared = { client, sub };
    sub.on('message', (_channel: string, text: string) => this.hear(text));
    // (Re)subscribe and resynchronise whenever a connection is (re)established.
    sub.on('ready', () => { void sub.subscribe(CHANNEL).catch(() => undefined); });
    client.on('ready', () => { void this.load(); });
    await waitReady(sub);
    if (sub.status === 'ready') await sub.subscribe(CHANNEL).catch(() => undefined);
    if (client.status === 'ready') await this.load();
  }

  private async load(): Promise<void> {
    const client = this.shared?.client;
    if (!client) return;
    try {
      const all = await client.hgetall(HASH);
      const now = Date.now();
      const stale: string[] = [];
      for (const [key, text] of Object.entries(all)) {
        const e = parseEntry(text);
        if (!e || e.until <= now) stale.push(key);
        else if ((this.entries.get(key)?.until ?? 0) < e.until) this.apply(e);
      }
      if (stale.length > 0) await client.hdel(HASH, ...stale);
    } catch {
      // Redis went away again: the next 'ready' reloads.
    }
  }

  private publish(msg: { op: 'block'; entry: BlockEntry } | { op: 'unblock'; key: string }): void {
    const client = this.shared?.client;
    if (!client) return;
    const write = msg.op === 'block'
      ? client.multi().hset(HASH, msg.entry.key, JSON.stringify(msg.entry)).publish(CHANNEL, JSON.stringify(msg)).exec()
      : client.multi().hdel(HASH, msg.key).publish(CHANNEL, JSON.stringify(msg)).exec();
    write.catch(() => { this.sharedWriteFailures += 1; });
  }

  private hear(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    const m = msg as { op?: unknown; key?: unknown; entry?: unknown };
    if (m.op === 'unblock' && typeof m.key === 'string') this.entries.delete(m.key);
    if (m.op === 'block') {
      const e = parseEntry(JSON.stringify(m.entry));
      if (e && e.until > Date.now()) this.apply(e);
    }
  }
}

function parseEntry(text: string): BlockEntry | undefined {
  try {
    const v = JSON.parse(text) as Partial<BlockEntry>;
    if (typeof v.key !== 'string' || typeof v.until !== 'number' || typeof v.since !== 'number' || typeof v.reason !== 'string') return undefined;
    return { key: v.key.slice(0, MAX_KEY), until: v.until, since: v.since, reason: v.reason.slice(0, 128) };
  } catch {
    return undefined;
  }
}
