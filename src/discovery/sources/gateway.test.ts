import { describe, expect, it } from 'vitest';
import { createMemoryTrafficStore } from '../../store/memory/traffic-store.js';
import { gatewayBounds, gatewayRecord, pseudonym, type GatewayObservation } from './gateway.js';
import { storedTraffic } from './store.js';

const obs = (over: Partial<GatewayObservation> = {}): GatewayObservation => ({
  method: 'POST', path: '/orders/12', query: new Map([['expand', ['items']], ['tag', ['a', 'b']]]), rawQuery: 'expand=items&tag=a&tag=b',
  headers: { accept: 'application/json', cookie: 'sid=abc123', 'x-api-key': 'k_live_0123456789' }, status: 201,
  time: 1_764_000_000_000, durationMs: 1.23456, clientIp: '10.1.2.3', principalId: undefined, refused: false, ...over,
});

describe('gatewayRecord', () => {
  it('keeps metadata, reduces credential headers to their scheme, rounds the duration', () => {
    expect(gatewayRecord(obs())).toEqual({
      method: 'POST', path: '/orders/12', query: { expand: 'items', tag: ['a', 'b'] }, status: 201, time: 1_764_000_000_000,
      durationMs: 1.235, requestHeaders: { accept: 'application/json', cookie: 'cookie', 'x-api-key': 'apikey' }, clientIp: '10.1.2.3',
    });
  });

  it('pseudonymises the principal: stable, short, not the id', () => {
    const r = gatewayRecord(obs({ principalId: 'user:alice@example.com' }));
    expect(r.principal).toBe(pseudonym('user:alice@example.com'));
    expect(r.principal).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(r.principal).not.toBe(pseudonym('user:bob@example.com'));
    expect(JSON.stringify(r)).not.toContain('alice');
  });

  it('masks personal data and redacts credentials in bodies, keeping the classes seen', () => {
    const r = gatewayRecord(obs({
      requestBody: { email: 'ann@example.com', password: 'p4ssw0rd!', card: '4111 1111 1111 1111', items: [{ sku: 'A-1', qty: 2 }] },
      responseBody: { id: 12, token: 'abc.def.ghi' },
    }));
    expect(r.requestBody).toEqual({ email: '[email]', password: '[redacted]', card: '**** **** **** 1111', items: [{ sku: 'A-1', qty: 2 }] });
    expect(r.responseBody).toEqual({ id: 12, token: '[redacted]' });
    expect(r.dataClasses).toEqual({ request: ['email', 'payment-card'] });
  });

  it('leaves out a body too large to store, or too large to scan whole', () => {
    const big = { notes: 'x'.repeat(20_000) };
    expect(gatewayRecord(obs({ requestBody: big })).requestBody).toBeUndefined();
    expect(gatewayRecord(obs({ requestBody: big }), gatewayBounds({ maxStoredBodyBytes: 50_000 })).requestBody).toEqual(big);
    const wide = { list: Array.from({ length: 100 }, (_, i) => ({ i })) };
    expect(gatewayRecord(obs({ responseBody: wide }), gatewayBounds({ maxBodyNodes: 50 })).responseBody).toBeUndefined();
    expect(gatewayRecord(obs({ responseBody: wide })).responseBody).toEqual(wide);
  });

  it('bounds the query and redacts credential-named parameters', () => {
    const query = new Map(Array.from({ length: 150 }, (_, i) => [`p${i}`, ['v'.repeat(2000)]] as [string, string[]]));
    query.set('access_token', ['secret-value']);
    const r = gatewayRecord(obs({ query }));
    expect(Object.keys(r.query)).toHaveLength(100);
    expect((r.query.p0 as string).length).toBe(1024);
    expect(gatewayRecord(obs({ query: new Map([['access_token', ['secret-value']]]) })).query).toEqual({ access_token: '[redacted]' });
  });

  it('marks requests the gateway refused', () => {
    expect(gatewayRecord(obs({ refused: true })).refused).toBe(true);
    expect(gatewayRecord(obs()).refused).toBeUndefined();
  });
});

describe('storedTraffic', () => {
  it('reads the whole window oldest first, page by page, from a time on', async () => {
    const store = createMemoryTrafficStore();
    await store.append(Array.from({ length: 7 }, (_, i) => gatewayRecord(obs({ path: `/orders/${i}`, time: 1000 + i }))));
    const source = storedTraffic(store, { pageSize: 3, since: 1002 });
    const paths: string[] = [];
    for await (const r of source) paths.push(r.path);
    expect(paths).toEqual(['/orders/2', '/orders/3', '/orders/4', '/orders/5', '/orders/6']);
    expect(source.stats.records).toBe(5);
    await expect(async () => { for await (const _ of source) break; }).rejects.toThrow(/read once/);
  });
});
