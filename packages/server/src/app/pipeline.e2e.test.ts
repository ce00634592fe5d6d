/**
 * The seed's OpenTelemetry Collector configuration, run by Vigil as written except for addresses and
 * timings: tail sampling keeps every error and slow trace and about 10% of the rest, span metrics count
 * every span before sampling, and the three exporters forward to a second Vigil standing in for Tempo
 * (OTLP/gRPC), Mimir (remote write) and Loki (push API). Clients are the real OTel JS SDK.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../config/load-config.ts';
import { attributeText } from '../model/attributes.ts';
import { getJson, startTestVigil } from './e2e-support.ts';
import { startVigil, type RunningVigil } from './start-vigil.ts';

const SEED = fileURLToPath(new URL('../config/collector/testdata/seed-collector.yaml', import.meta.url));
const NORMAL_TRACES = 300;
const RESOURCE = resourceFromAttributes({ 'service.name': 'fraud-model', 'service.version': '3.1.0' });

let backend: RunningVigil;
let vigil: RunningVigil;
const sent = { errorTraceId: '', slowTraceId: '', normalTraceIds: [] as string[], spans: 0 };

/** The seed config pointed at `backend`, with a 1 s decision_wait so the test does not wait 10 s. */
function seedConfigFor(target: RunningVigil, dataDir: string): string {
  const api = `127.0.0.1:${target.ports.api}`;
  const text = readFileSync(SEED, 'utf8')
    .replaceAll('0.0.0.0:4317', '127.0.0.1:0')
    .replaceAll('0.0.0.0:4318', '127.0.0.1:0')
    .replace('tempo:4317', `127.0.0.1:${target.ports.otlpGrpc}`)
    .replace('http://mimir:9009/api/v1/push', `http://${api}/api/v1/write`)
    .replace('http://loki:3100/loki/api/v1/push', `http://${api}/loki/api/v1/push`)
    .replace('decision_wait: 10s', 'decision_wait: 1s')
    .replace('timeout: 5s', 'timeout: 100ms');
  return `${text}
vigil:
  data_dir: ${dataDir}
  api:
    endpoint: 127.0.0.1:0
  span_metrics:
    metrics_flush_interval: 500ms
`;
}

before(async () => {
  backend = await startTestVigil();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pipeline-e2e-'));
  const file = join(dir, 'vigil.yaml');
  writeFileSync(file, seedConfigFor(backend, join(dir, 'data')));
  vigil = await startVigil(loadConfigFile(file));
  await sendTraces();
  await sendMetricsAndLogs();
});
after(async () => {
  await vigil.close();
  await backend.close();
});

async function sendTraces(): Promise<void> {
  const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${vigil.ports.otlpHttp}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: RESOURCE,
    spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 256, scheduledDelayMillis: 50 })],
  });
  const tracer = provider.getTracer('ml.inference');
  const emit = (kind: 'error' | 'slow' | 'normal'): string => {
    const nowMs = Date.now();
    const startMs = kind === 'slow' ? nowMs - 600 : nowMs - 20;
    const root = tracer.startSpan('inference.predict', {
      kind: SpanKind.SERVER,
      startTime: startMs,
      attributes: { 'ml.model.name': 'fraud-detector', 'ml.model.version': '3.1' },
    });
    const child = tracer.startSpan(
      'inference.forward_pass',
      { startTime: startMs + 1 },
      trace.setSpan(context.active(), root),
    );
    child.end(startMs + 5);
    if (kind === 'error') root.setStatus({ code: SpanStatusCode.ERROR, message: 'CUDA out of memory' });
    root.end(nowMs);
    sent.spans += 2;
    return root.spanContext().traceId;
  };
  sent.errorTraceId = emit('error');
  sent.slowTraceId = emit('slow');
  for (let i = 0; i < NORMAL_TRACES; i++) sent.normalTraceIds.push(emit('normal'));
  await provider.forceFlush();
  await provider.shutdown();
}

async function sendMetricsAndLogs(): Promise<void> {
  const metricExporter = new OTLPMetricExporter({
    url: `http://127.0.0.1:${vigil.ports.otlpHttp}/v1/metrics`,
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 60_000,
  });
  const meters = new MeterProvider({ resource: RESOURCE, readers: [reader] });
  meters.getMeter('ml').createCounter('ml_predictions').add(7, { result_class: 'fraud' });
  await meters.forceFlush();
  await meters.shutdown();
  const logExporter = new OTLPLogExporter({ url: `http://127.0.0.1:${vigil.ports.otlpHttp}/v1/logs` });
  const logs = new LoggerProvider({
    resource: RESOURCE,
    processors: [new BatchLogRecordProcessor({ exporter: logExporter })],
  });
  logs.getLogger('ml').emit({ severityNumber: SeverityNumber.WARN, body: 'feature store returned 3 nulls' });
  await logs.forceFlush();
  await logs.shutdown();
}

async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function promScalar(target: RunningVigil, query: string): Promise<number | undefined> {
  const { body } = await getJson(target, `/api/v1/query?query=${encodeURIComponent(query)}`);
  const result = (body as { data?: { result?: { value: [number, string] }[] } }).data?.result ?? [];
  return result[0] ? Number(result[0].value[1]) : undefined;
}

async function storedTraceCount(target: RunningVigil, ids: readonly string[]): Promise<number> {
  let count = 0;
  for (const id of ids) if ((await target.store.getTrace(id)).length > 0) count++;
  return count;
}

test('every error and slow trace is kept, with the policy that kept it', async () => {
  for (const [id, policy] of [
    [sent.errorTraceId, 'error-traces'],
    [sent.slowTraceId, 'slow-traces'],
  ] as const) {
    const spans = await eventually(
      `trace kept by ${policy}`,
      () => vigil.store.getTrace(id),
      (s) => s.length === 2,
    );
    assert.deepEqual(new Set(spans.map((s) => s.attributes['tailsampling.policy'])), new Set([policy]));
  }
});

test('about 10% of normal traces are kept, and the sampling API says which share', async () => {
  const sampling = await eventually(
    'all traces decided',
    async () => (await getJson(vigil, '/api/vigil/v1/sampling')).body as SamplingBody,
    (b) => b.data.services['fraud-model']?.tracesSeen === NORMAL_TRACES + 2,
  );
  const kept = await storedTraceCount(vigil, sent.normalTraceIds);
  // Binomial(300, 0.1): mean 30, sd 5.2; ±4 sd.
  assert.ok(kept >= 10 && kept <= 51, `kept ${kept} of ${NORMAL_TRACES}`);
  const summary = sampling.data.services['fraud-model']!;
  assert.equal(summary.tracesKept, kept + 2);
  assert.equal(summary.keptByPolicy['probabilistic-sampling'], kept);
  assert.ok(Math.abs(summary.traceWeight - (NORMAL_TRACES + 2) / (kept + 2)) < 1e-9);
});

test('span metrics count every span, before sampling', async () => {
  const calls = await eventually(
    'span metrics flushed',
    () => promScalar(vigil, 'sum(traces_span_metrics_calls_total{service_name="fraud-model"})'),
    (v) => v === sent.spans,
  );
  assert.equal(calls, sent.spans);
  const errors = await promScalar(
    vigil,
    'sum(traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR"})',
  );
  assert.equal(errors, 1);
  const perModel = await promScalar(
    vigil,
    'sum(traces_span_metrics_calls_total{ml_model_name="fraud-detector",ml_model_version="3.1"})',
  );
  assert.equal(perModel, NORMAL_TRACES + 2);
});

test('otlp/tempo forwards exactly the sampled traces to the backend', async () => {
  await eventually(
    'error trace at the backend',
    () => backend.store.getTrace(sent.errorTraceId),
    (s) => s.length === 2,
  );
  await eventually(
    'slow trace at the backend',
    () => backend.store.getTrace(sent.slowTraceId),
    (s) => s.length === 2,
  );
  const keptHere = await storedTraceCount(vigil, sent.normalTraceIds);
  const forwarded = await eventually(
    'sampled traces at the backend',
    () => storedTraceCount(backend, sent.normalTraceIds),
    (n) => n === keptHere,
  );
  assert.equal(forwarded, keptHere);
});

test('metrics get deployment.environment (attributes processor) and reach the backend by remote write', async () => {
  const query = 'ml_predictions_total{deployment_environment="production",result_class="fraud"}';
  assert.equal(
    await eventually(
      'metric stored',
      () => promScalar(vigil, query),
      (v) => v === 7,
    ),
    7,
  );
  assert.equal(
    await eventually(
      'metric remote-written',
      () => promScalar(backend, query),
      (v) => v === 7,
    ),
    7,
  );
});

test('logs reach the backend through the loki exporter', async () => {
  const logs = await eventually(
    'log pushed to the backend',
    () => backend.store.searchLogs({ bodyContains: '3 nulls', limit: 10 }),
    (found) => found.length === 1,
  );
  assert.match(attributeText(logs[0]!.body), /feature store returned 3 nulls/);
});

interface SamplingBody {
  data: {
    services: Record<
      string,
      { tracesSeen: number; tracesKept: number; traceWeight: number; keptByPolicy: Record<string, number> }
    >;
  };
}
