/**
 * OTLP metric points → Prometheus float series, as Prometheus's OTLP endpoint translates them
 * (prometheus/storage/remote/otlptranslator/prometheusremotewrite: FromMetrics, createAttributes,
 * addHistogramDataPoints, addSummaryDataPoints, addResourceTargetInfo). docs/metric-model.md
 * describes the mapping; this is pure and has no storage in it.
 */
import { attributeLabels, resourceIdentityLabels, targetInfoLabels } from './prom-labels.ts';
import type { MetricDescriptor, MetricPoint } from './metric-point.ts';
import { Temporality } from './metric-point.ts';
import { formatPromFloat, promMetricName, promUnit } from './prom-naming.ts';
import type { PromNamingKind } from './prom-naming.ts';
import type { PromFamilyMetadata, PromMetricType, PromSeriesSamples } from './prom-series.ts';
import { PROM_STALE_NAN } from './prom-series.ts';
import type { BaseLabels } from './prom-series-collector.ts';
import { baseLabels, SeriesCollector, sortedFlat } from './prom-series-collector.ts';
import type { Resource } from './resource.ts';
import { NANOS_PER_MILLI } from './units.ts';

/** Why a point made no Prometheus series (docs/metric-model.md "Not translated"). */
export type PromSkipReason = 'delta_temporality' | 'exponential_histogram' | 'invalid_name';

export interface PromMapping {
  series: PromSeriesSamples[];
  metadata: PromFamilyMetadata[];
  /** Points left out, by reason; callers count them (hot paths never throw). */
  skippedPoints: Record<PromSkipReason, number>;
}

export interface PromMappingOptions {
  /** PromQL lookback: target_info gets a sample every half of it (Prometheus default 5m). */
  lookbackDeltaMs?: number;
}

/** OTLP DataPointFlags.FLAG_NO_RECORDED_VALUE: the point marks the series stale. */
const FLAG_NO_RECORDED_VALUE = 1;
const DEFAULT_LOOKBACK_MS = 5 * 60_000;

interface Family {
  name: string;
  kind: PromNamingKind;
  metadata: PromFamilyMetadata;
}

function namingKind(metric: MetricDescriptor): PromNamingKind | null {
  switch (metric.type) {
    case 'gauge':
      return 'gauge';
    case 'sum':
      return metric.isMonotonic ? 'counter' : 'non-monotonic-counter';
    case 'histogram':
      return 'histogram';
    case 'summary':
      return 'summary';
    case 'exponential_histogram':
      return null;
  }
}

/** Prometheus otelMetricTypeToPromMetricType: a non-monotonic sum is a gauge. */
function metadataType(kind: PromNamingKind): PromMetricType {
  return kind === 'counter' ? 'counter' : kind === 'non-monotonic-counter' ? 'gauge' : kind;
}

/** Only cumulative sums and histograms translate (Prometheus: "invalid temporality and type combination"). */
function hasInvalidTemporality(metric: MetricDescriptor): boolean {
  return (metric.type === 'sum' || metric.type === 'histogram') && metric.temporality !== Temporality.CUMULATIVE;
}

function pointSamples(point: MetricPoint, family: Family, base: BaseLabels, t: number, out: SeriesCollector): void {
  const stale = (point.flags & FLAG_NO_RECORDED_VALUE) !== 0;
  const sample = (value: number): number => (stale ? PROM_STALE_NAN : value);
  const name = family.name;
  if (family.kind === 'histogram') {
    const counts = point.bucketCounts ?? [];
    const bounds = point.explicitBounds ?? [];
    if (point.sum !== undefined) out.add(base, `${name}_sum`, t, sample(point.sum));
    out.add(base, `${name}_count`, t, sample(point.count ?? 0));
    // OTLP buckets hold per-bucket counts; Prometheus `le` buckets are cumulative, +Inf = count.
    let cumulative = 0;
    for (let i = 0; i < bounds.length && i < counts.length; i++) {
      cumulative += counts[i] ?? 0;
      out.add(base, `${name}_bucket`, t, sample(cumulative), ['le', formatPromFloat(bounds[i] ?? 0)]);
    }
    out.add(base, `${name}_bucket`, t, sample(point.count ?? 0), ['le', '+Inf']);
  } else if (family.kind === 'summary') {
    out.add(base, `${name}_sum`, t, sample(point.sum ?? 0));
    out.add(base, `${name}_count`, t, sample(point.count ?? 0));
    for (const { quantile, value } of point.quantiles ?? []) {
      out.add(base, name, t, sample(value), ['quantile', formatPromFloat(quantile)]);
    }
  } else {
    // A number point with neither as_int nor as_double reads as 0, as pdata's DoubleValue() does.
    out.add(base, name, t, sample(point.value ?? 0));
  }
}

/** Per-resource earliest/latest point time, for target_info. */
type ResourceSpans = Map<Resource, { minMs: number; maxMs: number }>;

function addTargetInfo(resources: ResourceSpans, lookbackMs: number, out: SeriesCollector): void {
  const intervalMs = Math.max(1, lookbackMs / 2);
  for (const [resource, { minMs, maxMs }] of resources) {
    const info = targetInfoLabels(resource);
    if (!info) continue;
    const labels = baseLabels(sortedFlat(info));
    // A sample every lookback/2 from the earliest point to the latest, so target_info is found by
    // instant selectors throughout the batch's span (Prometheus addResourceTargetInfo).
    for (let t = minMs; t < maxMs; t += intervalMs) out.add(labels, 'target_info', t, 1);
    out.add(labels, 'target_info', maxMs, 1);
  }
}

/**
 * Translates a batch of OTLP metric points (as one export request decodes them) into Prometheus
 * series. Delta sums/histograms and exponential histograms are left out and counted.
 *
 * @example
 * const { series, metadata, skippedPoints } = mapMetricPointsToProm(points);
 * await store.writeSamples(series, metadata);
 */
export function mapMetricPointsToProm(points: readonly MetricPoint[], options: PromMappingOptions = {}): PromMapping {
  const skippedPoints: Record<PromSkipReason, number> = { delta_temporality: 0, exponential_histogram: 0, invalid_name: 0 };
  const families = new Map<MetricDescriptor, Family | PromSkipReason>();
  const identities = new Map<Resource, Map<string, string>>();
  const resources: ResourceSpans = new Map();
  const metadata = new Map<string, PromFamilyMetadata>();
  const out = new SeriesCollector();
  for (const point of points) {
    const t = Number(point.timeUnixNano / NANOS_PER_MILLI);
    const span = resources.get(point.resource);
    if (span) {
      span.minMs = Math.min(span.minMs, t);
      span.maxMs = Math.max(span.maxMs, t);
    } else resources.set(point.resource, { minMs: t, maxMs: t });
    let family = families.get(point.metric);
    if (family === undefined) {
      family = familyOf(point.metric);
      families.set(point.metric, family);
    }
    if (typeof family === 'string') {
      skippedPoints[family]++;
      continue;
    }
    metadata.set(JSON.stringify(family.metadata), family.metadata);
    let identity = identities.get(point.resource);
    if (!identity) {
      identity = resourceIdentityLabels(point.resource);
      identities.set(point.resource, identity);
    }
    const labels = attributeLabels(point.attributes);
    for (const [name, value] of identity) labels.set(name, value);
    pointSamples(point, family, baseLabels(sortedFlat(labels)), t, out);
  }
  addTargetInfo(resources, options.lookbackDeltaMs ?? DEFAULT_LOOKBACK_MS, out);
  return { series: out.build(), metadata: [...metadata.values()], skippedPoints };
}

function familyOf(metric: MetricDescriptor): Family | PromSkipReason {
  const kind = namingKind(metric);
  if (kind === null) return 'exponential_histogram';
  if (hasInvalidTemporality(metric)) return 'delta_temporality';
  const name = promMetricName(metric.name, metric.unit, kind);
  if (name === '' || /^_+$/.test(name)) return 'invalid_name';
  const type = metadataType(kind);
  return { name, kind, metadata: { metricFamily: name, type, help: metric.description, unit: promUnit(metric.unit) } };
}
