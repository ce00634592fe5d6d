import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueType } from '@opentelemetry/api';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { DataPoint, ExponentialHistogram, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import type { MetricPoint } from '../../model/metric-point.ts';
import { decodeOtlp } from './decode.ts';
import type { OtlpEncoding } from './decode.ts';
import {
  RESOURCE_ATTRIBUTES,
  expectedAttributes,
  expectedValue,
  hrTimeNanos,
  sdkLogRecords,
  sdkMetrics,
  sdkSpans,
} from './otel-sdk-fixtures.ts';

const ENCODINGS: OtlpEncoding[] = ['protobuf', 'json'];

for (const encoding of ENCODINGS) {
  void test(`${encoding}: spans from the OpenTelemetry JS SDK come back field for field`, async () => {
    const sdk = await sdkSpans();
    const serializer = encoding === 'protobuf' ? ProtobufTraceSerializer : JsonTraceSerializer;
    const body = serializer.serializeRequest(sdk);
    assert.ok(body);
    const { records, rejected, errorMessage } = decodeOtlp('traces', encoding, body);
    assert.equal(rejected, 0);
    assert.equal(errorMessage, '');
    assert.equal(records.length, sdk.length);
    for (const expected of sdk) {
      const ctx = expected.spanContext();
      const span = records.find((s) => s.spanId === ctx.spanId);
      assert.ok(span, `span ${expected.name} decoded`);
      assert.equal(span.traceId, ctx.traceId);
      assert.equal(span.parentSpanId, expected.parentSpanContext?.spanId ?? '');
      assert.equal(span.traceState, ctx.traceState?.serialize() ?? '');
      assert.equal(span.flags & 0xff, ctx.traceFlags);
      assert.equal(span.name, expected.name);
      assert.equal(span.kind, expected.kind + 1, 'OTLP SpanKind is the API kind + 1');
      assert.equal(span.startTimeUnixNano, hrTimeNanos(expected.startTime));
      assert.equal(span.endTimeUnixNano, hrTimeNanos(expected.endTime));
      assert.deepEqual(span.attributes, expectedAttributes(expected.attributes));
      assert.equal(span.droppedAttributesCount, expected.droppedAttributesCount);
      assert.deepEqual(
        span.events.map((e) => [e.name, e.timeUnixNano, e.attributes, e.droppedAttributesCount]),
        expected.events.map((e) => [
          e.name,
          hrTimeNanos(e.time),
          expectedAttributes(e.attributes),
          e.droppedAttributesCount ?? 0,
        ]),
      );
      assert.deepEqual(
        span.links.map((l) => [l.traceId, l.spanId, l.traceState, l.attributes, l.droppedAttributesCount]),
        expected.links.map((l) => [
          l.context.traceId,
          l.context.spanId,
          '',
          expectedAttributes(l.attributes),
          l.droppedAttributesCount ?? 0,
        ]),
      );
      assert.equal(span.droppedEventsCount, expected.droppedEventsCount);
      assert.equal(span.droppedLinksCount, expected.droppedLinksCount);
      assert.equal(span.statusCode, expected.status.code);
      assert.equal(span.statusMessage, expected.status.message ?? '');
      assert.deepEqual(span.resource.attributes, expectedAttributes(RESOURCE_ATTRIBUTES));
      assert.equal(span.resource.serviceName, 'ml-inference');
      assert.deepEqual([span.scope.name, span.scope.version], ['vigil-test-tracer', '1.4.0']);
    }
    // The fixture really exercised the interesting cases.
    const root = records.find((s) => s.name === 'inference.predict');
    assert.equal(root?.attributes['ml.negative_int'], -17n);
    assert.equal(root?.traceState, 'vendor=opaque,other=1');
    assert.equal(root?.links.length, 1);
    assert.equal(records.find((s) => s.name === 'inference.forward_pass')?.droppedAttributesCount, 3);
    assert.ok(
      records.every((s) => s.resource === records[0]?.resource),
      'one resource object per batch',
    );
  });

  void test(`${encoding}: metrics of every instrument kind from the SDK come back`, async () => {
    const resourceMetrics = await sdkMetrics();
    const serializer = encoding === 'protobuf' ? ProtobufMetricsSerializer : JsonMetricsSerializer;
    const body = serializer.serializeRequest(resourceMetrics);
    assert.ok(body);
    const { records, rejected } = decodeOtlp('metrics', encoding, body);
    assert.equal(rejected, 0);
    const sdkMetricData = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    assert.equal(
      records.length,
      sdkMetricData.reduce((n, m) => n + m.dataPoints.length, 0),
    );
    for (const metric of sdkMetricData) {
      const points = records.filter((p) => p.metric.name === metric.descriptor.name);
      assert.equal(points.length, metric.dataPoints.length, metric.descriptor.name);
      metric.dataPoints.forEach((dataPoint, i) => assertPoint(points[i]!, metric, dataPoint));
    }
    const types = new Set(records.map((p) => p.metric.type));
    assert.deepEqual([...types].sort(), ['exponential_histogram', 'gauge', 'histogram', 'sum']);
    assert.equal(records[0]?.scope.name, 'vigil-test-meter');
    assert.equal(records[0]?.resource.serviceName, 'ml-inference');
  });

  void test(`${encoding}: log records from the SDK come back with bodies, ids and event names`, async () => {
    const sdk = await sdkLogRecords();
    const serializer = encoding === 'protobuf' ? ProtobufLogsSerializer : JsonLogsSerializer;
    const body = serializer.serializeRequest(sdk);
    assert.ok(body);
    const { records, rejected } = decodeOtlp('logs', encoding, body);
    assert.equal(rejected, 0);
    assert.equal(records.length, sdk.length);
    sdk.forEach((expected, i) => {
      const log = records[i]!;
      assert.equal(log.timeUnixNano, hrTimeNanos(expected.hrTime));
      assert.equal(log.observedTimeUnixNano, hrTimeNanos(expected.hrTimeObserved));
      assert.equal(log.severityNumber, expected.severityNumber ?? 0);
      assert.equal(log.severityText, expected.severityText ?? '');
      assert.deepEqual(log.body, expectedValue(expected.body));
      assert.deepEqual(log.attributes, expectedAttributes(expected.attributes));
      assert.equal(log.traceId, expected.spanContext?.traceId ?? '');
      assert.equal(log.spanId, expected.spanContext?.spanId ?? '');
      assert.equal(log.flags & 0xff, expected.spanContext?.traceFlags ?? 0);
      assert.equal(log.eventName, expected.eventName ?? '');
      assert.equal(log.scope.name, 'vigil-test-logger');
    });
    const drift = records[0]!;
    assert.ok(drift.body instanceof Map && drift.body.get('raw') instanceof Uint8Array);
    assert.ok(drift.attributes.nested instanceof Map);
  });
}

function assertPoint(point: MetricPoint, metric: MetricData, dataPoint: DataPoint<unknown>): void {
  const name = metric.descriptor.name;
  assert.equal(point.metric.description, metric.descriptor.description, name);
  assert.equal(point.metric.unit, metric.descriptor.unit, name);
  assert.deepEqual(point.attributes, expectedAttributes(dataPoint.attributes), name);
  assert.equal(point.startTimeUnixNano, hrTimeNanos(dataPoint.startTime), name);
  assert.equal(point.timeUnixNano, hrTimeNanos(dataPoint.endTime), name);
  const temporality = metric.aggregationTemporality === AggregationTemporality.DELTA ? 1 : 2;
  switch (metric.dataPointType) {
    case DataPointType.GAUGE:
      assert.equal(point.metric.type, 'gauge', name);
      assert.equal(point.value, dataPoint.value, name);
      return;
    case DataPointType.SUM:
      assert.deepEqual(
        [point.metric.type, point.metric.isMonotonic, point.metric.temporality],
        ['sum', metric.isMonotonic, temporality],
        name,
      );
      assert.equal(point.value, dataPoint.value, name);
      assert.equal(point.valueIsInt, metric.descriptor.valueType === ValueType.INT, name);
      return;
    case DataPointType.HISTOGRAM: {
      const h = dataPoint.value as Histogram;
      assert.deepEqual([point.metric.type, point.metric.temporality], ['histogram', temporality], name);
      assert.deepEqual([point.count, point.sum, point.min, point.max], [h.count, h.sum, h.min, h.max], name);
      assert.deepEqual(
        [point.bucketCounts, point.explicitBounds],
        [h.buckets.counts, h.buckets.boundaries],
        name,
      );
      return;
    }
    case DataPointType.EXPONENTIAL_HISTOGRAM: {
      const h = dataPoint.value as ExponentialHistogram;
      assert.equal(point.metric.type, 'exponential_histogram', name);
      assert.deepEqual(
        [point.count, point.sum, point.min, point.max, point.scale, point.zeroCount],
        [h.count, h.sum, h.min, h.max, h.scale, h.zeroCount],
        name,
      );
      assert.deepEqual(
        point.positive,
        { offset: h.positive.offset, bucketCounts: h.positive.bucketCounts },
        name,
      );
      assert.deepEqual(
        point.negative,
        { offset: h.negative.offset, bucketCounts: h.negative.bucketCounts },
        name,
      );
      assert.ok(
        (point.zeroCount ?? 0) > 0 && (point.positive?.bucketCounts.length ?? 0) > 1,
        'fixture has zero and positive buckets',
      );
      return;
    }
  }
}
