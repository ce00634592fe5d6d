import type { Annotations } from './functions/function-types.ts';
import type { Labels } from './labels.ts';
import type { SeriesSource } from './series-source.ts';

/**
 * The evaluator's working representation: every node evaluates to its value at all steps of the
 * query at once, series-major. A series' labels are fixed, so signatures for grouping and
 * matching are computed once per series rather than once per step.
 */
export interface StepSeries {
  labels: Labels;
  /** Value at each step; meaningful only where `present[step]` is 1. */
  values: Float64Array;
  present: Uint8Array;
  /** For selector output: the timestamp of the sample chosen at each step (for timestamp()). */
  sampleTimesMs?: Float64Array;
}

export type EvalValue =
  | { type: 'scalar'; values: Float64Array }
  | { type: 'string'; value: string }
  | { type: 'vector'; series: StepSeries[] };

/** The steps a node is evaluated at: start, start+step, …, end (a subquery evaluates its own grid). */
export interface StepGrid {
  startMs: number;
  stepMs: number;
  count: number;
}

export interface EvalContext {
  grid: StepGrid;
  source: SeriesSource;
  lookbackDeltaMs: number;
  defaultSubqueryStepMs: number;
  /** The outermost query's start and end, which `@ start()` and `@ end()` refer to at any depth. */
  queryStartMs: number;
  queryEndMs: number;
  /** The outermost query's step; 0 for an instant query. */
  queryStepMs: number;
  annotations: Annotations;
  limits: QueryLimits;
}

/** Shared by all nodes of one query: the sample budget and the deadline. */
export interface QueryLimits {
  deadlineMs: number;
  timeoutMs: number;
  maxSamples: number;
  samplesLoaded: number;
  maxSeries: number;
  seriesLoaded: number;
}

export function stepTimeMs(grid: StepGrid, step: number): number {
  return grid.startMs + step * grid.stepMs;
}

export function newStepSeries(labels: Labels, stepCount: number): StepSeries {
  return { labels, values: new Float64Array(stepCount), present: new Uint8Array(stepCount) };
}

export function isEmptySeries(series: StepSeries): boolean {
  return series.present.indexOf(1) === -1;
}
