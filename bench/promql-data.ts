/**
 * Deterministic ML-serving metrics for the PromQL benchmark (bench/promql.bench.ts): the seed's
 * ml_inference_latency_seconds histogram, ml_predictions_total, HTTP request totals by status code and
 * DCGM GPU gauges, one sample per series every `stepMs`. The same options always give the same values,
 * so Prometheus and Vigil can be loaded with identical data in separate passes.
 *
 * Shape per inference instance (scaled to reach `targetSeries`): 24 histograms × 13 series, 36
 * prediction counters, 12 HTTP counters and 8 GPUs × 4 DCGM gauges = 392 series.
 */
import { dcgmGauges, GPU_SERIES_PER_INSTANCE } from './promql-data-gpu.ts';
import {
  httpCounters,
  latencyHistogram,
  ML_SERIES_PER_INSTANCE,
  predictionCounters,
} from './promql-data-ml.ts';
import { unit, type Grid, type Instance, type MetricFamily } from './promql-data-series.ts';

export { LATENCY_BUCKETS_SECONDS } from './promql-data-ml.ts';
export {
  unit,
  type GeneratedSeries,
  type MetricFamily,
  type MetricFamilyType,
} from './promql-data-series.ts';

/** Series per inference instance and the GPU host it runs on. */
export const SERIES_PER_INSTANCE = ML_SERIES_PER_INSTANCE + GPU_SERIES_PER_INSTANCE;

export interface DatasetOptions {
  /** About this many series in total; rounded to whole inference instances. */
  targetSeries: number;
  /** Time of the first sample (Unix ms). */
  startMs: number;
  /** Time span the samples cover (Unix ms, inclusive of the last step). */
  rangeMs: number;
  stepMs: number;
}

export interface Dataset {
  families: MetricFamily[];
  startMs: number;
  /** Time of the last sample. */
  endMs: number;
  stepMs: number;
  instanceCount: number;
  seriesCount: number;
  sampleCount: number;
}

/**
 * Builds the whole dataset in memory (10k series × 2 h at 15 s ≈ 40 MB of Float64Array).
 *
 * @example
 * const dataset = generateDataset({ targetSeries: 10_000, startMs, rangeMs: 2 * 3_600_000, stepMs: 15_000 });
 */
export function generateDataset(options: DatasetOptions): Dataset {
  const stepCount = Math.floor(options.rangeMs / options.stepMs) + 1;
  const grid: Grid = { startMs: options.startMs, stepMs: options.stepMs, stepCount };
  const instanceCount = Math.max(1, Math.round(options.targetSeries / SERIES_PER_INSTANCE));
  const instances = Array.from({ length: instanceCount }, (_, i) => instanceOf(i, stepCount));
  const families = [
    ...latencyHistogram(grid, instances),
    predictionCounters(grid, instances),
    httpCounters(grid, instances),
    ...dcgmGauges(grid, instances),
  ];
  let seriesCount = 0;
  let sampleCount = 0;
  for (const family of families) {
    seriesCount += family.series.length;
    for (const series of family.series) sampleCount += series.values.length;
  }
  const endMs = options.startMs + (stepCount - 1) * options.stepMs;
  const { startMs, stepMs } = options;
  return { families, startMs, endMs, stepMs, instanceCount, seriesCount, sampleCount };
}

function instanceOf(index: number, stepCount: number): Instance {
  // Every third instance restarts once somewhere in the range: rate() must handle counter resets.
  const restartStep = index % 3 === 1 ? 1 + Math.floor(unit(index, 7) * (stepCount - 2)) : -1;
  return {
    index,
    instance: `ml-inference-${index}:8000`,
    hostname: `gpu-node-${String(index).padStart(3, '0')}`,
    restartStep,
  };
}
