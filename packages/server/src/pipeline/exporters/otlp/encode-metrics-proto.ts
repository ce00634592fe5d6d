import type {
  Exemplar,
  ExponentialBuckets,
  MetricDescriptor,
  MetricPoint,
  MetricType,
} from '../../../model/metric-point.ts';
import {
  encodeEnvelopeProto,
  writeAttributes,
  writeCount,
  writeOptionalString,
} from './encode-common-proto.ts';
import { attributesKey, groupBy } from './group-records.ts';
import type { ProtoWriter } from '../helper/proto-writer.ts';

/**
 * MetricPoint[] → ExportMetricsServiceRequest bytes (opentelemetry-proto v1.x
 * metrics/v1/metrics.proto), the inverse of receivers/otlp/decode-metrics-proto.ts and
 * decode-metric-points-proto.ts. Points are regrouped under their metric (descriptor identity,
 * then value) inside each scope.
 *
 * @example
 * const body = encodeMetricsProto(points); // POST to /v1/metrics as application/x-protobuf
 */
export function encodeMetricsProto(points: readonly MetricPoint[]): Uint8Array {
  return encodeEnvelopeProto(points, (w, scopePoints) => {
    for (const { key, records } of groupBy(scopePoints, (p) => p.metric, descriptorKey)) {
      writeMetric(w, key, records);
    }
  });
}

/** Value identity of a metric: everything written outside its data points. */
export function descriptorKey(metric: MetricDescriptor): string {
  return [
    metric.name,
    metric.description,
    metric.unit,
    metric.type,
    metric.temporality,
    metric.isMonotonic,
    attributesKey(metric.metadata),
  ].join('\u0000');
}

/** The Metric oneof field of each type: gauge=5, sum=7, histogram=9, exponential_histogram=10, summary=11. */
const DATA_FIELD: Record<MetricType, number> = {
  gauge: 5,
  sum: 7,
  histogram: 9,
  exponential_histogram: 10,
  summary: 11,
};

const POINT_WRITERS: Record<MetricType, (w: ProtoWriter, point: MetricPoint) => void> = {
  gauge: writeNumberPoint,
  sum: writeNumberPoint,
  histogram: writeHistogramPoint,
  exponential_histogram: writeExponentialHistogramPoint,
  summary: writeSummaryPoint,
};

/** Metric: name=1, description=2, unit=3, data (DATA_FIELD), metadata=12. */
function writeMetric(w: ProtoWriter, metric: MetricDescriptor, points: MetricPoint[]): void {
  w.message(2);
  w.stringField(1, metric.name);
  writeOptionalString(w, 2, metric.description);
  writeOptionalString(w, 3, metric.unit);
  w.message(DATA_FIELD[metric.type]);
  const writePoint = POINT_WRITERS[metric.type];
  for (const point of points) {
    w.message(1); // data_points = 1 in every data message
    writePoint(w, point);
    w.end();
  }
  // aggregation_temporality=2 (sum, histogram, exponential histogram); is_monotonic=3 (sum).
  if (metric.type !== 'gauge' && metric.type !== 'summary') writeCount(w, 2, metric.temporality);
  if (metric.type === 'sum' && metric.isMonotonic) w.boolField(3, true);
  w.end();
  writeAttributes(w, 12, metric.metadata);
  w.end();
}

/** Every point type has start_time_unix_nano=2 and time_unix_nano=3 as fixed64. */
function writePointTimes(w: ProtoWriter, point: MetricPoint): void {
  if (point.startTimeUnixNano !== 0n) w.fixed64Field(2, point.startTimeUnixNano);
  w.fixed64Field(3, point.timeUnixNano);
}

/** NumberDataPoint: attributes=7, as_double=4, exemplars=5, as_int=6 (sfixed64), flags=8. */
function writeNumberPoint(w: ProtoWriter, point: MetricPoint): void {
  writeAttributes(w, 7, point.attributes);
  writePointTimes(w, point);
  const value = point.value ?? 0;
  if (point.valueIsInt === true && Number.isInteger(value)) w.fixed64Field(6, BigInt(value));
  else w.doubleField(4, value);
  for (const exemplar of point.exemplars) writeExemplar(w, 5, exemplar);
  writeCount(w, 8, point.flags);
}

/** `optional double` fields (sum, min, max): written when present, even when 0. */
function writeOptionalDouble(w: ProtoWriter, fieldNumber: number, value: number | undefined): void {
  if (value !== undefined) w.doubleField(fieldNumber, value);
}

/**
 * HistogramDataPoint: count=4 (fixed64), sum=5, bucket_counts=6 (packed fixed64),
 * explicit_bounds=7 (packed double), exemplars=8, attributes=9, flags=10, min=11, max=12.
 */
function writeHistogramPoint(w: ProtoWriter, point: MetricPoint): void {
  writeAttributes(w, 9, point.attributes);
  writePointTimes(w, point);
  w.tag(4, 1);
  w.fixed64Number(point.count ?? 0);
  writeOptionalDouble(w, 5, point.sum);
  const bucketCounts = point.bucketCounts ?? [];
  if (bucketCounts.length > 0) {
    w.packed(6);
    for (const count of bucketCounts) w.fixed64Number(count);
    w.end();
  }
  const explicitBounds = point.explicitBounds ?? [];
  if (explicitBounds.length > 0) {
    w.packed(7);
    for (const bound of explicitBounds) w.double(bound);
    w.end();
  }
  for (const exemplar of point.exemplars) writeExemplar(w, 8, exemplar);
  writeCount(w, 10, point.flags);
  writeOptionalDouble(w, 11, point.min);
  writeOptionalDouble(w, 12, point.max);
}

/**
 * ExponentialHistogramDataPoint: attributes=1, count=4, sum=5, scale=6 (sint32), zero_count=7,
 * positive=8, negative=9, flags=10, exemplars=11, min=12, max=13, zero_threshold=14.
 */
function writeExponentialHistogramPoint(w: ProtoWriter, point: MetricPoint): void {
  writeAttributes(w, 1, point.attributes);
  writePointTimes(w, point);
  w.tag(4, 1);
  w.fixed64Number(point.count ?? 0);
  writeOptionalDouble(w, 5, point.sum);
  if ((point.scale ?? 0) !== 0) w.sint32Field(6, point.scale ?? 0);
  if ((point.zeroCount ?? 0) !== 0) {
    w.tag(7, 1);
    w.fixed64Number(point.zeroCount ?? 0);
  }
  writeBuckets(w, 8, point.positive);
  writeBuckets(w, 9, point.negative);
  writeCount(w, 10, point.flags);
  for (const exemplar of point.exemplars) writeExemplar(w, 11, exemplar);
  writeOptionalDouble(w, 12, point.min);
  writeOptionalDouble(w, 13, point.max);
  if ((point.zeroThreshold ?? 0) !== 0) w.doubleField(14, point.zeroThreshold ?? 0);
}

/** Buckets: offset=1 (sint32), bucket_counts=2 (packed uint64). */
function writeBuckets(w: ProtoWriter, fieldNumber: number, buckets: ExponentialBuckets | undefined): void {
  if (buckets === undefined || (buckets.offset === 0 && buckets.bucketCounts.length === 0)) return;
  w.message(fieldNumber);
  if (buckets.offset !== 0) w.sint32Field(1, buckets.offset);
  if (buckets.bucketCounts.length > 0) {
    w.packed(2);
    for (const count of buckets.bucketCounts) w.uint64Number(count);
    w.end();
  }
  w.end();
}

/** SummaryDataPoint: count=4 (fixed64), sum=5, quantile_values=6 {quantile=1, value=2}, attributes=7, flags=8. */
function writeSummaryPoint(w: ProtoWriter, point: MetricPoint): void {
  writePointTimes(w, point);
  w.tag(4, 1);
  w.fixed64Number(point.count ?? 0);
  w.doubleField(5, point.sum ?? 0);
  for (const { quantile, value } of point.quantiles ?? []) {
    w.message(6);
    w.doubleField(1, quantile);
    w.doubleField(2, value);
    w.end();
  }
  writeAttributes(w, 7, point.attributes);
  writeCount(w, 8, point.flags);
}

/**
 * Exemplar: time_unix_nano=2, as_double=3, span_id=4, trace_id=5, filtered_attributes=7. Our model
 * keeps the value as a number, so it goes out as as_double.
 */
function writeExemplar(w: ProtoWriter, fieldNumber: number, exemplar: Exemplar): void {
  w.message(fieldNumber);
  writeAttributes(w, 7, exemplar.filteredAttributes);
  w.fixed64Field(2, exemplar.timeUnixNano);
  w.doubleField(3, exemplar.value);
  if (exemplar.spanId !== '') w.idField(4, exemplar.spanId);
  if (exemplar.traceId !== '') w.idField(5, exemplar.traceId);
  w.end();
}
