import type { PromFamilyMetadata, PromMetricType } from '../model/prom-series.ts';

/** TYPE and HELP of the vigil_ml_* series (engine/derived-series.ts), for /api/v1/metadata. */
const FAMILIES: readonly [string, PromMetricType, string, string][] = [
  ['vigil_ml_requests_total', 'counter', 'Inference requests of a model version since it was first seen', ''],
  ['vigil_ml_errors_total', 'counter', 'Failed inference requests (status ERROR) of a model version', ''],
  [
    'vigil_ml_traffic_share',
    'gauge',
    "A version's share of its model's requests in the series window",
    'ratio',
  ],
  [
    'vigil_ml_latency_seconds',
    'gauge',
    'Inference latency quantiles of a version in the series window',
    'seconds',
  ],
  ['vigil_ml_apdex', 'gauge', 'Apdex of a version in the series window', ''],
  [
    'vigil_ml_null_feature_ratio',
    'gauge',
    'Null features / features seen in preprocessing (ml.preprocess.*)',
    'ratio',
  ],
  ['vigil_ml_gpu_seconds_per_request', 'gauge', 'GPU forward-pass seconds per request', 'seconds'],
  [
    'vigil_ml_drift_psi',
    'gauge',
    'Population Stability Index of a feature: series window against the window before',
    '',
  ],
  [
    'vigil_ml_drift_js',
    'gauge',
    'Jensen-Shannon divergence (base 2) of a feature against the window before',
    '',
  ],
  [
    'vigil_ml_drift_ks',
    'gauge',
    'Kolmogorov-Smirnov statistic of a numeric feature against the window before',
    '',
  ],
  [
    'vigil_ml_canary_latency_change',
    'gauge',
    'Latency quantile of a version / the baseline version - 1',
    'ratio',
  ],
  [
    'vigil_ml_canary_latency_change_ci_low',
    'gauge',
    'Lower bound of the bootstrap CI of the latency change',
    'ratio',
  ],
  [
    'vigil_ml_canary_latency_change_ci_high',
    'gauge',
    'Upper bound of the bootstrap CI of the latency change',
    'ratio',
  ],
  [
    'vigil_ml_canary_error_rate_difference',
    'gauge',
    'Error rate of a version minus that of the baseline',
    'ratio',
  ],
  [
    'vigil_ml_model_version_first_seen_timestamp_seconds',
    'gauge',
    'When a model version was first seen (deployment marker)',
    'seconds',
  ],
  ['vigil_ml_genai_tokens_per_second', 'gauge', 'GenAI output tokens per generation second', ''],
  ['vigil_ml_genai_time_to_first_token_seconds', 'gauge', 'GenAI time to first token quantiles', 'seconds'],
  ['vigil_ml_genai_cost_per_request_usd', 'gauge', 'GenAI cost per request from vigil.ml.genai_prices', ''],
];

export const ML_SERIES_METADATA: readonly PromFamilyMetadata[] = FAMILIES.map(
  ([metricFamily, type, help, unit]) => ({
    metricFamily,
    type,
    help,
    unit,
  }),
);
