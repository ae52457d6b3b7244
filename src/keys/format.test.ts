import { describe, expect, it } from 'vitest';
import { generateKey, parseKey, randomBase62 } from './format.js';

describe('API key format', () => {
  it('generates recognisable keys that parse back to their parts', () => {
    for (let i = 0; i < 200; i++) {
      const k = generateKey(i % 2 ? 'live' : 'test');
      expect(k.key).toMatch(/^pcl_(live|test)_[0-9A-Za-z]{8}_[0-9A-Za-z]{38}$/);
      expect(parseKey(k.key)).toEqual({ env: k.env, id: k.id, secret: k.secret });
    }
  });

  it('keys are unique and ids carry entropy', () => {
    const keys = new Set(Array.from({ length: 2000 }, () => generateKey('live').key));
    expect(keys.size).toBe(2000);
    const ids = new Set([...keys].map((k) => k.split('_')[2]));
    expect(ids.size).toBe(2000);
  });

  it('the checksum rejects any single-character change', () => {
    const { key } = generateKey('live');
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let rejected = 0;
    let tried = 0;
    for (let pos = 'pcl_live_'.length; pos < key.length; pos++) {
      if (key[pos] === '_') continue;
      const other = alphabet[(alphabet.indexOf(key[pos]!) + 7) % 62]!;
      tried++;
      if (parseKey(key.slice(0, pos) + other + key.slice(pos + 1)) === undefined) rejected++;
    }
    expect(rejected).toBe(tried);
  });

  it.each([
    ['empty', ''],
    ['wrong prefix', 'pck_live_abcdefgh_' + 'a'.repeat(38)],
    ['upper-case env', 'pcl_LIVE_abcdefgh_' + 'a'.repeat(38)],
    ['short id', 'pcl_live_abcdefg_' + 'a'.repeat(38)],
    ['short secret', 'pcl_live_abcdefgh_' + 'a'.repeat(37)],
    ['non-alphanumeric secret', 'pcl_live_abcdefgh_' + 'a'.repeat(36) + '-a'],
    ['trailing newline', `${generateKey('live').key}\n`],
    ['very long', 'pcl_live_abcdefgh_' + 'a'.repeat(10_000)],
  ])('refuses %s', (_name, text) => {
    expect(parseKey(text)).toBeUndefined();
  });

  it('refuses environments outside [a-z]{2,8}', () => {
    expect(() => generateKey('Prod')).toThrow(RangeError);
    expect(() => generateKey('x')).toThrow(RangeError);
  });

  it('randomBase62 uses the whole alphabet without bias towards low digits', () => {
    const counts = new Map<string, number>();
    for (const c of randomBase62(62_000)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Each symbol expects 1000; ±20% is >6σ, so this only fails on real bias.
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(800);
      expect(n).toBeLessThan(1200);
    }
  });
});
