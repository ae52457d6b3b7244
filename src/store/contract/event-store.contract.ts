import { describe, expect, it } from 'vitest';
import { newId } from '../../core/ids.js';
import type { SecurityEvent } from '../../events/security-event.js';
import type { EventStore } from '../ports.js';

/** What every EventStore adapter must do; each adapter's test file runs this against a fresh store. */
export function eventStoreContract(name: string, open: () => Promise<EventStore>): void {
  const base = Date.parse('2026-11-30T10:00:00.000Z');
  const event = (i: number, over: Partial<SecurityEvent> = {}): SecurityEvent => ({
    id: newId('evt', base + i * 1000), time: new Date(base + i * 1000).toISOString(), rule: i % 2 ? 'contract/invalid-body' : 'auth/invalid-token',
    owasp: 'API8:2023', severity: i % 3 ? 'medium' : 'high', action: i % 4 ? 'blocked' : 'flagged', principal: `ip:10.0.0.${i % 5}`,
    clientIp: `10.0.0.${i % 5}`, method: 'POST', path: `/orders/${i}`, operation: i % 7 ? 'POST /orders/{id}' : null,
    evidence: { field: 'qty', values: ['a', 'b'], n: i, ok: true, none: null }, requestId: newId('req', base + i * 1000), ...over,
  });

  /** Each case gets a fresh store, closed whatever the outcome. */
  const withStore = async (fn: (store: EventStore) => Promise<void>): Promise<void> => {
    const store = await open();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };

  describe(`EventStore contract: ${name}`, () => {
    it('stores events whole and returns them newest first', () => withStore(async (store) => {
      const events = Array.from({ length: 12 }, (_, i) => event(i));
      await store.append(events.slice(0, 5));
      await store.append(events.slice(5));
      expect(await store.count()).toBe(12);
      const page = await store.query({ limit: 500 });
      expect(page.events).toEqual([...events].reverse());
      expect(page.next).toBeNull();
    }));

    it('ignores a replayed event (spool replays are idempotent)', () => withStore(async (store) => {
      const e = event(1);
      await store.append([e]);
      await store.append([e, event(2)]);
      expect(await store.count()).toBe(2);
    }));

    it('filters by rule, severity, principal, action and time, all together', () => withStore(async (store) => {
      const events = Array.from({ length: 40 }, (_, i) => event(i));
      await store.append(events);
      const expectIds = async (q: Parameters<EventStore['query']>[0], pick: (e: SecurityEvent) => boolean): Promise<void> => {
        const got = (await store.query(q)).events.map((e) => e.id);
        expect(got).toEqual(events.filter(pick).reverse().map((e) => e.id));
      };
      await expectIds({ limit: 500, rule: 'auth/invalid-token' }, (e) => e.rule === 'auth/invalid-token');
      await expectIds({ limit: 500, severity: 'high' }, (e) => e.severity === 'high');
      await expectIds({ limit: 500, principal: 'ip:10.0.0.3' }, (e) => e.principal === 'ip:10.0.0.3');
      await expectIds({ limit: 500, action: 'flagged' }, (e) => e.action === 'flagged');
      const since = events[10]!.time;
      const until = events[30]!.time;
      await expectIds({ limit: 500, since, until }, (e) => e.time >= since && e.time <= until);
      await expectIds({ limit: 500, rule: 'contract/invalid-body', severity: 'medium', since }, (e) => e.rule === 'contract/invalid-body' && e.severity === 'medium' && e.time >= since);
      expect((await store.query({ limit: 500, rule: 'no/such-rule' })).events).toEqual([]);
    }));

    it('pages with a stable cursor: every event exactly once, in order', () => withStore(async (store) => {
      const events = Array.from({ length: 23 }, (_, i) => event(i));
      await store.append(events);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.query({ limit: 5, cursor });
        seen.push(...page.events.map((e) => e.id));
        cursor = page.next ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(5);
      expect(seen).toEqual([...events].reverse().map((e) => e.id));
      // A filtered walk pages through the filtered set only.
      const flagged: string[] = [];
      cursor = undefined;
      do {
        const page = await store.query({ limit: 2, action: 'flagged', cursor });
        flagged.push(...page.events.map((e) => e.id));
        cursor = page.next ?? undefined;
      } while (cursor);
      expect(flagged).toEqual(events.filter((e) => e.action === 'flagged').reverse().map((e) => e.id));
    }));

    it('keeps every event from concurrent writers', () => withStore(async (store) => {
      const writers = Array.from({ length: 4 }, (_, w) => (async () => {
        for (let b = 0; b < 5; b++) await store.append(Array.from({ length: 10 }, (_, i) => event(w * 1000 + b * 10 + i)));
      })());
      await Promise.all(writers);
      expect(await store.count()).toBe(200);
    }));

    it('keeps strings that need escaping intact', () => withStore(async (store) => {
      const e = event(3, { path: "/q/'; DROP TABLE events;--/\u00e9\u{1F600}", evidence: { note: 'line\nbreak "quoted" \\ back' } });
      await store.append([e]);
      expect((await store.query({ limit: 1 })).events[0]).toEqual(e);
    }));
  });
}
