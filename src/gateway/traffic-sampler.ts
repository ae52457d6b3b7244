import { gatewayBounds, gatewayRecord, type GatewayBounds, type GatewayObservation, type GatewaySourceOptions } from '../discovery/sources/gateway.js';
import type { TrafficRecord } from '../discovery/sources/record.js';
import type { TrafficStore } from '../store/ports.js';

export interface TrafficSamplerOptions extends GatewaySourceOptions {
  /** Share of requests (0..1) whose JSON bodies are sampled; metadata is kept for every request. */
  bodySampleRate: number;
  /** Observations held before a flush; beyond it they are dropped (and counted). */
  queueSize: number;
  batchSize: number;
  flushIntervalMs: number;
  onError?: (err: unknown) => void;
  /** Tests pin the body-sampling draw. */
  random?: () => number;
}

export interface TrafficSamplerStats { queued: number; written: number; dropped: number; failed: number }

/**
 * Discovery's live source. The hot path calls `observe` with references the gateway already
 * holds (one push, nothing copied or parsed); reduction, redaction and masking happen at flush,
 * in batches. Samples are not security events: when the queue is full or the store fails they
 * are dropped and counted, never spooled, so a slow store cannot grow the gateway's memory.
 */
export class TrafficSampler {
  private queue: GatewayObservation[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly random: () => number;
  private readonly bounds: GatewayBounds;
  private readonly counts = { written: 0, dropped: 0, failed: 0 };

  constructor(private readonly store: TrafficStore, private readonly opts: TrafficSamplerOptions) {
    this.random = opts.random ?? Math.random;
    this.bounds = gatewayBounds(opts);
  }

  get stats(): TrafficSamplerStats {
    return { queued: this.queue.length, ...this.counts };
  }

  /** Whether this request's bodies should be kept (asked once per request, before it ends). */
  wantsBodies(): boolean {
    return this.opts.bodySampleRate > 0 && this.random() < this.opts.bodySampleRate;
  }

  observe(o: GatewayObservation): void {
    if (this.queue.length >= this.opts.queueSize) { this.counts.dropped++; return; }
    this.queue.push(o);
    if (this.queue.length >= this.opts.batchSize) void this.flush();
    else this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush(); }, this.opts.flushIntervalMs);
  }

  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.queue.length > 0 ? this.flush() : undefined));
    this.flushing = this.drain().finally(() => { this.flushing = undefined; });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const records = this.reduce(this.queue.splice(0, this.opts.batchSize));
      try {
        await this.store.append(records);
        this.counts.written += records.length;
      } catch (err) {
        this.counts.dropped += records.length;
        this.opts.onError?.(err);
      }
    }
  }

  /**
   * A batch as records, repeats stored once with a count: under load most requests repeat one
   * another (a client polling one URL), and a record per request would cost the store a row and
   * the gateway a copy of each, for nothing discovery can use.
   */
  private reduce(batch: readonly GatewayObservation[]): TrafficRecord[] {
    const records: TrafficRecord[] = [];
    const repeats = new Map<string, TrafficRecord>();
    for (const o of batch) {
      const key = o.requestBody === undefined && o.responseBody === undefined ? repeatKey(o) : undefined;
      const seen = key === undefined ? undefined : repeats.get(key);
      if (seen) {
        seen.count = (seen.count ?? 1) + 1;
        const durations = (seen.durations ??= [seen.durationMs ?? 0]);
        if (durations.length < MAX_DURATIONS) durations.push(Math.round(o.durationMs * 1000) / 1000);
        continue;
      }
      try {
        const r = gatewayRecord(o, this.bounds);
        records.push(r);
        if (key !== undefined) repeats.set(key, r);
      } catch (err) {
        this.counts.failed++;
        this.opts.onError?.(err);
      }
    }
    return records;
  }

  async close(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    await this.flush();
  }
}

const MAX_DURATIONS = 64;

/** Requests alike in everything a record keeps but their headers and timing. */
function repeatKey(o: GatewayObservation): string {
  return `${o.method} ${o.path}?${o.rawQuery ?? ''} ${o.status} ${o.refused ? 'r' : ''} ${o.clientIp} ${o.principalId ?? ''}`;
}
