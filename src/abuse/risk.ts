import type { Severity } from '../core/verdict.js';
import type { BlockList } from './block-list.js';
import { callerKeys } from './caller.js';
import { BoundedMap } from './windows.js';

/** How events turn into challenges and blocks. */
export interface RiskPolicy {
  /** A score halves after this long without new events. */
  halfLifeSec: number;
  /** From this score on, requests must carry a solved proof-of-work challenge (harder as the score rises). */
  challengeAt: number;
  /** Reaching this score blocks the caller: `blockSec` the first time, four times longer each repeat, up to `maxBlockSec`. */
  blockAt: number;
  blockSec: number;
  maxBlockSec: number;
  /** Points per rule id, or per prefix ending in `/` (`contract/`); otherwise by severity. */
  weights: Readonly<Record<string, number>>;
}

export const DEFAULT_RISK_POLICY: RiskPolicy = {
  halfLifeSec: 600, challengeAt: 20, blockAt: 60, blockSec: 900, maxBlockSec: 86_400, weights: {},
};

const SEVERITY_POINTS: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 3, high: 8, critical: 20 };

/**
 * Rules whose events say little about intent: a legitimate client with a bug or a burst
 * trips them too, so they count a point, not a medium's three; outcomes of a block already in
 * force and the gateway's own trouble count nothing (or a block would feed itself).
 */
const BUILTIN_WEIGHTS: Readonly<Record<string, number>> = {
  'abuse/blocked': 0, 'abuse/rate-limit-store-unavailable': 0, 'abuse/rate-limit': 1, 'abuse/concurrency': 1,
  'abuse/challenge-required': 1, 'contract/': 1, 'upstream/': 0, 'pipeline/': 0, 'gateway/': 0, 'response/': 0, 'data/': 0,
};

export const CHALLENGE_LEVELS = 5;
const MAX_TRACKED = 100_000;

interface Standing { score: number; at: number; events: number; lastRule: string; strikes: number; lastBlockAt: number }

export interface Offender { key: string; score: number; events: number; lastRule: string; lastAt: number; strikes: number }

/**
 * Every caller (client IP and principal) carries a score that events raise and time decays.
 * Crossing `challengeAt` asks for proof of work, crossing `blockAt` puts the caller on the block
 * list, for longer at every repeat: the stepped response of one book, whatever control saw what.
 */
export class RiskBook {
  private readonly standings = new BoundedMap<Standing>(MAX_TRACKED);
  /** Whether reaching `blockAt` blocks (the risk control in block mode), or is only scored. */
  private enforcing = false;
  constructor(private readonly blocks: BlockList, private policy: RiskPolicy = DEFAULT_RISK_POLICY) {}

  configure(policy: RiskPolicy, enforcing: boolean): void {
    this.policy = policy;
    this.enforcing = enforcing;
  }

  pointsFor(ruleId: string, severity: Severity): number {
    const w = this.policy.weights;
    const exact = w[ruleId] ?? BUILTIN_WEIGHTS[ruleId];
    if (exact !== undefined) return exact;
    const slash = ruleId.indexOf('/');
    const prefix = slash >= 0 ? ruleId.slice(0, slash + 1) : undefined;
    const byPrefix = prefix === undefined ? undefined : w[prefix] ?? BUILTIN_WEIGHTS[prefix];
    return byPrefix ?? SEVERITY_POINTS[severity];
  }

  /** One event against these callers; blocks any that reach `blockAt`. */
  observe(keys: readonly string[], ruleId: string, severity: Severity, now = Date.now()): void {
    const points = this.pointsFor(ruleId, severity);
    if (points <= 0) return;
    for (const key of keys) {
      const s = this.standings.get(key) ?? { score: 0, at: now, events: 0, lastRule: ruleId, strikes: 0, lastBlockAt: 0 };
      s.score = this.decayed(s, now) + points;
      s.at = now;
      s.events += 1;
      s.lastRule = ruleId;
      this.standings.set(key, s);
      if (this.enforcing && s.score >= this.policy.blockAt && !this.blocks.get(key, now)) this.strike(key, s, now);
    }
  }

  score(key: string, now = Date.now()): number {
    const s = this.standings.peek(key);
    return s ? this.decayed(s, now) : 0;
  }

  /** `challengeLevel` of a client address and principal, without work while nobody has a score. */
  levelOf(clientIp: string, principalId: string, now = Date.now()): number {
    if (this.standings.size === 0) return 0;
    return this.challengeLevel(callerKeys(clientIp, principalId), now);
  }

  /** 0 when no challenge is due; else the proof-of-work level (1..5) the caller's score calls for. */
  challengeLevel(keys: readonly string[], now = Date.now()): number {
    const { challengeAt, blockAt } = this.policy;
    let level = 0;
    for (const key of keys) {
      const score = this.score(key, now);
      if (score < challengeAt) continue;
      const span = Math.max(1, blockAt - challengeAt);
      level = Math.max(level, Math.min(CHALLENGE_LEVELS, 1 + Math.floor(((score - challengeAt) * CHALLENGE_LEVELS) / span)));
    }
    return level;
  }

  /** Callers with a score, the riskiest first. */
  offenders(limit = 100, now = Date.now()): Offender[] {
    const out: Offender[] = [];
    for (const [key, s] of this.standings.entries()) {
      const score = this.decayed(s, now);
      if (score >= 0.5) out.push({ key, score: Math.round(score * 10) / 10, events: s.events, lastRule: s.lastRule, lastAt: s.at, strikes: s.strikes });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /** Forget a caller's score and strikes (an admin's unblock). */
  forgive(key: string): void {
    this.standings.delete(key);
  }

  private strike(key: string, s: Standing, now: number): void {
    const { blockSec, maxBlockSec } = this.policy;
    // Strikes are forgotten after a whole maximum block of good behaviour.
    if (now - s.lastBlockAt > maxBlockSec * 1000) s.strikes = 0;
    const ms = Math.min(maxBlockSec, blockSec * 4 ** s.strikes) * 1000;
    s.strikes += 1;
    s.lastBlockAt = now;
    this.blocks.block(key, ms, `risk/score (${s.lastRule})`, now);
    // Once blocked the score starts over below the challenge line: the block is the answer, and the
    // caller returns from it on probation (challenged again after a few more events).
    s.score = this.policy.challengeAt / 2;
  }

  private decayed(s: Standing, now: number): number {
    const halfLifeMs = this.policy.halfLifeSec * 1000;
    return s.score * 2 ** (-(now - s.at) / halfLifeMs);
  }
}
