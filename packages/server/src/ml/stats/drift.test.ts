import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  binCounts,
  categoricalDrift,
  jensenShannon,
  kolmogorovPValue,
  ksTwoSample,
  numericDrift,
  psi,
  quantileBinEdges,
} from './drift.ts';
import { LogSketch, type WeightedValues } from './log-sketch.ts';
import { seededRandom } from './random.ts';
import { normalQuantile } from './special-functions.ts';

function assertClose(actual: number, expected: number, tolerance: number, label = ''): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: ${actual} vs ${expected}`);
}

function unitWeights(values: number[]): WeightedValues {
  return { values, weights: values.map(() => 1) };
}

// References: SciPy 1.17.1 / NumPy 2.4.6 (pyenv python3), printed with repr():
//   psi(r, c): r = max(r/Σr, 1e-4); c = max(c/Σc, 1e-4); np.sum((c - r) * np.log(c / r))
//   js(p, q):  scipy.spatial.distance.jensenshannon(p, q, base=2) ** 2
//   chi:       scipy.stats.chi2_contingency(np.array([ref, cur]), correction=False)
//   ks:        scipy.stats.ks_2samp(np.repeat(values, weights), ..., method='asymp').statistic and
//              scipy.special.kolmogorov((√nₑ + 0.12 + 0.11/√nₑ)·D), nₑ = n·m/(n + m)

describe('psi', () => {
  test('identical distributions give 0, whatever the sample sizes', () => {
    assert.equal(psi([10, 20, 30], [10, 20, 30]), 0);
    assertClose(psi([1, 2, 3], [2, 4, 6]), 0, 1e-15, 'scaled'); // numpy: 0.0
  });

  const cases: [string, number[], number[], number][] = [
    // By hand: (−.15)ln .4 + (−.05)ln .8 + (.05)ln 1.2 + (.15)ln 1.6 = 0.137444 + 0.011157 + 0.009116 + 0.070501
    ['uniform → ramp', [25, 25, 25, 25], [10, 20, 30, 40], 0.22821740957339182],
    // The empty reference bin is floored at 1e-4: (.1 − 1e-4)·ln(1000) + (−.1)·ln(.8) = 0.690085 + 0.022314
    ['empty bin floored at 1e-4', [50, 30, 20, 0], [40, 30, 20, 10], 0.7123991075017365],
  ];
  for (const [name, reference, current, expected] of cases)
    test(name, () => assertClose(psi(reference, current), expected, 1e-12, name));

  test('an empty side is no evidence; mismatched bins are a programming error', () => {
    assert.equal(psi([0, 0], [1, 2]), 0);
    assert.throws(() => psi([1, 2], [1, 2, 3]), RangeError);
  });
});

describe('jensenShannon (bits)', () => {
  const cases: [string, number[], number[], number][] = [
    ['identical', [3, 5, 2], [6, 10, 4], 0],
    ['uniform → ramp', [25, 25, 25, 25], [10, 20, 30, 40], 0.0402015823461419],
    ['with an empty bin', [50, 30, 20, 0], [40, 30, 20, 10], 0.05401577307280003],
    ['disjoint supports reach the maximum 1', [1, 0], [0, 1], 1],
  ];
  for (const [name, p, q, expected] of cases)
    test(name, () => assertClose(jensenShannon(p, q), expected, 1e-12, name));
});

describe('kolmogorovPValue against scipy.special.kolmogorov', () => {
  const cases: [number, number][] = [
    [0.2, 0.999999999999495],
    [0.5, 0.9639452436648751],
    [0.8, 0.5441424115741981],
    [1.0, 0.26999967167735456],
    [1.18, 0.1234538094297657],
    [1.36, 0.049485876755377876],
    [2, 0.0006709252557796953],
    [3, 3.045995948942526e-8],
  ];
  for (const [lambda, expected] of cases)
    test(`λ = ${lambda}`, () => assertClose(kolmogorovPValue(lambda), expected, 1e-12 + 1e-10 * expected));
  test('λ ≤ 0 is no evidence', () => assert.equal(kolmogorovPValue(0), 1));
});

describe('ksTwoSample', () => {
  test('weighted values with ties step both CDFs together (scipy on the expanded samples)', () => {
    const reference = { values: [1, 2, 3, 4, 5], weights: [3, 1, 4, 1, 5] };
    const current = { values: [2, 3, 5, 8], weights: [2, 7, 1, 8] };
    const result = ksTwoSample(reference, current);
    assertClose(result.statistic, 0.4444444444444444, 1e-12, 'D');
    assertClose(result.pValue, 0.061976923104969966, 1e-10, 'p');
  });

  test('200 vs 300 distinct values', () => {
    const reference = unitWeights(Array.from({ length: 200 }, (_, i) => (i + 0.5) / 200));
    const current = unitWeights(Array.from({ length: 300 }, (_, i) => ((i + 0.5) / 300) ** 1.3));
    const result = ksTwoSample(reference, current);
    assertClose(result.statistic, 0.10000000000000003, 1e-12, 'D');
    assertClose(result.pValue, 0.17122081638709805, 1e-10, 'p');
  });

  test('identical data: D = 0, p = 1; an empty side: no evidence', () => {
    const data = { values: [1, 2, 3], weights: [2, 2, 2] };
    assert.deepEqual(ksTwoSample(data, data), { statistic: 0, pValue: 1 });
    assert.deepEqual(ksTwoSample(data, { values: [], weights: [] }), { statistic: 0, pValue: 1 });
  });
});

describe('quantileBinEdges and binCounts', () => {
  test('deciles of 1..100 (rank q·(n−1), as LogSketch.quantile)', () => {
    const data = unitWeights(Array.from({ length: 100 }, (_, i) => i + 1));
    const edges = quantileBinEdges(data);
    assert.deepEqual(edges, [10, 20, 30, 40, 50, 60, 70, 80, 90]);
    assert.deepEqual(binCounts(data, edges), new Array(10).fill(10));
  });

  test('heavy ties merge edges; bin i holds edges[i−1] < v ≤ edges[i]', () => {
    const data = { values: [1, 2, 3], weights: [80, 10, 10] };
    assert.deepEqual(quantileBinEdges(data), [1, 2]);
    assert.deepEqual(binCounts(data, [1, 2]), [80, 10, 10]);
    assert.deepEqual(binCounts({ values: [0.5, 1, 1.5, 2, 9], weights: [1, 1, 1, 1, 1] }, [1, 2]), [2, 2, 1]);
    assert.deepEqual(quantileBinEdges({ values: [], weights: [] }), []);
    assert.throws(() => quantileBinEdges(data, 0), RangeError);
  });
});

/** Lognormal latencies 100·e^{σZ + shift} (ms) into a LogSketch, from a seeded generator. */
function latencySketch(seed: number, count: number, logShift: number): WeightedValues {
  const random = seededRandom(seed);
  const sketch = new LogSketch();
  for (let i = 0; i < count; i++) sketch.add(100 * Math.exp(0.5 * normalQuantile(random()) + logShift));
  return sketch.distribution();
}

describe('numericDrift on sketched lognormal latencies (5000 vs 5000)', () => {
  const reference = latencySketch(1, 5000, 0);

  test('a 0.5σ shift is found with the right magnitude', () => {
    // Population values (drift is invariant under the monotone log, so this is N(0,1) vs N(0.5,1) over
    // N(0,1) deciles): python3 -c "z=norm.ppf(arange(1,10)/10); c=diff(norm.cdf(r_[-inf,z,inf]-0.5)); ..."
    //   PSI 0.2377492046862759, JS 0.04189533806548912, D = 2Φ(0.25) − 1 = 0.1974126513658474.
    // Simulated sd at n = m = 5000 (300 NumPy runs): PSI 0.020, JS 0.0034, D 0.0094; bounds are ~3 sd.
    const drift = numericDrift(reference, latencySketch(2, 5000, 0.25));
    assertClose(drift.psi, 0.2377, 0.06, 'psi');
    assertClose(drift.jensenShannon, 0.0419, 0.01, 'js');
    assertClose(drift.ks, 0.1974, 0.03, 'ks');
    assert.ok(drift.ksPValue < 1e-20, `ks p ${drift.ksPValue}`);
  });

  test('no drift is reported where none was injected', () => {
    // Null expectations (same NumPy simulation): PSI mean 0.0036, max 0.010; D mean 0.018, max 0.037.
    const drift = numericDrift(reference, latencySketch(3, 5000, 0));
    assert.ok(drift.psi < 0.02, `psi ${drift.psi}`);
    assert.ok(drift.jensenShannon < 0.005, `js ${drift.jensenShannon}`);
    assert.ok(drift.ks < 0.045, `ks ${drift.ks}`);
    assert.ok(drift.ksPValue > 0.001, `ks p ${drift.ksPValue}`);
  });
});

describe('categoricalDrift', () => {
  // [name, reference, current, chi², p, psi, js]
  const cases: [string, [string, number][], [string, number][], number, number, number, number][] = [
    [
      'three classes',
      [
        ['a', 30],
        ['b', 50],
        ['c', 20],
      ],
      [
        ['a', 20],
        ['b', 40],
        ['c', 40],
      ],
      9.777777777777779,
      0.007529784255650024,
      0.20149030205422644,
      0.03578937424278598,
    ],
    [
      'a class only one side has (union of categories)',
      [
        ['a', 10],
        ['c', 5],
        ['d', 5],
      ],
      [
        ['a', 12],
        ['b', 3],
        ['c', 5],
      ],
      8.181818181818182,
      0.04239978885814936,
      3.0697129898172193,
      0.2032833836876739,
    ],
    [
      'a new class appears (2 × 2, no Yates correction)',
      [['ok', 100]],
      [
        ['ok', 90],
        ['fraud', 10],
      ],
      10.526315789473685,
      0.0011768659106247386,
      0.7006208039360982,
      0.051899160321315606,
    ],
  ];
  for (const [name, reference, current, chiSquare, pValue, expectedPsi, js] of cases)
    test(name, () => {
      const drift = categoricalDrift(new Map(reference), new Map(current));
      assertClose(drift.chiSquare, chiSquare, 1e-10, 'chi²');
      assertClose(drift.pValue, pValue, 1e-12, 'p');
      assertClose(drift.psi, expectedPsi, 1e-10, 'psi');
      assertClose(drift.jensenShannon, js, 1e-12, 'js');
    });

  test('the same mix at another volume shows nothing; one category cannot be tested', () => {
    const same = categoricalDrift(
      new Map([
        ['x', 10],
        ['y', 30],
      ]),
      new Map([
        ['x', 100],
        ['y', 300],
      ]),
    );
    assertClose(same.chiSquare, 0, 1e-12, 'chi²');
    assertClose(same.pValue, 1, 1e-12, 'p');
    assertClose(same.psi, 0, 1e-15, 'psi');
    const single = categoricalDrift(new Map([['x', 10]]), new Map([['x', 50]]));
    assert.deepEqual(single, { psi: 0, jensenShannon: 0, chiSquare: 0, pValue: 1 });
  });
});
