import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryReplayStore, RedisReplayStore } from './replay-store.js';
import type { ReplayStore } from './service.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The contract every ReplayStore passes: the memory one is held to the Redis one's TTLs. */
function contract(name: string, make: () => ReplayStore) {
  describe(`${name} (contract)`, () => {
    it('claims an id once within its TTL', async () => {
      const store = make();
      expect(await store.claim('a', 10_000)).toBe(true);
      expect(await store.claim('a', 10_000)).toBe(false);
      expect(await store.claim('b', 10_000)).toBe(true);
    });

    it('lets an id be claimed again after its TTL', async () => {
      const store = make();
      expect(await store.claim('short', 50)).toBe(true);
      expect(await store.claim('short', 50)).toBe(false);
      await sleep(120);
      expect(await store.claim('short', 50)).toBe(true);
    });

    it('lets exactly one of concurrent claims win', async () => {
      const store = make();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claim('race', 10_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}

contract('MemoryReplayStore', () => new MemoryReplayStore());

describe('MemoryReplayStore bounds', () => {
  it('sweeps expired ids instead of evicting live ones', async () => {
    let now = 0;
    const store = new MemoryReplayStore({ maxEntries: 3, now: () => now });
    expect(await store.claim('live', 10_000)).toBe(true);
    expect(await store.claim('short-1', 10)).toBe(true);
    expect(await store.claim('short-2', 10)).toBe(true);
    now = 100;
    // Full: the two expired ids behind the live one make room.
    expect(await store.claim('new', 10_000)).toBe(true);
    expect(store.size).toBe(2);
    expect(await store.claim('live', 10_000)).toBe(false);
    expect(await store.claim('new', 10_000)).toBe(false);
  });

  it('never exceeds its bound; past it, the oldest live id is the one forgotten', async () => {
    let now = 0;
    const store = new MemoryReplayStore({ maxEntries: 3, now: () => now });
    for (const id of ['a', 'b', 'c', 'd']) {
      now += 1;
      expect(await store.claim(id, 60_000)).toBe(true);
    }
    expect(store.size).toBe(3);
    expect(await store.claim('b', 60_000)).toBe(false);
    expect(await store.claim('c', 60_000)).toBe(false);
    expect(await store.claim('d', 60_000)).toBe(false);
    // The documented trade-off: over capacity, the oldest id could be replayed.
    expect(await store.claim('a', 60_000)).toBe(true);
    expect(store.size).toBe(3);
  });

  it('rejects a nonsensical bound', () => {
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(RangeError);
  });
});

const REDIS_URL = process.env.REDIS_URL;

describe.skipIf(!REDIS_URL)('RedisReplayStore', () => {
  const prefix = `portcullis:test:replay:${randomUUID()}:`;
  let client: Redis;

  beforeAll(async () => {
    client = new Redis(REDIS_URL as string, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
  });

  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  contract('RedisReplayStore', () => new RedisReplayStore(client, prefix));

  it('stores the key under its prefix with the TTL', async () => {
    const store = new RedisReplayStore(client, prefix);
    expect(await store.claim('ttl', 30_000)).toBe(true);
    const pttl = await client.pttl(`${prefix}ttl`);
    expect(pttl).toBeGreaterThan(25_000);
    expect(pttl).toBeLessThanOrEqual(30_000);
  });
});
