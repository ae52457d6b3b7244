import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BlockList } from './block-list.js';

const REDIS_URL = process.env.REDIS_URL;

describe('BlockList', () => {
  it('blocks for a while, extends but never shortens, and unblocks', () => {
    const list = new BlockList();
    list.block('ip:192.0.2.1', 1_000, 'deception/honeypot', 0);
    list.block('ip:192.0.2.1', 10, 'admin', 0);
    expect(list.get('ip:192.0.2.1', 500)).toMatchObject({ until: 1_000, reason: 'deception/honeypot' });
    expect(list.get('ip:192.0.2.1', 1_000)).toBeUndefined();
    list.block('jwt:alice', 60_000, 'admin');
    expect(list.list().map((e) => e.key)).toEqual(['jwt:alice']);
    expect(list.unblock('jwt:alice')).toBe(true);
    expect(list.unblock('jwt:alice')).toBe(false);
  });

  it.skipIf(!REDIS_URL)('with Redis, every instance enforces one list: blocks and unblocks spread, a late instance loads them', async () => {
    const key = `ip:198.51.100.${Math.floor(Math.random() * 250)}`;
    const principal = `jwt:test-${randomUUID()}`;
    const a = await BlockList.open(REDIS_URL);
    const b = await BlockList.open(REDIS_URL);
    try {
      a.block(key, 30_000, 'test');
      a.block(principal, 30_000, 'test');
      await until(() => b.get(key) !== undefined);
      expect(b.get(key)?.reason).toBe('test');
      const late = await BlockList.open(REDIS_URL);
      try {
        expect(late.get(principal)).toBeDefined();
      } finally {
        await late.close();
      }
      b.unblock(key);
      b.unblock(principal);
      await until(() => a.get(key) === undefined);
      expect(a.get(principal)).toBeUndefined();
      expect(a.sharedWriteFailures + b.sharedWriteFailures).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
