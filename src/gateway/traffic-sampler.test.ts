import { describe, expect, it } from 'vitest';
import type { GatewayObservation } from '../discovery/sources/gateway.js';
import { createMemoryTrafficStore } from '../store/memory/traffic-store.js';
import type { TrafficStore } from '../store/ports.js';
import { TrafficSampler, type TrafficSamplerOptions } from './traffic-sampler.js';

const obs = (i: number): GatewayObservation => ({
  method: 'GET', path: `/items/${i}`, query: undefined, rawQuery: null, headers: {}, status: 200, time: i, durationMs: 1, clientIp: '127.0.0.1', principalId: undefined, refused: false,
});
const options = (over: Partial<TrafficSamplerOptions> = {}): TrafficSamplerOptions => ({ bodySampleRate: 0, queueSize: 100, batchSize: 10, flushIntervalMs: 60_000, ...over });

describe('TrafficSampler', () => {
  it('writes what it observed, in order, on flush and on close', async () => {
    const store = createMemoryTrafficStore();
    const s = new TrafficSampler(store, options());
    for (let i = 0; i < 25; i++) s.observe(obs(i));
    await s.close();
    const page = await store.read({ limit: 100 });
    expect(page.records.map((r) => r.path)).toEqual(Array.from({ length: 25 }, (_, i) => `/items/${i}`));
    expect(s.stats).toEqual({ queued: 0, written: 25, dropped: 0, failed: 0 });
  });

  it('drops and counts past its queue instead of growing', async () => {
    const s = new TrafficSampler(createMemoryTrafficStore(), options({ queueSize: 5, batchSize: 1000 }));
    for (let i = 0; i < 8; i++) s.observe(obs(i));
    expect(s.stats).toMatchObject({ queued: 5, dropped: 3 });
    await s.close();
    expect(s.stats).toMatchObject({ queued: 0, written: 5, dropped: 3 });
  });

  it('counts a failed store write as dropped and keeps going', async () => {
    let fail = true;
    const inner = createMemoryTrafficStore();
    const store: TrafficStore = { ...inner, append: async (r) => { if (fail) throw new Error('store down'); await inner.append(r); } };
    const errors: unknown[] = [];
    const s = new TrafficSampler(store, options({ onError: (e) => errors.push(e) }));
    s.observe(obs(1));
    await s.flush();
    fail = false;
    s.observe(obs(2));
    await s.close();
    expect(s.stats).toMatchObject({ written: 1, dropped: 1 });
    expect(errors).toHaveLength(1);
    expect((await inner.read({ limit: 10 })).records.map((r) => r.path)).toEqual(['/items/2']);
  });

  it('stores repeats within a flush once, with their count and durations', async () => {
    const store = createMemoryTrafficStore();
    const s = new TrafficSampler(store, options({ batchSize: 1000 }));
    const poll = (durationMs: number, over: Partial<GatewayObservation> = {}): GatewayObservation => ({ ...obs(1), durationMs, ...over });
    s.observe(poll(1));
    s.observe(poll(2));
    s.observe(poll(3, { status: 500 }));
    s.observe(poll(4, { principalId: 'user:ann' }));
    s.observe(poll(5));
    s.observe(poll(6, { requestBody: { a: 1 } }));
    s.observe(poll(7, { requestBody: { a: 1 } }));
    await s.close();
    const { records } = await store.read({ limit: 100 });
    expect(records.map((r) => [r.status, r.principal !== undefined, r.count ?? 1, r.durations ?? [r.durationMs]])).toEqual([
      [200, false, 3, [1, 2, 5]], [500, false, 1, [3]], [200, true, 1, [4]], [200, false, 1, [6]], [200, false, 1, [7]],
    ]);
    expect(s.stats.written).toBe(5);
  });

  it('samples bodies at its rate', () => {
    let draw = 0;
    const seq = [0.005, 0.5, 0.0099, 0.01];
    const s = new TrafficSampler(createMemoryTrafficStore(), options({ bodySampleRate: 0.01, random: () => seq[draw++]! }));
    expect(seq.map(() => s.wantsBodies())).toEqual([true, false, true, false]);
    expect(new TrafficSampler(createMemoryTrafficStore(), options({ bodySampleRate: 0 })).wantsBodies()).toBe(false);
  });
});
