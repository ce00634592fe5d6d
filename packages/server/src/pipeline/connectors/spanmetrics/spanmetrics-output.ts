import type { MetricDescriptor, MetricPoint } from '../../../model/metric-point.ts';
import { Temporality } from '../../../model/metric-point.ts';
import type { UnixNano } from '../../../model/units.ts';
import { ExplicitHistogram } from '../shared/explicit-histogram.ts';
import type { PointFrame } from '../shared/metric-output.ts';
import {
  descriptor,
  exponentialPoint,
  histogramPoint,
  scopeNamed,
  sumPoint,
} from '../shared/metric-output.ts';
import type { EventSeries, ResourceAggregate, SpanSeries } from './span-series.ts';
import type { SpanMetricsSettings } from './spanmetrics-settings.ts';

/** upstream buildMetrics: scope name of every point. */
const SCOPE = scopeNamed('spanmetricsconnector');

/** The connector's three metrics, created once so all points share them. */
export interface SpanMetricDescriptors {
  calls: MetricDescriptor;
  duration: MetricDescriptor | null;
  events: MetricDescriptor | null;
}

/** upstream buildMetricName: `namespace.name`, or the bare name with an empty namespace. */
function metricName(namespace: string, name: string): string {
  return namespace === '' ? name : `${namespace}.${name}`;
}

export function spanMetricDescriptors(settings: SpanMetricsSettings): SpanMetricDescriptors {
  const temporality = settings.temporality === 'delta' ? Temporality.DELTA : Temporality.CUMULATIVE;
  const { histogram, namespace, unit } = settings;
  const durationType = histogram.kind === 'exponential' ? 'exponential_histogram' : 'histogram';
  return {
    calls: descriptor(metricName(namespace, 'calls'), 'sum', temporality),
    duration:
      histogram.kind === 'disabled'
        ? null
        : descriptor(metricName(namespace, 'duration'), durationType, temporality, unit),
    events: settings.events.enabled ? descriptor(metricName(namespace, 'events'), 'sum', temporality) : null,
  };
}

/**
 * The points of one resource at one flush (upstream buildMetrics): calls and duration per series,
 * the overflow series included; events when enabled. Delta temporality leaves out series without
 * spans since the last flush.
 */
export function resourcePoints(
  aggregate: ResourceAggregate,
  metrics: SpanMetricDescriptors,
  timeUnixNano: UnixNano,
  out: MetricPoint[],
): void {
  const all: SpanSeries[] = aggregate.overflow
    ? [...aggregate.series, aggregate.overflow]
    : [...aggregate.series];
  const skipIdle = metrics.calls.temporality === Temporality.DELTA;
  for (const series of all) {
    if (skipIdle && series.calls === 0) continue;
    const frame = frameOf(aggregate, series, timeUnixNano);
    out.push(sumPoint(metrics.calls, frame, series.calls));
    const histogram = series.histogram;
    if (metrics.duration && histogram) {
      const durationFrame = { ...frame, exemplars: [...series.exemplars] };
      out.push(
        histogram instanceof ExplicitHistogram
          ? histogramPoint(metrics.duration, durationFrame, histogram)
          : exponentialPoint(metrics.duration, durationFrame, histogram),
      );
    }
  }
  if (!metrics.events) return;
  const events: EventSeries[] = [...aggregate.events.values()];
  if (aggregate.eventsOverflow) events.push(aggregate.eventsOverflow);
  for (const series of events) {
    if (skipIdle && series.count === 0) continue;
    out.push(sumPoint(metrics.events, frameOf(aggregate, series, timeUnixNano), series.count));
  }
}

function frameOf(
  aggregate: ResourceAggregate,
  series: {
    attributes: PointFrame['attributes'];
    startTimeUnixNano: UnixNano;
    exemplars: PointFrame['exemplars'];
  },
  timeUnixNano: UnixNano,
): PointFrame {
  return {
    resource: aggregate.resource,
    scope: SCOPE,
    attributes: series.attributes,
    startTimeUnixNano: series.startTimeUnixNano,
    timeUnixNano,
    exemplars: [...series.exemplars],
  };
}
