import type { Attributes } from '../../../model/attributes.ts';
import { newAttributes } from '../../../model/attributes.ts';
import type { Exemplar } from '../../../model/metric-point.ts';
import type { Resource } from '../../../model/resource.ts';
import type { UnixNano } from '../../../model/units.ts';
import { ExplicitHistogram } from '../shared/explicit-histogram.ts';
import { ExponentialHistogram } from '../shared/exponential-histogram.ts';
import type { HistogramSetting } from './spanmetrics-settings.ts';

/**
 * One level of the series lookup: service → span name → kind·status → dimension values → (scope).
 * Walking nested Maps with the span's own strings finds a series without building a key string per
 * span (upstream buildKey concatenates all values; at 100k spans/s that is the hot cost).
 * `undefined` is the key of an absent dimension.
 */
export type TrieKey = string | number | undefined;

export interface TrieNode {
  children: Map<TrieKey, TrieNode>;
  series?: SpanSeries;
}

export function newTrieNode(): TrieNode {
  return { children: new Map() };
}

/** Accumulated calls and durations of one dimension combination (upstream metrics.Sum + Histogram). */
export class SpanSeries {
  calls = 0;
  readonly exemplars: Exemplar[] = [];
  histogram: ExplicitHistogram | ExponentialHistogram | null;

  constructor(
    readonly attributes: Attributes,
    public startTimeUnixNano: UnixNano,
    public lastSeenMs: number,
    histogram: HistogramSetting,
    /** The nodes from the root to this series' leaf, with the key under each, to prune on removal. */
    readonly path: readonly { node: TrieNode; key: TrieKey }[],
  ) {
    this.histogram = newHistogram(histogram);
  }

  /** Delta temporality: the next point counts from `startTimeUnixNano` (the flush just done). */
  restart(startTimeUnixNano: UnixNano, histogram: HistogramSetting): void {
    this.calls = 0;
    this.exemplars.length = 0;
    this.histogram = newHistogram(histogram);
    this.startTimeUnixNano = startTimeUnixNano;
  }
}

function newHistogram(histogram: HistogramSetting): ExplicitHistogram | ExponentialHistogram | null {
  if (histogram.kind === 'explicit') return new ExplicitHistogram(histogram.boundsInUnit);
  return histogram.kind === 'exponential' ? new ExponentialHistogram(histogram.maxSize) : null;
}

/** A counter of span events per dimension combination (upstream `events` metric). */
export interface EventSeries {
  attributes: Attributes;
  startTimeUnixNano: UnixNano;
  count: number;
  exemplars: Exemplar[];
}

/**
 * Everything aggregated for one resource (upstream resourceMetrics): its output resource is the
 * first span resource seen with this key, as upstream copies the first one's attributes.
 */
export class ResourceAggregate {
  readonly root = newTrieNode();
  readonly series = new Set<SpanSeries>();
  readonly events = new Map<string, EventSeries>();
  overflow: SpanSeries | undefined;
  eventsOverflow: EventSeries | undefined;
  removed = false;

  constructor(
    readonly key: string,
    readonly resource: Resource,
    public lastSeenMs: number,
  ) {}

  /** Removes a series and the lookup nodes only it used. */
  removeSeries(series: SpanSeries): void {
    if (series === this.overflow) {
      this.overflow = undefined;
      return;
    }
    this.series.delete(series);
    const leaf = series.path[series.path.length - 1];
    if (!leaf) return;
    const last = leaf.node.children.get(leaf.key);
    if (last) delete last.series;
    for (let i = series.path.length - 1; i >= 0; i--) {
      const step = series.path[i];
      if (!step) break;
      const child = step.node.children.get(step.key);
      if (child && child.children.size === 0 && child.series === undefined)
        step.node.children.delete(step.key);
      else break;
    }
  }
}

/** OTel metrics SDK spec "Overflow attribute": marks the one series past the cardinality limit. */
export const OVERFLOW_ATTRIBUTE = 'otel.metric.overflow';

export function overflowAttributes(): Attributes {
  const attributes = newAttributes();
  attributes[OVERFLOW_ATTRIBUTE] = true;
  return attributes;
}
