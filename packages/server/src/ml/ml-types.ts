/**
 * The shapes ML analytics answer with (API: docs/ml-analytics.md). Times are Unix milliseconds;
 * durations carry their unit in the name.
 */

export interface RangeMs {
  startMs: number;
  endMs: number;
}

export interface ModelVersionKey {
  model: string;
  version: string;
}

export interface LatencyQuantilesMs {
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  mean: number | null;
}

/** RED, Apdex and ML health of one model version over a range. */
export interface VersionSummary extends ModelVersionKey {
  /** First and last time any span of this version was seen (not limited to the range). */
  firstSeenMs: number;
  lastSeenMs: number;
  requests: number;
  errors: number;
  errorRate: number | null;
  /** This version's share of its model's requests in the range (0–1). */
  trafficShare: number;
  requestsPerSecond: number;
  latencyMs: LatencyQuantilesMs;
  apdex: number | null;
  apdexThresholdMs: number;
  /** Σ ml.preprocess.null_count / Σ ml.preprocess.feature_count; null without preprocess data. */
  nullFeatureRatio: number | null;
  /** Σ forward-pass seconds on a GPU (ml.inference.gpu_used = true) / requests; null without GPU spans. */
  gpuSecondsPerRequest: number | null;
  /** Services and hosts (resource host.name) serving it. */
  services: string[];
  hosts: string[];
}

export interface ModelSummary {
  model: string;
  requests: number;
  versions: VersionSummary[];
}

/** A version seen for the first time while another version of the model was already known. */
export interface DeploymentMarker extends ModelVersionKey {
  firstSeenMs: number;
  /** The version with most traffic just before; undefined for a model's first version. */
  previousVersion?: string;
}

export interface QuantileComparison {
  quantile: number;
  baselineMs: number | null;
  candidateMs: number | null;
  /** candidate / baseline − 1 (0.14 = 14% slower), with its bootstrap confidence interval. */
  relativeChange: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** The interval excludes 0. */
  significant: boolean;
}

export interface ProportionComparison {
  baseline: number | null;
  candidate: number | null;
  /** candidate − baseline, with its confidence interval and a two-sided p-value. */
  difference: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  significant: boolean;
}

export interface DistributionComparison {
  /** Prediction scores: two-sample Kolmogorov–Smirnov. */
  scoreKs: number | null;
  scoreKsPValue: number | null;
  /** Prediction classes: PSI and a chi-square test of homogeneity. */
  classPsi: number | null;
  classPValue: number | null;
  significant: boolean;
}

/** Canary analysis: candidate version against a baseline version over the same range. */
export interface CanaryComparison {
  model: string;
  baseline: string;
  candidate: string;
  range: RangeMs;
  confidence: number;
  requests: { baseline: number; candidate: number };
  latency: QuantileComparison[];
  errorRate: ProportionComparison;
  predictions: DistributionComparison;
  /** Sentences such as "v3.2 p99 is 14% slower than v3.1, 95% CI [11%, 17%]". */
  verdict: string[];
}

export type DriftReference =
  { kind: 'previous' } | { kind: 'range'; range: RangeMs } | { kind: 'baseline'; name: string };

export interface DriftScore {
  /** `ml.prediction.score`, `ml.prediction.class`, or a numeric span attribute key. */
  feature: string;
  kind: 'numeric' | 'categorical';
  psi: number | null;
  jensenShannon: number | null;
  /** Numeric features only. */
  ks: number | null;
  ksPValue: number | null;
  referenceCount: number;
  currentCount: number;
  /** PSI above 0.2 (the common "significant shift" threshold) on enough data. */
  drifted: boolean;
}

export interface DriftReport extends ModelVersionKey {
  current: RangeMs;
  reference: { kind: DriftReference['kind']; range?: RangeMs; name?: string };
  features: DriftScore[];
  nullFeatureRatio: { current: number | null; reference: number | null };
}

/** Latency of one model version per step, for timelines and GPU correlation. */
export interface LatencyPoint {
  startMs: number;
  endMs: number;
  requests: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

/** Where a model version runs: resource host.name and GPU ids (resource `gpu.id`, comma-separated). */
export interface ModelPlacement extends ModelVersionKey {
  host: string;
  /** Empty when the spans name no GPU: every GPU on the host is a candidate. */
  gpus: string[];
}

/** OTel GenAI semantic conventions (gen_ai.*) per model. */
export interface GenAiSummary {
  /** gen_ai.response.model, else gen_ai.request.model. */
  model: string;
  system: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  /** Output tokens / generation seconds, over requests that report output tokens. */
  outputTokensPerSecond: number | null;
  timeToFirstTokenMs: LatencyQuantilesMs;
  /** From `vigil.ml.genai_prices` (USD per million tokens); null without a price for the model. */
  costPerRequestUsd: number | null;
}
