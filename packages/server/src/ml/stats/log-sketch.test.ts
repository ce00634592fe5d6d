import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LogSketch, type LogSketchJson } from './log-sketch.ts';

/** Deterministic spread of values (no Math.random in tests). */
function values(count: number, map: (u: number) => number): number[] {
  return Array.from({ length: count }, (_, i) => map((i + 0.5) / count));
}

function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

describe('LogSketch', () => {
  const cases: [string, number[]][] = [
    ['uniform 1–1000 ms', values(10_000, (u) => 1 + 999 * u)],
    ['exponential', values(10_000, (u) => -Math.log(1 - u) * 0.03)],
    ['scores in (0, 1)', values(5_000, (u) => u ** 3)],
    ['signed', values(4_000, (u) => (u - 0.3) * 50)],
  ];
  for (const [name, data] of cases) {
    test(`quantiles within 1% relative error: ${name}`, () => {
      const sketch = new LogSketch(0.01);
      for (const v of data) sketch.add(v);
      const sorted = [...data].sort((a, b) => a - b);
      for (const q of [0, 0.1, 0.5, 0.9, 0.99, 1]) {
        const expected = exactQuantile(sorted, q);
        const actual = sketch.quantile(q)!;
        assert.ok(
          Math.abs(actual - expected) <= 0.0101 * Math.abs(expected) + 1e-9,
          `${name} q=${q}: ${actual} vs ${expected}`,
        );
      }
      assert.equal(sketch.count, data.length);
      assert.ok(Math.abs(sketch.sum - data.reduce((a, b) => a + b, 0)) < 1e-6 * data.length);
    });
  }

  test('merge equals adding everything to one sketch', () => {
    const [a, b, all] = [new LogSketch(), new LogSketch(), new LogSketch()];
    for (const v of values(1000, (u) => u * 10)) {
      a.add(v);
      all.add(v);
    }
    for (const v of values(500, (u) => 5 + u * 100)) {
      b.add(v, 2);
      all.add(v, 2);
    }
    a.merge(b);
    // Bucket order in the maps and the float sum's rounding may differ; the distribution may not.
    assert.deepEqual(a.distribution(), all.distribution());
    assert.equal(a.count, all.count);
    assert.ok(Math.abs(a.sum - all.sum) < 1e-6);
    assert.equal(a.quantile(0.95), all.quantile(0.95));
  });

  test('weights, cdf, empty, non-finite', () => {
    const sketch = new LogSketch();
    assert.equal(sketch.quantile(0.5), undefined);
    assert.equal(sketch.min, undefined);
    sketch.add(Number.NaN);
    sketch.add(Infinity);
    sketch.add(1, 0);
    assert.equal(sketch.count, 0);
    sketch.add(10, 9);
    sketch.add(100, 1);
    assert.equal(sketch.count, 10);
    assert.ok(Math.abs(sketch.quantile(0.5)! - 10) < 0.11);
    assert.ok(Math.abs(sketch.cdf(50) - 0.9) < 1e-12);
    assert.equal(sketch.cdf(1000), 1);
    assert.equal(sketch.cdf(1), 0);
  });

  test('bucket count is bounded; the upper tail stays accurate', () => {
    const sketch = new LogSketch(0.01, 64);
    for (const v of values(10_000, (u) => 10 ** (-6 + 12 * u))) sketch.add(v);
    assert.ok(sketch.bucketCount <= 64);
    assert.ok(Math.abs(sketch.quantile(0.99)! / 10 ** (-6 + 12 * 0.99) - 1) < 0.02);
  });

  test('JSON round trip', () => {
    const sketch = new LogSketch();
    for (const v of [-3, 0, 0.5, 2, 2, 700]) sketch.add(v);
    const copy = LogSketch.fromJSON(JSON.parse(JSON.stringify(sketch.toJSON())) as LogSketchJson);
    assert.deepEqual(copy.distribution(), sketch.distribution());
    assert.equal(copy.min, -3);
    assert.equal(copy.max, 700);
    assert.throws(() => new LogSketch(0.01).merge(new LogSketch(0.02)), /accuracy/);
  });
});
