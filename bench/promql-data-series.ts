/**
 * Building blocks of the PromQL benchmark's data generator (bench/promql-data.ts): the series and
 * family shapes, a deterministic hash for noise, and counters that reset when their process restarts.
 */

export type MetricFamilyType = 'counter' | 'gauge' | 'histogram';

/** One series on a regular grid: sample i is at `startMs + i * stepMs`. */
export interface GeneratedSeries {
  /** All labels, `__name__` included. */
  labels: Readonly<Record<string, string>>;
  startMs: number;
  values: Float64Array;
}

/** Series of one metric family, as OpenMetrics groups them under one `# TYPE` line. */
export interface MetricFamily {
  name: string;
  type: MetricFamilyType;
  help: string;
  series: GeneratedSeries[];
}

export interface Grid {
  startMs: number;
  stepMs: number;
  stepCount: number;
}

export interface Instance {
  index: number;
  instance: string;
  hostname: string;
  /** Step at which the process restarts and its counters drop to zero; -1 for none. */
  restartStep: number;
}

/** A deterministic hash of two integers to [0, 1) (murmur3 finalizer). */
export function unit(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296;
}

/**
 * Turns per-step increments into a cumulative counter that restarts from zero at `restartStep`, the way
 * a restarted process's client library would expose it.
 */
export function cumulative(increments: Float64Array, first: number, restartStep: number): Float64Array {
  const values = new Float64Array(increments.length - first);
  let total = 0;
  for (let step = first; step < increments.length; step++) {
    if (step === restartStep) total = 0;
    total += increments[step] ?? 0;
    values[step - first] = total;
  }
  return values;
}

export function seriesOn(
  grid: Grid,
  first: number,
  labels: Record<string, string>,
  values: Float64Array,
): GeneratedSeries {
  return { labels, startMs: grid.startMs + first * grid.stepMs, values };
}

/**
 * A counter from its increment at each step after `first`, reset at the instance's restart. Its first
 * sample is 0, as a client library exposes a new counter. That also keeps rate() on a series that
 * starts inside the window version-independent: Prometheus 2.x (extrapolatedRate in 2.42) caps the
 * start extrapolation at the counter's zero point before the 1.1 × interval threshold test, 3.x after
 * it; with a first value of 0 the zero point is the first sample and both add nothing.
 */
export function counterSeries(
  grid: Grid,
  inst: Instance,
  first: number,
  labels: Record<string, string>,
  incrementAt: (step: number) => number,
): GeneratedSeries {
  const increments = new Float64Array(grid.stepCount);
  for (let step = first + 1; step < grid.stepCount; step++) increments[step] = incrementAt(step);
  return seriesOn(grid, first, labels, cumulative(increments, first, inst.restartStep));
}

export function newFamily(name: string, type: MetricFamilyType, help: string): MetricFamily {
  return { name, type, help, series: [] };
}
