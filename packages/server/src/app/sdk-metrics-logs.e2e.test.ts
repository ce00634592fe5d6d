/**
 * The real OpenTelemetry JS metrics and logs SDKs send to a running Vigil over each OTLP exporter;
 * what is stored equals what was sent (metric points through the store, logs through the query API).
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as LogsGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricsGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as MetricsJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningVigil } from './start-vigil.ts';
import { getJson, startTestVigil } from './e2e-support.ts';

let vigil: RunningVigil;
before(async () => {
  vigil = await startTestVigil();
});
after(() => vigil.close());

const http = (v: RunningVigil, path: string): string => `http://127.0.0.1:${v.ports.otlpHttp}${path}`;
const grpc = (v: RunningVigil): string => `http://127.0.0.1:${v.ports.otlpGrpc}`;

const METRIC_EXPORTERS: Record<string, (v: RunningVigil) => PushMetricExporter> = {
  json: (v) => new MetricsJson({ url: http(v, '/v1/metrics') }),
  protobuf: (v) => new MetricsProto({ url: http(v, '/v1/metrics') }),
  grpc: (v) => new MetricsGrpc({ url: grpc(v) }),
};

const LOG_EXPORTERS: Record<string, (v: RunningVigil) => LogRecordExporter> = {
  json: (v) => new LogsJson({ url: http(v, '/v1/logs') }),
  protobuf: (v) => new LogsProto({ url: http(v, '/v1/logs') }),
  grpc: (v) => new LogsGrpc({ url: grpc(v) }),
};

for (const [transport, makeExporter] of Object.entries(METRIC_EXPORTERS)) {
  test(`metrics sent with ${transport}: sum, gauge, histogram and exponential histogram points are stored`, async () => {
    const prefix = `e2e_${transport}_`;
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': `metrics-${transport}` }),
      readers: [
        new PeriodicExportingMetricReader({ exporter: makeExporter(vigil), exportIntervalMillis: 60_000 }),
      ],
      views: [
        {
          instrumentName: `${prefix}exp_latency`,
          aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
        },
      ],
    });
    const meter = provider.getMeter('ml.metrics', '1.0.0');
    const labels = { model_name: 'fraud-detector', model_version: 'v3.1' };
    meter.createCounter(`${prefix}predictions`).add(7, labels);
    meter.createGauge(`${prefix}gpu_memory_bytes`).record(2.5e9, { gpu_id: '0' });
    const latency = meter.createHistogram(`${prefix}latency`, {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.01, 0.1, 1] },
    });
    for (const seconds of [0.005, 0.05, 0.05, 0.5, 2]) latency.record(seconds, labels);
    const exp = meter.createHistogram(`${prefix}exp_latency`);
    for (const seconds of [0.1, 0.2, 0.4]) exp.record(seconds);
    await provider.forceFlush();
    await provider.shutdown();

    const points = await vigil.store.readMetricPoints({ limit: 1000 });
    const byName = new Map(
      points.filter((p) => p.metric.name.startsWith(prefix)).map((p) => [p.metric.name, p]),
    );
    const counter = byName.get(`${prefix}predictions`);
    assert.equal(counter?.metric.type, 'sum');
    assert.equal(counter?.metric.isMonotonic, true);
    assert.equal(counter?.value, 7);
    assert.equal(counter?.attributes['model_version'], 'v3.1');
    assert.equal(counter?.resource.serviceName, `metrics-${transport}`);
    assert.equal(counter?.scope.name, 'ml.metrics');
    assert.ok(
      (counter?.startTimeUnixNano ?? 0n) > 0n &&
        (counter?.timeUnixNano ?? 0n) >= (counter?.startTimeUnixNano ?? 0n),
    );
    assert.equal(byName.get(`${prefix}gpu_memory_bytes`)?.metric.type, 'gauge');
    assert.equal(byName.get(`${prefix}gpu_memory_bytes`)?.value, 2.5e9);
    const histogram = byName.get(`${prefix}latency`);
    assert.equal(histogram?.metric.type, 'histogram');
    assert.equal(histogram?.metric.unit, 's');
    assert.deepEqual(histogram?.explicitBounds, [0.01, 0.1, 1]);
    assert.deepEqual(histogram?.bucketCounts, [1, 2, 1, 1]);
    assert.equal(histogram?.count, 5);
    assert.equal(histogram?.sum, 2.605);
    assert.equal(histogram?.min, 0.005);
    assert.equal(histogram?.max, 2);
    const expHistogram = byName.get(`${prefix}exp_latency`);
    assert.equal(expHistogram?.metric.type, 'exponential_histogram');
    assert.equal(expHistogram?.count, 3);
    assert.equal(
      (expHistogram?.positive?.bucketCounts ?? []).reduce((a, b) => a + b, 0) +
        (expHistogram?.zeroCount ?? 0),
      3,
    );
  });
}

interface ApiLog {
  timeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: { type: string; value: unknown };
  attributes: Record<string, { type: string; value: unknown }>;
  traceId: string;
  spanId: string;
  resource: { serviceName: string };
}

for (const [transport, makeExporter] of Object.entries(LOG_EXPORTERS)) {
  test(`logs sent with ${transport} read back through the log search API`, async () => {
    const service = `logs-${transport}`;
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      processors: [new SimpleLogRecordProcessor({ exporter: makeExporter(vigil) })],
    });
    const logger = provider.getLogger('ml.logs');
    // One second back so the nanosecond timestamp is surely inside the default window ending now.
    const seconds = Math.floor(Date.now() / 1000) - 1;
    logger.emit({
      timestamp: [seconds, 123_456_789],
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: 'feature pipeline emitted nulls',
      attributes: { 'ml.preprocess.null_count': 12, 'ml.model.version': '3.1.0' },
    });
    logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'model loaded' });
    await provider.forceFlush();
    await provider.shutdown();

    const { status, body } = await getJson(vigil, `/api/vigil/v1/logs?service=${service}&lookback=2h`);
    assert.equal(status, 200);
    const logs = (body as { data: ApiLog[] }).data;
    assert.equal(logs.length, 2, JSON.stringify(logs.map((l) => l.body)));
    const error = logs.find((l) => l.severityNumber === 17);
    assert.deepEqual(error?.body, { type: 'string', value: 'feature pipeline emitted nulls' });
    assert.equal(error?.timeUnixNano, `${seconds}123456789`);
    assert.deepEqual(error?.attributes['ml.preprocess.null_count'], { type: 'int', value: '12' });
    assert.equal(error?.resource.serviceName, service);

    const onlyErrors = await getJson(
      vigil,
      `/api/vigil/v1/logs?service=${service}&lookback=2h&severity=error`,
    );
    assert.equal((onlyErrors.body as { data: ApiLog[] }).data.length, 1);
    const byText = await getJson(vigil, `/api/vigil/v1/logs?service=${service}&lookback=2h&q=NULLS`);
    assert.equal((byText.body as { data: ApiLog[] }).data.length, 1);
  });
}
