import { invalidQuantileWarning } from './annotation-messages.ts';
import { defineFunction } from './function-helpers.ts';
import type { PromFunction, RangeFunction, RangeWindow } from './function-types.ts';
import { kahanAdd, kahanZero } from './kahan-sum.ts';
import { quantile } from './quantile.ts';

/**
 * The `<aggregation>_over_time` functions: one value per series from all samples in its window
 * (promql/functions.go). The evaluator only calls them for windows holding a sample.
 */

function windowValues({ values, first, end }: RangeWindow): number[] {
  return Array.from({ length: end - first }, (_, i) => values[first + i] ?? NaN);
}

/** sum_over_time: Kahan sum; an overflow to ±Inf is returned as is (compensation would be NaN). */
const sumOverTime: RangeFunction = ({ values, first, end }) => {
  const state = kahanZero();
  for (let i = first; i < end; i++) kahanAdd(state, values[i] ?? NaN);
  return Number.isFinite(state.sum) ? state.sum + state.compensation : state.sum;
};

/**
 * avg_over_time: Kahan sum divided by the count, which is more accurate than an incremental mean
 * (prometheus#16714); once the sum would overflow, switch to the incremental mean for the rest.
 */
const tentative = kahanZero();

const avgOverTime: RangeFunction = ({ values, first, end }) => {
  // The running sum, or after an overflow the running mean; the compensation carries over.
  const state = { sum: values[first] ?? NaN, compensation: 0 };
  let incremental = false;
  for (let i = first + 1; i < end; i++) {
    const value = values[i] ?? NaN;
    const count = i - first + 1;
    if (!incremental) {
      // Try the next Kahan step on a reused scratch copy: no allocation per sample of every window.
      tentative.sum = state.sum;
      tentative.compensation = state.compensation;
      kahanAdd(tentative, value);
      if (tentative.sum !== Infinity && tentative.sum !== -Infinity) {
        state.sum = tentative.sum;
        state.compensation = tentative.compensation;
        continue;
      }
      // Turn the sum (and its compensation) into the mean of the samples so far.
      incremental = true;
      state.sum /= count - 1;
      state.compensation /= count - 1;
    }
    const q = (count - 1) / count;
    state.sum *= q;
    state.compensation *= q;
    kahanAdd(state, value / count);
  }
  const count = end - first;
  return incremental ? state.sum + state.compensation : state.sum / count + state.compensation / count;
};

/**
 * varianceOverTime: Welford's online variance with Kahan-compensated mean and sum of squares,
 * stable for values that are large but close together (prometheus#4927).
 */
function varianceOverTime({ values, first, end }: RangeWindow): number {
  let count = 0;
  const mean = kahanZero();
  const aux = kahanZero();
  for (let i = first; i < end; i++) {
    const value = values[i] ?? NaN;
    count++;
    const delta = value - (mean.sum + mean.compensation);
    kahanAdd(mean, delta / count);
    kahanAdd(aux, delta * (value - (mean.sum + mean.compensation)));
  }
  return (aux.sum + aux.compensation) / count;
}

/**
 * compareOverTime: the extreme value (or its timestamp in seconds). A NaN is replaced by any
 * later value, so NaN wins only if all values are NaN; `orEqual` makes the latest of equal
 * extremes win (ts_of_max/min_over_time).
 */
function extremeOverTime(wantLarger: boolean, orEqual: boolean, returnTimestamp: boolean): RangeFunction {
  return ({ timestampsMs, values, first, end }) => {
    let best = values[first] ?? NaN;
    let bestMs = timestampsMs[first] ?? NaN;
    for (let i = first; i < end; i++) {
      const value = values[i] ?? NaN;
      const better = wantLarger ? value > best : value < best;
      if (better || (orEqual && value === best) || Number.isNaN(best)) {
        best = value;
        bestMs = timestampsMs[i] ?? NaN;
      }
    }
    return returnTimestamp ? bestMs / 1000 : best;
  };
}

/** quantile_over_time(q, m): warns once per call for q outside [0, 1]. */
const quantileOverTime: RangeFunction = (window, [q = NaN], ctx) => {
  if (!(q >= 0 && q <= 1)) ctx.annotations.warn(invalidQuantileWarning(q));
  return quantile(q, windowValues(window));
};

/** mad_over_time: median absolute deviation from the median; any NaN makes it NaN. */
const madOverTime: RangeFunction = (window) => {
  const values = windowValues(window);
  if (values.some(Number.isNaN)) return NaN;
  const median = quantile(0.5, values);
  return quantile(
    0.5,
    values.map((value) => Math.abs(value - median)),
  );
};

function overTime(name: string, fn: RangeFunction, keepsMetricName = false): PromFunction {
  return defineFunction(name, {
    argTypes: ['matrix'],
    keepsMetricName,
    impl: { kind: 'range', matrixArg: 0, fn },
  });
}

/**
 * All *_over_time functions. last_over_time and first_over_time select a sample rather than
 * derive a value, so, like a selector with offset, they keep the metric name (engine.go).
 * absent_over_time returns 1 for a window with samples; the evaluator turns that into absence.
 */
export const OVER_TIME_FUNCTIONS: readonly PromFunction[] = [
  overTime('sum_over_time', sumOverTime),
  overTime('avg_over_time', avgOverTime),
  overTime('count_over_time', ({ first, end }) => end - first),
  overTime('min_over_time', extremeOverTime(false, false, false)),
  overTime('max_over_time', extremeOverTime(true, false, false)),
  overTime('last_over_time', ({ values, end }) => values[end - 1] ?? NaN, true),
  overTime('first_over_time', ({ values, first }) => values[first] ?? NaN, true),
  overTime('stdvar_over_time', varianceOverTime),
  overTime('stddev_over_time', (window) => Math.sqrt(varianceOverTime(window))),
  overTime('mad_over_time', madOverTime),
  overTime('present_over_time', () => 1),
  overTime('absent_over_time', () => 1),
  overTime('ts_of_min_over_time', extremeOverTime(false, true, true)),
  overTime('ts_of_max_over_time', extremeOverTime(true, true, true)),
  overTime('ts_of_first_over_time', ({ timestampsMs, first }) => (timestampsMs[first] ?? NaN) / 1000),
  overTime('ts_of_last_over_time', ({ timestampsMs, end }) => (timestampsMs[end - 1] ?? NaN) / 1000),
  defineFunction('quantile_over_time', {
    argTypes: ['scalar', 'matrix'],
    impl: { kind: 'range', matrixArg: 1, fn: quantileOverTime },
  }),
];
