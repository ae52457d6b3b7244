import { describe, expect, it } from 'vitest';
import type { TrafficRecord } from '../../discovery/sources/record.js';
import type { TrafficStore } from '../ports.js';

/** What every TrafficStore adapter must do; `open(maxRecords)` gives a fresh store with that window. */
export function trafficStoreContract(name: string, open: (maxRecords: number) => Promise<TrafficStore>): void {
  const base = Date.parse('2026-12-01T10:00:00.000Z');
  const record = (i: number): TrafficRecord => ({
    method: i % 3 ? 'GET' : 'POST', path: `/orders/${i}`, query: i % 2 ? { expand: 'items', tag: ['a', 'b'] } : {},
    status: i % 5 ? 200 : 404, time: base + i * 1000, durationMs: i / 4, requestHeaders: { accept: 'application/json', authorization: 'bearer' },
    ...(i % 4 === 0 ? { requestBody: { qty: i, note: null, items: [{ sku: 'A-1' }] }, responseBody: { id: i, ok: true } } : {}),
    clientIp: `10.0.0.${i % 7}`, principal: `p${i % 3}`, dataClasses: i % 4 === 0 ? { response: ['email'] } : undefined,
  });
  const strip = (r: TrafficRecord): TrafficRecord => JSON.parse(JSON.stringify(r)) as TrafficRecord;

  const withStore = async (maxRecords: number, fn: (store: TrafficStore) => Promise<void>): Promise<void> => {
    const store = await open(maxRecords);
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };

  async function readAll(store: TrafficStore, limit: number, since?: number): Promise<{ records: TrafficRecord[]; pages: number }> {
    const records: TrafficRecord[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.read({ limit, cursor, since });
      records.push(...page.records);
      cursor = page.next ?? undefined;
      pages++;
    } while (cursor !== undefined && pages < 1000);
    return { records, pages };
  }

  describe(`TrafficStore contract: ${name}`, () => {
    it('keeps records whole, oldest first, across batches', () => withStore(1000, async (store) => {
      const all = Array.from({ length: 25 }, (_, i) => record(i));
      await store.append(all.slice(0, 10));
      await store.append([]);
      await store.append(all.slice(10));
      expect(await store.count()).toBe(25);
      const page = await store.read({ limit: 5000 });
      expect(page.records).toEqual(all.map(strip));
      expect(page.next).toBeNull();
    }));

    it('pages with a cursor, every record once', () => withStore(1000, async (store) => {
      const all = Array.from({ length: 23 }, (_, i) => record(i));
      await store.append(all);
      const { records, pages } = await readAll(store, 5);
      expect(records.map((r) => r.path)).toEqual(all.map((r) => r.path));
      expect(pages).toBe(5);
    }));

    it('filters by time, inclusive', () => withStore(1000, async (store) => {
      await store.append(Array.from({ length: 10 }, (_, i) => record(i)));
      const { records } = await readAll(store, 3, base + 6000);
      expect(records.map((r) => r.path)).toEqual(['/orders/6', '/orders/7', '/orders/8', '/orders/9']);
    }));

    it('keeps only the newest maxRecords', () => withStore(10, async (store) => {
      for (let b = 0; b < 5; b++) await store.append(Array.from({ length: 7 }, (_, i) => record(b * 7 + i)));
      expect(await store.count()).toBeLessThanOrEqual(10);
      const { records } = await readAll(store, 4);
      expect(records.map((r) => r.path)).toEqual(Array.from({ length: 10 }, (_, i) => `/orders/${25 + i}`));
    }));

    it('a cursor from before a trim continues at the oldest record still kept', () => withStore(10, async (store) => {
      await store.append(Array.from({ length: 10 }, (_, i) => record(i)));
      const first = await store.read({ limit: 2 });
      await store.append(Array.from({ length: 10 }, (_, i) => record(10 + i)));
      const rest = await store.read({ limit: 100, cursor: first.next! });
      expect(rest.records.map((r) => r.path)).toEqual(Array.from({ length: 10 }, (_, i) => `/orders/${10 + i}`));
    }));

    it('takes concurrent writers without losing a record', () => withStore(1000, async (store) => {
      await Promise.all(Array.from({ length: 4 }, (_, w) => store.append(Array.from({ length: 25 }, (_, i) => record(w * 25 + i)))));
      const { records } = await readAll(store, 1000);
      expect(new Set(records.map((r) => r.path)).size).toBe(100);
    }));

    it('treats a malformed cursor as the start and clamps the page size', () => withStore(1000, async (store) => {
      await store.append(Array.from({ length: 3 }, (_, i) => record(i)));
      expect((await store.read({ limit: 0, cursor: "1' OR 1=1" })).records.map((r) => r.path)).toEqual(['/orders/0']);
    }));
  });
}
