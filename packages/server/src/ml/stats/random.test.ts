import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { binomialSample, multinomialSample, seededRandom } from './random.ts';
import { chiSquarePValue, logGamma } from './special-functions.ts';

describe('seededRandom (mulberry32)', () => {
  test('matches an independent Python port of mulberry32', () => {
    // python3: s=(s+0x6d2b79f5)&M; t=imul(t^(t>>15), t|1); t^=(t+imul(t^(t>>7), t|61))&M;
    //          ((t^(t>>14))&M)/2**32 for seed 42 → 0.6011037519201636, 0.44829055899754167, 0.8524657934904099
    const random = seededRandom(42);
    assert.deepEqual(
      [random(), random(), random()],
      [0.6011037519201636, 0.44829055899754167, 0.8524657934904099],
    );
  });

  test('same seed, same sequence; another seed, another sequence; values in [0, 1) with mean ½', () => {
    const [a, b, c] = [seededRandom(7), seededRandom(7), seededRandom(8)];
    const draws = Array.from({ length: 100_000 }, () => a());
    assert.deepEqual(
      draws.slice(0, 5),
      Array.from({ length: 5 }, () => b()),
    );
    assert.notEqual(draws[0], c());
    assert.ok(draws.every((u) => u >= 0 && u < 1));
    const mean = draws.reduce((sum, u) => sum + u, 0) / draws.length;
    // sd of the mean of 1e5 uniforms = √(1/12/1e5) ≈ 0.000913; allow 4σ.
    assert.ok(Math.abs(mean - 0.5) < 4 * 0.000913, `mean ${mean}`);
  });
});

/** ln of the Binomial(n, p) pmf at k, from log-gamma (independent of the sampler's Stirling terms). */
function logBinomialPmf(n: number, p: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/**
 * Pearson goodness-of-fit p-value of `samples` against Binomial(n, p): cells with expected count
 * ≥ 5, the tails pooled into the outermost cells (Cochran's rule).
 */
function binomialGoodnessOfFit(samples: readonly number[], n: number, p: number): number {
  const observed = new Map<number, number>();
  for (const k of samples) observed.set(k, (observed.get(k) ?? 0) + 1);
  const cells: { expected: number; observed: number }[] = [];
  let pending = { expected: 0, observed: 0 };
  for (let k = 0; k <= n; k++) {
    pending.expected += samples.length * Math.exp(logBinomialPmf(n, p, k));
    pending.observed += observed.get(k) ?? 0;
    if (pending.expected >= 5) {
      cells.push(pending);
      pending = { expected: 0, observed: 0 };
    }
  }
  // Whatever is left of the upper tail joins the last cell.
  const last = cells[cells.length - 1]!;
  last.expected += pending.expected;
  last.observed += pending.observed;
  const statistic = cells.reduce((sum, c) => sum + (c.observed - c.expected) ** 2 / c.expected, 0);
  return chiSquarePValue(statistic, cells.length - 1);
}

describe('binomialSample', () => {
  // [trials, p, which path]: inversion (n·p < 10), BTRS, and the p > ½ mirror of each.
  const cases: [number, number, string][] = [
    [20, 0.1, 'inversion'],
    [1000, 0.005, 'inversion, large n'],
    [50, 0.3, 'BTRS, n·p = 15'],
    [1000, 0.3, 'BTRS'],
    [1_000_000, 0.02, 'BTRS, large n'],
    [200, 0.97, 'inversion, mirrored'],
    [100_000, 0.5, 'BTRS, p = ½'],
    [5000, 0.8, 'BTRS, mirrored'],
  ];
  const draws = 20_000;
  for (const [trials, p, path] of cases) {
    test(`follows Binomial(${trials}, ${p}) exactly (${path})`, () => {
      const random = seededRandom(trials + Math.round(p * 1000));
      const samples = Array.from({ length: draws }, () => binomialSample(random, trials, p));
      assert.ok(samples.every((k) => Number.isInteger(k) && k >= 0 && k <= trials));
      const mean = samples.reduce((a, b) => a + b, 0) / draws;
      const sd = Math.sqrt(trials * p * (1 - p));
      assert.ok(Math.abs(mean - trials * p) < (4 * sd) / Math.sqrt(draws), `mean ${mean} vs ${trials * p}`);
      const pValue = binomialGoodnessOfFit(samples, trials, p);
      assert.ok(pValue > 1e-3, `goodness of fit p = ${pValue}`);
    });
  }

  test('the goodness-of-fit check can fail: Binomial(1000, 0.3) draws are not Binomial(1000, 0.31)', () => {
    const random = seededRandom(99);
    const samples = Array.from({ length: draws }, () => binomialSample(random, 1000, 0.3));
    assert.ok(binomialGoodnessOfFit(samples, 1000, 0.31) < 1e-6);
    assert.ok(binomialGoodnessOfFit(samples, 1000, 0.3) > 1e-3);
  });

  test('degenerate and invalid arguments', () => {
    const random = seededRandom(1);
    assert.equal(binomialSample(random, 0, 0.5), 0);
    assert.equal(binomialSample(random, 10, 0), 0);
    assert.equal(binomialSample(random, 10, 1), 10);
    assert.throws(() => binomialSample(random, 2.5, 0.5), RangeError);
    assert.throws(() => binomialSample(random, -1, 0.5), RangeError);
    assert.throws(() => binomialSample(random, 10, 1.2), RangeError);
    assert.throws(() => binomialSample(random, 10, Number.NaN), RangeError);
  });
});

describe('multinomialSample', () => {
  test('counts sum to trials and each mean is n·pᵢ within 4σ over 2000 draws', () => {
    const random = seededRandom(2024);
    const probabilities = [0.5, 0.3, 0, 0.15, 0.049, 0.001];
    const [trials, draws] = [500, 2000];
    const totals = new Array<number>(probabilities.length).fill(0);
    for (let d = 0; d < draws; d++) {
      const counts = multinomialSample(random, trials, probabilities);
      assert.equal(
        counts.reduce((a, b) => a + b, 0),
        trials,
      );
      counts.forEach((count, i) => (totals[i]! += count));
    }
    probabilities.forEach((p, i) => {
      const mean = totals[i]! / draws;
      const sdOfMean = Math.sqrt((trials * p * (1 - p)) / draws);
      assert.ok(Math.abs(mean - trials * p) <= 4 * sdOfMean, `category ${i}: mean ${mean} vs ${trials * p}`);
    });
    assert.equal(totals[2], 0, 'a zero-probability category is never drawn');
  });

  test('weights need not sum to 1: bucket weights give the same means', () => {
    const random = seededRandom(5);
    const weights = [120, 30, 50];
    const totals = [0, 0, 0];
    for (let d = 0; d < 2000; d++)
      multinomialSample(random, 200, weights).forEach((c, i) => (totals[i]! += c));
    const expected = [120, 30, 50];
    totals.forEach((total, i) => {
      const p = expected[i]! / 200;
      const sdOfMean = Math.sqrt((200 * p * (1 - p)) / 2000);
      assert.ok(Math.abs(total / 2000 - 200 * p) <= 4 * sdOfMean, `category ${i}`);
    });
  });

  test('is O(categories), not O(trials): a million trials over 300 buckets, 1000 times, is quick', () => {
    const random = seededRandom(3);
    const weights = Array.from({ length: 300 }, (_, i) => Math.exp(-((i - 150) ** 2) / 2000));
    let checksum = 0;
    for (let d = 0; d < 1000; d++) checksum += multinomialSample(random, 1_000_000, weights)[150]!;
    const meanAtPeak = checksum / 1000;
    const total = weights.reduce((a, b) => a + b, 0);
    const p = 1 / total;
    assert.ok(Math.abs(meanAtPeak - 1e6 * p) < 4 * Math.sqrt((1e6 * p * (1 - p)) / 1000));
  });

  test('invalid arguments', () => {
    const random = seededRandom(1);
    assert.deepEqual(multinomialSample(random, 0, [0, 0]), [0, 0]);
    assert.throws(() => multinomialSample(random, 5, [0, 0]), RangeError);
    assert.throws(() => multinomialSample(random, 5, [0.5, -0.1]), RangeError);
    assert.throws(() => multinomialSample(random, 1.5, [1]), RangeError);
  });
});
