/**
 * setupVigil end to end in-process: ML resource attributes on every signal, the seed's metrics
 * (names, exact bucket boundaries, labels) as exported by the real metrics SDK, logs, and the
 * OTLP endpoint resolution rules.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setupInMemoryVigil } from './in-memory-sdk.ts';
import { resolveOtlpTarget } from './otlp-exporters.ts';
import { traceInference } from './trace-inference.ts';

const vigil = setupInMemoryVigil({
  serviceName: 'ml-inference-service',
  serviceVersion: '1.4.2',
  environment: 'production',
  model: { name: 'fraud-detector-v3', version: '3.1.0' },
  resourceAttributes: { 'host.name': 'gpu-node-7', 'service.name': 'overridden-by-option' },
});
after(() => vigil.sdk.shutdown());

const SEED_RESOURCE = {
  'service.name': 'ml-inference-service',
  'service.version': '1.4.2',
  'deployment.environment': 'production',
  'ml.model.name': 'fraud-detector-v3',
  'ml.model.version': '3.1.0',
  'host.name': 'gpu-node-7',
};

function metric(name: string): MetricData {
  const found = vigil.latestMetric(name);
  assert.ok(found, `metric ${name} exported`);
  return found;
}

test('the resource carries the ML attributes on spans, metrics and logs', async () => {
  await traceInference(vigil.sdk.tracer, { modelName: 'm', modelVersion: '1', batchSize: 1 }, () => 0);
  vigil.sdk.logger.emit({ severityNumber: SeverityNumber.INFO, body: 'model loaded' });
  vigil.sdk.metrics.predictionsTotal.add(1, { model_name: 'm', model_version: '1', result_class: 'x' });
  await vigil.sdk.forceFlush();
  const spanResource = vigil.spanExporter.getFinishedSpans()[0]?.resource.attributes;
  const logResource = vigil.logExporter.getFinishedLogRecords()[0]?.resource.attributes;
  const metricResource = vigil.metricExporter.getMetrics().at(-1)?.resource.attributes;
  for (const [label, attributes] of Object.entries({ spanResource, logResource, metricResource })) {
    assert.ok(attributes, label);
    for (const [key, value] of Object.entries(SEED_RESOURCE)) assert.equal(attributes[key], value, `${label} ${key}`);
    assert.equal(attributes['telemetry.sdk.language'], 'nodejs', label);
  }
  assert.equal(vigil.logExporter.getFinishedLogRecords()[0]?.body, 'model loaded');
});

test('latency histograms use the seed buckets and labels; traceInference feeds them', async () => {
  const request = { modelName: 'fraud-detector', modelVersion: 'v3.1', batchSize: 8 };
  for (let round = 0; round < 3; round++) {
    await traceInference(
      vigil.sdk.tracer,
      request,
      async (inference) => {
        await inference.preprocess(() => 0);
        await inference.forwardPass(() => 0, { gpuUsed: false });
        inference.setPrediction(0.9, round === 0 ? 'legitimate' : 'fraud');
      },
      { metrics: vigil.sdk.metrics },
    );
  }
  await vigil.sdk.forceFlush();
  const inference = metric('ml_inference_latency_seconds');
  assert.equal(inference.dataPointType, DataPointType.HISTOGRAM);
  assert.equal(inference.descriptor.unit, 's');
  const inferencePoint = inference.dataPoints[0];
  assert.ok(inferencePoint && inference.dataPointType === DataPointType.HISTOGRAM);
  assert.deepEqual(inference.dataPoints[0]?.value.buckets.boundaries, [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  assert.deepEqual(inferencePoint.attributes, { model_name: 'fraud-detector', model_version: 'v3.1', endpoint: '/predict' });
  assert.equal(inference.dataPoints[0]?.value.count, 3);

  const preprocess = metric('ml_preprocess_latency_seconds');
  assert.ok(preprocess.dataPointType === DataPointType.HISTOGRAM);
  assert.deepEqual(preprocess.dataPoints[0]?.value.buckets.boundaries, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5]);
  assert.deepEqual(preprocess.dataPoints[0]?.attributes, { model_name: 'fraud-detector' });
  assert.equal(preprocess.dataPoints[0]?.value.count, 3);

  const predictions = metric('ml_predictions_total');
  assert.equal(predictions.dataPointType, DataPointType.SUM);
  const byClass = new Map(
    predictions.dataPoints
      .filter((point) => point.attributes['model_name'] === 'fraud-detector')
      .map((point) => [point.attributes['result_class'], point.value]),
  );
  assert.deepEqual(Object.fromEntries(byClass), { legitimate: 1, fraud: 2 });
});

test('a recorded latency lands in the seed bucket it belongs to', async () => {
  const labels = { model_name: 'bucket-check', model_version: '1', endpoint: '/predict' };
  vigil.sdk.metrics.inferenceLatencySeconds.record(0.042, labels); // (0.025, 0.05]
  vigil.sdk.metrics.inferenceLatencySeconds.record(12, labels); // +Inf
  await vigil.sdk.forceFlush();
  const inference = metric('ml_inference_latency_seconds');
  assert.ok(inference.dataPointType === DataPointType.HISTOGRAM);
  const point = inference.dataPoints.find((candidate) => candidate.attributes['model_name'] === 'bucket-check');
  assert.deepEqual(point?.value.buckets.counts, [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
});

test('model load and GPU memory gauges report the last value with their labels', async () => {
  vigil.sdk.metrics.modelLoadDurationSeconds.record(12.5, { model_name: 'fraud-detector', model_version: 'v3.1' });
  vigil.sdk.metrics.gpuMemoryUsedBytes.record(1_000, { gpu_id: '0', model_name: 'fraud-detector' });
  vigil.sdk.metrics.gpuMemoryUsedBytes.record(7_516_192_768, { gpu_id: '0', model_name: 'fraud-detector' });
  await vigil.sdk.forceFlush();
  const load = metric('ml_model_load_duration_seconds');
  assert.equal(load.dataPointType, DataPointType.GAUGE);
  assert.equal(load.descriptor.unit, 's');
  assert.deepEqual(load.dataPoints[0]?.attributes, { model_name: 'fraud-detector', model_version: 'v3.1' });
  assert.equal(load.dataPoints[0]?.value, 12.5);
  const gpu = metric('ml_gpu_memory_used_bytes');
  assert.equal(gpu.descriptor.unit, 'By');
  assert.deepEqual(gpu.dataPoints[0]?.attributes, { gpu_id: '0', model_name: 'fraud-detector' });
  assert.equal(gpu.dataPoints[0]?.value, 7_516_192_768);
});

test('OTLP endpoint resolution: option, then OTEL_EXPORTER_OTLP_*, then Vigil defaults', () => {
  const saved = { ...process.env };
  try {
    delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
    delete process.env['OTEL_EXPORTER_OTLP_PROTOCOL'];
    assert.deepEqual(resolveOtlpTarget({}), { protocol: 'http/protobuf', endpoint: 'http://127.0.0.1:4318' });
    assert.deepEqual(resolveOtlpTarget({ protocol: 'grpc' }), { protocol: 'grpc', endpoint: 'http://127.0.0.1:4317' });
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = 'http://vigil:4318/';
    process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] = 'http/json';
    assert.deepEqual(resolveOtlpTarget({}), { protocol: 'http/json', endpoint: 'http://vigil:4318' });
    assert.deepEqual(resolveOtlpTarget({ endpoint: 'http://other:9' }), { protocol: 'http/json', endpoint: 'http://other:9' });
    process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] = 'carrier-pigeon';
    assert.equal(resolveOtlpTarget({}).protocol, 'http/protobuf');
    assert.deepEqual(resolveOtlpTarget({ protocol: 'grpc', grpcEndpoint: 'http://g:1' }), { protocol: 'grpc', endpoint: 'http://g:1' });
  } finally {
    process.env = saved;
  }
});
