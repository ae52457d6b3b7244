import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryEventStore } from '../store/memory/event-store.js';
import type { EventStore } from '../store/ports.js';
import type { SecurityEvent } from './security-event.js';
import { EventSink } from './sink.js';

const event = (i: number): SecurityEvent => ({
  id: `evt_${String(i).padStart(8, '0')}`, time: new Date(1_700_000_000_000 + i).toISOString(), rule: 'contract/shadow-endpoint',
  owasp: 'API9:2023', severity: 'medium', action: 'blocked', principal: 'ip:127.0.0.1', clientIp: '127.0.0.1',
  method: 'GET', path: '/x', operation: null, evidence: {}, requestId: `req_${i}`,
});

/** A store that fails while `down` is true. */
function flaky(): EventStore & { down: boolean } {
  const inner = createMemoryEventStore();
  const s = {
    ...inner,
    down: true,
    async append(batch: readonly SecurityEvent[]) {
      if (s.down) throw new Error('store unavailable');
      await inner.append(batch);
    },
  };
  return s;
}

describe('EventSink', () => {
  it('spools while the store is down and replays everything once it recovers', async () => {
    const store = flaky();
    const sink = new EventSink(store, { queueSize: 50, batchSize: 10, flushIntervalMs: 5, spoolDir: mkdtempSync(join(tmpdir(), 'pc-spool-')) });
    for (let i = 0; i < 120; i++) sink.emit(event(i));
    await sink.flush();
    expect(await store.count()).toBe(0);
    expect(sink.stats.spooled).toBe(120);
    store.down = false;
    sink.emit(event(120));
    await sink.close();
    expect(await store.count()).toBe(121);
    expect(sink.stats.dropped).toBe(0);
    const page = await store.query({ limit: 500 });
    expect(new Set(page.events.map((e) => e.id)).size).toBe(121);
  });

  it('never makes emit wait: it returns before the store is written', async () => {
    const store = createMemoryEventStore();
    const sink = new EventSink(store, { queueSize: 100, batchSize: 100, flushIntervalMs: 1000, spoolDir: mkdtempSync(join(tmpdir(), 'pc-spool-')) });
    sink.emit(event(1));
    expect(await store.count()).toBe(0);
    await sink.close();
    expect(await store.count()).toBe(1);
  });
});
