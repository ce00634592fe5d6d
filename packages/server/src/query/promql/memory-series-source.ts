import { labelsKey, METRIC_NAME, sortedLabelNames, type Labels } from './labels.ts';
import { compileMatcher, matchesAll, type LabelMatcher } from './matchers.ts';
import type { CardinalityStatus } from '../../storage/store.ts';
import type { MetricMetadata, SeriesCatalog, SeriesSource, StoredSeries } from './series-source.ts';

interface MemorySeries {
  labels: Labels;
  timestampsMs: number[];
  /**
   * A typed array, not number[]: V8 may canonicalise NaNs stored into plain arrays, which would
   * turn stale markers (a NaN payload) into ordinary NaNs. `length` is timestampsMs.length.
   */
  values: Float64Array;
}

/**
 * Series held in memory: the PromQL conformance runner's storage and a test double for the
 * API. Samples may be added out of order; reads sort them.
 *
 * @example
 * const source = new MemorySeriesSource();
 * source.add(labelsFrom({ __name__: 'up', job: 'api' }), 0, 1);
 */
export class MemorySeriesSource implements SeriesSource, SeriesCatalog {
  private readonly seriesByKey = new Map<string, MemorySeries>();
  private readonly metadataByMetric = new Map<string, MetricMetadata>();

  add(labels: Labels, timestampMs: number, value: number): void {
    const key = labelsKey(labels);
    let series = this.seriesByKey.get(key);
    if (!series) {
      series = { labels, timestampsMs: [], values: new Float64Array(16) };
      this.seriesByKey.set(key, series);
    }
    const last = series.timestampsMs.length - 1;
    if (last >= 0 && (series.timestampsMs[last] ?? 0) >= timestampMs) {
      this.insertSorted(series, timestampMs, value);
      return;
    }
    series.values = withCapacity(series.values, series.timestampsMs.length + 1);
    series.values[series.timestampsMs.length] = value;
    series.timestampsMs.push(timestampMs);
  }

  setMetadata(metric: string, metadata: MetricMetadata): void {
    this.metadataByMetric.set(metric, metadata);
  }

  clear(): void {
    this.seriesByKey.clear();
    this.metadataByMetric.clear();
  }

  select(matchers: readonly LabelMatcher[], minTimeMs: number, maxTimeMs: number): Promise<StoredSeries[]> {
    const compiled = matchers.map(compileMatcher);
    const result: StoredSeries[] = [];
    for (const series of this.seriesByKey.values()) {
      if (!matchesAll(series.labels, compiled)) continue;
      const from = lowerBound(series.timestampsMs, minTimeMs);
      // maxTimeMs is inclusive; timestamps are unique, so at most one sample sits exactly on it.
      let to = lowerBound(series.timestampsMs, maxTimeMs);
      if (series.timestampsMs[to] === maxTimeMs) to++;
      if (from >= to) continue;
      result.push({
        labels: series.labels,
        timestampsMs: Float64Array.from(series.timestampsMs.slice(from, to)),
        values: series.values.slice(from, to),
      });
    }
    return Promise.resolve(result);
  }

  async series(
    selectors: readonly (readonly LabelMatcher[])[],
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<Labels[]> {
    const found = new Map<string, Labels>();
    for (const matchers of selectors) {
      for (const series of await this.select(matchers, minTimeMs, maxTimeMs))
        found.set(labelsKey(series.labels), series.labels);
    }
    return [...found.values()].slice(0, limit);
  }

  async labelNames(
    selectors: readonly (readonly LabelMatcher[])[],
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<string[]> {
    const names = new Set<string>();
    for (const labels of await this.seriesOrAll(selectors, minTimeMs, maxTimeMs)) {
      for (const name of sortedLabelNames(labels)) names.add(name);
    }
    return [...names].sort().slice(0, limit);
  }

  async labelValues(
    name: string,
    selectors: readonly (readonly LabelMatcher[])[],
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<string[]> {
    const values = new Set<string>();
    for (const labels of await this.seriesOrAll(selectors, minTimeMs, maxTimeMs)) {
      const value = labels.get(name);
      if (value !== undefined && value !== '') values.add(value);
    }
    return [...values].sort().slice(0, limit);
  }

  metadata(metric: string | undefined, limit: number): Promise<Map<string, MetricMetadata[]>> {
    const result = new Map<string, MetricMetadata[]>();
    for (const [name, metadata] of this.metadataByMetric) {
      if (result.size >= limit) break;
      if (metric === undefined || metric === name) result.set(name, [metadata]);
    }
    return Promise.resolve(result);
  }

  /** Series counts by metric name only (enough for tests of the status API). */
  cardinality(limit: number): Promise<CardinalityStatus> {
    const byMetric = new Map<string, number>();
    for (const { labels } of this.seriesByKey.values()) {
      const name = labels.get(METRIC_NAME) ?? '';
      byMetric.set(name, (byMetric.get(name) ?? 0) + 1);
    }
    const seriesCountByMetricName = [...byMetric]
      .map(([name, value]) => ({ name, value }))
      .sort((a, b) => b.value - a.value)
      .slice(0, limit);
    return Promise.resolve({
      headStats: { numSeries: this.seriesByKey.size },
      seriesCountByMetricName,
      labelValueCountByLabelName: [],
      memoryInBytesByLabelName: [],
      seriesCountByLabelValuePair: [],
      growthDrivers: [],
    });
  }

  private seriesOrAll(
    selectors: readonly (readonly LabelMatcher[])[],
    minTimeMs: number,
    maxTimeMs: number,
  ): Promise<Labels[]> {
    const all: LabelMatcher[][] = [[{ name: METRIC_NAME, type: '=~', value: '.+' }]];
    return this.series(selectors.length > 0 ? selectors : all, minTimeMs, maxTimeMs, Number.MAX_SAFE_INTEGER);
  }

  private insertSorted(series: MemorySeries, timestampMs: number, value: number): void {
    const index = lowerBound(series.timestampsMs, timestampMs);
    if (series.timestampsMs[index] === timestampMs) {
      series.values[index] = value;
      return;
    }
    const length = series.timestampsMs.length;
    series.values = withCapacity(series.values, length + 1);
    series.values.copyWithin(index + 1, index, length);
    series.values[index] = value;
    series.timestampsMs.splice(index, 0, timestampMs);
  }
}

function withCapacity(values: Float64Array, needed: number): Float64Array {
  if (needed <= values.length) return values;
  const grown = new Float64Array(Math.max(needed, values.length * 2));
  grown.set(values);
  return grown;
}

/** First index whose timestamp is >= timeMs. */
export function lowerBound(timestampsMs: ArrayLike<number>, timeMs: number): number {
  let low = 0;
  let high = timestampsMs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((timestampsMs[mid] ?? 0) < timeMs) low = mid + 1;
    else high = mid;
  }
  return low;
}
