import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, credentials, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OverloadedError, UnavailableError } from '../../pipeline/errors.ts';
import { ingestMetrics } from '../../telemetry/self-metrics.ts';
import { startOtlpGrpcServer } from './grpc-server.ts';
import type { RunningReceiver } from './receiver-options.ts';
import {
  decodePartialSuccess,
  decodeRpcStatus,
  encodeTraceRequest,
  RecordingPipeline,
} from './receiver-test-support.ts';

const MAX_BODY_BYTES = 256 * 1024;
const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const pipeline = new RecordingPipeline();
const resource = resourceFromAttributes({ 'service.name': 'fraud-model' });
let receiver: RunningReceiver;
let client: Client;
let gzipClient: Client;

before(async () => {
  receiver = await startOtlpGrpcServer({
    pipeline,
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: MAX_BODY_BYTES,
  });
  client = new Client(`127.0.0.1:${receiver.port}`, credentials.createInsecure());
  // Compression algorithm 2 is gzip in grpc-js's channel options.
  gzipClient = new Client(`127.0.0.1:${receiver.port}`, credentials.createInsecure(), {
    'grpc.default_compression_algorithm': 2,
  });
});
after(async () => {
  client.close();
  gzipClient.close();
  await receiver.close();
});

interface RawAnswer {
  error: ServiceError | null;
  response: Buffer | undefined;
}

function exportRaw(via: Client, path: string, body: Uint8Array): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const identity = (bytes: Buffer): Buffer => bytes;
    via.makeUnaryRequest(path, identity, identity, Buffer.from(body), (error, response) =>
      resolve({ error, response }),
    );
  });
}

for (const compression of [CompressionAlgorithm.NONE, CompressionAlgorithm.GZIP]) {
  const config = () => ({ url: `http://127.0.0.1:${receiver.port}`, compression });

  test(`OTel JS gRPC exporters (${compression}) deliver spans, points and log records`, async () => {
    const before = { ...lengths() };
    const tracerProvider = new BasicTracerProvider({
      resource,
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter(config()))],
    });
    const span = tracerProvider.getTracer('test').startSpan('inference.forward_pass');
    span.end();
    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter(config()),
      exportIntervalMillis: 60_000,
    });
    const meterProvider = new MeterProvider({ resource, readers: [reader] });
    meterProvider.getMeter('test').createHistogram('ml_inference_latency_seconds').record(0.042);
    const loggerProvider = new LoggerProvider({
      resource,
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter(config()) })],
    });
    loggerProvider.getLogger('test').emit({ body: 'drift detected', severityNumber: SeverityNumber.WARN });
    await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush(), loggerProvider.forceFlush()]);

    await pipeline.waitFor('traces', before.traces + 1);
    await pipeline.waitFor('metrics', before.metrics + 1);
    await pipeline.waitFor('logs', before.logs + 1);
    assert.equal(pipeline.received.traces.at(-1)?.spanId, span.spanContext().spanId);
    assert.equal(pipeline.received.metrics.at(-1)?.metric.name, 'ml_inference_latency_seconds');
    assert.equal(pipeline.received.logs.at(-1)?.body, 'drift detected');
    await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown(), loggerProvider.shutdown()]);
  });
}

function lengths() {
  return {
    traces: pipeline.received.traces.length,
    metrics: pipeline.received.metrics.length,
    logs: pipeline.received.logs.length,
  };
}

test('a gzip-compressed raw export is accepted and counted', async () => {
  const acceptedBefore = ingestMetrics.accepted.get({ signal: 'traces', transport: 'grpc' });
  const answer = await exportRaw(gzipClient, TRACE_EXPORT, encodeTraceRequest(4));
  assert.equal(answer.error, null);
  assert.equal(decodePartialSuccess(answer.response ?? Buffer.alloc(0)), undefined);
  assert.equal(ingestMetrics.accepted.get({ signal: 'traces', transport: 'grpc' }), acceptedBefore + 4);
});

test('an empty request is a success', async () => {
  const answer = await exportRaw(
    client,
    '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
    new Uint8Array(),
  );
  assert.equal(answer.error, null);
});

test('an undecodable request is INVALID_ARGUMENT with a readable message', async () => {
  const valid = encodeTraceRequest(3);
  const answer = await exportRaw(client, TRACE_EXPORT, valid.subarray(0, valid.length - 5));
  assert.equal(answer.error?.code, GrpcStatus.INVALID_ARGUMENT);
  assert.ok((answer.error?.details ?? '').length > 0);
});

test('messages over the limit, on the wire or once inflated, are RESOURCE_EXHAUSTED', async () => {
  const consumeCallsBefore = pipeline.consumeCalls;
  const large = await exportRaw(client, TRACE_EXPORT, new Uint8Array(MAX_BODY_BYTES + 1));
  assert.equal(large.error?.code, GrpcStatus.RESOURCE_EXHAUSTED);
  // Zeros compress ~1000:1: a few KiB on the wire, 64 MiB inflated.
  const bomb = await exportRaw(gzipClient, TRACE_EXPORT, new Uint8Array(64 * 1024 * 1024));
  assert.equal(bomb.error?.code, GrpcStatus.RESOURCE_EXHAUSTED);
  assert.equal(pipeline.consumeCalls, consumeCallsBefore);
  assert.equal((await exportRaw(client, TRACE_EXPORT, encodeTraceRequest(1))).error, null, 'server still up');
});

const refusals = [
  {
    error: new OverloadedError('ingest queue is full', 5),
    code: GrpcStatus.RESOURCE_EXHAUSTED,
    retryDelay: 5,
  },
  { error: new UnavailableError('Vigil is shutting down', 3), code: GrpcStatus.UNAVAILABLE, retryDelay: 3 },
  { error: new TypeError('secret payload text'), code: GrpcStatus.INTERNAL, retryDelay: undefined },
];

for (const refusal of refusals) {
  test(`a pipeline ${refusal.error.name} answers ${GrpcStatus[refusal.code]}`, async () => {
    pipeline.refusal = refusal.error;
    try {
      const answer = await exportRaw(client, TRACE_EXPORT, encodeTraceRequest(2));
      assert.equal(answer.error?.code, refusal.code);
      assert.ok(!(answer.error?.details ?? '').includes('secret'));
      const [details] = answer.error?.metadata.get('grpc-status-details-bin') ?? [];
      if (refusal.retryDelay === undefined) {
        assert.equal(details, undefined);
        return;
      }
      assert.ok(Buffer.isBuffer(details), 'grpc-status-details-bin trailer is present');
      const status = decodeRpcStatus(details);
      assert.equal(status.code, refusal.code);
      assert.equal(status.message, answer.error?.details);
      assert.equal(status.retryDelaySeconds, refusal.retryDelay);
    } finally {
      pipeline.refusal = undefined;
    }
  });
}
