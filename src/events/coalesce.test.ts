import { describe, expect, it } from 'vitest';
import { EventCoalescer } from './coalesce.js';
import type { SecurityEvent } from './security-event.js';

const event = (over: Partial<SecurityEvent> = {}): SecurityEvent => ({
  id: 'evt_1', time: '2026-01-01T00:00:00.000Z', rule: 'response/excessive-data-exposure', owasp: 'API3:2023', severity: 'medium',
  action: 'modified', principal: 'jwt:1', clientIp: '127.0.0.1', method: 'GET', path: '/users/1', operation: 'GET /users/{id}',
  evidence: { count: 2 }, requestId: 'req_1', ...over,
});

describe('event coalescing', () => {
  it('passes the first of a kind at once and sums its repeats into one summary per window', () => {
    const out: SecurityEvent[] = [];
    const c = new EventCoalescer((e) => out.push(e), { windowMs: 60_000, maxKeys: 10 });
    c.offer(event());
    c.offer(event({ id: 'evt_2' }));
    c.offer(event({ id: 'evt_3' }));
    c.offer(event({ principal: 'jwt:2' }));
    expect(out.map((e) => e.principal)).toEqual(['jwt:1', 'jwt:2']);
    c.sweep();
    expect(out).toHaveLength(3);
    expect(out[2]).toMatchObject({ principal: 'jwt:1', evidence: { count: 2, repeats: 2, windowSec: 60 } });
    expect(out[2]!.id).not.toBe('evt_1');
    c.offer(event());
    expect(out).toHaveLength(4); // a new window starts afresh
    c.close();
  });

  it('lets events through uncoalesced once maxKeys findings are open', () => {
    const out: SecurityEvent[] = [];
    const c = new EventCoalescer((e) => out.push(e), { windowMs: 60_000, maxKeys: 1 });
    c.offer(event({ operation: 'a' }));
    c.offer(event({ operation: 'b' }));
    c.offer(event({ operation: 'b' }));
    expect(out).toHaveLength(3);
    c.close();
    expect(out).toHaveLength(3);
  });
});
