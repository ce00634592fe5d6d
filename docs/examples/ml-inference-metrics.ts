/**
 * TypeScript version of the seed's "Prometheus — Custom Metrics for ML Inference Latency
 * Histograms": the same metric names, labels and buckets (10 ms–10 s inference, 5–500 ms
 * preprocessing), pushed to Vigil over OTLP instead of scraped from port 8000.
 *
 * Run against a local Vigil: node --import tsx docs/examples/ml-inference-metrics.ts
 */
import { performance } from 'node:perf_hooks';
import { setupVigil } from '@vigil/sdk';

const sdk = setupVigil({ serviceName: 'fraud-detector-api', metricExportIntervalMillis: 5_000 });
// ml_inference_latency_seconds, ml_preprocess_latency_seconds, ml_predictions_total,
// ml_model_load_duration_seconds, ml_gpu_memory_used_bytes — created by setupVigil.
const metrics = sdk.metrics;

const modelName = 'fraud-detector';
const modelVersion = 'v3.1';

const loadStartMillis = performance.now();
const model = { predict: (features: number[]): number => features.reduce((sum, value) => sum + value, 0) / features.length };
metrics.modelLoadDurationSeconds.record((performance.now() - loadStartMillis) / 1000, { model_name: modelName, model_version: modelVersion });
metrics.gpuMemoryUsedBytes.record(7_516_192_768, { gpu_id: '0', model_name: modelName });

function preprocess(request: { values: number[] }): number[] {
  return request.values.map((value) => Math.min(1, Math.max(0, value)));
}

/** Times each phase with a monotonic clock, as prometheus_client's `.time()` does. */
export function servePrediction(request: { values: number[] }): { prediction: number; class: string } {
  let startMillis = performance.now();
  const features = preprocess(request);
  metrics.preprocessLatencySeconds.record((performance.now() - startMillis) / 1000, { model_name: modelName });

  startMillis = performance.now();
  const prediction = model.predict(features);
  metrics.inferenceLatencySeconds.record((performance.now() - startMillis) / 1000, {
    model_name: modelName,
    model_version: modelVersion,
    endpoint: '/predict',
  });

  const resultClass = prediction > 0.85 ? 'fraud' : 'legitimate';
  metrics.predictionsTotal.add(1, { model_name: modelName, model_version: modelVersion, result_class: resultClass });
  return { prediction, class: resultClass };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  for (let request = 0; request < 100; request++) servePrediction({ values: [Math.random(), Math.random() + 0.5] });
  await sdk.shutdown(); // exports the final collection
}
