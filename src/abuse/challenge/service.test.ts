import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHALLENGE_HEADER as SOLVER_HEADER, solveChallenge, withChallenge, type FetchLike } from '../../solver/index.js';
import { MemoryReplayStore } from './replay-store.js';
import {
  CHALLENGE_HEADER, ChallengeService, DIFFICULTY_LEVELS, MAX_HEADER_BYTES, isValidBinding, type ChallengeBinding,
} from './service.js';

const KEY = 'test-key-0123456789abcdef0123456789';
const LOGIN: ChallengeBinding = { method: 'POST', path: '/api/v2/auth/login' };

function service(expiresSec?: number) {
  return new ChallengeService({ hmacKey: KEY, replay: new MemoryReplayStore(), ...(expiresSec ? { expiresSec } : {}) });
}

async function solved(svc: ChallengeService, binding = LOGIN, level = 1): Promise<string> {
  return solveChallenge(await svc.issue(binding, level), { concurrency: 1 });
}

type Json = { challenge: { parameters: Record<string, unknown> & { data: Record<string, unknown> }; signature: string }; solution: { counter: number; derivedKey: string } };
const decode = (h: string): Json => JSON.parse(Buffer.from(h, 'base64').toString('utf8')) as Json;
const encode = (j: Json): string => Buffer.from(JSON.stringify(j)).toString('base64');
function edit(h: string, change: (j: Json) => void): string {
  const j = decode(h);
  change(j);
  return encode(j);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ChallengeService', () => {
  it('accepts a solved challenge once, then refuses it as replayed', async () => {
    const svc = service();
    const header = await solved(svc);
    expect(await svc.verify(header, LOGIN)).toEqual({ ok: true, level: 1 });
    expect(await svc.verify(header, LOGIN)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('issues what the widget expects: signed parameters bound to method, path, level and expiry', async () => {
    const before = Date.now() / 1000;
    const c = await service().issue(LOGIN, 1) as unknown as Json['challenge'];
    expect(c.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(c.parameters).toMatchObject({
      algorithm: 'PBKDF2/SHA-256', cost: DIFFICULTY_LEVELS[1].cost, data: { method: 'POST', path: LOGIN.path, level: 1 },
    });
    expect(c.parameters.expiresAt).toBeGreaterThanOrEqual(before + 300);
    expect(c.parameters.expiresAt).toBeLessThanOrEqual(before + 302);
  });

  it('reports the level it was issued at', async () => {
    const svc = service();
    expect(await svc.verify(await solved(svc, LOGIN, 2), LOGIN)).toEqual({ ok: true, level: 2 });
  });

  it('refuses a downgraded level as tampered', async () => {
    const svc = service();
    const header = await solved(svc, LOGIN, 2);
    expect(await svc.verify(edit(header, (j) => { j.challenge.parameters.data.level = 1; }), LOGIN))
      .toEqual({ ok: false, reason: 'tampered' });
    // The untouched payload is still good: a refused forgery claims nothing.
    expect(await svc.verify(header, LOGIN)).toEqual({ ok: true, level: 2 });
  });

  it('refuses an expired challenge', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const svc = service(5);
    const header = await solved(svc);
    vi.setSystemTime(Date.now() + 10_000);
    expect(await svc.verify(header, LOGIN)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses an extended expiry as tampered', async () => {
    const svc = service();
    const header = await solved(svc);
    const later = edit(header, (j) => { j.challenge.parameters.expiresAt = (j.challenge.parameters.expiresAt as number) + 3600; });
    expect(await svc.verify(later, LOGIN)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('refuses a flipped signature byte as tampered', async () => {
    const svc = service();
    const header = await solved(svc);
    const flipped = edit(header, (j) => {
      const s = j.challenge.signature;
      j.challenge.signature = (s[0] === 'a' ? 'b' : 'a') + s.slice(1);
    });
    expect(await svc.verify(flipped, LOGIN)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('refuses a challenge signed with another key as tampered', async () => {
    const other = new ChallengeService({ hmacKey: 'another-key-0123456789abcdef', replay: new MemoryReplayStore() });
    expect(await service().verify(await solved(other), LOGIN)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('refuses a wrong solution as unsolved', async () => {
    const svc = service();
    const header = await solved(svc);
    const wrongKey = edit(header, (j) => {
      const k = j.solution.derivedKey;
      j.solution.derivedKey = (k[0] === '0' ? '1' : '0') + k.slice(1);
    });
    expect(await svc.verify(wrongKey, LOGIN)).toEqual({ ok: false, reason: 'unsolved' });
    const unsolved = edit(header, (j) => { j.solution.derivedKey = '00'.repeat(32); });
    expect(await svc.verify(unsolved, LOGIN)).toEqual({ ok: false, reason: 'unsolved' });
  });

  it('refuses a challenge issued for another method or path', async () => {
    const svc = service();
    const header = await solved(svc);
    expect(await svc.verify(header, { method: 'PUT', path: LOGIN.path })).toEqual({ ok: false, reason: 'wrong-binding' });
    expect(await svc.verify(header, { method: 'POST', path: '/api/v2/auth/register' })).toEqual({ ok: false, reason: 'wrong-binding' });
    // Rebinding by editing the signed path is tampering.
    const moved = edit(header, (j) => { j.challenge.parameters.data.path = '/api/v2/auth/register'; });
    expect(await svc.verify(moved, { method: 'POST', path: '/api/v2/auth/register' })).toEqual({ ok: false, reason: 'tampered' });
    // None of that burned the genuine payload.
    expect(await svc.verify(header, LOGIN)).toEqual({ ok: true, level: 1 });
  });

  it('refuses garbage and oversized headers as malformed without throwing', async () => {
    const svc = service();
    const good = await solved(svc);
    const garbage: unknown[] = [
      '', ' ', 'not base64!', '====', Buffer.from('not json').toString('base64'), Buffer.from('null').toString('base64'),
      Buffer.from('[1,2]').toString('base64'), Buffer.from('{"challenge":{},"solution":{}}').toString('base64'),
      Buffer.from('{"challenge":null,"solution":null,"test":true}').toString('base64'),
      edit(good, (j) => { j.challenge.parameters.nonce = 'zz'; }),
      edit(good, (j) => { (j.solution as Record<string, unknown>).counter = '7'; }),
      edit(good, (j) => { delete (j.challenge.parameters as Record<string, unknown>).expiresAt; }),
      edit(good, (j) => { (j.challenge as Record<string, unknown>).parameters = []; }),
      'A'.repeat(MAX_HEADER_BYTES + 1), undefined, null, 42, {},
    ];
    for (const h of garbage) {
      await expect(svc.verify(h as string, LOGIN), String(h).slice(0, 40)).resolves.toEqual({ ok: false, reason: 'malformed' });
    }
    const padded = good + ' '.repeat(MAX_HEADER_BYTES);
    expect(await svc.verify(padded, LOGIN)).toEqual({ ok: false, reason: 'malformed' });
    expect(await svc.verify(good, LOGIN)).toEqual({ ok: true, level: 1 });
  });

  it('refuses out-of-range uint32 counters and odd data without throwing', async () => {
    const svc = service();
    const header = await solved(svc);
    for (const counter of [-1, 2 ** 32, 1.5]) {
      const h = edit(header, (j) => { j.solution.counter = counter; });
      const r = await svc.verify(h, LOGIN);
      expect(r.ok).toBe(false);
    }
  });

  it('validates its inputs', async () => {
    expect(() => new ChallengeService({ hmacKey: 'short', replay: new MemoryReplayStore() })).toThrow(RangeError);
    expect(() => new ChallengeService({ hmacKey: KEY, expiresSec: 0, replay: new MemoryReplayStore() })).toThrow(RangeError);
    const svc = service();
    await expect(svc.issue(LOGIN, 0)).rejects.toThrow(RangeError);
    await expect(svc.issue(LOGIN, 6)).rejects.toThrow(RangeError);
    await expect(svc.issue({ method: 'POST', path: 'no-slash' }, 1)).rejects.toThrow(RangeError);
    expect(isValidBinding({ method: 'get', path: '/x' })).toBe(true);
    expect(isValidBinding({ method: 'POST', path: '/é' })).toBe(false);
    expect(isValidBinding({ method: 'POST', path: '/' + 'a'.repeat(2000) })).toBe(false);
  });

  it('defines levels 1..5 in increasing order of work, and one header name', () => {
    const work = ([1, 2, 3, 4, 5] as const).map((l) => DIFFICULTY_LEVELS[l].cost * DIFFICULTY_LEVELS[l].maxCounter);
    expect(work).toEqual([...work].sort((a, b) => a - b));
    expect(new Set(work).size).toBe(5);
    expect(CHALLENGE_HEADER).toBe(SOLVER_HEADER);
  });

  it('keeps a payload for the longest path under the header limit', async () => {
    const svc = service();
    const long: ChallengeBinding = { method: 'DELETE', path: '/' + 'p'.repeat(1023) };
    const header = await solved(svc, long);
    expect(header.length).toBeLessThanOrEqual(MAX_HEADER_BYTES);
    expect(await svc.verify(header, long)).toEqual({ ok: true, level: 1 });
  });
});

describe('solver', () => {
  it('withChallenge fetches a challenge for the target, solves it and returns the header', async () => {
    const svc = service();
    const urls: string[] = [];
    const fetchLike: FetchLike = async (url) => {
      urls.push(url);
      const q = new URL(url).searchParams;
      const challenge = await svc.issue({ method: q.get('method') ?? '', path: q.get('path') ?? '' }, 1);
      return { ok: true, status: 200, json: async () => challenge };
    };
    const headers = await withChallenge(fetchLike, 'https://gw.example/.well-known/portcullis/challenge', { method: 'post', path: LOGIN.path });
    expect(urls).toEqual(['https://gw.example/.well-known/portcullis/challenge?method=POST&path=%2Fapi%2Fv2%2Fauth%2Flogin']);
    expect(Object.keys(headers)).toEqual([CHALLENGE_HEADER]);
    expect(await svc.verify(headers[CHALLENGE_HEADER] as string, LOGIN)).toEqual({ ok: true, level: 1 });
  });

  it('withChallenge fails on an error answer', async () => {
    const fetchLike: FetchLike = async () => ({ ok: false, status: 429, json: async () => ({}) });
    await expect(withChallenge(fetchLike, 'https://gw.example/c', LOGIN)).rejects.toThrow(/429/);
  });

  it('refuses non-challenges and stops when aborted', async () => {
    await expect(solveChallenge({})).rejects.toThrow(TypeError);
    const c = await service().issue(LOGIN, 5);
    await expect(solveChallenge({ ...c, parameters: { ...c.parameters, algorithm: 'MD5' } })).rejects.toThrow(/unsupported/);
    const controller = new AbortController();
    const started = Date.now();
    const solving = solveChallenge(c, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(solving).rejects.toThrow(/aborted/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
