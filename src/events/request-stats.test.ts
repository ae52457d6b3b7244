import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestStats } from './request-stats.js';

async function exposition(record: (s: RequestStats) => void): Promise<string> {
  const registry = new Registry();
  const stats = new RequestStats([0.001, 0.01, 0.1]);
  stats.registerCounter(registry, 'test_requests_total', 'Requests.');
  stats.registerHistogram(registry, 'test_duration_seconds', 'Durations.');
  record(stats);
  return registry.metrics();
}

describe('RequestStats', () => {
  it('counts requests by operation and status class', async () => {
    const text = await exposition((s) => {
      s.record('GET /a', 200, 0.0005);
      s.record('GET /a', 204, 0.0005);
      s.record('GET /a', 404, 0.0005);
      s.record('unmatched', 502, 0.0005);
      s.record('unmatched', 999, 0.0005);
    });
    expect(text).toContain('# TYPE test_requests_total counter');
    expect(text).toContain('test_requests_total{operation="GET /a",status="2xx"} 2');
    expect(text).toContain('test_requests_total{operation="GET /a",status="4xx"} 1');
    expect(text).toContain('test_requests_total{operation="unmatched",status="5xx"} 1');
    expect(text).toContain('test_requests_total{operation="unmatched",status="other"} 1');
    expect(text).not.toContain('status="3xx"');
  });

  it('exposes cumulative buckets, +Inf, sum and count', async () => {
    const text = await exposition((s) => {
      s.record('POST /b', 201, 0.0005); // ≤ 0.001
      s.record('POST /b', 201, 0.001); // ≤ 0.001 (bounds are inclusive)
      s.record('POST /b', 201, 0.05); // ≤ 0.1
      s.record('POST /b', 201, 3); // +Inf only
    });
    expect(text).toContain('# TYPE test_duration_seconds histogram');
    expect(text).toContain('test_duration_seconds_bucket{le="0.001",operation="POST /b"} 2');
    expect(text).toContain('test_duration_seconds_bucket{le="0.01",operation="POST /b"} 2');
    expect(text).toContain('test_duration_seconds_bucket{le="0.1",operation="POST /b"} 3');
    expect(text).toContain('test_duration_seconds_bucket{le="+Inf",operation="POST /b"} 4');
    expect(text).toContain('test_duration_seconds_count{operation="POST /b"} 4');
    expect(text).toMatch(/test_duration_seconds_sum\{operation="POST \/b"\} 3\.0515/);
  });

  it('keeps counting across scrapes (counters never reset)', async () => {
    const registry = new Registry();
    const stats = new RequestStats([0.1]);
    stats.registerCounter(registry, 't_total', 'T.');
    stats.record('op', 200, 0.01);
    await registry.metrics();
    stats.record('op', 200, 0.01);
    expect(await registry.metrics()).toContain('t_total{operation="op",status="2xx"} 2');
  });
});
