import { labelsKey, METRIC_NAME, type Labels } from '../labels.ts';
import { compileMatcher, matchesAll, type LabelMatcher } from '../matchers.ts';
import type { SeriesSource, StoredSeries } from '../series-source.ts';
import { parseGoFloat } from './go-numbers.ts';

interface HistogramSeries {
  labels: Labels;
  timestampsMs: number[];
}

/**
 * A SeriesSource wrapper that remembers where native histogram samples would have been. Vigil's
 * engine stores floats only, so the runner loads the float samples of a script and records the
 * histogram ones here; when a query selects a series that has a histogram sample in the range it
 * reads, the probe is `touched` and the runner reports that eval as skipped ("native histogram")
 * rather than as a failure of the float engine.
 */
export class HistogramProbeSource implements SeriesSource {
  private readonly histogramSeries = new Map<string, HistogramSeries>();
  private touchedSeries: Labels | undefined;

  constructor(private readonly inner: SeriesSource) {}

  /** Records a native histogram sample that the float storage cannot hold. */
  addHistogramSample(labels: Labels, timestampMs: number): void {
    const key = labelsKey(labels);
    let series = this.histogramSeries.get(key);
    if (!series) {
      series = { labels, timestampsMs: [] };
      this.histogramSeries.set(key, series);
    }
    series.timestampsMs.push(timestampMs);
  }

  /** The first histogram series a query selected since the last reset, if any. */
  get touched(): Labels | undefined {
    return this.touchedSeries;
  }

  resetTouched(): void {
    this.touchedSeries = undefined;
  }

  select(matchers: readonly LabelMatcher[], minTimeMs: number, maxTimeMs: number): Promise<StoredSeries[]> {
    if (this.touchedSeries === undefined && this.histogramSeries.size > 0) {
      const compiled = matchers.map(compileMatcher);
      for (const series of this.histogramSeries.values()) {
        const inRange = series.timestampsMs.some(
          (timestampMs) => timestampMs >= minTimeMs && timestampMs <= maxTimeMs,
        );
        if (inRange && matchesAll(series.labels, compiled)) {
          this.touchedSeries = series.labels;
          break;
        }
      }
    }
    return this.inner.select(matchers, minTimeMs, maxTimeMs);
  }
}

/**
 * The native-histogram-with-custom-buckets series a classic histogram series feeds under
 * `load_with_nhcb` (promqltest's appendCustomHistogram, convertnhcb.GetHistogramMetricBase):
 * `x_bucket{le="…"}`, `x_count` and `x_sum` all become `x` without `le`. Bucket series whose `le`
 * is not a number are left out, as upstream does.
 */
export function nhcbSeriesLabels(labels: Labels): Labels | undefined {
  const name = labels.get(METRIC_NAME) ?? '';
  const suffix = ['_bucket', '_count', '_sum'].find((candidate) => name.endsWith(candidate));
  if (suffix === undefined) return undefined;
  if (suffix === '_bucket') {
    const upperBound = parseGoFloat(labels.get('le') ?? '');
    if (upperBound === undefined || Number.isNaN(upperBound)) return undefined;
  }
  const base = new Map(labels);
  base.set(METRIC_NAME, name.slice(0, -suffix.length));
  base.delete('le');
  return base;
}
