import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DenseBuckets } from './dense-buckets.ts';
import { seededRandom } from './random.ts';

/** The reference: a plain map, folding below the window the way the store must. */
function reference(adds: readonly [number, number][], maxSpan: number): [number, number][] {
  const map = new Map<number, number>();
  let high = -Infinity;
  for (const [added, weight] of adds) {
    high = Math.max(high, added);
    const floor = high - maxSpan + 1;
    for (const [i, w] of map) {
      if (i < floor) {
        map.delete(i);
        map.set(floor, (map.get(floor) ?? 0) + w);
      }
    }
    const index = Math.max(added, floor);
    map.set(index, (map.get(index) ?? 0) + weight);
  }
  return [...map].sort((a, b) => a[0] - b[0]);
}

describe('DenseBuckets', () => {
  for (const [name, maxSpan, spread] of [
    ['no collapse', 2048, 300],
    ['collapsing', 40, 300],
    ['narrow window', 1, 50],
  ] as const) {
    test(`matches a map of the same adds: ${name}`, () => {
      const random = seededRandom(7);
      const adds: [number, number][] = Array.from({ length: 3000 }, () => [
        Math.floor((random() - 0.5) * spread),
        1 + Math.floor(random() * 3),
      ]);
      const buckets = new DenseBuckets(maxSpan);
      for (const [index, weight] of adds) buckets.add(index, weight);
      const expected = reference(adds, maxSpan);
      assert.deepEqual(buckets.entries(), expected);
      assert.equal(buckets.size, expected.length);
      const total = (pairs: [number, number][]) => pairs.reduce((sum, [, w]) => sum + w, 0);
      assert.equal(total(buckets.entries()), total(adds), 'no weight lost');
    });
  }

  test('far-apart indexes do not allocate the whole gap', () => {
    const buckets = new DenseBuckets(64);
    buckets.add(-1_000_000, 1);
    buckets.add(1_000_000, 2);
    assert.deepEqual(buckets.entries(), [
      [1_000_000 - 63, 1],
      [1_000_000, 2],
    ]);
  });
});
