import type { Metric } from 'prom-client';
import type { HistogramCounts } from './metrics.repository';

export interface HistogramSeries {
  labels: Record<string, string>;
  counts: HistogramCounts;
}

interface SampleValue {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * A histogram whose cumulative bucket counts are computed elsewhere (in SQL, from the finished
 * backups) rather than observed by this process: exposed exactly as prom-client exposes its own
 * histograms (`_bucket{le}` cumulative with a final `+Inf`, `_sum`, `_count`), through the
 * registry's metric interface (`get()`), so that every replica answers the same numbers.
 */
export class SnapshotHistogram {
  readonly type = 'histogram' as const;
  readonly aggregator = 'first' as const;

  /**
   * @param bounds the buckets' upper bounds in the exposed unit, ascending; `read` returns counts
   *               for exactly these bounds (and the sum in the exposed unit).
   */
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
    private readonly read: () => HistogramSeries[],
  ) {}

  get() {
    const values: SampleValue[] = [];
    for (const { labels, counts } of this.read()) {
      this.bounds.forEach((le, i) =>
        values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le }, value: counts.buckets[i] ?? 0 }),
      );
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: counts.count });
      values.push({ metricName: `${this.name}_sum`, labels, value: counts.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: counts.count });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  reset(): void {
    // Nothing is kept: every scrape reads the counts anew.
  }

  /** For Registry.registerMetric, which is typed for prom-client's own classes but only calls get(). */
  asMetric(): Metric {
    return this as unknown as Metric;
  }
}
