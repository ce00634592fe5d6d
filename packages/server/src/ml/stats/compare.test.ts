import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bootstrapQuantileChange,
  formatPercent,
  proportionDifference,
  resampledQuantileIndex,
} from './compare.ts';
import { categoricalDrift } from './drift.ts';
import { LogSketch, type WeightedValues } from './log-sketch.ts';
import { multinomialSample, seededRandom } from './random.ts';
import { normalQuantile } from './special-functions.ts';

function assertClose(actual: number, expected: number, tolerance: number, label = ''): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: ${actual} vs ${expected}`);
}

/** `count` lognormal latencies scale·e^{σZ} (median `scale` ms), seeded, through a LogSketch. */
function latencies(seed: number, count: number, scale: number, sigma = 0.3): WeightedValues {
  const random = seededRandom(seed);
  const sketch = new LogSketch();
  for (let i = 0; i < count; i++) sketch.add(scale * Math.exp(sigma * normalQuantile(random())));
  return sketch.distribution();
}

describe('resampledQuantileIndex', () => {
  const weights = [5, 1, 0, 3, 8, 2, 1, 4];
  const cumulative = Float64Array.from(
    weights.reduce((sums, w) => [...sums, sums[sums.length - 1]! + w], [0]),
  );
  // 31 draws make every rank q·30 an integer, where "> rank" and "≥ rank" differ.
  const [draws, samples] = [31, 20_000];

  /** Bucket index → how often it held rank q·(draws − 1), by a given resampler. */
  function frequencies(sample: () => number): Map<string, number> {
    const counts = new Map<string, number>();
    for (let i = 0; i < samples; i++) {
      const key = String(sample());
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  /** The direct way: draw every bucket's count, then scan to the rank. */
  function byFullMultinomial(random: () => number, q: number): number {
    const counts = multinomialSample(random, draws, weights);
    const rank = q * (draws - 1);
    let cumulativeCount = 0;
    return counts.findIndex((count) => (cumulativeCount += count) > rank);
  }

  for (const q of [0.1, 0.5, 0.9])
    test(`binary splitting has the distribution of a full multinomial resample (q = ${q})`, () => {
      const [a, b] = [seededRandom(1), seededRandom(2)];
      const direct = frequencies(() => byFullMultinomial(a, q));
      const split = frequencies(() => resampledQuantileIndex(b, cumulative, draws, q * (draws - 1)));
      const { pValue } = categoricalDrift(direct, split);
      assert.ok(pValue > 1e-3, `χ² homogeneity p = ${pValue}`);
      assert.equal(split.get('2'), undefined, 'a zero-weight bucket never holds the quantile');
    });

  test('the check can fail: a different rank is told apart', () => {
    const [a, b] = [seededRandom(1), seededRandom(2)];
    const direct = frequencies(() => byFullMultinomial(a, 0.5));
    const shifted = frequencies(() => resampledQuantileIndex(b, cumulative, draws, 0.6 * (draws - 1)));
    assert.ok(categoricalDrift(direct, shifted).pValue < 1e-6);
  });
});

describe('bootstrapQuantileChange', () => {
  // Expected spread, lognormal σ = 0.3, n = m = 2000: sd(log q̂_p) = σ·√(p(1−p)/n)/φ(z_p) per group
  // (asymptotic quantile variance, Serfling 1980 §2.3.3) → p50: 0.0084, p90: 0.0115; for the log ratio
  // ×√2 → p50: 0.012, p90: 0.016. Hence ±0.03 (p50) and ±0.045 (p90) are about 2.5–3 sd.
  const baseline = latencies(11, 2000, 100);
  const slower = latencies(12, 2000, 115);

  test('a candidate 15% slower: found with the right magnitude, significant (p50)', () => {
    const change = bootstrapQuantileChange(baseline, slower, 0.5);
    assertClose(change.relativeChange, 0.15, 0.03, 'relativeChange');
    assert.ok(change.ciLow <= 0.15 && 0.15 <= change.ciHigh, `CI [${change.ciLow}, ${change.ciHigh}]`);
    assert.ok(change.ciLow > 0, 'the CI excludes 0');
    assert.ok(change.ciLow <= change.relativeChange && change.relativeChange <= change.ciHigh);
  });

  test('a candidate 15% slower: p90 too', () => {
    const change = bootstrapQuantileChange(baseline, slower, 0.9);
    assertClose(change.relativeChange, 0.15, 0.045, 'relativeChange');
    assert.ok(change.ciLow <= 0.15 && 0.15 <= change.ciHigh && change.ciLow > 0);
  });

  test('identical distributions: the CI contains 0', () => {
    const same = latencies(13, 2000, 100);
    for (const q of [0.5, 0.9, 0.99]) {
      const change = bootstrapQuantileChange(baseline, same, q);
      assert.ok(change.ciLow < 0 && change.ciHigh > 0, `q=${q}: CI [${change.ciLow}, ${change.ciHigh}]`);
      assert.ok(Math.abs(change.relativeChange) < 0.05, `q=${q}: ${change.relativeChange}`);
    }
  });

  test('coverage: the 95% interval holds the true +15% in about 95% of 60 seeded experiments', () => {
    let covered = 0;
    const experiments = 60;
    for (let e = 0; e < experiments; e++) {
      const change = bootstrapQuantileChange(
        latencies(1000 + e, 2000, 100),
        latencies(5000 + e, 2000, 115),
        0.5,
        { iterations: 400, seed: e },
      );
      if (change.ciLow <= 0.15 && 0.15 <= change.ciHigh) covered += 1;
    }
    // Binomial(60, 0.95): mean 57, sd 1.7. A grossly too narrow interval (e.g. 80% coverage, mean 48)
    // or a biased one fails; 52 is 3 sd below the nominal mean.
    assert.ok(covered >= 52, `covered ${covered}/${experiments}`);
  });

  test('resamples n = round(total weight): a small group gets a wide interval, a large one a narrow', () => {
    const small = bootstrapQuantileChange(latencies(21, 100, 100), latencies(22, 100, 100), 0.5);
    const large = bootstrapQuantileChange(latencies(21, 20_000, 100), latencies(22, 20_000, 100), 0.5);
    // Width ∝ 1/√n: 200× the data, ~14× narrower; demand at least 5×.
    assert.ok(small.ciHigh - small.ciLow > 5 * (large.ciHigh - large.ciLow));
  });

  test('same seed, same interval; confidence widens it', () => {
    const a = bootstrapQuantileChange(baseline, slower, 0.5, { seed: 3 });
    assert.deepEqual(bootstrapQuantileChange(baseline, slower, 0.5, { seed: 3 }), a);
    const wider = bootstrapQuantileChange(baseline, slower, 0.5, { seed: 3, confidence: 0.99 });
    assert.ok(wider.ciLow < a.ciLow && wider.ciHigh > a.ciHigh);
  });

  test('invalid input', () => {
    const empty = { values: [], weights: [] };
    assert.throws(() => bootstrapQuantileChange(empty, slower, 0.5), RangeError);
    assert.throws(() => bootstrapQuantileChange(baseline, empty, 0.5), RangeError);
    assert.throws(() => bootstrapQuantileChange({ values: [0], weights: [10] }, slower, 0.5), RangeError);
    assert.throws(() => bootstrapQuantileChange(baseline, slower, 1.5), RangeError);
    assert.throws(() => bootstrapQuantileChange(baseline, slower, 0.5, { iterations: 0 }), RangeError);
    assert.throws(() => bootstrapQuantileChange(baseline, slower, 0.5, { confidence: 1 }), RangeError);
  });
});

describe('proportionDifference', () => {
  // Intervals: Newcombe (1998), Stat. Med. 17:873–890, Table II, method 10, examples (a)–(h), where
  // θ = first − second; here the candidate is Newcombe's first proportion. Re-derived with an
  // independent Python implementation (Wilson + square-and-add, z = scipy.stats.norm.ppf(0.975)).
  // [candidate events, total, baseline events, total, ciLow, ciHigh]
  const newcombe: [number, number, number, number, number, number][] = [
    [56, 70, 48, 80, 0.052431472402365065, 0.333872654036906],
    [9, 10, 3, 10, 0.17052272393450302, 0.8090179735354881],
    [6, 7, 2, 7, 0.0582279274823122, 0.8062496375242277],
    [5, 56, 0, 29, -0.03813714790353688, 0.19256001385511162],
    [0, 10, 0, 20, -0.16112515805281938, 0.2775327998628892],
    [0, 10, 0, 10, -0.2775327998628892, 0.2775327998628892],
    [10, 10, 0, 20, 0.6790860371419147, 1],
    [10, 10, 0, 10, 0.6075093504305242, 1],
  ];
  for (const [ce, ct, be, bt, low, high] of newcombe)
    test(`Newcombe interval for ${ce}/${ct} − ${be}/${bt}`, () => {
      const result = proportionDifference(be, bt, ce, ct);
      assertClose(result.difference, ce / ct - be / bt, 1e-15, 'difference');
      assertClose(result.ciLow, low, 1e-12, 'ciLow');
      assertClose(result.ciHigh, high, 1e-12, 'ciHigh');
    });

  // p-values: python3 -c "import numpy as np; from scipy import stats;
  //   print(stats.chi2_contingency(np.array([[be, bt-be], [ce, ct-ce]]), correction=False).pvalue)"
  // (Pearson's χ² on the 2×2 table equals the pooled z-test's z²; a by-hand z-test agrees to 1e-15.)
  const pValues: [number, number, number, number, number][] = [
    [48, 80, 56, 70, 0.008045081368196582],
    [30, 1000, 45, 1000, 0.07748486513264485],
    [3, 10, 9, 10, 0.0061698993205441645],
    [120, 10000, 150, 9000, 0.006654614127060802],
  ];
  for (const [be, bt, ce, ct, expected] of pValues)
    test(`pooled z-test p-value for ${be}/${bt} vs ${ce}/${ct}`, () =>
      assertClose(proportionDifference(be, bt, ce, ct).pValue, expected, 1e-12, 'p'));

  test('an error rate 1.2% → 1.67% at 10k / 9k requests is significant with the right size', () => {
    const result = proportionDifference(120, 10_000, 150, 9000);
    assertClose(result.difference, 150 / 9000 - 0.012, 1e-15, 'difference');
    // Python (same method): [0.0012889311519506553, 0.008129520641196923]
    assertClose(result.ciLow, 0.0012889311519506553, 1e-12, 'ciLow');
    assertClose(result.ciHigh, 0.008129520641196923, 1e-12, 'ciHigh');
  });

  test('no events on either side: no evidence, symmetric interval', () => {
    const result = proportionDifference(0, 10, 0, 10);
    assert.equal(result.pValue, 1);
    assert.equal(result.difference, 0);
  });

  test('invalid input', () => {
    assert.throws(() => proportionDifference(0, 0, 1, 10), RangeError);
    assert.throws(() => proportionDifference(1, 10, 0, 0), RangeError);
    assert.throws(() => proportionDifference(11, 10, 1, 10), RangeError);
    assert.throws(() => proportionDifference(1, 10, 1, 10, 1), RangeError);
  });
});

describe('formatPercent', () => {
  const cases: [number, string][] = [
    [0.14, '14%'],
    [0.1403, '14%'],
    [0.145, '15%'],
    [-0.145, '-15%'],
    [1.5, '150%'],
    [0.1, '10%'],
    [0.0996, '10%'],
    [0.008, '0.8%'],
    [0.0123, '1.2%'],
    [0.05, '5%'],
    [-0.0034, '-0.34%'],
    [0.000123, '0.012%'],
    [0, '0%'],
    [Number.NaN, 'n/a'],
    [Infinity, 'n/a'],
  ];
  for (const [fraction, expected] of cases)
    test(`${fraction} → ${expected}`, () => assert.equal(formatPercent(fraction), expected));
});
