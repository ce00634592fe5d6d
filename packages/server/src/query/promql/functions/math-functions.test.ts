import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getFunction } from './function-table.ts';
import {
  assertClose,
  callElementwise,
  callVector,
  callVectorSamples,
  labelRecords,
  sample,
  scalarOf,
  vectorOf,
} from './function-test-support.ts';

// Cases from Prometheus's functions.test and trig_functions.test.

const DATA = [2.5, 2, -2.5, -2, 0, -0, Infinity, -Infinity, NaN];

describe('math functions', () => {
  // prettier-ignore
  for (const [fn, expected] of [
    ['abs', [2.5, 2, 2.5, 2, 0, 0, Infinity, Infinity, NaN]],
    ['ceil', [3, 2, -2, -2, 0, 0, Infinity, -Infinity, NaN]],
    ['floor', [2, 2, -3, -2, 0, 0, Infinity, -Infinity, NaN]],
    ['round', [3, 2, -2, -2, 0, 0, Infinity, -Infinity, NaN]],
    ['sgn', [1, 1, -1, -1, 0, 0, 1, -1, NaN]],
  ] as const) {
    test(`${fn} of special values`, () => {
      assert.deepEqual(
        DATA.map((value) => callElementwise(fn, value) + 0),
        expected.map((value) => value + 0),
      );
    });
  }

  // prettier-ignore
  for (const [fn, input, expected] of [
    ['exp', 10, 22026.465794806718],
    ['exp', -10, 4.5399929762484854e-5],
    ['ln', 10, 2.302585092994046],
    ['ln', 0, -Infinity],
    ['ln', -10, NaN],
    ['sqrt', 20, 4.47213595499958],
    ['log2', 10, 3.3219280948873626],
    ['log2', 0, -Infinity],
    ['log2', -10, NaN],
    ['log10', 10, 1],
    ['log10', 20, 1.301029995663981],
    ['sin', 10, -0.5440211108893699],
    ['cos', 20, 0.40808206181339196],
    ['tan', 20, 2.2371609442247427],
    ['asin', -0.1, -0.10016742116155944],
    ['asin', 9.9, NaN],
    ['acos', -0.1, 1.670963747956456],
    ['atan', 20, 1.5208379310729538],
    ['sinh', 20, 2.4258259770489514e8],
    ['cosh', 10, 11013.232920103324],
    ['tanh', 10, 0.9999999958776927],
    ['asinh', 20, 3.6895038689889055],
    ['acosh', 10, 2.993222846126381],
    ['atanh', -0.1, -0.10033534773107522],
    ['rad', 10, 0.17453292519943295],
    ['rad', -10, -0.17453292519943295],
    ['deg', 10, 572.9577951308232],
    ['deg', 0, 0],
  ] as const) {
    test(`${fn}(${input})`, () => assertClose(callElementwise(fn, input), expected));
  }

  test('log2 is exact for powers of two, as Go computes it via Frexp', () => {
    assert.deepEqual(
      [1, 2, 8, 1024, 0.5, 2 ** -1074].map((value) => callElementwise('log2', value)),
      [0, 1, 3, 10, -1, -1074],
    );
  });

  test('round to nearest', () => {
    // prettier-ignore
    for (const [value, toNearest, expected] of [
      [2.26, 0.1, 2.3],
      [1.5, 1, 2],
      [-1.5, 1, -1],
      [12, 5, 10],
      [12.5, 5, 15],
      [0.125, 0.25, 0.25],
    ] as const) {
      assertClose(callElementwise('round', value, [toNearest]), expected, `round(${value}, ${toNearest})`);
    }
  });

  test('clamp_min and clamp_max', () => {
    assert.deepEqual(
      [-50, 0, 100].map((value) => callElementwise('clamp_max', value, [75])),
      [-50, 0, 75],
    );
    assert.deepEqual(
      [-50, 0, 100].map((value) => callElementwise('clamp_min', value, [-25])),
      [-25, 0, 100],
    );
    assert.ok(Number.isNaN(callElementwise('clamp_min', 5, [NaN])));
  });

  test('clamp drops the name, and returns nothing when max < min', () => {
    const input = vectorOf(
      sample({ __name__: 'test_clamp', src: 'a' }, -50),
      sample({ __name__: 'test_clamp', src: 'c' }, 100),
    );
    const clamped = callVectorSamples('clamp', [input, scalarOf(-25), scalarOf(75)]);
    assert.deepEqual(labelRecords(clamped), [{ src: 'a' }, { src: 'c' }]);
    assert.deepEqual(
      clamped.map((s) => s.value),
      [-25, 75],
    );
    assert.deepEqual(callVectorSamples('clamp', [input, scalarOf(5), scalarOf(-5)]), []);
    assert.ok(
      callVectorSamples('clamp', [input, scalarOf(0), scalarOf(NaN)]).every((s) => Number.isNaN(s.value)),
    );
    assert.ok(
      callVectorSamples('clamp', [input, scalarOf(NaN), scalarOf(0)]).every((s) => Number.isNaN(s.value)),
    );
  });

  test('pi, min_of and max_of are scalars', () => {
    assert.equal(callVector('pi', []), 3.141592653589793);
    // prettier-ignore
    for (const [fn, a, b, expected] of [
      ['min_of', 3, 5, 3],
      ['min_of', -2, -5, -5],
      ['max_of', 3, 5, 5],
      ['max_of', 0, 1, 1],
      ['min_of', NaN, 3, NaN],
      ['max_of', 3, NaN, NaN],
    ] as const) {
      assert.deepEqual(callVector(fn, [scalarOf(a), scalarOf(b)]), expected, `${fn}(${a}, ${b})`);
      assert.equal(getFunction(fn)?.returnType, 'scalar');
    }
  });

  test('all math functions drop the metric name', () => {
    for (const name of ['abs', 'sqrt', 'round', 'clamp', 'clamp_min', 'clamp_max', 'sgn', 'deg']) {
      assert.equal(getFunction(name)?.keepsMetricName, false, name);
    }
  });
});
