import { Counter, Histogram, type MetricObjectWithValues, type MetricValueWithName, type Registry } from 'prom-client';

/** Status classes 1xx–5xx; index 0 holds anything outside 100–599. */
const STATUS_LABELS = ['other', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** Counts and latency buckets of one operation, kept as plain numbers. */
class Series {
  readonly statuses = new Float64Array(STATUS_LABELS.length);
  /** Per-bucket (not cumulative) counts; the last slot is +Inf. */
  readonly buckets: Float64Array;
  sum = 0;
  count = 0;

  constructor(bucketCount: number) {
    this.buckets = new Float64Array(bucketCount + 1);
  }
}

/**
 * Request counts and durations per operation, recorded on the hot path with a map lookup and
 * three array increments. prom-client's own `inc`/`observe` hash the label set on every call;
 * here labels are only formatted when /metrics is scraped.
 */
export class RequestStats {
  private readonly series = new Map<string, Series>();

  constructor(readonly upperBounds: readonly number[]) {}

  record(operation: string, status: number, seconds: number): void {
    let s = this.series.get(operation);
    if (!s) { s = new Series(this.upperBounds.length); this.series.set(operation, s); }
    const cls = (status / 100) | 0;
    s.statuses[cls >= 1 && cls <= 5 ? cls : 0]! += 1;
    const bounds = this.upperBounds;
    let b = 0;
    while (b < bounds.length && seconds > bounds[b]!) b++;
    s.buckets[b]! += 1;
    s.sum += seconds;
    s.count += 1;
  }

  /** The counter `portcullis_requests_total{operation,status}`, filled at scrape time. */
  registerCounter(registry: Registry, name: string, help: string): Counter<'operation' | 'status'> {
    const series = this.series;
    return new Counter({
      name, help, labelNames: ['operation', 'status'] as const, registers: [registry],
      collect() {
        this.reset();
        for (const [operation, s] of series) {
          for (let i = 0; i < STATUS_LABELS.length; i++) {
            const n = s.statuses[i]!;
            if (n > 0) this.inc({ operation, status: STATUS_LABELS[i]! }, n);
          }
        }
      },
    });
  }

  /** The histogram `<name>{operation}`, its buckets read from these series at scrape time. */
  registerHistogram(registry: Registry, name: string, help: string): Histogram<'operation'> {
    return new SeriesHistogram(this, { name, help, labelNames: ['operation'], buckets: [...this.upperBounds], registers: [registry] });
  }

  /** @internal */
  forEachSeries(fn: (operation: string, s: Series) => void): void {
    for (const [op, s] of this.series) fn(op, s);
  }
}

/** A prom-client Histogram whose values come from RequestStats instead of its own observe(). */
class SeriesHistogram extends Histogram<'operation'> {
  private readonly metricName: string;
  private readonly metricHelp: string;

  constructor(private readonly stats: RequestStats, cfg: ConstructorParameters<typeof Histogram<'operation'>>[0]) {
    super(cfg);
    this.metricName = cfg.name;
    this.metricHelp = cfg.help;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<'operation'>>> {
    const values: MetricValueWithName<string>[] = [];
    const bounds = this.stats.upperBounds;
    this.stats.forEachSeries((operation, s) => {
      let acc = 0;
      for (let i = 0; i < bounds.length; i++) {
        acc += s.buckets[i]!;
        values.push({ metricName: `${this.metricName}_bucket`, labels: { le: bounds[i]!, operation }, value: acc });
      }
      values.push({ metricName: `${this.metricName}_bucket`, labels: { le: '+Inf', operation }, value: s.count });
      values.push({ metricName: `${this.metricName}_sum`, labels: { operation }, value: s.sum });
      values.push({ metricName: `${this.metricName}_count`, labels: { operation }, value: s.count });
    });
    // prom-client's own histograms report type 'histogram' and aggregate by sum across workers.
    return { name: this.metricName, help: this.metricHelp, type: 'histogram', aggregator: 'sum', values } as unknown as MetricObjectWithValues<MetricValueWithName<'operation'>>;
  }

  // The registry prefers this method when present (prom-client 15).
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<'operation'>>> {
    return this.get();
  }
}
