/**
 * Propagation over real carriers: an HTTP hop (node:http server + fetch on 127.0.0.1), a message
 * serialised through JSON and Buffers as a queue would, and @grpc/grpc-js Metadata.
 */
import { Metadata } from '@grpc/grpc-js';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { setupInMemoryVigil } from './in-memory-sdk.ts';
import {
  extractGrpcMetadata,
  extractHttpHeaders,
  extractMessageHeaders,
  injectGrpcMetadata,
  injectHttpHeaders,
  injectMessageHeaders,
  linkFromMessageHeaders,
} from './propagation.ts';

const vigil = setupInMemoryVigil({ serviceName: 'propagation-test' });
after(() => vigil.sdk.shutdown());
const tracer = vigil.sdk.tracer;

test('HTTP: client span → traceparent → server span in the same trace, parented by the client', async () => {
  const server = createServer((request, response) => {
    const parent = extractHttpHeaders(request.headers);
    const span = tracer.startSpan('POST /features', { kind: SpanKind.SERVER }, parent);
    const baggage = propagation.getBaggage(parent)?.getEntry('ml.request.id')?.value;
    span.end();
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ traceId: span.spanContext().traceId, parentSpanId: trace.getSpanContext(parent)?.spanId, baggage }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const clientSpan = tracer.startSpan('POST feature-store', { kind: SpanKind.CLIENT });
    const withBaggage = propagation.setBaggage(
      trace.setSpan(context.active(), clientSpan),
      propagation.createBaggage({ 'ml.request.id': { value: 'req-7' } }),
    );
    const headers = injectHttpHeaders({ 'content-type': 'application/json' }, withBaggage);
    assert.match(headers['traceparent'] ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const response = await fetch(`http://127.0.0.1:${port}/features`, { method: 'POST', headers, body: '{}' });
    const seen = (await response.json()) as { traceId: string; parentSpanId: string; baggage: string };
    clientSpan.end();
    assert.equal(seen.traceId, clientSpan.spanContext().traceId);
    assert.equal(seen.parentSpanId, clientSpan.spanContext().spanId);
    assert.equal(seen.baggage, 'req-7');
    await vigil.sdk.forceFlush();
    const exported = vigil.spanExporter.getFinishedSpans().find((span) => span.name === 'POST /features');
    assert.equal(exported?.parentSpanContext?.spanId, clientSpan.spanContext().spanId);
    assert.equal(exported?.parentSpanContext?.isRemote, true);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('HTTP: injecting uses the active context; extracting handles arrays, case and garbage', () => {
  const span = tracer.startSpan('outer');
  const headers = context.with(trace.setSpan(context.active(), span), () => injectHttpHeaders({}));
  span.end();
  const traceparent = headers['traceparent'];
  assert.ok(traceparent);
  const cases: [string, IncomingHttpHeaders | Record<string, string | string[] | undefined>, boolean][] = [
    ['lowercase', { traceparent }, true],
    ['mixed case from a plain object', { Traceparent: traceparent }, true],
    ['repeated header', { traceparent: [traceparent, 'junk'] }, true],
    ['malformed', { traceparent: '00-zz-yy-01' }, false],
    ['absent', {}, false],
  ];
  for (const [label, carrier, expectRemote] of cases) {
    const extracted = trace.getSpanContext(extractHttpHeaders(carrier));
    assert.equal(extracted?.spanId === span.spanContext().spanId, expectRemote, label);
    if (expectRemote) assert.equal(extracted?.isRemote, true, label);
  }
});

test('queue: producer headers survive JSON and Buffer serialisation; consumer joins or links the trace', () => {
  const producer = tracer.startSpan('fraud-scores publish', { kind: SpanKind.PRODUCER });
  const headers: Record<string, string | Buffer> = {};
  injectMessageHeaders(headers, trace.setSpan(context.active(), producer));
  producer.end();
  // What a broker delivers: the message round-tripped through bytes, header values as Buffers (kafkajs).
  const wire = Buffer.from(JSON.stringify({ value: { score: 0.91 }, headers }));
  const delivered = JSON.parse(wire.toString('utf8')) as { headers: Record<string, string> };
  const consumedHeaders = Object.fromEntries(
    Object.entries(delivered.headers).map(([key, value]) => [key, Buffer.from(value, 'utf8')]),
  );

  const consumer = tracer.startSpan('fraud-scores process', { kind: SpanKind.CONSUMER }, extractMessageHeaders(consumedHeaders));
  consumer.end();
  assert.equal(consumer.spanContext().traceId, producer.spanContext().traceId);
  const link = linkFromMessageHeaders(consumedHeaders);
  assert.equal(link?.context.traceId, producer.spanContext().traceId);
  assert.equal(link?.context.spanId, producer.spanContext().spanId);
  assert.equal(linkFromMessageHeaders({ unrelated: Buffer.from('x') }), undefined);
});

test('queue: the consumer span is exported as a child of the producer span', async () => {
  vigil.spanExporter.reset();
  const producer = tracer.startSpan('embeddings publish', { kind: SpanKind.PRODUCER });
  const headers: Record<string, string | Buffer> = {};
  injectMessageHeaders(headers, trace.setSpan(context.active(), producer));
  producer.end();
  const delivered = JSON.parse(JSON.stringify(headers)) as Record<string, string>;
  tracer.startSpan('embeddings process', { kind: SpanKind.CONSUMER }, extractMessageHeaders(delivered)).end();
  await vigil.sdk.forceFlush();
  const consumer = vigil.spanExporter.getFinishedSpans().find((span) => span.name === 'embeddings process');
  assert.equal(consumer?.parentSpanContext?.spanId, producer.spanContext().spanId);
  assert.equal(consumer?.spanContext().traceId, producer.spanContext().traceId);
});

test('gRPC: trace context through @grpc/grpc-js Metadata, including a serialised round trip', () => {
  const client = tracer.startSpan('vector-store/Search', { kind: SpanKind.CLIENT });
  const metadata = new Metadata();
  injectGrpcMetadata(metadata, trace.setSpan(context.active(), client));
  client.end();
  assert.equal(metadata.get('traceparent').length, 1);
  // The server sees metadata rebuilt from HTTP/2 headers.
  const received = Metadata.fromHttp2Headers(metadata.toHttp2Headers() as IncomingHttpHeaders);
  const parent = trace.getSpanContext(extractGrpcMetadata(received));
  assert.equal(parent?.traceId, client.spanContext().traceId);
  assert.equal(parent?.spanId, client.spanContext().spanId);
  assert.equal(parent?.isRemote, true);
  assert.equal(trace.getSpanContext(extractGrpcMetadata(new Metadata())), undefined);
});
