import { describe, expect, it } from 'vitest';
import { BlockList } from './block-list.js';
import { DEFAULT_RISK_POLICY, RiskBook } from './risk.js';

const policy = { ...DEFAULT_RISK_POLICY, halfLifeSec: 60, challengeAt: 20, blockAt: 60, blockSec: 100, maxBlockSec: 10_000 };

describe('RiskBook', () => {
  it('weighs events by severity, with low weights for rules a legitimate client trips too', () => {
    const book = new RiskBook(new BlockList(), policy);
    expect(book.pointsFor('injection/sqli', 'high')).toBe(8);
    expect(book.pointsFor('abuse/rate-limit', 'medium')).toBe(1);
    expect(book.pointsFor('contract/invalid-param', 'medium')).toBe(1);
    expect(book.pointsFor('abuse/blocked', 'medium')).toBe(0);
    book.configure({ ...policy, weights: { 'contract/': 5, 'injection/sqli': 2 } }, false);
    expect(book.pointsFor('contract/invalid-param', 'medium')).toBe(5);
    expect(book.pointsFor('injection/sqli', 'high')).toBe(2);
  });

  it('decays by half-life and asks for harder challenges as the score rises', () => {
    const book = new RiskBook(new BlockList(), policy);
    book.observe(['ip:a'], 'injection/sqli', 'high', 0);
    book.observe(['ip:a'], 'injection/sqli', 'high', 0);
    expect(book.challengeLevel(['ip:a'], 0)).toBe(0);
    book.observe(['ip:a'], 'injection/sqli', 'high', 0);
    expect(book.score('ip:a', 0)).toBe(24);
    expect(book.challengeLevel(['ip:a'], 0)).toBe(1);
    expect(book.score('ip:a', 60_000)).toBeCloseTo(12);
    expect(book.challengeLevel(['ip:a'], 60_000)).toBe(0);
    for (let i = 0; i < 2; i++) book.observe(['ip:b'], 'x/critical', 'critical', 0);
    expect(book.challengeLevel(['ip:b'], 0)).toBe(3);
  });

  it('blocks at blockAt only when enforcing, four times longer at each repeat, up to maxBlockSec', () => {
    const blocks = new BlockList();
    const book = new RiskBook(blocks, policy);
    for (let i = 0; i < 10; i++) book.observe(['ip:c'], 'x/high', 'high', 0);
    expect(blocks.get('ip:c', 0)).toBeUndefined();
    book.configure(policy, true);
    const durations: number[] = [];
    let now = 0;
    let blockedAt = 0;
    for (let round = 0; round < 5; round++) {
      while (!blocks.get('ip:c', now)) book.observe(['ip:c'], 'x/high', 'high', now);
      const e = blocks.get('ip:c', now)!;
      durations.push((e.until - now) / 1000);
      blockedAt = now;
      now = e.until + 1;
    }
    expect(durations).toEqual([100, 400, 1_600, 6_400, 10_000]);
    expect(book.offenders(10, blockedAt)[0]).toMatchObject({ key: 'ip:c', strikes: 5 });
  });
});
