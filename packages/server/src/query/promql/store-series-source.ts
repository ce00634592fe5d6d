import type { CardinalityStatus, Store } from '../../storage/store.ts';
import type { Labels } from './labels.ts';
import type { LabelMatcher } from './matchers.ts';
import type { MetricMetadata, SeriesCatalog, SeriesSource, StoredSeries } from './series-source.ts';

/** The part of the Store the PromQL engine and the Prometheus API read. */
export type PromSeriesStore = Pick<
  Store,
  'selectSeries' | 'findSeries' | 'labelNames' | 'labelValues' | 'metricMetadata' | 'cardinality'
>;

/**
 * The store as the PromQL engine's SeriesSource and the Prometheus API's SeriesCatalog. The
 * storage types are structurally the same as these (storage does not import query), so this only
 * forwards; matcher semantics, time bounds and stale markers are the store's contract.
 *
 * Returned sample arrays may be views of the store's memory: read them, never write to them.
 *
 * @example
 * const source = new StoreSeriesSource(store);
 * const engine = new PromQLEngine(source);
 * const { value } = await engine.rangeQuery('rate(ml_predictions_total[5m])', startMs, endMs, 15_000);
 */
export class StoreSeriesSource implements SeriesSource, SeriesCatalog {
  constructor(private readonly store: PromSeriesStore) {}

  select(matchers: readonly LabelMatcher[], minTimeMs: number, maxTimeMs: number): Promise<StoredSeries[]> {
    return this.store.selectSeries(matchers, minTimeMs, maxTimeMs);
  }

  series(
    selectors: readonly (readonly LabelMatcher[])[],
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<Labels[]> {
    return this.store.findSeries(selectors, minTimeMs, maxTimeMs, limit);
  }

  labelNames(
    selectors: readonly (readonly LabelMatcher[])[],
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<string[]> {
    return this.store.labelNames(selectors, minTimeMs, maxTimeMs, limit);
  }

  labelValues(
    name: string,
    selectors: readonly (readonly LabelMatcher[])[],
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<string[]> {
    return this.store.labelValues(name, selectors, minTimeMs, maxTimeMs, limit);
  }

  cardinality(limit: number): Promise<CardinalityStatus> {
    return this.store.cardinality(limit);
  }

  metadata(metric: string | undefined, limit: number): Promise<Map<string, MetricMetadata[]>> {
    return this.store.metricMetadata(metric, limit);
  }
}
