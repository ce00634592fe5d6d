import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getFunction } from './function-table.ts';
import {
  assertClose,
  callRange,
  loadSeries,
  MINUTE_MS,
  recordingContext,
  SECOND_MS,
  windowAt,
} from './function-test-support.ts';

// Cases from Prometheus's promql/promqltest/testdata/functions.test, evaluated by hand.

interface Case {
  fn: string;
  load: string;
  intervalMs: number;
  atMs: number;
  rangeMs: number;
  args?: number[];
  expected: number | undefined;
}

const S10 = 10 * SECOND_MS;
const S5 = 5 * SECOND_MS;
const AT55 = 55 * SECOND_MS;

// prettier-ignore
const AVG_CASES: [string, Case][] = [
  ['no samples in the range', { fn: 'avg_over_time', load: '1 2 3 4 5', intervalMs: S10, atMs: AT55, rangeMs: S10, expected: undefined }],
  ['one sample', { fn: 'avg_over_time', load: '1 2 3 4 5', intervalMs: S10, atMs: AT55, rangeMs: 20 * SECOND_MS, expected: 5 }],
  ['all samples', { fn: 'avg_over_time', load: '1 2 3 4 5', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: 3 }],
  ['+Inf', { fn: 'avg_over_time', load: '1 2 3 4 Inf', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: Infinity }],
  ['-Inf', { fn: 'avg_over_time', load: '1 2 3 4 -Inf', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: -Infinity }],
  ['Inf and -Inf', { fn: 'avg_over_time', load: '1 2 3 Inf -Inf', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: NaN }],
  ['Inf 0 Inf', { fn: 'avg_over_time', load: 'Inf 0 Inf', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: Infinity }],
  ['Inf Inf Inf -Inf', { fn: 'avg_over_time', load: 'Inf Inf Inf -Inf', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: NaN }],
  ['-Inf 0 -Inf', { fn: 'avg_over_time', load: '-Inf 0 -Inf', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: -Infinity }],
  ['1 2 -Inf -Inf Inf', { fn: 'avg_over_time', load: '1 2 -Inf -Inf Inf', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: NaN }],
  ['overflowing sum', { fn: 'avg_over_time', load: '9.988465674311579e+307 9.988465674311579e+307', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: 9.988465674311579e307 }],
  ['overflowing negative sum', { fn: 'avg_over_time', load: '-9.988465674311579e+307 -9.988465674311579e+307 -9.988465674311579e+307', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: -9.988465674311579e307 }],
  ['cancelling extremes', { fn: 'avg_over_time', load: '-9.988465674311579e+307 9.988465674311579e+307', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: 0 }],
  ['before the NaNs', { fn: 'avg_over_time', load: '1 2 3 NaN NaN', intervalMs: S10, atMs: 20 * SECOND_MS, rangeMs: MINUTE_MS, expected: 2 }],
  ['with a NaN', { fn: 'avg_over_time', load: '1 2 3 NaN NaN', intervalMs: S10, atMs: 30 * SECOND_MS, rangeMs: MINUTE_MS, expected: NaN }],
  ['Kahan: 1 1e100 1 -1e100', { fn: 'avg_over_time', load: '1 1e100 1 -1e100', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 0.5 }],
  ['magnitudes', { fn: 'avg_over_time', load: '1e10 1e-6 1e-6 1e-6 1e-6 1e-6', intervalMs: S5, atMs: AT55, rangeMs: MINUTE_MS, expected: 1.6666666666666675e9 }],
  ['positive values', { fn: 'avg_over_time', load: '5.30921651659898 0.961118537914768 1.62091361305318 0.865089463758091 0.323055185914577 0.951811357687154', intervalMs: S5, atMs: AT55, rangeMs: MINUTE_MS, expected: 1.67186744582113 }],
  ['large first', { fn: 'avg_over_time', load: '1.78264e50 0.76342771 1.9592258 7.69805412 458.90154', intervalMs: S5, atMs: AT55, rangeMs: MINUTE_MS, expected: 3.56528e49 }],
  ['very large', { fn: 'avg_over_time', load: '1.78264E+50 0.76342771 1.9592258 2.258E+220 7.69805412 458.90154', intervalMs: S5, atMs: AT55, rangeMs: MINUTE_MS, expected: 3.76333333333333e219 }],
  ['mixed signs', { fn: 'avg_over_time', load: '-1.78264E+215 0.76342771 1.9592258 2.258E+220 7.69805412 -458.90154', intervalMs: S5, atMs: AT55, rangeMs: MINUTE_MS, expected: 3.76330362266667e219 }],
  ['cancelling large', { fn: 'avg_over_time', load: '-1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154', intervalMs: S5, atMs: AT55, rangeMs: MINUTE_MS, expected: 2.5088888888888888e219 }],
  ['beyond Kahan', { fn: 'avg_over_time', load: '-2.258E+220 -1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154', intervalMs: S5, atMs: AT55, rangeMs: MINUTE_MS, expected: 0 }],
];

// prettier-ignore
const OTHER_CASES: [string, Case][] = [
  ['sum Kahan', { fn: 'sum_over_time', load: '1 1e100 1 -1e100', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 2 }],
  ['sum overflow', { fn: 'sum_over_time', load: '9.988465674311579e+307 9.988465674311579e+307', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: Infinity }],
  ['sum dense 1000ms', { fn: 'sum_over_time', load: '1+0x4000', intervalMs: 1, atMs: 4000, rangeMs: 1000, expected: 1000 }],
  ['sum dense 3003ms', { fn: 'sum_over_time', load: '1+0x4000', intervalMs: 1, atMs: 4000, rangeMs: 3003, expected: 3003 }],
  ['stdvar', { fn: 'stdvar_over_time', load: '0 8 8 2 3', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 10.56 }],
  ['stddev', { fn: 'stddev_over_time', load: '0 8 8 2 3', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 3.249615 }],
  ['stdvar of equal values is exactly 0', { fn: 'stdvar_over_time', load: '1.5990505637277868 1.5990505637277868 1.5990505637277868', intervalMs: S10, atMs: AT55, rangeMs: MINUTE_MS, expected: 0 }],
  ['mad', { fn: 'mad_over_time', load: '4 6 2 1 999 1 2', intervalMs: S10, atMs: 70 * SECOND_MS, rangeMs: 70 * SECOND_MS, expected: 1 }],
  ['mad odd count', { fn: 'mad_over_time', load: '1 2 3 4 5', intervalMs: S10, atMs: 40 * SECOND_MS, rangeMs: 50 * SECOND_MS, expected: 1 }],
  ['mad equal', { fn: 'mad_over_time', load: '7 7 7 7 7', intervalMs: S10, atMs: 40 * SECOND_MS, rangeMs: 50 * SECOND_MS, expected: 0 }],
  ['mad single', { fn: 'mad_over_time', load: '5', intervalMs: S10, atMs: 0, rangeMs: S10, expected: 0 }],
  ['mad NaN', { fn: 'mad_over_time', load: '1 2 NaN 4', intervalMs: S10, atMs: 30 * SECOND_MS, rangeMs: 40 * SECOND_MS, expected: NaN }],
  ['ts_of_min', { fn: 'ts_of_min_over_time', load: '1 2 3 0 5 6 2 1 4', intervalMs: 10_053, atMs: 90 * SECOND_MS, rangeMs: 90 * SECOND_MS, expected: 30.159 }],
  ['ts_of_max', { fn: 'ts_of_max_over_time', load: '1 2 3 0 5 6 2 1 4', intervalMs: 10_053, atMs: 90 * SECOND_MS, rangeMs: 90 * SECOND_MS, expected: 50.265 }],
  ['ts_of_max: the latest of equal maxima', { fn: 'ts_of_max_over_time', load: '3 1 3 2', intervalMs: S10, atMs: 30 * SECOND_MS, rangeMs: MINUTE_MS, expected: 20 }],
  ['ts_of_last', { fn: 'ts_of_last_over_time', load: '1 2 3 _ _', intervalMs: 10_053, atMs: 95 * SECOND_MS, rangeMs: 90 * SECOND_MS, expected: 20.106 }],
  ['ts_of_first', { fn: 'ts_of_first_over_time', load: '_ _ 1 2 3 _ _', intervalMs: 10_053, atMs: 90 * SECOND_MS, rangeMs: 90 * SECOND_MS, expected: 20.106 }],
  ['min', { fn: 'min_over_time', load: '2 0 3', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 0 }],
  ['min: trailing NaN ignored', { fn: 'min_over_time', load: '2 0 NaN', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 0 }],
  ['min: inner NaN ignored', { fn: 'min_over_time', load: '2 NaN 1', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 1 }],
  ['min: leading NaN replaced', { fn: 'min_over_time', load: 'NaN 0 1', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 0 }],
  ['min: only NaN', { fn: 'min_over_time', load: 'NaN NaN NaN', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: NaN }],
  ['min: sparse', { fn: 'min_over_time', load: '_ 5 2 _ 4 _', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 2 }],
  ['max', { fn: 'max_over_time', load: '2 0 3', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 3 }],
  ['max: trailing NaN ignored', { fn: 'max_over_time', load: '2 0 NaN', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 2 }],
  ['max: leading NaN replaced', { fn: 'max_over_time', load: 'NaN 0 1', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 1 }],
  ['max: only NaN', { fn: 'max_over_time', load: 'NaN NaN NaN', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: NaN }],
  ['last', { fn: 'last_over_time', load: '2 0 NaN', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: NaN }],
  ['last sparse', { fn: 'last_over_time', load: '_ 5 2 _ 4 _', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 4 }],
  ['first', { fn: 'first_over_time', load: 'NaN 0 1', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: NaN }],
  ['first sparse', { fn: 'first_over_time', load: '_ 5 2 _ 4 _', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 5 }],
  ['count', { fn: 'count_over_time', load: '_ 5 2 _ 4 _', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 3 }],
  ['count counts NaN', { fn: 'count_over_time', load: 'NaN NaN NaN', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 3 }],
  ['present', { fn: 'present_over_time', load: '1', intervalMs: MINUTE_MS, atMs: 0, rangeMs: 30 * SECOND_MS, expected: 1 }],
  ['present: nothing in range', { fn: 'present_over_time', load: '1', intervalMs: MINUTE_MS, atMs: MINUTE_MS, rangeMs: 30 * SECOND_MS, expected: undefined }],
  ['quantile 0', { fn: 'quantile_over_time', args: [0], load: '0 1 4', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 0 }],
  ['quantile 0.5 of two', { fn: 'quantile_over_time', args: [0.5], load: '0 1', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 0.5 }],
  ['quantile 0.75 of three', { fn: 'quantile_over_time', args: [0.75], load: '0 1 2', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 1.5 }],
  ['quantile 0.8 uneven', { fn: 'quantile_over_time', args: [0.8], load: '0 1 4', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 2.8 }],
  ['quantile 1', { fn: 'quantile_over_time', args: [1], load: '0 1 4', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: 4 }],
  ['quantile -1', { fn: 'quantile_over_time', args: [-1], load: '0 1 4', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: -Infinity }],
  ['quantile 2', { fn: 'quantile_over_time', args: [2], load: '0 1 4', intervalMs: S10, atMs: MINUTE_MS, rangeMs: 2 * MINUTE_MS, expected: Infinity }],
];

describe('over-time functions', () => {
  for (const [name, c] of [...AVG_CASES, ...OTHER_CASES]) {
    test(`${c.fn}: ${name}`, () => {
      const actual = callRange(
        c.fn,
        windowAt(loadSeries(c.intervalMs, c.load), c.atMs, c.rangeMs),
        c.args ?? [],
        recordingContext(c.atMs),
      );
      if (c.expected === undefined) assert.equal(actual, undefined);
      else assertClose(actual, c.expected);
    });
  }

  test('avg_over_time of a constant is exact (direct mean, prometheus#16714)', () => {
    const series = loadSeries(S10, '52+0x100');
    for (const rangeSeconds of [100, 110, 120, 130]) {
      assert.equal(
        callRange('avg_over_time', windowAt(series, 10 * MINUTE_MS, rangeSeconds * SECOND_MS)),
        52,
      );
    }
  });

  test('quantile_over_time warns for a quantile outside [0, 1]', () => {
    // prettier-ignore
    for (const [q, warnings] of [
      [0.5, []],
      [-1, ['quantile value should be between 0 and 1, got -1']],
      [2, ['quantile value should be between 0 and 1, got 2']],
      [NaN, ['quantile value should be between 0 and 1, got NaN']],
    ] as const) {
      const ctx = recordingContext(MINUTE_MS);
      callRange('quantile_over_time', windowAt(loadSeries(S10, '0 1 2'), MINUTE_MS, 2 * MINUTE_MS), [q], ctx);
      assert.deepEqual(ctx.warnings, warnings);
    }
  });

  test('only last_over_time and first_over_time keep the metric name', () => {
    // prettier-ignore
    const keeping = [
      ...[
        'sum',
        'avg',
        'count',
        'min',
        'max',
        'last',
        'first',
        'stddev',
        'stdvar',
        'mad',
        'present',
        'quantile',
      ],
    ]
      .map((name) => `${name}_over_time`)
      .filter((name) => getFunction(name)?.keepsMetricName);
    assert.deepEqual(keeping, ['last_over_time', 'first_over_time']);
    assert.equal(getFunction('ts_of_last_over_time')?.keepsMetricName, false);
  });

  test('quantile_over_time takes its range vector as second argument', () => {
    const fn = getFunction('quantile_over_time');
    assert.deepEqual(fn?.argTypes, ['scalar', 'matrix']);
    assert.equal(fn?.impl.kind === 'range' && fn.impl.matrixArg, 1);
  });
});
