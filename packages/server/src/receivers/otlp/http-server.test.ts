import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OverloadedError, UnavailableError } from '../../pipeline/errors.ts';
import { ingestMetrics } from '../../telemetry/self-metrics.ts';
import { startOtlpHttpServer } from './http-server.ts';
import type { RunningReceiver } from './receiver-options.ts';
import {
  decodePartialSuccess,
  decodeRpcStatus,
  encodeTraceRequest,
  httpRequest,
  RecordingPipeline,
} from './receiver-test-support.ts';

const MAX_BODY_BYTES = 64 * 1024;
const pipeline = new RecordingPipeline();
let receiver: RunningReceiver;
let base: string;

before(async () => {
  receiver = await startOtlpHttpServer({
    pipeline,
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: MAX_BODY_BYTES,
  });
  base = `http://127.0.0.1:${receiver.port}`;
});
after(() => receiver.close());

const resource = resourceFromAttributes({ 'service.name': 'fraud-model' });

for (const encoding of ['json', 'protobuf'] as const) {
  for (const compression of [CompressionAlgorithm.NONE, CompressionAlgorithm.GZIP]) {
    const config = (signal: string) => ({ url: `${base}/v1/${signal}`, compression });

    test(`OTel JS trace exporter (${encoding}, ${compression}) delivers spans`, async () => {
      const before = pipeline.received.traces.length;
      const exporter =
        encoding === 'json'
          ? new JsonTraceExporter(config('traces'))
          : new ProtoTraceExporter(config('traces'));
      const provider = new BasicTracerProvider({
        resource,
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      const span = provider
        .getTracer('test')
        .startSpan('inference.predict', { attributes: { 'ml.model.version': 'v7' } });
      span.end();
      await provider.forceFlush();
      await pipeline.waitFor('traces', before + 1);
      const received = pipeline.received.traces.at(-1);
      assert.equal(received?.name, 'inference.predict');
      assert.equal(received?.traceId, span.spanContext().traceId);
      assert.equal(received?.spanId, span.spanContext().spanId);
      await provider.shutdown();
    });

    test(`OTel JS metric exporter (${encoding}, ${compression}) delivers points`, async () => {
      const before = pipeline.received.metrics.length;
      const exporter =
        encoding === 'json'
          ? new JsonMetricExporter(config('metrics'))
          : new ProtoMetricExporter(config('metrics'));
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
      const provider = new MeterProvider({ resource, readers: [reader] });
      provider.getMeter('test').createCounter('ml_predictions_total').add(3, { class: 'fraud' });
      await provider.forceFlush();
      await pipeline.waitFor('metrics', before + 1);
      const point = pipeline.received.metrics.at(-1);
      assert.equal(point?.metric.name, 'ml_predictions_total');
      assert.equal(point?.value, 3);
      await provider.shutdown();
    });

    test(`OTel JS log exporter (${encoding}, ${compression}) delivers log records`, async () => {
      const before = pipeline.received.logs.length;
      const exporter =
        encoding === 'json' ? new JsonLogExporter(config('logs')) : new ProtoLogExporter(config('logs'));
      const provider = new LoggerProvider({
        resource,
        processors: [new SimpleLogRecordProcessor({ exporter })],
      });
      provider.getLogger('test').emit({ body: 'model loaded', severityNumber: SeverityNumber.INFO });
      await provider.forceFlush();
      await pipeline.waitFor('logs', before + 1);
      assert.equal(pipeline.received.logs.at(-1)?.body, 'model loaded');
      await provider.shutdown();
    });
  }
}

test('accepted records are counted by signal and transport', async () => {
  const acceptedBefore = ingestMetrics.accepted.get({ signal: 'traces', transport: 'http' });
  const requestsBefore = ingestMetrics.requests.get({
    signal: 'traces',
    transport: 'http',
    outcome: 'success',
  });
  const answer = await postProtobuf('/v1/traces', encodeTraceRequest(5));
  assert.equal(answer.status, 200);
  assert.equal(ingestMetrics.accepted.get({ signal: 'traces', transport: 'http' }), acceptedBefore + 5);
  assert.equal(
    ingestMetrics.requests.get({ signal: 'traces', transport: 'http', outcome: 'success' }),
    requestsBefore + 1,
  );
});

test('a full success answers 200 with the request media type and no partial_success', async () => {
  const protobufAnswer = await postProtobuf('/v1/traces', encodeTraceRequest(2));
  assert.equal(protobufAnswer.status, 200);
  assert.equal(protobufAnswer.headers['content-type'], 'application/x-protobuf');
  assert.equal(decodePartialSuccess(protobufAnswer.body), undefined);

  const jsonAnswer = await postJson('/v1/traces', { resourceSpans: [] }, 'application/json; charset=utf-8');
  assert.equal(jsonAnswer.status, 200);
  assert.equal(jsonAnswer.headers['content-type'], 'application/json');
  assert.equal(
    (JSON.parse(jsonAnswer.body.toString()) as { partialSuccess?: unknown }).partialSuccess,
    undefined,
  );
});

test('spans with bad hex ids are rejected individually: 200 with partial success', async () => {
  const good = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'ok' };
  const request = {
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              { ...good, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000000000001' },
              { ...good, traceId: 'not-hex', name: 'bad-trace' },
              { ...good, spanId: 'abc', name: 'bad-span' },
            ],
          },
        ],
      },
    ],
  };
  const before = pipeline.received.traces.length;
  const partialBefore = ingestMetrics.rejected.get({ signal: 'traces', reason: 'partial' });
  const answer = await postJson('/v1/traces', request);
  assert.equal(answer.status, 200);
  const body = JSON.parse(answer.body.toString()) as {
    partialSuccess?: { rejectedSpans?: number | string; errorMessage?: string };
  };
  assert.equal(Number(body.partialSuccess?.rejectedSpans), 2);
  assert.ok((body.partialSuccess?.errorMessage ?? '').length > 0);
  assert.equal(pipeline.received.traces.length, before + 1);
  assert.equal(pipeline.received.traces.at(-1)?.name, 'ok');
  assert.equal(ingestMetrics.rejected.get({ signal: 'traces', reason: 'partial' }), partialBefore + 2);
});

interface BadInputCase {
  name: string;
  path?: string;
  method?: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
  status: number;
  contentType: string;
  messageIncludes: string;
}

const validProtobuf = encodeTraceRequest(3);
const badInputCases: BadInputCase[] = [
  {
    name: 'truncated protobuf',
    headers: { 'content-type': 'application/x-protobuf' },
    body: validProtobuf.subarray(0, validProtobuf.length - 7),
    status: 400,
    contentType: 'application/x-protobuf',
    messageIncludes: '',
  },
  {
    name: 'JSON that is not JSON',
    headers: { 'content-type': 'application/json' },
    body: '{"resourceSpans": [',
    status: 400,
    contentType: 'application/json',
    messageIncludes: '',
  },
  {
    name: 'JSON with the wrong types',
    headers: { 'content-type': 'application/json' },
    body: '{"resourceSpans": "spans"}',
    status: 400,
    contentType: 'application/json',
    messageIncludes: '',
  },
  {
    name: 'gzip header on a body that is not gzip',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
    body: validProtobuf,
    status: 400,
    contentType: 'application/x-protobuf',
    messageIncludes: 'gzip',
  },
  {
    name: 'unknown content type',
    headers: { 'content-type': 'text/plain' },
    body: 'hello',
    status: 415,
    contentType: 'application/json',
    messageIncludes: 'content type',
  },
  {
    name: 'missing content type',
    headers: {},
    body: validProtobuf,
    status: 415,
    contentType: 'application/json',
    messageIncludes: 'content type',
  },
  {
    name: 'unknown content encoding',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'br' },
    body: validProtobuf,
    status: 415,
    contentType: 'application/x-protobuf',
    messageIncludes: 'encoding',
  },
  {
    name: 'declared body over the limit',
    headers: { 'content-type': 'application/x-protobuf' },
    body: new Uint8Array(MAX_BODY_BYTES + 1),
    status: 413,
    contentType: 'application/x-protobuf',
    messageIncludes: 'exceeds',
  },
  {
    name: 'chunked body over the limit',
    headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    body: `{"resourceSpans": [], "pad": "${'x'.repeat(MAX_BODY_BYTES)}"}`,
    status: 413,
    contentType: 'application/json',
    messageIncludes: 'exceeds',
  },
  {
    name: 'gzip body that expands past the limit',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzipSync(`{"resourceSpans": [], "pad": "${'x'.repeat(4 * MAX_BODY_BYTES)}"}`),
    status: 413,
    contentType: 'application/json',
    messageIncludes: 'exceeds',
  },
  {
    name: 'unknown path',
    path: '/v1/spans',
    headers: { 'content-type': 'application/x-protobuf' },
    body: validProtobuf,
    status: 404,
    contentType: 'application/json',
    messageIncludes: '/v1/traces',
  },
  {
    name: 'GET on an OTLP path',
    method: 'GET',
    headers: {},
    status: 405,
    contentType: 'application/json',
    messageIncludes: 'POST',
  },
];

for (const badInput of badInputCases) {
  test(`bad input: ${badInput.name} → ${badInput.status}, and the server stays up`, async () => {
    const consumeCallsBefore = pipeline.consumeCalls;
    const answer = await httpRequest(`${base}${badInput.path ?? '/v1/traces'}`, {
      method: badInput.method ?? 'POST',
      headers: badInput.headers,
      body: badInput.body,
    });
    assert.equal(answer.status, badInput.status);
    assert.equal(answer.headers['content-type'], badInput.contentType);
    const message = readStatusMessage(answer.body, badInput.contentType);
    assert.ok(message.length > 0, 'the Status message explains the failure');
    assert.ok(
      message.includes(badInput.messageIncludes),
      `"${message}" mentions "${badInput.messageIncludes}"`,
    );
    assert.equal(pipeline.consumeCalls, consumeCallsBefore, 'nothing reached the pipeline');

    const good = await postProtobuf('/v1/traces', encodeTraceRequest(1));
    assert.equal(good.status, 200);
  });
}

test('405 names the allowed method', async () => {
  const answer = await httpRequest(`${base}/v1/logs`, { method: 'PUT', headers: {} });
  assert.equal(answer.status, 405);
  assert.equal(answer.headers.allow, 'POST');
});

test('an empty protobuf body is an empty request: 200, nothing stored', async () => {
  const consumeCallsBefore = pipeline.consumeCalls;
  const answer = await postProtobuf('/v1/metrics', new Uint8Array());
  assert.equal(answer.status, 200);
  assert.equal(decodePartialSuccess(answer.body), undefined);
  assert.equal(pipeline.consumeCalls, consumeCallsBefore);
});

test('an empty JSON body is not a JSON document: 400', async () => {
  const answer = await httpRequest(`${base}/v1/logs`, {
    headers: { 'content-type': 'application/json' },
    body: '',
  });
  assert.equal(answer.status, 400);
  assert.ok(readStatusMessage(answer.body, 'application/json').length > 0);
});

const refusals = [
  { error: new OverloadedError('ingest queue is full', 7), status: 429, retryAfter: '7', code: 8 },
  { error: new UnavailableError('Vigil is shutting down', 2.5), status: 503, retryAfter: '3', code: 14 },
  { error: new Error('disk says: secret payload'), status: 500, retryAfter: undefined, code: 13 },
];

for (const refusal of refusals) {
  test(`a pipeline ${refusal.error.name} answers ${refusal.status}`, async () => {
    pipeline.refusal = refusal.error;
    try {
      const answer = await postProtobuf('/v1/traces', encodeTraceRequest(2));
      assert.equal(answer.status, refusal.status);
      assert.equal(answer.headers['retry-after'], refusal.retryAfter);
      assert.equal(answer.headers['content-type'], 'application/x-protobuf');
      const status = decodeRpcStatus(answer.body);
      assert.equal(status.code, refusal.code);
      assert.ok(!status.message.includes('secret'), 'internal error text does not reach the client');
      assert.equal(
        status.retryDelaySeconds,
        refusal.retryAfter === undefined ? undefined : Number(refusal.retryAfter),
      );
    } finally {
      pipeline.refusal = undefined;
    }
  });
}

test('a client that stops sending its body is cut off by the request timeout', async () => {
  const slowPipeline = new RecordingPipeline();
  const slowReceiver = await startOtlpHttpServer({
    pipeline: slowPipeline,
    port: 0,
    headersTimeoutMillis: 200,
    requestTimeoutMillis: 300,
  });
  try {
    const socket = connect(slowReceiver.port, '127.0.0.1');
    socket.write('POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n');
    socket.write('Content-Length: 1000\r\n\r\nonly a part of the body');
    const startMillis = performance.now();
    const answer = await new Promise<string>((resolve) => {
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.on('close', () => resolve(received));
    });
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.ok(performance.now() - startMillis < 2000);
    assert.equal(slowPipeline.consumeCalls, 0);
  } finally {
    await slowReceiver.close();
  }
});

function postProtobuf(path: string, body: Uint8Array) {
  return httpRequest(`${base}${path}`, { headers: { 'content-type': 'application/x-protobuf' }, body });
}

function postJson(path: string, request: unknown, contentType = 'application/json') {
  return httpRequest(`${base}${path}`, {
    headers: { 'content-type': contentType },
    body: JSON.stringify(request),
  });
}

function readStatusMessage(body: Buffer, contentType: string): string {
  if (contentType === 'application/x-protobuf') return decodeRpcStatus(body).message;
  const status = JSON.parse(body.toString()) as { message?: unknown };
  return typeof status.message === 'string' ? status.message : '';
}
