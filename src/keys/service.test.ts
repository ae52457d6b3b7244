import { describe, expect, it } from 'vitest';
import { isPortcullisError } from '../errors.js';
import { createMemoryKeyStore } from '../store/memory/key-store.js';
import { parseKey } from './format.js';
import { createKey, expiryFrom, hashSecret, listKeys, parseDuration, revokeKey, rotateKey } from './service.js';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const later = (sec: number): Date => new Date(NOW.getTime() + sec * 1000);

async function code(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  return isPortcullisError(err) ? err.code : undefined;
}

describe('key management', () => {
  it('creates a key shown once and stores only the hash of its secret', async () => {
    const store = createMemoryKeyStore();
    const { key, record } = await createKey(store, { name: 'billing', scopes: ['orders:read'], roles: ['service'] }, NOW);
    const parsed = parseKey(key)!;
    expect(record).toMatchObject({ id: parsed.id, env: 'live', name: 'billing', scopes: ['orders:read'], roles: ['service'], decoy: false, expiresAt: null, revokedAt: null });
    expect(record.secretHash).toBe(hashSecret(parsed.secret));
    const stored = JSON.stringify(await store.list());
    expect(stored).not.toContain(parsed.secret);
    expect(stored).not.toContain(key);
    const [listed] = await listKeys(store, NOW);
    expect(listed).not.toHaveProperty('secretHash');
    expect(listed?.status).toBe('active');
  });

  it('reports expired and revoked keys as such', async () => {
    const store = createMemoryKeyStore();
    await createKey(store, { name: 'a', expiresAt: later(60).toISOString() }, NOW);
    const b = await createKey(store, { name: 'b' }, NOW);
    await revokeKey(store, b.record.id, later(1));
    const byName = Object.fromEntries((await listKeys(store, later(61))).map((k) => [k.name, k.status]));
    expect(byName).toEqual({ a: 'expired', b: 'revoked' });
    expect(await code(revokeKey(store, 'zzzzzzzz'))).toBe('PC_ERR_KEY_NOT_FOUND');
  });

  it('rotation issues a new key with the same grants and ends the old one at once or after the grace period', async () => {
    const store = createMemoryKeyStore();
    const first = await createKey(store, { name: 'svc', scopes: ['a'], roles: ['r'], expiresAt: later(86_400).toISOString() }, NOW);
    const now = await rotateKey(store, first.record.id, {}, NOW);
    expect(now.record).toMatchObject({ name: 'svc', scopes: ['a'], roles: ['r'], rotatedFrom: first.record.id, expiresAt: first.record.expiresAt });
    expect(now.old.status).toBe('revoked');
    expect(now.key).not.toBe(first.key);

    const graced = await rotateKey(store, now.record.id, { graceSec: 3600 }, NOW);
    expect(graced.old.status).toBe('active');
    expect(graced.old.expiresAt).toBe(later(3600).toISOString());
    // A grace period never extends a key past its own expiry.
    const short = await createKey(store, { name: 'short', expiresAt: later(60).toISOString() }, NOW);
    expect((await rotateKey(store, short.record.id, { graceSec: 3600 }, NOW)).old.expiresAt).toBe(later(60).toISOString());
    expect(await code(rotateKey(store, first.record.id, {}, NOW))).toBe('PC_ERR_CLI_USAGE');
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a name with control characters', { name: 'a\nb' }],
    ['a bad scope', { name: 'x', scopes: ['orders read'] }],
    ['too many roles', { name: 'x', roles: Array.from({ length: 51 }, (_, i) => `r${i}`) }],
    ['an expiry in the past', { name: 'x', expiresAt: '2020-01-01T00:00:00Z' }],
    ['an unparseable expiry', { name: 'x', expiresAt: 'soon' }],
    ['a bad environment', { name: 'x', env: 'PROD' }],
  ])('refuses %s', async (_what, input) => {
    expect(await code(createKey(createMemoryKeyStore(), input, NOW))).toBe('PC_ERR_CLI_USAGE');
  });

  it('reads durations and times', () => {
    expect(parseDuration('90d')).toBe(90 * 86_400);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('45s')).toBe(45);
    expect(parseDuration('1w')).toBeUndefined();
    expect(parseDuration('-5d')).toBeUndefined();
    expect(expiryFrom('1h', NOW)).toBe(later(3600).toISOString());
    expect(expiryFrom('2027-01-01T00:00:00Z', NOW)).toBe('2027-01-01T00:00:00.000Z');
    expect(() => expiryFrom('next tuesday', NOW)).toThrow(/neither a duration nor a time/);
  });
});
