import { describe, expect, it } from 'vitest';
import { isPortcullisError } from '../../errors.js';
import type { ApiKeyRecord, KeyStore } from '../ports.js';

/** What every KeyStore adapter must do; each adapter's test runs this against a fresh store. */
export function keyStoreContract(name: string, open: () => Promise<KeyStore>): void {
  const record = (i: number, over: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
    id: `k${String(i).padStart(7, '0')}`, name: `key ${i}`, env: 'live', secretHash: 'ab'.repeat(32),
    scopes: ['orders:read', 'orders:write'], roles: i % 2 ? ['admin'] : [], createdAt: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
    expiresAt: i % 3 ? null : '2027-01-01T00:00:00.000Z', revokedAt: null, decoy: i === 2, rotatedFrom: i > 3 ? 'k0000001' : null, ...over,
  });

  const withStore = async (fn: (store: KeyStore) => Promise<void>): Promise<void> => {
    const store = await open();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };

  describe(`KeyStore contract: ${name}`, () => {
    it('stores records whole and lists them oldest first', () => withStore(async (store) => {
      const records = [3, 1, 4, 2, 0].map((i) => record(i));
      for (const r of records) await store.insert(r);
      expect(await store.list()).toEqual([...records].sort((a, b) => a.createdAt.localeCompare(b.createdAt)));
      expect(await store.get('k0000004')).toEqual(record(4));
      expect(await store.get('nope')).toBeUndefined();
    }));

    it('refuses a second key with the same id', () => withStore(async (store) => {
      await store.insert(record(1));
      const err = await store.insert(record(1, { name: 'other' })).catch((e: unknown) => e);
      expect(isPortcullisError(err) && err.code).toBe('PC_ERR_KEY_EXISTS');
      expect((await store.get('k0000001'))?.name).toBe('key 1');
    }));

    it('updates expiry and revocation, and only those', () => withStore(async (store) => {
      await store.insert(record(1));
      const revoked = await store.update('k0000001', { revokedAt: '2026-12-01T00:00:00.000Z' });
      expect(revoked).toEqual(record(1, { revokedAt: '2026-12-01T00:00:00.000Z' }));
      const expiring = await store.update('k0000001', { expiresAt: '2026-12-02T00:00:00.000Z' });
      expect(expiring).toEqual(record(1, { revokedAt: '2026-12-01T00:00:00.000Z', expiresAt: '2026-12-02T00:00:00.000Z' }));
      expect(await store.get('k0000001')).toEqual(expiring);
      expect(await store.update('missing', { revokedAt: '2026-12-01T00:00:00.000Z' })).toBeUndefined();
    }));

    it('changes its revision on every insert and update, and not otherwise', () => withStore(async (store) => {
      const r0 = await store.revision();
      expect(await store.revision()).toBe(r0);
      await store.insert(record(1));
      const r1 = await store.revision();
      expect(r1).not.toBe(r0);
      await store.list();
      expect(await store.revision()).toBe(r1);
      await store.update('k0000001', { revokedAt: '2026-12-01T00:00:00.000Z' });
      const r2 = await store.revision();
      expect(new Set([r0, r1, r2]).size).toBe(3);
    }));

    it('returns copies: changing a returned record changes nothing stored', () => withStore(async (store) => {
      await store.insert(record(1));
      const got = (await store.get('k0000001'))!;
      got.roles.push('root');
      got.name = 'changed';
      expect(await store.get('k0000001')).toEqual(record(1));
    }));
  });
}
