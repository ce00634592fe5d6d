import { newAttributes } from '../../model/attributes.ts';
import type { MetricDescriptor, MetricPoint, MetricType } from '../../model/metric-point.ts';
import type { Resource, Scope } from '../../model/resource.ts';
import { readAttribute, skipOrReject } from './decode-common-proto.ts';
import type { DecodeResult } from './decode.ts';
import { decodeEnvelope } from './decode-envelope-proto.ts';
import { toTemporality } from './enums.ts';
import {
  readExponentialHistogramPoint,
  readHistogramPoint,
  readNumberPoint,
  readSummaryPoint,
} from './decode-metric-points-proto.ts';
import type { PointReader } from './decode-metric-points-proto.ts';
import type { ProtoReader } from './proto-reader.ts';
import { WireType } from './proto-reader.ts';
import type { Rejections } from './rejections.ts';

/**
 * ExportMetricsServiceRequest (collector/metrics/v1/metrics_service.proto) → MetricPoint[],
 * following metrics/v1/metrics.proto of opentelemetry-proto v1.x. Every point of a metric without
 * a name is left out and counted (metrics.proto: the name is required).
 */

const LEN = WireType.LEN;
const VARINT = WireType.VARINT;

export function decodeMetricsProto(body: Uint8Array): DecodeResult<'metrics'> {
  return decodeEnvelope<MetricPoint>(body, readMetric, 'data points');
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
