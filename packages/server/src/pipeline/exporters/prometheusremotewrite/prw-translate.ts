/**
 * OTLP metric points → the series a `prometheusremotewrite` exporter sends. The translation itself
 * is Vigil's one OTLP→Prometheus mapping (model/prom-mapping.ts, the same the store applies); this
 * adds the exporter's own options around it, as the Collector's exporter does around its
 * translator (prometheusremotewriteexporter exporter.go, pkg/translator/prometheusremotewrite).
 */
import { newAttributes } from '../../../model/attributes.ts';
import type { MetricPoint } from '../../../model/metric-point.ts';
import { mapMetricPointsToProm, type PromSkipReason } from '../../../model/prom-mapping.ts';
import { attributeLabels, resourceIdentityLabels } from '../../../model/prom-labels.ts';
import { promMetricName } from '../../../model/prom-naming.ts';
import type { PromFamilyMetadata, PromSeriesSamples } from '../../../model/prom-series.ts';
import { NANOS_PER_MILLI } from '../../../model/units.ts';

export interface PrwTranslateOptions {
  /** Prefix of every metric name, `target_info` included (Collector `namespace`). */
  namespace: string;
  /** Labels added to every series that does not have them already (Collector `external_labels`). */
  externalLabels: ReadonlyMap<string, string>;
  /** Copies every resource attribute onto its points' attributes first (`resource_to_telemetry_conversion`). */
  resourceToTelemetry: boolean;
  /** `target_info.enabled`. */
  targetInfo: boolean;
  /** `export_created_metric.enabled`: a `_created` series per monotonic sum, histogram and summary. */
  exportCreatedMetric: boolean;
}

export interface PrwTranslation {
  series: PromSeriesSamples[];
  metadata: PromFamilyMetadata[];
  skippedPoints: Record<PromSkipReason, number>;
}

/**
 * Points with their resource's attributes merged in, resource winning on a clash, as the
 * Collector's resourcetotelemetry wrapper does (joinAttributeMaps puts each resource attribute).
 * New point and attribute objects: the given ones may be shared with other pipelines.
 */
function withResourceAttributes(points: readonly MetricPoint[]): MetricPoint[] {
  return points.map((point) => {
    const attributes = newAttributes();
    Object.assign(attributes, point.attributes, point.resource.attributes);
    return { ...point, attributes };
  });
}

/** The family name of points whose metric makes `_created` series, or undefined. */
function createdFamily(point: MetricPoint, translated: ReadonlySet<string>): string | undefined {
  const { metric } = point;
  let name: string;
  if (metric.type === 'sum' && metric.isMonotonic) name = promMetricName(metric.name, metric.unit, 'counter');
  else if (metric.type === 'histogram' || metric.type === 'summary') name = promMetricName(metric.name, metric.unit, metric.type);
  else return undefined;
  // Only families the mapping translated (not delta, not an invalid name).
  return translated.has(name) ? name : undefined;
}

/**
 * `<family>_created` series holding the start time in ms, stamped with the point's time; the
 * first point of a series in the batch wins (upstream addCreatedTimeSeriesIfNeeded). Counter
 * families keep `_total` before the suffix, as upstream writes `name + createdSuffix`.
 */
function createdSeries(points: readonly MetricPoint[], metadata: readonly PromFamilyMetadata[]): PromSeriesSamples[] {
  const translated = new Set(metadata.map((m) => m.metricFamily));
  const byKey = new Map<string, PromSeriesSamples>();
  for (const point of points) {
    if (point.startTimeUnixNano === 0n) continue;
    const family = createdFamily(point, translated);
    if (family === undefined) continue;
    const labels = attributeLabels(point.attributes);
    for (const [name, value] of resourceIdentityLabels(point.resource)) labels.set(name, value);
    labels.set('__name__', `${family}_created`);
    const key = JSON.stringify([...labels].sort());
    if (byKey.has(key)) continue;
    byKey.set(key, {
      labels,
      timestampsMs: Float64Array.of(Number(point.timeUnixNano / NANOS_PER_MILLI)),
      values: Float64Array.of(Number(point.startTimeUnixNano / NANOS_PER_MILLI)),
    });
  }
  return [...byKey.values()];
}

/** Namespace and external labels on one series; a label the series has wins over an external one. */
function decorate(series: PromSeriesSamples, options: PrwTranslateOptions): PromSeriesSamples {
  if (options.namespace === '' && options.externalLabels.size === 0) return series;
  const labels = new Map(series.labels);
  const name = labels.get('__name__');
  if (name !== undefined && options.namespace !== '') labels.set('__name__', `${options.namespace}_${name}`);
  for (const [label, value] of options.externalLabels) if (!labels.has(label)) labels.set(label, value);
  return { ...series, labels };
}

/**
 * Translates points into the series and metadata one export sends.
 *
 * @example
 * const { series, metadata } = translateForRemoteWrite(points, { namespace: '', externalLabels: new Map(),
 *   resourceToTelemetry: false, targetInfo: true, exportCreatedMetric: false });
 */
export function translateForRemoteWrite(points: readonly MetricPoint[], options: PrwTranslateOptions): PrwTranslation {
  const source = options.resourceToTelemetry ? withResourceAttributes(points) : points;
  const mapping = mapMetricPointsToProm(source);
  let series = mapping.series;
  if (!options.targetInfo) series = series.filter((s) => s.labels.get('__name__') !== 'target_info');
  if (options.exportCreatedMetric) series = [...series, ...createdSeries(source, mapping.metadata)];
  const metadata = mapping.metadata.map((m) =>
    options.namespace === '' ? m : { ...m, metricFamily: `${options.namespace}_${m.metricFamily}` },
  );
  return { series: series.map((s) => decorate(s, options)), metadata, skippedPoints: mapping.skippedPoints };
}
