import type { PromFunction } from './function-types.ts';
import { HISTOGRAM_FUNCTIONS } from './histogram-functions.ts';
import { LABEL_FUNCTIONS } from './label-functions.ts';
import { MATH_FUNCTIONS } from './math-functions.ts';
import { OVER_TIME_FUNCTIONS } from './over-time-functions.ts';
import { RATE_FUNCTIONS } from './rate-functions.ts';
import { REGRESSION_FUNCTIONS } from './regression-functions.ts';
import { TIME_FUNCTIONS } from './time-functions.ts';
import { VECTOR_FUNCTIONS } from './vector-functions.ts';

/**
 * Every PromQL function Vigil evaluates, as in Prometheus 3.x promql/parser/functions.go and
 * promql/functions.go. Not here: `info` (joins info metrics from storage, an evaluator
 * feature), `start_timestamp` (needs stored start times) and `holt_winters` (removed in
 * Prometheus 3.0 in favour of double_exponential_smoothing).
 */
export const FUNCTIONS: ReadonlyMap<string, PromFunction> = new Map(
  [
    ...RATE_FUNCTIONS,
    ...OVER_TIME_FUNCTIONS,
    ...REGRESSION_FUNCTIONS,
    ...MATH_FUNCTIONS,
    ...TIME_FUNCTIONS,
    ...LABEL_FUNCTIONS,
    ...VECTOR_FUNCTIONS,
    ...HISTOGRAM_FUNCTIONS,
  ].map((fn) => [fn.name, fn] as const),
);

/**
 * Functions Prometheus accepts only with `--enable-feature=promql-experimental-functions`
 * (Experimental: true in parser/functions.go). Its conformance tests enable them.
 */
export const EXPERIMENTAL_FUNCTIONS: ReadonlySet<string> = new Set([
  'double_exponential_smoothing',
  'end',
  'histogram_quantiles',
  'mad_over_time',
  'max_of',
  'min_of',
  'range',
  'sort_by_label',
  'sort_by_label_desc',
  'start',
  'step',
  'ts_of_first_over_time',
  'ts_of_last_over_time',
  'ts_of_max_over_time',
  'ts_of_min_over_time',
]);

/**
 * The function of that name, or undefined (the parser then reports an unknown function).
 *
 * @example
 * getFunction('rate')?.impl.kind; // 'range'
 */
export function getFunction(name: string): PromFunction | undefined {
  return FUNCTIONS.get(name);
}
