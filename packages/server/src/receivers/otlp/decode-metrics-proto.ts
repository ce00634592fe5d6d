import { newAttributes } from '../../model/attributes.ts';
import type { MetricDescriptor, MetricPoint, MetricType } from '../../model/metric-point.ts';
import type { Resource, Scope } from '../../model/resource.ts';
import {
  newResource,
  newScope,
  readAttribute,
  readResource,
  readScope,
  skipOrReject,
} from './decode-common-proto.ts';
import type { DecodeResult } from './decode.ts';
import { toTemporality } from './enums.ts';
import {
  readExponentialHistogramPoint,
  readHistogramPoint,
  readNumberPoint,
  readSummaryPoint,
} from './decode-metric-points-proto.ts';
import type { PointReader } from './decode-metric-points-proto.ts';
import { ProtoReader, WireType } from './proto-reader.ts';
import { Rejections } from './rejections.ts';

/**
 * ExportMetricsServiceRequest (collector/metrics/v1/metrics_service.proto) → MetricPoint[],
 * following metrics/v1/metrics.proto of opentelemetry-proto v1.x. Every point of a metric without
 * a name is left out and counted (metrics.proto: the name is required).
 */

const LEN = WireType.LEN;
const VARINT = WireType.VARINT;

export function decodeMetricsProto(body: Uint8Array): DecodeResult<'metrics'> {
  const r = new ProtoReader(body);
  const points: MetricPoint[] = [];
  const rejections = new Rejections();
  const end = r.length;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | LEN)) readResourceMetrics(r, r.lengthEnd(end), points, rejections);
    else skipOrReject(r, tag, end, 1);
  }
  return { records: points, rejected: rejections.total, errorMessage: rejections.message('data points') };
}

/** ResourceMetrics: resource=1, scope_metrics=2, schema_url=3. */
function readResourceMetrics(
  r: ProtoReader,
  end: number,
  points: MetricPoint[],
  rejections: Rejections,
): void {
  const resource = newResource();
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | LEN)) readResource(r, r.lengthEnd(end), resource);
    else if (tag === ((2 << 3) | LEN)) readScopeMetrics(r, r.lengthEnd(end), resource, points, rejections);
    else if (tag === ((3 << 3) | LEN)) resource.schemaUrl = r.string(end);
    else skipOrReject(r, tag, end, 3);
  }
  r.checkEnd(end);
}

/** ScopeMetrics: scope=1, metrics=2, schema_url=3. */
function readScopeMetrics(
  r: ProtoReader,
  end: number,
  resource: Resource,
  points: MetricPoint[],
  rejections: Rejections,
): void {
  const scope = newScope();
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | LEN)) readScope(r, r.lengthEnd(end), scope);
    else if (tag === ((2 << 3) | LEN)) readMetric(r, r.lengthEnd(end), resource, scope, points, rejections);
    else if (tag === ((3 << 3) | LEN)) scope.schemaUrl = r.string(end);
    else skipOrReject(r, tag, end, 3);
  }
  r.checkEnd(end);
}

/** The oneof data fields of Metric: gauge=5, sum=7, histogram=9, exponential_histogram=10, summary=11. */
const DATA_FIELDS: ReadonlyMap<number, { type: MetricType; readPoint: PointReader }> = new Map([
  [5, { type: 'gauge', readPoint: readNumberPoint }],
  [7, { type: 'sum', readPoint: readNumberPoint }],
  [9, { type: 'histogram', readPoint: readHistogramPoint }],
  [10, { type: 'exponential_histogram', readPoint: readExponentialHistogramPoint }],
  [11, { type: 'summary', readPoint: readSummaryPoint }],
]);

/** Metric: name=1, description=2, unit=3, one data field (see DATA_FIELDS), metadata=12. */
function readMetric(
  r: ProtoReader,
  end: number,
  resource: Resource,
  scope: Scope,
  points: MetricPoint[],
  rejections: Rejections,
): void {
  const metric: MetricDescriptor = {
    name: '',
    description: '',
    unit: '',
    type: 'gauge',
    temporality: 0,
    isMonotonic: false,
    metadata: newAttributes(),
  };
  let metricPoints: MetricPoint[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    const data = DATA_FIELDS.get(tag >>> 3);
    if (tag === ((1 << 3) | LEN)) metric.name = r.string(end);
    else if (tag === ((2 << 3) | LEN)) metric.description = r.string(end);
    else if (tag === ((3 << 3) | LEN)) metric.unit = r.string(end);
    else if (tag >>> 3 === 12) readAttribute(r, tag, end, metric.metadata);
    else if (data !== undefined) {
      r.expect(tag, LEN);
      // A oneof keeps the last value seen (protobuf encoding guide, "Oneofs").
      metric.type = data.type;
      metricPoints = readMetricData(r, r.lengthEnd(end), metric, data.readPoint, { resource, scope });
    } else skipOrReject(r, tag, end, 3);
  }
  r.checkEnd(end);
  if (metric.name === '') rejections.add('no metric name', metricPoints.length);
  else for (const point of metricPoints) points.push(point);
}

/**
 * Gauge, Sum, Histogram, ExponentialHistogram and Summary share data_points=1; Sum, Histogram and
 * ExponentialHistogram add aggregation_temporality=2, and Sum adds is_monotonic=3.
 */
function readMetricData(
  r: ProtoReader,
  end: number,
  metric: MetricDescriptor,
  readPoint: PointReader,
  origin: { resource: Resource; scope: Scope },
): MetricPoint[] {
  const metricPoints: MetricPoint[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | LEN)) {
      metricPoints.push(readPoint(r, r.lengthEnd(end), metric, origin.resource, origin.scope));
    } else if (tag === ((2 << 3) | VARINT)) metric.temporality = toTemporality(r.int32());
    else if (tag === ((3 << 3) | VARINT)) metric.isMonotonic = r.bool();
    else skipOrReject(r, tag, end, 3);
  }
  r.checkEnd(end);
  return metricPoints;
}
