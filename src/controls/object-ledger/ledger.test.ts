import { describe, expect, it } from 'vitest';
import { ObjectLedger } from './ledger.js';

let clock = 0;
const make = (over: Partial<ConstructorParameters<typeof ObjectLedger>[0]> = {}) =>
  new ObjectLedger({ maxEntries: 100, maxPerPrincipal: 10, ttlMs: 1000, ...over }, () => clock);

describe('object ledger', () => {
  it('knows what each principal was handed, per resource, and nothing else', () => {
    const l = make();
    l.remember('alice', 'order', ['1', '2']);
    expect(l.has('alice', 'order', '1')).toBe(true);
    expect(l.has('alice', 'order', '3')).toBe(false);
    expect(l.has('alice', 'invoice', '1')).toBe(false);
    expect(l.has('bob', 'order', '1')).toBe(false);
  });

  it('forgets an id not handed again within the ttl, and a fresh hand-out renews it', () => {
    clock = 0;
    const l = make({ ttlMs: 1000 });
    l.remember('a', 'o', ['1', '2']);
    clock = 800;
    l.remember('a', 'o', ['2']);
    clock = 1500;
    expect(l.has('a', 'o', '1')).toBe(false);
    expect(l.has('a', 'o', '2')).toBe(true);
    expect(l.size).toBe(1);
  });

  it('keeps at most maxPerPrincipal ids per principal, dropping the least recently seen', () => {
    clock = 0;
    const l = make({ maxPerPrincipal: 3 });
    l.remember('a', 'o', ['1', '2', '3']);
    l.remember('a', 'o', ['1', '4']);
    expect(['1', '2', '3', '4'].map((id) => l.has('a', 'o', id))).toEqual([true, false, true, true]);
    expect(l.size).toBe(3);
  });

  it('keeps at most maxEntries in all, forgetting the least recently active principal first', () => {
    const l = make({ maxEntries: 5, maxPerPrincipal: 5 });
    l.remember('old', 'o', ['1', '2']);
    l.remember('mid', 'o', ['1', '2']);
    l.remember('old', 'o', ['3']); // old is active again
    l.remember('new', 'o', ['1', '2']);
    expect(l.has('mid', 'o', '1')).toBe(false);
    expect(l.has('old', 'o', '3')).toBe(true);
    expect(l.has('new', 'o', '2')).toBe(true);
    expect(l.size).toBeLessThanOrEqual(5);
  });
});
