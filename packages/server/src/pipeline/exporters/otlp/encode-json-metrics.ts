import type {
  Exemplar,
  ExponentialBuckets,
  MetricDescriptor,
  MetricPoint,
  MetricType,
} from '../../../model/metric-point.ts';
import { descriptorKey } from './encode-metrics-proto.ts';
import { encodeEnvelopeJson, jsonAttributes, jsonDouble, setIf } from './encode-json.ts';
import type { JsonValue } from './encode-json.ts';
import { groupBy } from './group-records.ts';

/**
 * MetricPoint[] → OTLP/JSON ExportMetricsServiceRequest (otlp-specification.md, "JSON Protobuf
 * Encoding"), the inverse of receivers/otlp/decode-json-metrics.ts: fixed64 counts and as_int as
 * decimal strings, doubles as numbers (non-finite as strings), ids as hex.
 *
 * @example
 * const body = encodeMetricsJson(points); // POST to /v1/metrics as application/json
 */
export function encodeMetricsJson(points: readonly MetricPoint[]): Uint8Array {
  const names = { resources: 'resourceMetrics', scopes: 'scopeMetrics', records: 'metrics' };
  return encodeEnvelopeJson(points, names, (group) =>
    groupBy(group, (p) => p.metric, descriptorKey).map(({ key, records }) => jsonMetric(key, records)),
  );
}

type JsonObject = { [key: string]: JsonValue };

const DATA_KEY: Record<MetricType, string> = {
  gauge: 'gauge',
  sum: 'sum',
  histogram: 'histogram',
  exponential_histogram: 'exponentialHistogram',
  summary: 'summary',
};

const POINT_FIELDS: Record<MetricType, (point: MetricPoint, obj: JsonObject) => void> = {
  gauge: numberFields,
  sum: numberFields,
  histogram: histogramFields,
  exponential_histogram: exponentialHistogramFields,
  summary: summaryFields,
};

function jsonMetric(metric: MetricDescriptor, points: MetricPoint[]): JsonObject {
  const obj: JsonObject = { name: metric.name };
  setIf(obj, 'description', metric.description);
  setIf(obj, 'unit', metric.unit);
  const data: JsonObject = { dataPoints: points.map((p) => jsonPoint(metric.type, p)) };
  if (metric.type !== 'gauge' && metric.type !== 'summary')
    setIf(data, 'aggregationTemporality', metric.temporality);
  if (metric.type === 'sum' && metric.isMonotonic) data.isMonotonic = true;
  obj[DATA_KEY[metric.type]] = data;
  setIf(obj, 'metadata', jsonAttributes(metric.metadata));
  return obj;
}

function jsonPoint(type: MetricType, point: MetricPoint): JsonObject {
  const obj: JsonObject = {};
  setIf(obj, 'attributes', jsonAttributes(point.attributes));
  if (point.startTimeUnixNano !== 0n) obj.startTimeUnixNano = point.startTimeUnixNano.toString();
  obj.timeUnixNano = point.timeUnixNano.toString();
  POINT_FIELDS[type](point, obj);
  // SummaryDataPoint has no exemplars field (metrics.proto).
  if (type !== 'summary') setIf(obj, 'exemplars', point.exemplars.map(jsonExemplar));
  setIf(obj, 'flags', point.flags);
  return obj;
}

function numberFields(point: MetricPoint, obj: JsonObject): void {
  const value = point.value ?? 0;
  if (point.valueIsInt === true && Number.isInteger(value)) obj.asInt = BigInt(value).toString();
  else obj.asDouble = jsonDouble(value);
}

function setOptionalDouble(obj: JsonObject, key: string, value: number | undefined): void {
  if (value !== undefined) obj[key] = jsonDouble(value);
}

function histogramFields(point: MetricPoint, obj: JsonObject): void {
  obj.count = String(point.count ?? 0);
  setOptionalDouble(obj, 'sum', point.sum);
  setIf(obj, 'bucketCounts', (point.bucketCounts ?? []).map(String));
  setIf(obj, 'explicitBounds', (point.explicitBounds ?? []).map(jsonDouble));
  setOptionalDouble(obj, 'min', point.min);
  setOptionalDouble(obj, 'max', point.max);
}

function exponentialHistogramFields(point: MetricPoint, obj: JsonObject): void {
  obj.count = String(point.count ?? 0);
  setOptionalDouble(obj, 'sum', point.sum);
  setIf(obj, 'scale', point.scale ?? 0);
  setIf(obj, 'zeroCount', String(point.zeroCount ?? 0));
  if (point.positive !== undefined) obj.positive = jsonBuckets(point.positive);
  if (point.negative !== undefined) obj.negative = jsonBuckets(point.negative);
  setOptionalDouble(obj, 'min', point.min);
  setOptionalDouble(obj, 'max', point.max);
  if ((point.zeroThreshold ?? 0) !== 0) obj.zeroThreshold = jsonDouble(point.zeroThreshold ?? 0);
}

function jsonBuckets(buckets: ExponentialBuckets): JsonObject {
  const obj: JsonObject = {};
  setIf(obj, 'offset', buckets.offset);
  setIf(obj, 'bucketCounts', buckets.bucketCounts.map(String));
  return obj;
}

function summaryFields(point: MetricPoint, obj: JsonObject): void {
  obj.count = String(point.count ?? 0);
  obj.sum = jsonDouble(point.sum ?? 0);
  setIf(
    obj,
    'quantileValues',
    (point.quantiles ?? []).map(({ quantile, value }) => ({
      quantile: jsonDouble(quantile),
      value: jsonDouble(value),
    })),
  );
}

function jsonExemplar(exemplar: Exemplar): JsonObject {
  const obj: JsonObject = {};
  setIf(obj, 'filteredAttributes', jsonAttributes(exemplar.filteredAttributes));
  obj.timeUnixNano = exemplar.timeUnixNano.toString();
  obj.asDouble = jsonDouble(exemplar.value);
  setIf(obj, 'spanId', exemplar.spanId);
  setIf(obj, 'traceId', exemplar.traceId);
  return obj;
}
