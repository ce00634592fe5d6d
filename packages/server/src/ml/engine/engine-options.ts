/**
 * Options of the streaming ML analytics engine (MlAnalytics). The lead maps `vigil.ml`
 * (ml/ml-settings.ts) onto these; every field has a default so tests pass only what they vary.
 */
import type { GenAiPrice } from '../ml-settings.ts';

/** Bounds that keep memory finite whatever the spans carry. */
export interface MlEngineLimits {
  /** Model versions tracked at once (all models together); spans of further versions are dropped and counted. */
  maxVersions: number;
  /** Numeric features (span attributes) kept per version; further attribute names are dropped and counted. */
  maxFeatures: number;
  /** Prediction classes kept per version; further classes are counted under `__other__`. */
  maxClasses: number;
}

export interface MlEngineOptions {
  /** Wall clock, Unix ms (injected so tests drive time). */
  nowMs: () => number;
  /** Width of one aggregation slot (default 1 minute). */
  slotMs?: number;
  /** How long slots are kept (default 6 hours). */
  retentionMs?: number;
  limits?: Partial<MlEngineLimits>;
  /** Apdex T per model (default 500 ms); read once, when a version is first seen. */
  apdexThresholdMs?: (model: string) => number;
  /** USD per million tokens, by GenAI model name. */
  genAiPrices?: Readonly<Record<string, GenAiPrice>>;
  /** Trailing window of derivedSeries (default 5 minutes; drift compares it with the window before). */
  seriesWindowMs?: number;
  /** Bootstrap iterations behind the vigil_ml_canary_* series (default 200: they are recomputed often). */
  seriesBootstrapIterations?: number;
}

export interface ResolvedMlEngineOptions {
  nowMs: () => number;
  slotMs: number;
  retentionMs: number;
  limits: MlEngineLimits;
  apdexThresholdMs: (model: string) => number;
  genAiPrices: Readonly<Record<string, GenAiPrice>>;
  seriesWindowMs: number;
  seriesBootstrapIterations: number;
}

export const DEFAULT_ML_ENGINE_LIMITS: MlEngineLimits = { maxVersions: 200, maxFeatures: 32, maxClasses: 64 };
export const DEFAULT_APDEX_THRESHOLD_MS = 500;
/** The class name prediction classes past `maxClasses` are counted under. */
export const OTHER_CLASS = '__other__';

/** Fills in defaults and rejects values that would make slot arithmetic meaningless. */
export function resolveMlEngineOptions(options: MlEngineOptions): ResolvedMlEngineOptions {
  const slotMs = options.slotMs ?? 60_000;
  const retentionMs = options.retentionMs ?? 6 * 3_600_000;
  if (!(slotMs > 0) || !(retentionMs >= slotMs))
    throw new RangeError('need slotMs > 0 and retentionMs >= slotMs');
  return {
    nowMs: options.nowMs,
    slotMs,
    retentionMs,
    limits: { ...DEFAULT_ML_ENGINE_LIMITS, ...options.limits },
    apdexThresholdMs: options.apdexThresholdMs ?? (() => DEFAULT_APDEX_THRESHOLD_MS),
    genAiPrices: options.genAiPrices ?? {},
    seriesWindowMs: options.seriesWindowMs ?? 5 * 60_000,
    seriesBootstrapIterations: options.seriesBootstrapIterations ?? 200,
  };
}
