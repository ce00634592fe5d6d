import { PromQLError } from '../errors.ts';
import { defineFunction } from './function-helpers.ts';
import type { PromFunction, RangeFunction, RangeWindow } from './function-types.ts';
import { formatGoFixed } from './go-text.ts';
import { kahanAdd, kahanZero } from './kahan-sum.ts';

/** Trend functions over a range window: deriv, predict_linear, double_exponential_smoothing. */

/** Least-squares fit of a window (functions.go linearRegression). */
export interface LinearFit {
  /** Per second. */
  slope: number;
  /** The fitted value at the intercept time. */
  intercept: number;
}

/**
 * Least-squares regression of value on time (in seconds relative to `interceptMs`, which keeps
 * the sums small: prometheus#2674), with Kahan-compensated sums. A constant series has slope 0,
 * or NaN if the constant is infinite.
 */
export function linearRegression(window: RangeWindow, interceptMs: number): LinearFit {
  const { timestampsMs, values, first, end } = window;
  const initial = values[first] ?? NaN;
  let constant = true;
  const sumX = kahanZero();
  const sumY = kahanZero();
  const sumXY = kahanZero();
  const sumX2 = kahanZero();
  for (let i = first; i < end; i++) {
    const y = values[i] ?? NaN;
    if (constant && i > first && y !== initial) constant = false;
    const x = ((timestampsMs[i] ?? NaN) - interceptMs) / 1e3;
    kahanAdd(sumX, x);
    kahanAdd(sumY, y);
    kahanAdd(sumXY, x * y);
    kahanAdd(sumX2, x * x);
  }
  if (constant) {
    if (initial === Infinity || initial === -Infinity) return { slope: NaN, intercept: NaN };
    return { slope: 0, intercept: initial };
  }
  const n = end - first;
  const x = sumX.sum + sumX.compensation;
  const y = sumY.sum + sumY.compensation;
  const covXY = sumXY.sum + sumXY.compensation - (x * y) / n;
  const varX = sumX2.sum + sumX2.compensation - (x * x) / n;
  const slope = covXY / varX;
  return { slope, intercept: y / n - (slope * x) / n };
}

/** deriv: per-second slope, fitted around the first sample's time. */
const deriv: RangeFunction = (window) => {
  if (window.end - window.first < 2) return undefined;
  return linearRegression(window, window.timestampsMs[window.first] ?? NaN).slope;
};

/** predict_linear(m, seconds): the fitted value `seconds` after the evaluation time. */
const predictLinear: RangeFunction = (window, [seconds = NaN], ctx) => {
  if (window.end - window.first < 2) return undefined;
  const { slope, intercept } = linearRegression(window, ctx.timestampMs);
  return slope * seconds + intercept;
};

/**
 * double_exponential_smoothing(m, sf, tf) (Holt's linear method, formerly holt_winters): the
 * smoothed value after the last sample. Factors outside (0, 1) fail the query.
 */
const doubleExponentialSmoothing: RangeFunction = (window, [sf = NaN, tf = NaN]) => {
  if (sf <= 0 || sf >= 1)
    throw new PromQLError(
      'execution',
      `invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatGoFixed(sf)}`,
    );
  if (tf <= 0 || tf >= 1)
    throw new PromQLError(
      'execution',
      `invalid trend factor. Expected: 0 < tf < 1, got: ${formatGoFixed(tf)}`,
    );
  const { values, first, end } = window;
  if (end - first < 2) return undefined;
  let previousSmoothed = 0;
  let smoothed = values[first] ?? NaN;
  let trend = (values[first + 1] ?? NaN) - smoothed;
  for (let i = first + 1; i < end; i++) {
    // calcTrendValue: the first step keeps the initial trend.
    if (i > first + 1) trend = tf * (smoothed - previousSmoothed) + (1 - tf) * trend;
    const next = sf * (values[i] ?? NaN) + (1 - sf) * (smoothed + trend);
    previousSmoothed = smoothed;
    smoothed = next;
  }
  return smoothed;
};

/** deriv, predict_linear, double_exponential_smoothing. */
export const REGRESSION_FUNCTIONS: readonly PromFunction[] = [
  defineFunction('deriv', { argTypes: ['matrix'], impl: { kind: 'range', matrixArg: 0, fn: deriv } }),
  defineFunction('predict_linear', {
    argTypes: ['matrix', 'scalar'],
    impl: { kind: 'range', matrixArg: 0, fn: predictLinear },
  }),
  defineFunction('double_exponential_smoothing', {
    argTypes: ['matrix', 'scalar', 'scalar'],
    impl: { kind: 'range', matrixArg: 0, fn: doubleExponentialSmoothing },
  }),
];
