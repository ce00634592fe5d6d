import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  chiSquarePValue,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedGammaP,
  regularizedGammaQ,
} from './special-functions.ts';

/** |actual − expected| ≤ relative·|expected| + absolute. */
function assertClose(actual: number, expected: number, relative: number, absolute = 0, label = ''): void {
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected) + absolute,
    `${label}: ${actual} vs ${expected}`,
  );
}

// Every reference below comes from SciPy 1.17.1 / NumPy 2.4.6 (pyenv python3; /usr/bin/python3 has
// neither), printed with repr():
//   python3 -c "from scipy import stats; print([stats.norm.ppf(p) for p in [...]])"
//   python3 -c "from scipy import stats; print([stats.norm.cdf(z) for z in [...]])"
//   python3 -c "from scipy import special; print(special.gammainc(a, x), special.gammaincc(a, x))"
//   python3 -c "from scipy import stats; print(stats.chi2.sf(s, df))"
//   python3 -c "from scipy import special; print(special.gammaln(x))"

describe('normalQuantile (AS 241) against scipy.stats.norm.ppf', () => {
  const cases: [number, number][] = [
    [1e-300, -37.0470962993612],
    [1e-20, -9.262340089798409],
    [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813],
    [0.025, -1.9599639845400545],
    [0.3, -0.5244005127080409],
    [0.5, 0],
    [0.7, 0.5244005127080407],
    [0.975, 1.959963984540054],
    [0.999, 3.090232306167813],
    [1 - 1e-10, 6.361340889697422],
  ];
  for (const [p, expected] of cases)
    test(`p = ${p}`, () => assertClose(normalQuantile(p), expected, 1e-12, 1e-15, `ppf(${p})`));

  test('edges', () => {
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    assert.ok(Number.isNaN(normalQuantile(1.5)));
    assert.ok(Number.isNaN(normalQuantile(Number.NaN)));
  });

  test('inverts normalCdf across (0, 1)', () => {
    for (let i = 1; i < 200; i++) {
      const p = i / 200;
      assertClose(normalCdf(normalQuantile(p)), p, 1e-13, 0, `round trip ${p}`);
    }
  });
});

describe('normalCdf against scipy.stats.norm.cdf', () => {
  const cases: [number, number][] = [
    [-10, 7.61985302416047e-24],
    [-5, 2.866515718791933e-7],
    [-1.96, 0.024997895148220435],
    [-0.5, 0.3085375387259869],
    [0, 0.5],
    [0.3, 0.6179114221889526],
    [1, 0.8413447460685429],
    [2.5, 0.9937903346742238],
    [8, 0.9999999999999993],
  ];
  for (const [z, expected] of cases)
    test(`z = ${z}`, () => assertClose(normalCdf(z), expected, 1e-12, 1e-16, `cdf(${z})`));

  test('infinities and NaN', () => {
    assert.equal(normalCdf(Infinity), 1);
    assert.equal(normalCdf(-Infinity), 0);
    assert.ok(Number.isNaN(normalCdf(Number.NaN)));
  });
});

describe('regularized incomplete gamma against scipy.special.gammainc / gammaincc', () => {
  // [a, x, P(a, x), Q(a, x)]
  const cases: [number, number, number, number][] = [
    [0.5, 0.1, 0.34527915398142317, 0.6547208460185768],
    [1, 2, 0.8646647167633873, 0.1353352832366127],
    [2.5, 1.5, 0.3000141641213724, 0.6999858358786276],
    [3, 10, 0.9972306042844884, 0.0027693957155115775],
    [10, 3, 0.0011024881301154815, 0.9988975118698845],
    [50, 45, 0.24680203440017026, 0.7531979655998298],
    [0.1, 5, 0.9998560610341533, 0.00014393896584673387],
  ];
  for (const [a, x, p, q] of cases)
    test(`a = ${a}, x = ${x}`, () => {
      assertClose(regularizedGammaP(a, x), p, 1e-12, 0, 'P');
      assertClose(regularizedGammaQ(a, x), q, 1e-12, 0, 'Q');
    });

  test('deep upper tail keeps relative accuracy: Q(5, 60)', () =>
    assertClose(regularizedGammaQ(5, 60), 5.060046065842555e-21, 1e-12, 0, 'Q(5,60)'));

  test('bounds and invalid input', () => {
    assert.equal(regularizedGammaP(2, 0), 0);
    assert.equal(regularizedGammaQ(2, 0), 1);
    assert.throws(() => regularizedGammaP(0, 1), RangeError);
    assert.throws(() => regularizedGammaQ(1, -1), RangeError);
  });
});

describe('chiSquarePValue against scipy.stats.chi2.sf', () => {
  const cases: [number, number, number][] = [
    [3.841458820694124, 1, 0.04999999999999989],
    [10, 3, 0.01856613546304325],
    [1, 10, 0.9998278843700441],
    [150, 100, 0.0009039320423540184],
    [0.5, 4, 0.9735009788392561],
  ];
  for (const [statistic, df, expected] of cases)
    test(`χ² = ${statistic}, df = ${df}`, () =>
      assertClose(chiSquarePValue(statistic, df), expected, 1e-12, 0, 'sf'));

  test('a zero statistic is no evidence; df must be positive', () => {
    assert.equal(chiSquarePValue(0, 3), 1);
    assert.throws(() => chiSquarePValue(1, 0), RangeError);
  });
});

describe('logGamma against scipy.special.gammaln', () => {
  const cases: [number, number][] = [
    [0.1, 2.252712651734206],
    [0.5, 0.5723649429247],
    [1, 0],
    [2.5, 0.2846828704729192],
    [10, 12.801827480081469],
    [171.5, 709.1431630309283],
    [1e5, 1051287.7089736569],
  ];
  for (const [x, expected] of cases)
    test(`x = ${x}`, () => assertClose(logGamma(x), expected, 1e-13, 1e-14, `gammaln(${x})`));
});
