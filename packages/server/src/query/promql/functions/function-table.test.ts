import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EXPERIMENTAL_FUNCTIONS, FUNCTIONS, getFunction } from './function-table.ts';

/** Signatures from Prometheus's promql/parser/functions.go: [argTypes, variadic, returnType]. */
const V = 'vector';
const M = 'matrix';
const S = 'scalar';
const STR = 'string';
// prettier-ignore
const UPSTREAM: Record<string, [string[], number, string]> = {
  abs: [[V], 0, V], absent: [[V], 0, V], absent_over_time: [[M], 0, V], acos: [[V], 0, V], acosh: [[V], 0, V],
  asin: [[V], 0, V], asinh: [[V], 0, V], atan: [[V], 0, V], atanh: [[V], 0, V], avg_over_time: [[M], 0, V],
  ceil: [[V], 0, V], changes: [[M], 0, V], clamp: [[V, S, S], 0, V], clamp_max: [[V, S], 0, V], clamp_min: [[V, S], 0, V],
  cos: [[V], 0, V], cosh: [[V], 0, V], count_over_time: [[M], 0, V], days_in_month: [[V], 1, V], day_of_month: [[V], 1, V],
  day_of_week: [[V], 1, V], day_of_year: [[V], 1, V], deg: [[V], 0, V], end: [[], 0, S], delta: [[M], 0, V], deriv: [[M], 0, V],
  exp: [[V], 0, V], first_over_time: [[M], 0, V], floor: [[V], 0, V], histogram_avg: [[V], 0, V], histogram_count: [[V], 0, V],
  histogram_sum: [[V], 0, V], histogram_stddev: [[V], 0, V], histogram_stdvar: [[V], 0, V], histogram_fraction: [[S, S, V], 0, V],
  histogram_quantile: [[S, V], 0, V], histogram_quantiles: [[V, STR, S, S], 9, V], double_exponential_smoothing: [[M, S, S], 0, V],
  hour: [[V], 1, V], idelta: [[M], 0, V], increase: [[M], 0, V], irate: [[M], 0, V], label_replace: [[V, STR, STR, STR, STR], 0, V],
  label_join: [[V, STR, STR, STR], -1, V], last_over_time: [[M], 0, V], ln: [[V], 0, V], log10: [[V], 0, V], log2: [[V], 0, V],
  mad_over_time: [[M], 0, V], max_of: [[S, S], 0, S], max_over_time: [[M], 0, V], min_of: [[S, S], 0, S], min_over_time: [[M], 0, V],
  ts_of_first_over_time: [[M], 0, V], ts_of_max_over_time: [[M], 0, V], ts_of_min_over_time: [[M], 0, V], ts_of_last_over_time: [[M], 0, V],
  minute: [[V], 1, V], month: [[V], 1, V], pi: [[], 0, S], predict_linear: [[M, S], 0, V], present_over_time: [[M], 0, V],
  quantile_over_time: [[S, M], 0, V], rad: [[V], 0, V], range: [[], 0, S], rate: [[M], 0, V], resets: [[M], 0, V],
  round: [[V, S], 1, V], scalar: [[V], 0, S], sgn: [[V], 0, V], sin: [[V], 0, V], sinh: [[V], 0, V], sort: [[V], 0, V],
  sort_desc: [[V], 0, V], sort_by_label: [[V, STR], -1, V], sort_by_label_desc: [[V, STR], -1, V], sqrt: [[V], 0, V],
  start: [[], 0, S], step: [[], 0, S], stddev_over_time: [[M], 0, V], stdvar_over_time: [[M], 0, V], sum_over_time: [[M], 0, V],
  tan: [[V], 0, V], tanh: [[V], 0, V], time: [[], 0, S], timestamp: [[V], 0, V], vector: [[S], 0, V], year: [[V], 1, V],
};

/** Upstream functions Vigil leaves out, each for a reason recorded in function-table.ts. */
const NOT_IMPLEMENTED = new Set(['info', 'start_timestamp']);

describe('function table', () => {
  test('has every upstream function with its signature', () => {
    for (const [name, [argTypes, variadic, returnType]] of Object.entries(UPSTREAM)) {
      const fn = getFunction(name);
      assert.ok(fn, name);
      assert.deepEqual(
        [fn.name, [...fn.argTypes], fn.variadic, fn.returnType],
        [name, argTypes, variadic, returnType],
        name,
      );
    }
  });

  test('has nothing upstream lacks', () => {
    assert.deepEqual(
      [...FUNCTIONS.keys()].filter((name) => !(name in UPSTREAM)),
      [],
    );
    assert.ok([...NOT_IMPLEMENTED].every((name) => getFunction(name) === undefined));
    assert.equal(getFunction('holt_winters'), undefined);
  });

  test('range functions name an argument of type matrix', () => {
    for (const fn of FUNCTIONS.values()) {
      if (fn.impl.kind === 'range') assert.equal(fn.argTypes[fn.impl.matrixArg], 'matrix', fn.name);
      else assert.ok(!fn.argTypes.includes('matrix'), fn.name);
      if (fn.impl.kind === 'elementwise') assert.equal(fn.argTypes[0], 'vector', fn.name);
    }
  });

  test('the metric name survives only where Prometheus keeps it', () => {
    const keeping = [...FUNCTIONS.values()]
      .filter((fn) => fn.keepsMetricName)
      .map((fn) => fn.name)
      .sort();
    assert.deepEqual(keeping, [
      'first_over_time',
      'label_join',
      'label_replace',
      'last_over_time',
      'sort',
      'sort_by_label',
      'sort_by_label_desc',
      'sort_desc',
    ]);
  });

  test('experimental functions are in the table', () => {
    assert.ok([...EXPERIMENTAL_FUNCTIONS].every((name) => FUNCTIONS.has(name)));
    assert.equal(EXPERIMENTAL_FUNCTIONS.has('rate'), false);
  });
});
