import type {
  Exemplar,
  ExponentialBuckets,
  MetricDescriptor,
  MetricPoint,
  MetricType,
} from '../../model/metric-point.ts';
import type { Resource, Scope } from '../../model/resource.ts';
import type { DecodeResult } from './decode.ts';
import { forEachScope, parseJsonRequest } from './decode-json.ts';
import { TEMPORALITY_NAMES, toTemporality } from './enums.ts';
import { Rejections } from './rejections.ts';
import {
  arrayOf,
  attributesOf,
  boolOf,
  doubleOf,
  enumOf,
  field,
  int64Of,
  intOf,
  objectOf,
  optionalIdOf,
  stringOf,
  uint64Of,
  uintOf,
} from './json-values.ts';
import type { JsonObject } from './json-values.ts';

/**
 * OTLP/JSON ExportMetricsServiceRequest → MetricPoint[], with the same rules as the protobuf
 * decoder: every point of a metric without a name is left out and counted.
 */

/** The Metric data fields (a oneof) under their JSON and proto names. */
const DATA_FIELDS: readonly { type: MetricType; camel: string; proto: string }[] = [
  { type: 'gauge', camel: 'gauge', proto: 'gauge' },
  { type: 'sum', camel: 'sum', proto: 'sum' },
  { type: 'histogram', camel: 'histogram', proto: 'histogram' },
  { type: 'exponential_histogram', camel: 'exponentialHistogram', proto: 'exponential_histogram' },
  { type: 'summary', camel: 'summary', proto: 'summary' },
];

export function decodeMetricsJson(body: Uint8Array): DecodeResult<'metrics'> {
  const points: MetricPoint[] = [];
  const rejections = new Rejections();
  const names = {
    resources: ['resourceMetrics', 'resource_metrics'],
    scopes: ['scopeMetrics', 'scope_metrics'],
    records: ['metrics', 'metrics'],
  } as const satisfies Parameters<typeof forEachScope>[1];
  forEachScope(parseJsonRequest(body), names, (resource, scope, metrics) => {
    for (const item of metrics)
      readMetric(objectOf(item, 'metric') ?? {}, resource, scope, points, rejections);
  });
  return { records: points, rejected: rejections.total, errorMessage: rejections.message('data points') };
}

function readMetric(
  obj: JsonObject,
  resource: Resource,
  scope: Scope,
  points: MetricPoint[],
  rejections: Rejections,
): void {
  const metric: MetricDescriptor = {
    name: stringOf(obj.name, 'metric.name'),
    description: stringOf(obj.description, 'metric.description'),
    unit: stringOf(obj.unit, 'metric.unit'),
    type: 'gauge',
    temporality: 0,
    isMonotonic: false,
    metadata: attributesOf(obj.metadata, 'metric.metadata'),
  };
  let dataPoints: readonly unknown[] = [];
  for (const { type, camel, proto } of DATA_FIELDS) {
    const data = objectOf(field(obj, camel, proto), `metric.${camel}`);
    if (data === undefined) continue;
    metric.type = type;
    metric.temporality = toTemporality(
      enumOf(
        field(data, 'aggregationTemporality', 'aggregation_temporality'),
        TEMPORALITY_NAMES,
        'metric.aggregationTemporality',
      ),
    );
    metric.isMonotonic = boolOf(field(data, 'isMonotonic', 'is_monotonic'), 'metric.sum.isMonotonic');
    dataPoints = arrayOf(field(data, 'dataPoints', 'data_points'), `metric.${camel}.dataPoints`);
  }
  const metricPoints = dataPoints.map((item) =>
    pointOf(objectOf(item, 'dataPoint') ?? {}, metric, resource, scope),
  );
  if (metric.name === '') rejections.add('no metric name', metricPoints.length);
  else for (const point of metricPoints) points.push(point);
}

function pointOf(obj: JsonObject, metric: MetricDescriptor, resource: Resource, scope: Scope): MetricPoint {
  const point: MetricPoint = {
    metric,
    resource,
    scope,
    attributes: attributesOf(obj.attributes, 'dataPoint.attributes'),
    startTimeUnixNano: uint64Of(
      field(obj, 'startTimeUnixNano', 'start_time_unix_nano'),
      'dataPoint.startTimeUnixNano',
    ),
    timeUnixNano: uint64Of(field(obj, 'timeUnixNano', 'time_unix_nano'), 'dataPoint.timeUnixNano'),
    flags: uintOf(obj.flags, 'dataPoint.flags'),
    exemplars: arrayOf(obj.exemplars, 'dataPoint.exemplars').map((item) =>
      exemplarOf(objectOf(item, 'exemplar') ?? {}),
    ),
  };
  switch (metric.type) {
    case 'gauge':
    case 'sum':
      readNumberValue(obj, point);
      break;
    case 'histogram':
      readHistogram(obj, point);
      break;
    case 'exponential_histogram':
      readExponentialHistogram(obj, point);
      break;
    case 'summary':
      readSummary(obj, point);
      break;
  }
  return point;
}

function readNumberValue(obj: JsonObject, point: MetricPoint): void {
  const asInt = field(obj, 'asInt', 'as_int');
  point.valueIsInt = asInt !== undefined && asInt !== null;
  point.value = point.valueIsInt
    ? Number(int64Of(asInt, 'dataPoint.asInt'))
    : doubleOf(field(obj, 'asDouble', 'as_double'), 'dataPoint.asDouble');
}

/** sum, min and max are `optional double`: absent stays undefined. */
function optionalDouble(value: unknown, what: string): number | undefined {
  return value === undefined || value === null ? undefined : doubleOf(value, what);
}

function readHistogram(obj: JsonObject, point: MetricPoint): void {
  point.count = uintOf(obj.count, 'dataPoint.count');
  point.sum = optionalDouble(obj.sum, 'dataPoint.sum');
  point.min = optionalDouble(obj.min, 'dataPoint.min');
  point.max = optionalDouble(obj.max, 'dataPoint.max');
  point.bucketCounts = arrayOf(field(obj, 'bucketCounts', 'bucket_counts'), 'dataPoint.bucketCounts').map(
    (v) => uintOf(v, 'dataPoint.bucketCounts[]'),
  );
  point.explicitBounds = arrayOf(
    field(obj, 'explicitBounds', 'explicit_bounds'),
    'dataPoint.explicitBounds',
  ).map((v) => doubleOf(v, 'dataPoint.explicitBounds[]'));
}

function readExponentialHistogram(obj: JsonObject, point: MetricPoint): void {
  point.count = uintOf(obj.count, 'dataPoint.count');
  point.sum = optionalDouble(obj.sum, 'dataPoint.sum');
  point.min = optionalDouble(obj.min, 'dataPoint.min');
  point.max = optionalDouble(obj.max, 'dataPoint.max');
  point.scale = intOf(obj.scale, 'dataPoint.scale');
  point.zeroCount = uintOf(field(obj, 'zeroCount', 'zero_count'), 'dataPoint.zeroCount');
  point.zeroThreshold = doubleOf(field(obj, 'zeroThreshold', 'zero_threshold'), 'dataPoint.zeroThreshold');
  point.positive = bucketsOf(obj.positive, 'dataPoint.positive');
  point.negative = bucketsOf(obj.negative, 'dataPoint.negative');
}

function bucketsOf(value: unknown, what: string): ExponentialBuckets {
  const obj = objectOf(value, what) ?? {};
  return {
    offset: intOf(obj.offset, `${what}.offset`),
    bucketCounts: arrayOf(field(obj, 'bucketCounts', 'bucket_counts'), `${what}.bucketCounts`).map((v) =>
      uintOf(v, `${what}.bucketCounts[]`),
    ),
  };
}

function readSummary(obj: JsonObject, point: MetricPoint): void {
  point.count = uintOf(obj.count, 'dataPoint.count');
  point.sum = doubleOf(obj.sum, 'dataPoint.sum');
  point.quantiles = arrayOf(field(obj, 'quantileValues', 'quantile_values'), 'dataPoint.quantileValues').map(
    (item) => {
      const q = objectOf(item, 'dataPoint.quantileValues[]') ?? {};
      return {
        quantile: doubleOf(q.quantile, 'quantileValues[].quantile'),
        value: doubleOf(q.value, 'quantileValues[].value'),
      };
    },
  );
}

function exemplarOf(obj: JsonObject): Exemplar {
  const asInt = field(obj, 'asInt', 'as_int');
  return {
    timeUnixNano: uint64Of(field(obj, 'timeUnixNano', 'time_unix_nano'), 'exemplar.timeUnixNano'),
    value:
      asInt !== undefined && asInt !== null
        ? Number(int64Of(asInt, 'exemplar.asInt'))
        : doubleOf(field(obj, 'asDouble', 'as_double'), 'exemplar.asDouble'),
    filteredAttributes: attributesOf(
      field(obj, 'filteredAttributes', 'filtered_attributes'),
      'exemplar.filteredAttributes',
    ),
    // An exemplar id of the wrong length is dropped, not the point, as in the protobuf decoder.
    traceId: optionalIdOf(field(obj, 'traceId', 'trace_id'), 16, 'exemplar.traceId') ?? '',
    spanId: optionalIdOf(field(obj, 'spanId', 'span_id'), 8, 'exemplar.spanId') ?? '',
  };
}
