import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PromQLError } from '../errors.ts';
import {
  assertClose,
  callRange,
  loadSeries,
  MINUTE_MS,
  recordingContext,
  SECOND_MS,
  windowAt,
} from './function-test-support.ts';
import { linearRegression } from './regression-functions.ts';

// Cases from Prometheus's promql/promqltest/testdata/functions.test, evaluated by hand.

const M5 = 5 * MINUTE_MS;
/** X/s = 0…3000, Y = 0 10 20 30 40 0 10 20 30 40 50: slope 0.0106…, intercept 6.818… at t=0. */
const RESET_MIDDLE = loadSeries(M5, '0+10x4 0+10x5');

describe('regression functions', () => {
  test('deriv equals rate for a steady counter', () => {
    assertClose(
      callRange('deriv', windowAt(loadSeries(M5, '0+80x10'), 50 * MINUTE_MS, 50 * MINUTE_MS)),
      0.26666666666666666,
    );
  });

  test('deriv over a reset', () => {
    assertClose(
      callRange('deriv', windowAt(RESET_MIDDLE, 50 * MINUTE_MS, 100 * MINUTE_MS)),
      0.010606060606060607,
    );
  });

  test('deriv: one sample gives nothing, infinities give NaN', () => {
    assert.equal(callRange('deriv', windowAt(loadSeries(M5, '1 2'), 5 * MINUTE_MS, MINUTE_MS)), undefined);
    assertClose(
      callRange('deriv', windowAt(loadSeries(M5, '-Inf 0+80x10 Inf'), 100 * MINUTE_MS, 100 * MINUTE_MS)),
      NaN,
    );
  });

  test('linear regression of a constant', () => {
    assert.deepEqual(linearRegression(windowAt(loadSeries(M5, '3 3 3'), 10 * MINUTE_MS, 20 * MINUTE_MS), 0), {
      slope: 0,
      intercept: 3,
    });
    const infinite = linearRegression(windowAt(loadSeries(M5, 'Inf Inf'), 5 * MINUTE_MS, 20 * MINUTE_MS), 0);
    assert.ok(Number.isNaN(infinite.slope) && Number.isNaN(infinite.intercept));
  });

  // prettier-ignore
  for (const [name, atMs, rangeMs, seconds, expected] of [
    ['over the last 50m', 50 * MINUTE_MS, 50 * MINUTE_MS, 3600, 70],
    ['with @ 3000, evaluated at 50m', 50 * MINUTE_MS, 55 * MINUTE_MS, 3600, 76.81818181818181],
    ['with @ 3000, evaluated at 10m', 10 * MINUTE_MS, 55 * MINUTE_MS, 3600, 51.36363636363637],
    ['with @ 3000, evaluated at 70m', 70 * MINUTE_MS, 55 * MINUTE_MS, 3600, 89.54545454545455],
  ] as const) {
    test(`predict_linear ${name}`, () => {
      // `@ 3000` pins the window's end; the prediction is still relative to the evaluation time.
      const windowEndMs = name.includes('@') ? 3000 * SECOND_MS : atMs;
      const window = windowAt(RESET_MIDDLE, windowEndMs, rangeMs);
      assertClose(callRange('predict_linear', window, [seconds], recordingContext(atMs)), expected);
    });
  }

  test('predict_linear with infinities is NaN', () => {
    const window = windowAt(loadSeries(M5, '-Inf 0+80x10 Inf'), 100 * MINUTE_MS, 100 * MINUTE_MS);
    assertClose(callRange('predict_linear', window, [6000], recordingContext(100 * MINUTE_MS)), NaN);
  });

  // prettier-ignore
  for (const [name, load, expected] of [
    ['steady rise', '0+10x1000 100+30x1000', 8000],
    ['steeper rise', '0+40x2000', 32000],
    ['fall', '8000-10x1000', 0],
    ['negative fall', '0-20x1000', -16000],
  ] as const) {
    test(`double_exponential_smoothing: ${name}`, () => {
      const window = windowAt(loadSeries(10 * SECOND_MS, load), 8000 * SECOND_MS, MINUTE_MS);
      assertClose(callRange('double_exponential_smoothing', window, [0.01, 0.1]), expected);
    });
  }

  test('double_exponential_smoothing rejects factors outside (0, 1)', () => {
    const window = windowAt(loadSeries(10 * SECOND_MS, '1 2 3'), 20 * SECOND_MS, MINUTE_MS);
    // prettier-ignore
    for (const [args, message] of [
      [[0, 0.5], 'invalid smoothing factor. Expected: 0 < sf < 1, got: 0.000000'],
      [[1.5, 0.5], 'invalid smoothing factor. Expected: 0 < sf < 1, got: 1.500000'],
      [[0.5, 1], 'invalid trend factor. Expected: 0 < tf < 1, got: 1.000000'],
    ] as const) {
      assert.throws(
        () => callRange('double_exponential_smoothing', window, args),
        (error: unknown) =>
          error instanceof PromQLError && error.type === 'execution' && error.message === message,
      );
    }
  });
});
