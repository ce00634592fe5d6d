import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kahanAdd, kahanZero } from './kahan-sum.ts';
import { almostEqual, bucketQuantile, quantile } from './quantile.ts';
import { frexp, goLog10, goLog2 } from './go-math.ts';

describe('quantile', () => {
  // prettier-ignore
  for (const [q, values, expected] of [
    [0.5, [0, 1], 0.5],
    [0.75, [2, 0, 1], 1.5],
    [0.8, [0, 1, 4], 2.8000000000000003],
    [0, [3, 1, 2], 1],
    [1, [3, 1, 2], 3],
    [-0.5, [1], -Infinity],
    [1.5, [1], Infinity],
    [NaN, [1], NaN],
    [0.5, [], NaN],
  ] as const) {
    test(`${q} of [${values.join(', ')}] = ${expected}`, () =>
      assert.ok(Object.is(quantile(q, [...values]), expected)));
  }

  test('NaN sorts first, as vectorByValueHeap does', () => {
    assert.equal(quantile(1, [2, NaN, 1]), 2);
    assert.ok(Number.isNaN(quantile(0, [2, NaN, 1])));
  });
});

describe('bucketQuantile', () => {
  test('a rank in a non-positive lowest bucket returns its bound', () => {
    const result = bucketQuantile(0.1, [
      { upperBound: -1, count: 5 },
      { upperBound: Infinity, count: 10 },
    ]);
    assert.deepEqual(result, { quantile: -1, forcedMonotonic: false });
  });

  test('float noise is smoothed silently, real decreases are reported', () => {
    const noisy = bucketQuantile(0.5, [
      { upperBound: 1, count: 10 },
      { upperBound: 2, count: 10 - 1e-14 },
      { upperBound: Infinity, count: 20 },
    ]);
    assert.equal(noisy.forcedMonotonic, false);
    const decreasing = bucketQuantile(0.5, [
      { upperBound: 1, count: 10 },
      { upperBound: 2, count: 9 },
      { upperBound: Infinity, count: 20 },
    ]);
    assert.equal(decreasing.forcedMonotonic, true);
  });

  test('sorts buckets itself', () => {
    const result = bucketQuantile(0.5, [
      { upperBound: Infinity, count: 4 },
      { upperBound: 2, count: 4 },
      { upperBound: 1, count: 2 },
    ]);
    assert.equal(result.quantile, 1);
  });
});

describe('almostEqual (util/almost)', () => {
  test('relative away from zero, absolute near it', () => {
    assert.equal(almostEqual(1, 1 + 1e-13, 1e-12), true);
    assert.equal(almostEqual(1, 1 + 1e-11, 1e-12), false);
    assert.equal(almostEqual(0, 1e-320, 1e-12), true);
    assert.equal(almostEqual(0, 1e-300, 1e-12), false);
    assert.equal(almostEqual(NaN, NaN, 1e-12), true);
  });
});

describe('kahanAdd', () => {
  test('keeps small terms next to large ones', () => {
    const state = kahanZero();
    for (const value of [1, 1e100, 1, -1e100]) kahanAdd(state, value);
    assert.equal(state.sum + state.compensation, 2);
  });

  test('an overflow resets the compensation', () => {
    const state = kahanZero();
    for (const value of [1e308, 1e308]) kahanAdd(state, value);
    assert.deepEqual(state, { sum: Infinity, compensation: 0 });
  });
});

describe('Go math', () => {
  test('frexp', () => {
    assert.deepEqual(frexp(8), [0.5, 4]);
    assert.deepEqual(frexp(-3), [-0.75, 2]);
    assert.deepEqual(frexp(5e-324), [0.5, -1073]);
    assert.deepEqual(frexp(0), [0, 0]);
  });

  test('log2 and log10 as Go computes them', () => {
    assert.equal(goLog2(8), 3);
    assert.equal(goLog2(20), 4.321928094887363);
    assert.equal(goLog10(10), 1);
    assert.equal(goLog10(100), 2);
    assert.equal(goLog2(2 ** -1074), -1074);
  });
});
