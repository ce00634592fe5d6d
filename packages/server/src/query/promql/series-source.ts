import type { CardinalityStatus } from '../../storage/store.ts';
import type { Labels } from './labels.ts';
import type { LabelMatcher } from './matchers.ts';

/**
 * What the PromQL engine reads: stored float series. Implemented by an in-memory set (tests,
 * the conformance runner) and by the store (store-series-source.ts).
 *
 * @example
 * const series = await source.select([{ name: '__name__', type: '=', value: 'up' }], 0, 60_000);
 */
export interface SeriesSource {
  /**
   * Series matching all matchers with their samples in [minTimeMs, maxTimeMs] (both inclusive),
   * oldest first. Stale markers (values.ts STALE_NAN) are included as samples. Series with no
   * sample in the range may be left out.
   */
  select(matchers: readonly LabelMatcher[], minTimeMs: number, maxTimeMs: number): Promise<StoredSeries[]>;
}

export interface StoredSeries {
  labels: Labels;
  /** Ascending, unique. */
  timestampsMs: Float64Array;
  values: Float64Array;
}

/** Series metadata for the Prometheus API's /series, /labels, /label/…/values and /metadata. */
export interface SeriesCatalog {
  /** Label sets of series matching any of the selectors (each a matcher list) in the range. */
  series(
    selectors: readonly (readonly LabelMatcher[])[],
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<Labels[]>;
  labelNames(
    selectors: readonly (readonly LabelMatcher[])[],
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<string[]>;
  labelValues(
    name: string,
    selectors: readonly (readonly LabelMatcher[])[],
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<string[]>;
  metadata(metric: string | undefined, limit: number): Promise<Map<string, MetricMetadata[]>>;
  /** Series counts by metric, label and label value (Prometheus /api/v1/status/tsdb), top `limit`. */
  cardinality(limit: number): Promise<CardinalityStatus>;
}

/** As Prometheus's /api/v1/metadata reports it. */
export interface MetricMetadata {
  type: 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';
  help: string;
  unit: string;
}
