/**
 * Inputs and answers of the GPU correlation (gpu-correlation.ts): model versions' p99 timelines
 * joined to the NVIDIA DCGM exporter metrics of the GPUs they run on. Times are Unix milliseconds.
 */
import type { PromSeriesSamples, SeriesMatcher } from '../../model/prom-series.ts';
import type { LatencyPoint, ModelPlacement, ModelVersionKey, RangeMs } from '../ml-types.ts';

/**
 * Where DCGM series are read from: the Store fits as it is (Store.selectSeries); a PromQL
 * SeriesSource fits as `{ selectSeries: (matchers, minMs, maxMs) => source.select(matchers, minMs, maxMs) }`.
 */
export interface DcgmSeriesSource {
  selectSeries(
    matchers: readonly SeriesMatcher[],
    minTimeMs: number,
    maxTimeMs: number,
  ): Promise<PromSeriesSamples[]>;
}

/**
 * One model version's latency per step over `range` (steps start at range.startMs, every stepMs).
 * The lead wires this to the ML engine; points may be missing for steps without requests.
 */
export type LatencyTimelineSource = (
  key: ModelVersionKey,
  range: RangeMs,
  stepMs: number,
) => Promise<LatencyPoint[]>;

/**
 * Thresholds of the correlation. Defaults follow the seed's advice ("Set alerts for GPU
 * temperature > 85C, memory utilization > 90%") and NVIDIA's A100 slowdown temperature (~85 °C).
 */
export interface GpuCorrelationThresholds {
  /** A step's p99 must exceed its baseline by more than this fraction (default 0.2 = 20%). */
  latencyRiseRatio: number;
  /** Trailing baseline: median of the previous this-many steps (default 10). */
  baselineSteps: number;
  /** Fewest non-empty steps among those a baseline needs (default 3); fewer → no baseline. */
  minBaselineSteps: number;
  /** SM clock counts as dropped when more than this fraction below its baseline (default 0.1). */
  smClockDropRatio: number;
  /** Memory pressure: FB_USED / (FB_USED + FB_FREE) above this (default 0.9). */
  memoryUsedRatio: number;
  /** High temperature: DCGM_FI_DEV_GPU_TEMP above this many °C (default 85). */
  temperatureCelsius: number;
}

export const DEFAULT_GPU_CORRELATION_THRESHOLDS: GpuCorrelationThresholds = {
  latencyRiseRatio: 0.2,
  baselineSteps: 10,
  minBaselineSteps: 3,
  smClockDropRatio: 0.1,
  memoryUsedRatio: 0.9,
  temperatureCelsius: 85,
};

export interface GpuCorrelationRequest {
  range: RangeMs;
  stepMs: number;
  placements: readonly ModelPlacement[];
  thresholds?: Partial<GpuCorrelationThresholds>;
}

/** One step of a version-on-GPU timeline; null where the step has no data. */
export interface GpuTimelineStep {
  startMs: number;
  endMs: number;
  requests: number;
  p99Ms: number | null;
  /** Mean of the step's DCGM_FI_DEV_SM_CLOCK samples. */
  smClockMhz: number | null;
  /** Highest DCGM_FI_DEV_GPU_TEMP sample of the step: a GPU slows down at its peak. */
  temperatureCelsius: number | null;
  /** Highest FB_USED / (FB_USED + FB_FREE) of the step's scrapes: OOM happens at the peak. */
  memoryUsedRatio: number | null;
  /** Mean of the step's DCGM_FI_DEV_GPU_UTIL samples, 0–100. */
  utilizationPercent: number | null;
  /** Mean of the step's DCGM_FI_DEV_POWER_USAGE samples. */
  powerWatts: number | null;
}

/** A model version's steps joined to one GPU it runs on. */
export interface GpuTimeline extends ModelVersionKey {
  host: string;
  /** The exporter's `gpu` label (the device index). */
  gpu: string;
  /** The exporter's `UUID` label, when present. */
  uuid?: string;
  steps: GpuTimelineStep[];
}

export type GpuTroubleKind = 'sm_clock_drop' | 'memory_pressure' | 'high_temperature';

/**
 * One kind of GPU trouble, at its strongest step. `value` and `reference` carry the unit of the
 * kind: MHz (clock value vs its trailing-median baseline), a ratio (memory used vs the 0.9
 * threshold), °C (temperature vs the 85 °C threshold).
 */
export interface GpuTroubleSignal {
  kind: GpuTroubleKind;
  host: string;
  gpu: string;
  atMs: number;
  value: number;
  reference: number;
  /** sm_clock_drop: 1 − value / reference (0.3 = 30% slower clock); others: value − reference. */
  magnitude: number;
}

/**
 * Consecutive steps where a version's p99 rose more than `latencyRiseRatio` over its trailing
 * baseline. The p99 figures are those of the episode's largest rise.
 */
export interface LatencyRiseEvent extends ModelVersionKey {
  /** Start of the episode's first step. */
  atMs: number;
  /** End of its last step. */
  endMs: number;
  steps: number;
  p99Ms: number;
  baselineP99Ms: number;
  /** p99 / baseline − 1 (0.5 = 50% slower). */
  p99RiseRatio: number;
  /** GPU trouble at the same or previous step on a GPU the version runs on; strongest per GPU and kind. */
  gpuCauses: GpuTroubleSignal[];
  /** 'none found' when no GPU trouble coincides: look elsewhere (a deploy, input data, a dependency). */
  cause: 'gpu' | 'none found';
  /**
   * One sentence for people: "p99 rose 42% (45.0 → 64.1 ms) while GPU 1 on gpu-node-1 had SM clock
   * 30% below baseline (1410 → 990 MHz)", or "…; no GPU trouble found (gpu-node-1: GPU 1): look elsewhere".
   */
  summary: string;
}

/** Consecutive steps of GPU trouble on a GPU serving the version, with no p99 rise then or one step later. */
export interface GpuTroubleEpisode extends ModelVersionKey {
  host: string;
  gpu: string;
  atMs: number;
  endMs: number;
  steps: number;
  signals: GpuTroubleSignal[];
}

export interface GpuCorrelationReport {
  range: RangeMs;
  stepMs: number;
  thresholds: GpuCorrelationThresholds;
  timelines: GpuTimeline[];
  /** Every p99 rise in the range: with its GPU causes, or cause 'none found'. */
  latencyRises: LatencyRiseEvent[];
  /** GPU trouble that did not show in the version's latency: not flagged as a cause of anything. */
  gpuTroubleWithoutLatencyRise: GpuTroubleEpisode[];
}
