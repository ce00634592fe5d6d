/**
 * The seed's Prometheus metrics for ML inference, as OpenTelemetry instruments with the same
 * names, labels and histogram buckets (seed: "Prometheus — Custom Metrics for ML Inference
 * Latency Histograms"). Buckets are given as instrument advice (OTel metrics API
 * `explicitBucketBoundaries`), so they apply under any MeterProvider without a View.
 */
import type { Counter, Gauge, Histogram, Meter } from '@opentelemetry/api';

/** 10 ms – 10 s: resolution around typical model latencies (seed `INFERENCE_LATENCY`). */
export const INFERENCE_LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
/** 5 ms – 500 ms (seed `PREPROCESS_LATENCY`). */
export const PREPROCESS_LATENCY_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5];

export const METRIC_INFERENCE_LATENCY = 'ml_inference_latency_seconds';
export const METRIC_PREPROCESS_LATENCY = 'ml_preprocess_latency_seconds';
export const METRIC_PREDICTIONS_TOTAL = 'ml_predictions_total';
export const METRIC_MODEL_LOAD_DURATION = 'ml_model_load_duration_seconds';
export const METRIC_GPU_MEMORY_USED = 'ml_gpu_memory_used_bytes';

/**
 * The seed's metrics. Instruments are typed with plain attributes so callers may add labels; the
 * labels the seed defines are listed on each.
 */
export interface MlMetrics {
  /** `ml_inference_latency_seconds`, labels model_name, model_version, endpoint. */
  inferenceLatencySeconds: Histogram;
  /** `ml_preprocess_latency_seconds`, label model_name. */
  preprocessLatencySeconds: Histogram;
  /** `ml_predictions_total`, labels model_name, model_version, result_class. */
  predictionsTotal: Counter;
  /** `ml_model_load_duration_seconds`, labels model_name, model_version. */
  modelLoadDurationSeconds: Gauge;
  /** `ml_gpu_memory_used_bytes`, labels gpu_id, model_name. */
  gpuMemoryUsedBytes: Gauge;
}

/**
 * Creates the seed's five ML metrics on `meter`.
 *
 * @example
 * const metrics = createMlMetrics(sdk.meter);
 * metrics.predictionsTotal.add(1, { model_name: 'fraud-detector', model_version: 'v3.1', result_class: 'fraud' });
 * metrics.inferenceLatencySeconds.record(0.042, { model_name: 'fraud-detector', model_version: 'v3.1', endpoint: '/predict' });
 */
export function createMlMetrics(meter: Meter): MlMetrics {
  return {
    inferenceLatencySeconds: meter.createHistogram(METRIC_INFERENCE_LATENCY, {
      description: 'Latency of model inference in seconds',
      unit: 's',
      advice: { explicitBucketBoundaries: [...INFERENCE_LATENCY_BUCKETS_SECONDS] },
    }),
    preprocessLatencySeconds: meter.createHistogram(METRIC_PREPROCESS_LATENCY, {
      description: 'Latency of feature preprocessing in seconds',
      unit: 's',
      advice: { explicitBucketBoundaries: [...PREPROCESS_LATENCY_BUCKETS_SECONDS] },
    }),
    predictionsTotal: meter.createCounter(METRIC_PREDICTIONS_TOTAL, {
      description: 'Total number of predictions served',
    }),
    modelLoadDurationSeconds: meter.createGauge(METRIC_MODEL_LOAD_DURATION, {
      description: 'Time taken to load the model into memory',
      unit: 's',
    }),
    gpuMemoryUsedBytes: meter.createGauge(METRIC_GPU_MEMORY_USED, {
      description: 'GPU memory used by the model',
      unit: 'By',
    }),
  };
}
