import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('has the prefix, 10 time and 16 random Crockford base32 characters', () => {
    expect(newId('req')).toMatch(/^req_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(newId()).toMatch(/^evt_/);
  });

  it('sorts by time and encodes the millisecond in its first 10 characters', () => {
    const a = newId('evt', 1_700_000_000_000);
    const b = newId('evt', 1_700_000_000_001);
    expect(a < b).toBe(true);
    expect(newId('evt', 0).slice(4, 14)).toBe('0000000000');
    expect(newId('evt', 31).slice(4, 14)).toBe('000000000Z');
    expect(newId('evt', 32).slice(4, 14)).toBe('0000000010');
  });

  it('does not repeat across many ids in the same millisecond, across pool refills', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) ids.add(newId('evt', 1_700_000_000_000));
    expect(ids.size).toBe(5000);
  });

  it('uses every character of the alphabet in the random part', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const c of newId('x').slice(12)) seen.add(c);
    expect(seen.size).toBe(32);
  });
});
