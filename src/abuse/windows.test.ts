import { describe, expect, it } from 'vitest';
import { BoundedMap, DistinctLog, ExpiringSet, networkOf, SlidingLog } from './windows.js';

describe('SlidingLog', () => {
  it('counts events within the sliding window and says when the count falls below a limit', () => {
    const log = new SlidingLog(1_000, 5);
    for (const t of [0, 100, 200]) log.add('k', t);
    expect(log.count('k', 500)).toBe(3);
    expect(log.msUntilBelow('k', 3, 500)).toBe(500);
    expect(log.msUntilBelow('k', 4, 500)).toBe(0);
    expect(log.count('k', 1_050)).toBe(2);
    expect(log.count('k', 1_200)).toBe(0);
  });

  it('saturates at `keep` entries and forgets the least recently used key beyond maxKeys', () => {
    const log = new SlidingLog(10_000, 3, 2);
    for (let i = 0; i < 10; i++) log.add('a', i);
    expect(log.count('a', 10)).toBe(3);
    log.add('b', 10);
    log.add('c', 10);
    expect(log.count('a', 10)).toBe(0);
    expect(log.count('c', 10)).toBe(1);
  });
});

describe('DistinctLog', () => {
  it('counts distinct values per key in the window; a repeat refreshes its time', () => {
    const d = new DistinctLog(1_000, 10);
    d.add('src', 'alice', 0);
    d.add('src', 'bob', 100);
    expect(d.add('src', 'alice', 900)).toBe(2);
    expect(d.count('src', 1_050)).toBe(2);
    expect(d.count('src', 1_150)).toBe(1);
    expect(d.has('src', 'alice', 1_150)).toBe(true);
    expect(d.has('src', 'bob', 1_150)).toBe(false);
  });

  it('holds at most `keep` values per key', () => {
    const d = new DistinctLog(1_000, 3);
    for (let i = 0; i < 100; i++) d.add('k', `v${i}`, i);
    expect(d.count('k', 100)).toBe(3);
  });
});

describe('ExpiringSet and BoundedMap', () => {
  it('holds a key until its time and never shortens a hold', () => {
    const s = new ExpiringSet();
    s.hold('k', 1_000, 0);
    s.hold('k', 10, 0);
    expect(s.remaining('k', 500)).toBe(500);
    expect(s.remaining('k', 1_000)).toBe(0);
  });

  it('evicts the least recently touched key', () => {
    const m = new BoundedMap<number>(2);
    m.set('a', 1);
    m.set('b', 2);
    m.get('a');
    m.set('c', 3);
    expect(m.peek('a')).toBe(1);
    expect(m.peek('b')).toBeUndefined();
  });
});

describe('networkOf', () => {
  it('groups IPv4 by /24 and IPv6 by /64, in any spelling', () => {
    expect(networkOf('192.0.2.77')).toBe('192.0.2.0/24');
    expect(networkOf('::ffff:192.0.2.77')).toBe('192.0.2.0/24');
    expect(networkOf('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:DB8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
  });
});

describe('BucketCounter', () => {
  it('counts per key over the window in constant memory, dropping whole buckets as they age', async () => {
    const { BucketCounter } = await import('./windows.js');
    const c = new BucketCounter(1_000, 10);
    for (let i = 0; i < 50_000; i++) c.add('k', 0);
    c.add('k', 550);
    expect(c.count('k', 600)).toBe(50_001);
    expect(c.count('k', 1_000)).toBe(1);
    expect(c.count('k', 1_600)).toBe(0);
    expect(c.count('other', 0)).toBe(0);
  });
});
