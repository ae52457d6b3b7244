import { describe, expect, it } from 'vitest';
import { createMemoryKeyStore } from '../store/memory/key-store.js';
import type { KeyStore } from '../store/ports.js';
import { generateKey } from './format.js';
import { KeyRegistry } from './registry.js';
import { createKey, hashSecret, revokeKey } from './service.js';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');

function setup(store: KeyStore = createMemoryKeyStore()) {
  let now = T0;
  const registry = new KeyRegistry(store, { refreshMs: 60_000, maxStaleMs: 30_000, now: () => now });
  return { store, registry, advance: (ms: number) => { now += ms; }, at: () => new Date(now) };
}

describe('KeyRegistry', () => {
  it('accepts a valid key and says why others fail', async () => {
    const { store, registry, at } = setup();
    const good = await createKey(store, { name: 'good', roles: ['admin'] }, at());
    const revoked = await createKey(store, { name: 'gone' }, at());
    await revokeKey(store, revoked.record.id, at());
    const decoy = await createKey(store, { name: 'bait', decoy: true }, at());
    await registry.start();
    registry.close();

    const ok = registry.check(good.key);
    expect(ok.ok && ok.record.roles).toEqual(['admin']);
    expect(registry.check('not-a-key')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(registry.check(generateKey('live').key)).toMatchObject({ ok: false, reason: 'unknown' });
    expect(registry.check(revoked.key)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(registry.check(decoy.key)).toMatchObject({ ok: false, reason: 'decoy', record: { name: 'bait' } });
  });

  it('refuses a known id with the wrong secret or environment, and a key expired since it was loaded', async () => {
    const { store, registry, advance, at } = setup();
    const k = await createKey(store, { name: 'k', expiresAt: new Date(T0 + 5000).toISOString() }, at());
    // A well-formed key whose id is in the store with another secret's hash.
    const presented = generateKey('live');
    await store.insert({ ...k.record, id: presented.id, secretHash: hashSecret('another secret') });
    const wrongEnv = generateKey('test');
    await store.insert({ ...k.record, id: wrongEnv.id, secretHash: hashSecret(wrongEnv.secret) });
    await registry.start();
    registry.close();
    expect(registry.check(presented.key)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(registry.check(wrongEnv.key)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(registry.check(k.key).ok).toBe(true);
    advance(5000);
    expect(registry.check(k.key)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('picks up keys revoked or created elsewhere on refresh', async () => {
    const { store, registry, at } = setup();
    const k = await createKey(store, { name: 'k' }, at());
    await registry.start();
    registry.close();
    const fresh = await createKey(store, { name: 'new' }, at());
    await revokeKey(store, k.record.id, at());
    expect(registry.check(k.key).ok).toBe(true);
    expect(registry.check(fresh.key).ok).toBe(false);
    await registry.refresh();
    expect(registry.check(k.key)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(registry.check(fresh.key).ok).toBe(true);
  });

  it('fails closed once the store has been unreadable for longer than maxStaleMs', async () => {
    const inner = createMemoryKeyStore();
    let down = false;
    const flaky: KeyStore = { ...inner, revision: () => (down ? Promise.reject(new Error('store down')) : inner.revision()) };
    const { registry, advance, at } = setup(flaky);
    const k = await createKey(inner, { name: 'k' }, at());
    await registry.start();
    registry.close();
    down = true;
    await expect(registry.refresh()).rejects.toThrow('store down');
    advance(29_000);
    expect(registry.check(k.key).ok).toBe(true);
    advance(2_000);
    expect(registry.check(k.key)).toMatchObject({ ok: false, reason: 'unavailable' });
    down = false;
    await registry.refresh();
    expect(registry.check(k.key).ok).toBe(true);
  });
});
