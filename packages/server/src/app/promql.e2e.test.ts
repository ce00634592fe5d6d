/**
 * The seed's ML metrics, sent by the real OpenTelemetry JS SDK over OTLP, answer the seed's
 * Prometheus alert expressions through Vigil's /api/v1/query: OTLP → Prometheus series mapping,
 * storage, PromQL and the Prometheus JSON format end to end.
 */
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getJson, startTestVigil } from './e2e-support.ts';
import type { RunningVigil } from './start-vigil.ts';

// The seed's "Custom Metrics for ML Inference Latency Histograms" buckets (10 ms to 10 s).
const INFERENCE_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

interface VectorResponse {
  status: string;
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

let vigil: RunningVigil;

/**
 * Two exports 300 ms apart, each after recording the same observations: every cumulative series
 * doubles between them, so rate() scales all of them alike and ratios and quantiles of rates equal
 * those of one batch, which the assertions compute by hand.
 */
before(async () => {
  vigil = await startTestVigil();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'fraud-model', 'service.instance.id': 'pod-1' }),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `http://127.0.0.1:${vigil.ports.otlpHttp}/v1/metrics` }),
        exportIntervalMillis: 600_000,
      }),
    ],
  });
  const meter = provider.getMeter('fraud-model');
  const latency = meter.createHistogram('ml_inference_latency_seconds', {
    unit: 's',
    description: 'Latency of model inference in seconds',
    advice: { explicitBucketBoundaries: INFERENCE_BUCKETS_SECONDS },
  });
  const predictions = meter.createCounter('ml_predictions_total', {
    description: 'Total number of predictions served',
  });
  for (let batch = 0; batch < 2; batch++) {
    recordBatch(latency, predictions);
    await provider.forceFlush();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await provider.shutdown();
});
after(() => vigil.close());

type Histogram = ReturnType<ReturnType<MeterProvider['getMeter']>['createHistogram']>;
type Counter = ReturnType<ReturnType<MeterProvider['getMeter']>['createCounter']>;

/** v3.1: 99 fast requests and one slow; canary v3.2: 95 at 300 ms and 5 at 3 s; 2 % errors. */
function recordBatch(latency: Histogram, predictions: Counter): void {
  const stable = { model_name: 'fraud-detector', model_version: 'v3.1', endpoint: '/predict' };
  const canary = { ...stable, model_version: 'v3.2' };
  for (let i = 0; i < 99; i++) latency.record(0.03, stable);
  latency.record(0.3, stable);
  for (let i = 0; i < 95; i++) latency.record(0.3, canary);
  for (let i = 0; i < 5; i++) latency.record(3, canary);
  predictions.add(98, { model_name: 'fraud-detector', model_version: 'v3.1', result_class: 'legit' });
  predictions.add(2, { model_name: 'fraud-detector', model_version: 'v3.1', result_class: 'error' });
}

async function query(expr: string): Promise<VectorResponse> {
  const { status, body } = await getJson(
    vigil,
    `/api/v1/query?query=${encodeURIComponent(expr)}&time=${Date.now() / 1000}`,
  );
  assert.equal(status, 200, JSON.stringify(body));
  return body as VectorResponse;
}

test('the seed p99 latency alert fires for the slow canary only', async () => {
  const { data } = await query(`histogram_quantile(0.99,
    sum(rate(ml_inference_latency_seconds_bucket{model_name="fraud-detector"}[5m])) by (le, model_version)
  ) > 0.5`);
  assert.equal(data.resultType, 'vector');
  assert.deepEqual(
    data.result.map((r) => r.metric),
    [{ model_version: 'v3.2' }],
  );
  // Rank 99 of 100 falls in (2.5, 5] holding the 5 slowest: 2.5 + 2.5 × (99 − 95) / 5.
  assert.ok(Math.abs(Number(data.result[0]?.value[1]) - 4.5) < 1e-9);
});

test('the seed error-rate alert expression gives 2 %', async () => {
  const { data } = await query(`sum(rate(ml_predictions_total{result_class="error"}[5m]))
    / sum(rate(ml_predictions_total[5m])) > 0.001`);
  assert.equal(data.result.length, 1);
  assert.ok(Math.abs(Number(data.result[0]?.value[1]) - 0.02) < 1e-12);
});

test('OTLP resource attributes become job and instance; names keep the seed spelling', async () => {
  const { data } = await query(
    'count by (__name__, job, instance) ({__name__=~"ml_.+", model_version="v3.1"})',
  );
  const names = data.result
    .map((r) => r.metric)
    .sort((a, b) => (a.__name__ ?? '').localeCompare(b.__name__ ?? ''));
  assert.deepEqual(
    names.map((m) => m.__name__),
    [
      'ml_inference_latency_seconds_bucket',
      'ml_inference_latency_seconds_count',
      'ml_inference_latency_seconds_sum',
      'ml_predictions_total',
    ],
  );
  for (const metric of names) assert.deepEqual([metric.job, metric.instance], ['fraud-model', 'pod-1']);
});

test('a query error answers in the Prometheus error format', async () => {
  const { status, body } = await getJson(vigil, '/api/v1/query?query=sum(rate(x[5m])');
  assert.equal(status, 400);
  assert.equal((body as { status: string; errorType: string }).errorType, 'bad_data');
});
