import { Counter, Gauge, Registry } from 'prom-client';
import { RequestStats } from './request-stats.js';
import type { SinkStats } from './sink.js';
import type { TrafficSamplerStats } from '../gateway/traffic-sampler.js';

/** Prometheus metrics of one gateway. Labels are operation templates, never raw paths (bounded cardinality). */
export class GatewayMetrics {
  readonly registry = new Registry();
  /** Requests by operation: `requests.record(operation, status, seconds)` on the hot path. */
  readonly requests = new RequestStats([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);
  readonly decisions = new Counter({ name: 'portcullis_control_decisions_total', help: 'Security decisions, by control, rule and outcome.', labelNames: ['control', 'rule', 'outcome'] as const, registers: [this.registry] });
  readonly upstreamErrors = new Counter({ name: 'portcullis_upstream_errors_total', help: 'Upstream failures by kind.', labelNames: ['upstream', 'kind'] as const, registers: [this.registry] });
  readonly reloads = new Counter({ name: 'portcullis_config_reloads_total', help: 'Configuration reloads by result.', labelNames: ['result'] as const, registers: [this.registry] });

  /** `counters.redisFallbacks`: decisions rate limiters took in memory because Redis was away (monotonic, process-wide). */
  constructor(sinkStats: () => SinkStats, counters: { redisFallbacks?: () => number; traffic?: () => TrafficSamplerStats } = {}) {
    this.requests.registerCounter(this.registry, 'portcullis_requests_total', 'Requests handled, by operation and status class.');
    this.requests.registerHistogram(this.registry, 'portcullis_request_duration_seconds', 'Time from request head to response end, by operation.');
    const eventsGauge = (name: keyof SinkStats, help: string): Gauge => new Gauge({
      name: `portcullis_events_${name}`, help, registers: [this.registry],
      collect() { this.set(sinkStats()[name]); },
    });
    eventsGauge('queued', 'Security events waiting in the write queue.');
    eventsGauge('written', 'Security events written to the store.');
    eventsGauge('spooled', 'Security events spooled to disk because the store failed or the queue was full.');
    eventsGauge('replayed', 'Spooled security events later written to the store.');
    eventsGauge('dropped', 'Security events lost (spool unwritable). Should stay 0.');
    const traffic = counters.traffic;
    if (traffic) {
      const trafficGauge = (name: keyof TrafficSamplerStats, help: string): Gauge => new Gauge({
        name: `portcullis_traffic_samples_${name}`, help, registers: [this.registry],
        collect() { this.set(traffic()[name]); },
      });
      trafficGauge('queued', 'Traffic samples waiting to be written.');
      trafficGauge('written', 'Traffic samples written to the store.');
      trafficGauge('dropped', 'Traffic samples dropped (queue full or store failing): discovery sees less, nothing else is affected.');
      trafficGauge('failed', 'Traffic samples that could not be reduced to a record.');
    }
    const redisFallbacks = counters.redisFallbacks;
    if (redisFallbacks) {
      let reported = 0;
      new Counter({
        name: 'portcullis_rate_limit_redis_fallbacks_total', help: 'Rate-limit decisions taken in this instance\'s memory because Redis was unreachable, not ready or too slow.',
        registers: [this.registry],
        collect() { const now = redisFallbacks(); if (now > reported) { this.inc(now - reported); reported = now; } },
      });
    }
  }
}
