/**
 * The ML-serving families of the PromQL benchmark data: the seed's ml_inference_latency_seconds
 * histogram and ml_predictions_total counters, and HTTP request totals by status code.
 */
import {
  counterSeries,
  newFamily,
  unit,
  type GeneratedSeries,
  type Grid,
  type Instance,
  type MetricFamily,
} from './promql-data-series.ts';

/** Histogram bounds from the seed's INFERENCE_LATENCY (prometheus_client Histogram, 10 ms … 10 s). */
export const LATENCY_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
export const MODEL_NAMES = ['fraud-detector', 'churn-predictor', 'recommender', 'image-classifier'] as const;
export const MODEL_VERSIONS = ['v1', 'v2', 'v3'] as const;
/** v3 is rolled out three quarters into the range: its series start inside the queried last hour. */
const ROLLOUT_VERSION = 'v3';
const ENDPOINTS = ['/predict', '/batch_predict'] as const;
const RESULT_CLASSES = ['legitimate', 'fraud', 'error'] as const;
const HTTP_HANDLERS = ['/v1/predict', '/v1/batch_predict', '/healthz'] as const;
const HTTP_CODES = ['200', '400', '500', '503'] as const;

/** Series per inference instance: 24 histograms × 13 series, 36 prediction and 12 HTTP counters. */
export const ML_SERIES_PER_INSTANCE =
  MODEL_NAMES.length * MODEL_VERSIONS.length * ENDPOINTS.length * (LATENCY_BUCKETS_SECONDS.length + 3) +
  MODEL_NAMES.length * MODEL_VERSIONS.length * RESULT_CLASSES.length +
  HTTP_HANDLERS.length * HTTP_CODES.length;

/** First step a series has samples at: rollout-version series appear late. */
function firstStep(grid: Grid, version: string): number {
  return version === ROLLOUT_VERSION ? Math.floor((grid.stepCount * 3) / 4) : 0;
}

/** Requests per second each model serves (fraud-detector busiest, as in the seed). */
const MODEL_REQUESTS_PER_SECOND = [40, 15, 25, 8] as const;

/** Median latency of a model version at a step: a slow wave and rare fivefold spikes. */
function medianLatencySeconds(
  [model, version, endpoint]: HistogramKey,
  instance: number,
  step: number,
): number {
  const base = [0.04, 0.02, 0.08, 0.12][model] ?? 0.05;
  const versionFactor = [1.3, 1, 0.8][version] ?? 1;
  const endpointFactor = endpoint === 1 ? 3 : 1;
  const wave = 1 + 0.3 * Math.sin((2 * Math.PI * step) / 160 + instance);
  const spike = unit(instance * 1000 + model * 10 + version, step) < 0.02 ? 5 : 1;
  return base * versionFactor * endpointFactor * wave * spike;
}

/** Share of requests at or below `le` for a log-logistic latency distribution around `median`. */
function latencyShare(le: number, median: number): number {
  return 1 / (1 + Math.exp(-(Math.log(le) - Math.log(median)) / 0.45));
}

/** Indexes into MODEL_NAMES, MODEL_VERSIONS and ENDPOINTS. */
type HistogramKey = [model: number, version: number, endpoint: number];

export function latencyHistogram(grid: Grid, instances: Instance[]): MetricFamily[] {
  const help = 'Latency of model inference in seconds';
  const histogram = newFamily('ml_inference_latency_seconds', 'histogram', help);
  for (const inst of instances) {
    MODEL_NAMES.forEach((model_name, m) =>
      MODEL_VERSIONS.forEach((model_version, v) =>
        ENDPOINTS.forEach((endpoint, e) => {
          const { instance } = inst;
          const labels = { model_name, model_version, endpoint, instance, job: 'ml-inference' };
          const key: HistogramKey = [m, v, e];
          histogram.series.push(...histogramSeries(grid, inst, key, histogram.name, labels));
        }),
      ),
    );
  }
  return [histogram];
}

/** The 11 `_bucket` series (le ascending, +Inf last), then `_count` and `_sum`, of one label set. */
function histogramSeries(
  grid: Grid,
  inst: Instance,
  key: HistogramKey,
  name: string,
  labels: Record<string, string>,
): GeneratedSeries[] {
  const [model, version, endpoint] = key;
  const bounds = [...LATENCY_BUCKETS_SECONDS, Infinity];
  const requestsPerSecond = (MODEL_REQUESTS_PER_SECOND[model] ?? 10) / (endpoint === 1 ? 4 : 1);
  const seed = inst.index * 100 + model * 10 + version * 2 + endpoint;
  const requestsAt = (step: number): number =>
    Math.round(requestsPerSecond * (grid.stepMs / 1000) * (0.7 + 0.6 * unit(seed, step)));
  const first = firstStep(grid, MODEL_VERSIONS[version] ?? '');
  // round() of a monotone share keeps cumulative buckets monotone in le, as real histograms are.
  const buckets = bounds.map((le) =>
    counterSeries(grid, inst, first, { __name__: `${name}_bucket`, ...labels, le: formatLe(le) }, (step) => {
      const median = medianLatencySeconds(key, inst.index, step);
      return le === Infinity ? requestsAt(step) : Math.round(requestsAt(step) * latencyShare(le, median));
    }),
  );
  const count = counterSeries(grid, inst, first, { __name__: `${name}_count`, ...labels }, requestsAt);
  const sum = counterSeries(grid, inst, first, { __name__: `${name}_sum`, ...labels }, (step) => {
    return requestsAt(step) * medianLatencySeconds(key, inst.index, step) * 1.1;
  });
  return [...buckets, count, sum];
}

/** `le` label text as Go's prometheus client writes it (FormatFloat 'g'): "0.01", "1", "+Inf". */
function formatLe(le: number): string {
  return le === Infinity ? '+Inf' : String(le);
}

/** Predictions per step by result class: ~90% legitimate, ~5% fraud, rare errors. */
function predictionsAt(resultClass: number, perStep: number, u: number): number {
  if (resultClass === 0) return Math.round(perStep * (0.8 + 0.2 * u));
  if (resultClass === 1) return Math.round(perStep * 0.1 * u);
  return u < 0.1 ? 1 + Math.floor(u * 30) : 0;
}

export function predictionCounters(grid: Grid, instances: Instance[]): MetricFamily {
  const family = newFamily('ml_predictions', 'counter', 'Total number of predictions served');
  for (const inst of instances) {
    MODEL_NAMES.forEach((model_name, m) =>
      MODEL_VERSIONS.forEach((model_version, v) =>
        RESULT_CLASSES.forEach((result_class, c) => {
          const seed = 1_000_000 + inst.index * 100 + m * 10 + v * 3 + c;
          const perStep = (grid.stepMs / 1000) * (MODEL_REQUESTS_PER_SECOND[m] ?? 10);
          const labels = { __name__: 'ml_predictions_total', model_name, model_version, result_class };
          const series = counterSeries(
            grid,
            inst,
            firstStep(grid, model_version),
            { ...labels, instance: inst.instance, job: 'ml-inference' },
            (step) => predictionsAt(c, perStep, unit(seed, step)),
          );
          family.series.push(series);
        }),
      ),
    );
  }
  return family;
}

export function httpCounters(grid: Grid, instances: Instance[]): MetricFamily {
  const family = newFamily('http_requests', 'counter', 'HTTP requests by handler and status code');
  for (const inst of instances) {
    HTTP_HANDLERS.forEach((handler, h) =>
      HTTP_CODES.forEach((code, c) => {
        const seed = 2_000_000 + inst.index * 100 + h * 10 + c;
        const requestsPerSecond = ([60, 15, 1][h] ?? 1) * ([0.97, 0.02, 0.008, 0.002][c] ?? 0);
        const perStep = (grid.stepMs / 1000) * requestsPerSecond;
        const method = h === 2 ? 'GET' : 'POST';
        const labels = { __name__: 'http_requests_total', handler, code, method, instance: inst.instance };
        const series = counterSeries(grid, inst, 0, { ...labels, job: 'ml-inference' }, (step) => {
          // Error bursts: 5xx counts jump tenfold for a few steps now and then (burn-rate spikes).
          const burst = c >= 2 && unit(inst.index, Math.floor(step / 8)) < 0.05 ? 10 : 1;
          return Math.round(perStep * burst * (0.5 + unit(seed, step)));
        });
        family.series.push(series);
      }),
    );
  }
  return family;
}
