import { SpanKind, SpanStatusCode, ValueType, context, trace } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { newAttributes } from '../../model/attributes.ts';
import type { AttributeValue, Attributes } from '../../model/attributes.ts';

/**
 * Telemetry produced by the real OpenTelemetry JS SDKs, for decoder round-trip tests. Test support
 * only: nothing in the server imports this module.
 */

export const RESOURCE_ATTRIBUTES = {
  'service.name': 'ml-inference',
  'service.version': '2.3.1',
  'ml.model.name': 'fraud-detector',
};

/** Nanosecond-precise times far beyond 2^53 ns, so a lossy double conversion would show. */
const START: HrTime = [1_760_000_000, 123_456_789];
const END: HrTime = [1_760_000_000, 987_654_321];

/** HrTime → exact Unix nanoseconds. */
export function hrTimeNanos(time: HrTime): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

/**
 * The model value the OTLP serializer's AnyValue rules produce for an SDK attribute value: integral
 * numbers are int_value (bigint), other numbers double_value, objects kvlist_value (Map).
 */
export function expectedValue(value: unknown): AttributeValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(expectedValue);
  return new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, expectedValue(v)]));
}

export function expectedAttributes(attributes: Record<string, unknown> | undefined): Attributes {
  const out = newAttributes();
  for (const [key, value] of Object.entries(attributes ?? {})) out[key] = expectedValue(value);
  return out;
}

/** Spans covering every field the SDK can set: kinds, attributes of every type, events, links, status. */
export async function sdkSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(RESOURCE_ATTRIBUTES),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    spanLimits: { attributeCountLimit: 12 },
  });
  const tracer = provider.getTracer('vigil-test-tracer', '1.4.0');
  const linked = tracer.startSpan('upstream.enqueue', { kind: SpanKind.PRODUCER, startTime: START });
  linked.end(END);
  const remoteParent = trace.setSpanContext(context.active(), {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b173',
    traceFlags: 1,
    isRemote: true,
    traceState: new TraceState('vendor=opaque,other=1'),
  });
  const root = tracer.startSpan(
    'inference.predict',
    {
      kind: SpanKind.SERVER,
      startTime: START,
      links: [{ context: linked.spanContext(), attributes: { 'link.reason': 'batch', 'link.size': 3 } }],
      attributes: {
        'ml.model.version': 'v7',
        'ml.request.batch_size': 32,
        'ml.prediction.score': 0.9375,
        'ml.inference.gpu_used': true,
        'ml.features': ['age', 'amount'],
        'ml.flags': [true, false],
        'ml.shape': [1, 224, 224],
        'ml.thresholds': [0.25, 0.5],
        'ml.negative_int': -17,
      },
    },
    remoteParent,
  );
  root.addEvent('model.loaded', { 'load.millis': 12.5, 'cache.hit': false }, [1_760_000_000, 200_000_001]);
  const child = tracer.startSpan(
    'inference.forward_pass',
    { kind: SpanKind.INTERNAL, startTime: START },
    trace.setSpan(context.active(), root),
  );
  for (let i = 0; i < 15; i++) child.setAttribute(`attr.${i}`, i);
  child.setStatus({ code: SpanStatusCode.OK });
  child.end(END);
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'model timed out' });
  root.end(END);
  for (const kind of [SpanKind.CLIENT, SpanKind.CONSUMER])
    tracer.startSpan(`kind.${kind}`, { kind, startTime: START }).end(END);
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One collection of every instrument kind, with an exponential histogram view. */
export async function sdkMetrics(): Promise<ResourceMetrics> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes(RESOURCE_ATTRIBUTES),
    readers: [reader],
    views: [
      {
        instrumentName: 'ml_token_latency_seconds',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
      },
    ],
  });
  const meter = provider.getMeter('vigil-test-meter', '0.9.0');
  const labels = { model: 'fraud-detector', version: 'v7' };
  meter
    .createCounter('ml_predictions_total', {
      description: 'Predictions served',
      unit: '{prediction}',
      valueType: ValueType.INT,
    })
    .add(41, labels);
  meter.createCounter('ml_gpu_seconds_total', { unit: 's' }).add(2.75, labels);
  meter.createUpDownCounter('ml_queue_depth', { valueType: ValueType.INT }).add(-3, labels);
  const latency = meter.createHistogram('ml_inference_latency_seconds', {
    unit: 's',
    advice: { explicitBucketBoundaries: [0.01, 0.1, 1] },
  });
  for (const value of [0.004, 0.05, 0.07, 0.4, 2.5]) latency.record(value, labels);
  const tokenLatency = meter.createHistogram('ml_token_latency_seconds', { unit: 's' });
  for (const value of [0.001, 0.002, 0.02, 0.3, -0.5, 0]) tokenLatency.record(value, labels);
  meter.createGauge('gpu_temperature_celsius').record(71.5, { gpu: '0' });
  meter
    .createObservableGauge('gpu_utilization_ratio')
    .addCallback((result) => result.observe(0.83, { gpu: '0' }));
  meter
    .createObservableCounter('ml_batches_total', { valueType: ValueType.INT })
    .addCallback((result) => result.observe(12, labels));
  meter.createObservableUpDownCounter('ml_models_loaded').addCallback((result) => result.observe(2.5));
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics;
}

/** Log records with every body/attribute type the logs API allows, in and out of a span. */
export async function sdkLogRecords(): Promise<ReadableLogRecord[]> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(RESOURCE_ATTRIBUTES),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('vigil-test-logger', '3.0.0');
  const spanContext = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
  };
  logger.emit({
    timestamp: START,
    observedTimestamp: END,
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: {
      message: 'drift detected',
      psi: 0.31,
      features: ['age', 'amount'],
      raw: new Uint8Array([0, 1, 254, 255]),
    },
    attributes: {
      'ml.model.name': 'fraud-detector',
      'drift.count': 3,
      nested: { level: { deep: true } },
      blob: new Uint8Array([7, 8]),
    },
    context: trace.setSpanContext(context.active(), spanContext),
    eventName: 'ml.drift',
  });
  logger.emit({ timestamp: END, severityNumber: SeverityNumber.INFO, body: 'plain text body' });
  await provider.forceFlush();
  return exporter.getFinishedLogRecords();
}
