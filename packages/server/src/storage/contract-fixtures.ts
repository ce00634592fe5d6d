import type { AttributeValue, Attributes } from '../model/attributes.ts';
import { newAttributes } from '../model/attributes.ts';
import type { LogRecord } from '../model/log-record.ts';
import type { MetricDescriptor, MetricPoint } from '../model/metric-point.ts';
import type { Resource, Scope } from '../model/resource.ts';
import type { Span, SpanKind, StatusCode } from '../model/span.ts';

/** Test data for store.contract.ts: every OTLP attribute type, nanosecond timestamps beyond 2^53. */
export const BASE_NANOS = 1_760_000_000_123_456_789n;

export function attrs(entries: Record<string, AttributeValue>): Attributes {
  return Object.assign(newAttributes(), entries);
}

export function everyTypeAttributes(): Attributes {
  return attrs({
    'str': 'hello',
    'empty.str': '',
    'bool.t': true,
    'bool.f': false,
    'int.big': 9_007_199_254_740_993n,
    'int.neg': -42n,
    'double': 0.1,
    'double.int': 3,
    'double.nan': NaN,
    'double.inf': -Infinity,
    'double.negzero': -0,
    'bytes': new Uint8Array([0, 1, 254, 255]),
    'array': ['a', 1n, 2.5, true, null, [new Uint8Array([7])]],
    'kvlist': new Map<string, AttributeValue>([['k', 'v'], ['n', new Map([['deep', 1n]])]]),
    'empty': null,
    ['__proto__']: 'plain key',
  });
}

export function resource(serviceName: string, extra: Record<string, AttributeValue> = {}): Resource {
  return {
    attributes: attrs({ 'service.name': serviceName, ...extra }),
    droppedAttributesCount: 0,
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
    serviceName,
  };
}

export const SCOPE: Scope = {
  name: 'vigil.test',
  version: '1.2.3',
  attributes: attrs({ 'scope.attr': 7n }),
  droppedAttributesCount: 1,
  schemaUrl: '',
};

export function hexId(n: number, length: 16 | 32): string {
  return n.toString(16).padStart(length, '0');
}

export interface SpanSpec {
  trace: number;
  span: number;
  parent?: number;
  name?: string;
  kind?: SpanKind;
  status?: StatusCode;
  startOffsetNanos?: bigint;
  durationNanos?: bigint;
  attributes?: Attributes;
  resource?: Resource;
}

export function makeSpan(spec: SpanSpec): Span {
  const start = BASE_NANOS + (spec.startOffsetNanos ?? 0n);
  return {
    traceId: hexId(spec.trace, 32),
    spanId: hexId(spec.span, 16),
    parentSpanId: spec.parent === undefined ? '' : hexId(spec.parent, 16),
    traceState: '',
    flags: 1,
    name: spec.name ?? 'inference.predict',
    kind: spec.kind ?? 2,
    startTimeUnixNano: start,
    endTimeUnixNano: start + (spec.durationNanos ?? 1_000_001n),
    attributes: spec.attributes ?? attrs({}),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    statusCode: spec.status ?? 0,
    statusMessage: '',
    resource: spec.resource ?? resource('predictor'),
    scope: SCOPE,
  };
}

/** A span using every field: events, links, all attribute types, a resource with ML attributes. */
export function richSpan(): Span {
  const span = makeSpan({ trace: 0xabc, span: 0xdef, parent: 0x123, name: 'inference.forward_pass', kind: 3, status: 2 });
  return {
    ...span,
    traceId: 'f'.repeat(32),
    spanId: 'ffffffffffffff01',
    traceState: 'vendor=1',
    flags: 257,
    attributes: everyTypeAttributes(),
    droppedAttributesCount: 3,
    events: [
      { timeUnixNano: BASE_NANOS + 5n, name: 'exception', attributes: everyTypeAttributes(), droppedAttributesCount: 1 },
      { timeUnixNano: BASE_NANOS + 6n, name: 'empty', attributes: attrs({}), droppedAttributesCount: 0 },
    ],
    droppedEventsCount: 2,
    links: [
      {
        traceId: hexId(77, 32),
        spanId: hexId(78, 16),
        traceState: 'a=b',
        attributes: attrs({ 'link.n': 1n }),
        droppedAttributesCount: 4,
        flags: 1,
      },
    ],
    droppedLinksCount: 5,
    statusMessage: 'CUDA out of memory',
    resource: resource('gpu-worker', { 'ml.model.name': 'resnet', 'host.gpu.count': 8n }),
  };
}

export function makeLog(n: number, overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    timeUnixNano: BASE_NANOS + BigInt(n) * 1_000n,
    observedTimeUnixNano: BASE_NANOS + BigInt(n) * 1_000n + 7n,
    severityNumber: 9,
    severityText: 'INFO',
    body: `request ${n} served`,
    attributes: attrs({ n: BigInt(n) }),
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
    resource: resource('predictor'),
    scope: SCOPE,
    ...overrides,
  };
}

function descriptor(name: string, type: MetricDescriptor['type']): MetricDescriptor {
  return { name, description: `${name} help`, unit: 's', type, temporality: 2, isMonotonic: type === 'sum', metadata: attrs({}) };
}

/** One point of each OTLP metric type, with exemplars and start timestamps. */
export function metricPointsOfEveryType(): MetricPoint[] {
  const common = (name: string, type: MetricDescriptor['type'], n: bigint): MetricPoint => ({
    metric: descriptor(name, type),
    resource: resource('predictor'),
    scope: SCOPE,
    attributes: attrs({ model: 'resnet', gpu: 0n }),
    startTimeUnixNano: BASE_NANOS - 60_000_000_000n,
    timeUnixNano: BASE_NANOS + n,
    flags: 0,
    exemplars: [],
  });
  const gauge = { ...common('gpu_util', 'gauge', 1n), value: 87.5 };
  const sum = {
    ...common('ml_predictions_total', 'sum', 2n),
    value: 12_345,
    valueIsInt: true,
    exemplars: [
      { timeUnixNano: BASE_NANOS + 1n, value: 1, filteredAttributes: attrs({ user: 'u1' }), traceId: hexId(5, 32), spanId: hexId(6, 16) },
    ],
  };
  const histogram = {
    ...common('ml_inference_latency_seconds', 'histogram', 3n),
    count: 10,
    sum: 1.25,
    min: 0.01,
    max: 0.5,
    bucketCounts: [1, 4, 5, 0],
    explicitBounds: [0.05, 0.1, 0.5],
  };
  const exponential = {
    ...common('latency_exp', 'exponential_histogram', 4n),
    count: 6,
    sum: 3.5,
    scale: -2,
    zeroCount: 1,
    zeroThreshold: 0,
    positive: { offset: -3, bucketCounts: [1, 2, 1] },
    negative: { offset: 0, bucketCounts: [] },
  };
  const summary = {
    ...common('rpc_duration', 'summary', 5n),
    count: 100,
    sum: 12.5,
    quantiles: [
      { quantile: 0.5, value: 0.1 },
      { quantile: 0.99, value: 0.9 },
    ],
  };
  return [gauge, sum, histogram, exponential, summary];
}

/** Milliseconds of BASE_NANOS, as the OTLP → Prometheus mapping truncates it. */
export const BASE_MS = 1_760_000_000_123;

/**
 * The seed's ML metrics as OTLP points (docs/examples/ml-inference-metrics.ts): a latency histogram
 * with unit "s", a prediction counter, a GPU memory gauge in bytes, a summary, plus a delta sum and
 * an exponential histogram that have no Prometheus form. Resource: job `ml/fraud-detector-api`,
 * instance `pod-1`, and a host.name that goes to target_info.
 */
export function seedMetricPoints(): MetricPoint[] {
  const fraud = resource('fraud-detector-api', { 'service.namespace': 'ml', 'service.instance.id': 'pod-1', 'host.name': 'gpu-node-3' });
  const metric = (name: string, type: MetricDescriptor['type'], unit: string, extra: Partial<MetricDescriptor> = {}): MetricDescriptor => ({
    name, description: `${name} help`, unit, type, temporality: 2, isMonotonic: type === 'sum', metadata: attrs({}), ...extra,
  });
  const point = (descriptor: MetricDescriptor, fields: Partial<MetricPoint>): MetricPoint => ({
    metric: descriptor, resource: fraud, scope: SCOPE, attributes: attrs({ model_name: 'fraud', model_version: 'v3.1' }),
    startTimeUnixNano: BASE_NANOS - 60_000_000_000n, timeUnixNano: BASE_NANOS, flags: 0, exemplars: [], ...fields,
  });
  const latency = metric('ml_inference_latency_seconds', 'histogram', 's');
  return [
    point(latency, { count: 10, sum: 1.25, bucketCounts: [1, 4, 5, 0], explicitBounds: [0.05, 0.1, 0.5] }),
    point(latency, { timeUnixNano: BASE_NANOS + 15_000_000_000n, count: 12, sum: 1.5, bucketCounts: [2, 4, 5, 1], explicitBounds: [0.05, 0.1, 0.5] }),
    point(metric('ml_predictions_total', 'sum', ''), { value: 42, valueIsInt: true, attributes: attrs({ model_name: 'fraud', result_class: 'fraud' }) }),
    point(metric('ml_predictions_total', 'sum', ''), { value: 958, valueIsInt: true, attributes: attrs({ model_name: 'fraud', result_class: 'legitimate' }) }),
    point(metric('ml_gpu_memory_used', 'gauge', 'By'), { value: 7_516_192_768, attributes: attrs({ gpu_id: '0', model_name: 'fraud' }) }),
    point(metric('rpc.duration', 'summary', 'ms'), { count: 100, sum: 12.5, quantiles: [{ quantile: 0.5, value: 0.1 }, { quantile: 0.99, value: 0.9 }] }),
    point(metric('requests', 'sum', '', { temporality: 1 }), { value: 3 }),
    point(metric('latency_exp', 'exponential_histogram', 's'), { count: 1, sum: 1, scale: 0, zeroCount: 0, positive: { offset: 0, bucketCounts: [1] } }),
  ];
}
