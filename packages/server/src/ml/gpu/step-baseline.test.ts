import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { flaggedRuns, median, trailingMedian } from './step-baseline.ts';

// Reference values: python3 -c "import statistics as s; print(s.median([3,1,2,10]), s.median([5]),
//   s.median([1.5,-2,7]), s.median([40,41,39,40.5,38,42,40,39.5,41,40]), s.median([10,12,11]),
//   s.median([1410]*5+[990]*5))"
// → 2.5 5 1.5 40.0 11 1200.0
describe('median', () => {
  const cases: { values: number[]; expected: number | null }[] = [
    { values: [], expected: null },
    { values: [3, 1, 2, 10], expected: 2.5 },
    { values: [5], expected: 5 },
    { values: [1.5, -2, 7], expected: 1.5 },
    { values: [40, 41, 39, 40.5, 38, 42, 40, 39.5, 41, 40], expected: 40 },
    { values: [1410, 1410, 1410, 1410, 1410, 990, 990, 990, 990, 990], expected: 1200 },
  ];
  for (const { values, expected } of cases)
    test(`[${values.join(', ')}] → ${expected}`, () => assert.equal(median(values), expected));

  test('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    assert.deepEqual(values, [3, 1, 2]);
  });
});

describe('trailingMedian', () => {
  const values = [10, null, 12, 11, 50, 13];
  const cases: { index: number; windowSteps: number; minValues: number; expected: number | null }[] = [
    // Steps 0–3 hold 10, null, 12, 11: the null is skipped, the step itself (50) is not included.
    { index: 4, windowSteps: 4, minValues: 3, expected: 11 },
    { index: 4, windowSteps: 4, minValues: 4, expected: null },
    // Only the last two steps: 11 and 50.
    { index: 5, windowSteps: 2, minValues: 1, expected: 30.5 },
    { index: 0, windowSteps: 10, minValues: 1, expected: null },
    // The window is clipped at the start: steps 0–2 → 10, 12.
    { index: 3, windowSteps: 10, minValues: 2, expected: 11 },
  ];
  for (const { index, windowSteps, minValues, expected } of cases)
    test(`step ${index}, window ${windowSteps}, at least ${minValues} → ${expected}`, () =>
      assert.equal(trailingMedian(values, index, windowSteps, minValues), expected));
});

describe('flaggedRuns', () => {
  const cases: { flags: boolean[]; expected: [number, number][] }[] = [
    { flags: [], expected: [] },
    { flags: [false, false], expected: [] },
    { flags: [true], expected: [[0, 0]] },
    {
      flags: [false, true, true, false, true],
      expected: [
        [1, 2],
        [4, 4],
      ],
    },
    { flags: [true, true, true], expected: [[0, 2]] },
  ];
  for (const { flags, expected } of cases)
    test(`${flags.map((flag) => (flag ? 'x' : '.')).join('') || '(none)'}`, () =>
      assert.deepEqual(
        flaggedRuns(flags).map((run) => [run.first, run.last]),
        expected,
      ));
});
