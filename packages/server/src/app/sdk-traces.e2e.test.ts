/**
 * The real OpenTelemetry JS SDK sends spans to a running Vigil over each OTLP exporter (HTTP/JSON,
 * HTTP/protobuf, gRPC); Vigil's query API returns exactly what was sent.
 */
import { SpanKind, SpanStatusCode, context, trace, type Link } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningVigil } from './start-vigil.ts';
import { getJson, hrTimeToNanosText, startTestVigil } from './e2e-support.ts';

let vigil: RunningVigil;
before(async () => {
  vigil = await startTestVigil();
});
after(() => vigil.close());

const EXPORTERS: Record<string, (v: RunningVigil) => SpanExporter> = {
  'otlp-http json': (v) => new JsonExporter({ url: `http://127.0.0.1:${v.ports.otlpHttp}/v1/traces` }),
  'otlp-http protobuf': (v) => new ProtoExporter({ url: `http://127.0.0.1:${v.ports.otlpHttp}/v1/traces` }),
  'otlp-http protobuf gzip': (v) =>
    new ProtoExporter({
      url: `http://127.0.0.1:${v.ports.otlpHttp}/v1/traces`,
      compression: CompressionAlgorithm.GZIP,
    }),
  'otlp-grpc': (v) => new GrpcExporter({ url: `http://127.0.0.1:${v.ports.otlpGrpc}` }),
  'otlp-grpc gzip': (v) =>
    new GrpcExporter({ url: `http://127.0.0.1:${v.ports.otlpGrpc}`, compression: CompressionAlgorithm.GZIP }),
};

/** Emits one inference trace with attributes of every type, events, links and nanosecond timestamps. */
function emitTrace(provider: BasicTracerProvider, label: string): void {
  const tracer = provider.getTracer('ml.inference', '2.0.0');
  const root = tracer.startSpan('inference.predict', {
    kind: SpanKind.SERVER,
    startTime: [1_732_874_400, 123_456_789],
    attributes: {
      'ml.model.name': 'fraud-detector',
      'ml.model.version': '3.1.0',
      'ml.request.batch_size': 32,
      'ml.prediction.score': 0.875,
      'ml.inference.gpu_used': true,
      'tags.strings': ['a', 'b'],
      'tags.ints': [1, 2, 3],
      'tags.doubles': [0.5, 1.5],
      'tags.bools': [true, false],
      'transport.label': label,
    },
  });
  root.addEvent('batch.start', { 'queue.depth': 4 }, [1_732_874_400, 123_500_001]);
  const parent = trace.setSpan(context.active(), root);
  const link: Link = { context: root.spanContext(), attributes: { 'link.reason': 'retry' } };
  const child = tracer.startSpan(
    'inference.forward_pass',
    { kind: SpanKind.INTERNAL, startTime: [1_732_874_400, 200_000_007], links: [link] },
    parent,
  );
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'CUDA out of memory' });
  child.end([1_732_874_400, 900_000_009]);
  root.end([1_732_874_401, 5]);
}

interface ApiSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, { type: string; value: unknown }>;
  events: {
    name: string;
    timeUnixNano: string;
    attributes: Record<string, { type: string; value: unknown }>;
  }[];
  links: { traceId: string; spanId: string; attributes: Record<string, { type: string; value: unknown }> }[];
  status: { code: string; message: string };
  resource: { serviceName: string; attributes: Record<string, { type: string; value: unknown }> };
  scope: { name: string; version: string };
}

function assertSameSpan(sent: ReadableSpan, got: ApiSpan | undefined): void {
  assert.ok(got, `span ${sent.name} stored`);
  assert.equal(got.traceId, sent.spanContext().traceId);
  assert.equal(got.spanId, sent.spanContext().spanId);
  assert.equal(got.parentSpanId, sent.parentSpanContext?.spanId ?? '');
  assert.equal(got.name, sent.name);
  assert.equal(got.startTimeUnixNano, hrTimeToNanosText(sent.startTime));
  assert.equal(got.endTimeUnixNano, hrTimeToNanosText(sent.endTime));
  assert.equal(got.status.message, sent.status.message ?? '');
  assert.equal(got.scope.name, 'ml.inference');
  assert.equal(got.scope.version, '2.0.0');
  assert.equal(got.resource.serviceName, 'e2e-inference');
  assert.deepEqual(got.resource.attributes['deployment.environment'], { type: 'string', value: 'test' });
  assert.deepEqual(Object.keys(got.attributes).sort(), Object.keys(sent.attributes).sort());
  assert.deepEqual(
    got.events.map((e) => [e.name, e.timeUnixNano]),
    sent.events.map((e) => [e.name, hrTimeToNanosText(e.time)]),
  );
  assert.deepEqual(
    got.links.map((l) => [l.traceId, l.spanId]),
    sent.links.map((l) => [l.context.traceId, l.context.spanId]),
  );
}

for (const [transport, makeExporter] of Object.entries(EXPORTERS)) {
  test(`spans sent with ${transport} read back exactly`, async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'e2e-inference', 'deployment.environment': 'test' }),
      spanProcessors: [new SimpleSpanProcessor(memory), new SimpleSpanProcessor(makeExporter(vigil))],
    });
    emitTrace(provider, transport);
    await provider.forceFlush();
    // Read before shutdown: shutting down clears the in-memory exporter.
    const sent = memory.getFinishedSpans();
    await provider.shutdown();
    const traceId = sent[0]?.spanContext().traceId ?? '';
    const { status, body } = await getJson(vigil, `/api/vigil/v1/traces/${traceId}`);
    assert.equal(status, 200);
    const spans = (body as { data: { spans: ApiSpan[] } }).data.spans;
    assert.equal(spans.length, 2);
    for (const span of sent)
      assertSameSpan(
        span,
        spans.find((s) => s.spanId === span.spanContext().spanId),
      );

    const root = spans.find((s) => s.name === 'inference.predict');
    assert.equal(root?.kind, 'server');
    assert.deepEqual(root?.attributes['ml.request.batch_size'], { type: 'int', value: '32' });
    assert.deepEqual(root?.attributes['ml.prediction.score'], { type: 'double', value: 0.875 });
    assert.deepEqual(root?.attributes['ml.inference.gpu_used'], { type: 'bool', value: true });
    assert.deepEqual(root?.attributes['transport.label'], { type: 'string', value: transport });
    assert.deepEqual(root?.attributes['tags.strings'], {
      type: 'array',
      value: [
        { type: 'string', value: 'a' },
        { type: 'string', value: 'b' },
      ],
    });
    assert.deepEqual(root?.events[0]?.attributes['queue.depth'], { type: 'int', value: '4' });
    const child = spans.find((s) => s.name === 'inference.forward_pass');
    assert.deepEqual(child?.status, { code: 'error', message: 'CUDA out of memory' });
    assert.deepEqual(child?.links[0]?.attributes['link.reason'], { type: 'string', value: 'retry' });
  });
}

test('the Jaeger API serves the same trace in Jaeger UI shape', async () => {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'e2e-inference', 'deployment.environment': 'test' }),
    spanProcessors: [
      new SimpleSpanProcessor(memory),
      new SimpleSpanProcessor(EXPORTERS['otlp-grpc']!(vigil)),
    ],
  });
  emitTrace(provider, 'jaeger');
  await provider.forceFlush();
  const sent = memory.getFinishedSpans();
  await provider.shutdown();
  const traceId = sent[0]?.spanContext().traceId ?? '';
  const { status, body } = await getJson(vigil, `/api/traces/${traceId}`);
  assert.equal(status, 200);
  const jaeger = body as {
    data: {
      traceID: string;
      spans: {
        spanID: string;
        startTime: number;
        duration: number;
        processID: string;
        references: unknown[];
        tags: { key: string; type: string }[];
      }[];
      processes: Record<string, { serviceName: string }>;
    }[];
  };
  const first = jaeger.data[0];
  assert.equal(first?.traceID, traceId);
  assert.equal(first?.spans.length, 2);
  const root = first?.spans.find((s) => s.references.length === 0);
  assert.equal(root?.startTime, 1_732_874_400_123_456);
  assert.equal(root?.duration, 876_543);
  assert.equal(first?.processes[root?.processID ?? '']?.serviceName, 'e2e-inference');
  assert.deepEqual(
    root?.tags.find((t) => t.key === 'ml.request.batch_size'),
    { key: 'ml.request.batch_size', type: 'int64', value: 32 },
  );
  const services = await getJson(vigil, '/api/services');
  assert.ok((services.body as { data: string[] }).data.includes('e2e-inference'));
});
