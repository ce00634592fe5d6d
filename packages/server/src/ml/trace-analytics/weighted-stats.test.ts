import assert from 'node:assert/strict';
import { test } from 'node:test';
import { effectiveSampleSize, weightedMean, weightedQuantile, weightedStandardError } from './weighted-stats.ts';

const ONE_TO_HUNDRED = Array.from({ length: 100 }, (_, index) => index + 1);
const ONES = ONE_TO_HUNDRED.map(() => 1);

void test('weightedQuantile: inverse of the weighted empirical CDF', () => {
  const cases: { values: number[]; weights: number[]; q: number; expected: number | undefined }[] = [
    { values: ONE_TO_HUNDRED, weights: ONES, q: 0.99, expected: 99 },
    { values: ONE_TO_HUNDRED, weights: ONES, q: 0.5, expected: 50 },
    { values: ONE_TO_HUNDRED, weights: ONES, q: 0, expected: 1 },
    { values: ONE_TO_HUNDRED, weights: ONES, q: 1, expected: 100 },
    // Unsorted input; 30 carries 80% of the weight.
    { values: [30, 10, 20], weights: [8, 1, 1], q: 0.5, expected: 30 },
    { values: [30, 10, 20], weights: [8, 1, 1], q: 0.2, expected: 20 },
    // A weight of 0 drops the value.
    { values: [1, 1000], weights: [1, 0], q: 1, expected: 1 },
    { values: [], weights: [], q: 0.5, expected: undefined },
    { values: [1], weights: [1], q: 1.5, expected: undefined },
  ];
  for (const { values, weights, q, expected } of cases)
    assert.equal(weightedQuantile(values, weights, q), expected, `q=${q} of ${values.length} values`);
});

void test('weighted mean, effective size and standard error match hand-computed references', () => {
  // /usr/bin/python3: x=[1,2,3,4,10]; w=[1,2,1,3,1]; m=Σwx/Σw; neff=(Σw)²/Σw²;
  // var=Σw(x-m)²/Σw·neff/(neff-1); se=sqrt(var/neff) → 3.75 4.0 1.4930394055974097
  const values = [1, 2, 3, 4, 10];
  const weights = [1, 2, 1, 3, 1];
  assert.equal(weightedMean(values, weights), 3.75);
  assert.equal(effectiveSampleSize(weights), 4);
  assert.ok(Math.abs(weightedStandardError(values, weights) - 1.4930394055974097) < 1e-12);
  // Unit weights reduce to stdev / √n: statistics.stdev([1,2,3,4,10])/sqrt(5) = 1.5811388300841895.
  assert.ok(Math.abs(weightedStandardError(values, [1, 1, 1, 1, 1]) - 1.5811388300841895) < 1e-12);
  assert.equal(weightedStandardError([5], [3]), 0);
  assert.equal(weightedMean([], []), undefined);
});
