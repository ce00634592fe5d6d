/**
 * Special functions behind the p-values of drift and canary tests: log-gamma, the regularized
 * incomplete gamma function (hence chi-square tails and, through erf, the normal CDF) and the
 * normal quantile. Pure numerics, no dependencies. `random.ts` re-exports them.
 */

/** Relative precision the incomplete-gamma series and continued fraction stop at. */
const GAMMA_EPSILON = 1e-15;
const GAMMA_MAX_ITERATIONS = 1000;
/** Near the smallest normal double: keeps the Lentz continued fraction off a division by zero. */
const TINY = 1e-300;

/** Lanczos coefficients (g = 7, n = 9), as in Numerical Recipes 3rd ed. §6.1 and Boost. */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * ln Γ(x) for x > 0 by the Lanczos approximation (relative error ~1e-15), with the reflection
 * formula Γ(x)Γ(1−x) = π / sin(πx) below 0.5 where the series loses accuracy.
 *
 * @example logGamma(5) // ln 24 ≈ 3.178053830347946
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (shifted + i);
  const t = shifted + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** P(a, x) by its power series (Numerical Recipes 2nd ed. §6.2 `gser`); converges fast for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < GAMMA_MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * GAMMA_EPSILON) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/**
 * Q(a, x) by its continued fraction, evaluated with modified Lentz (Numerical Recipes 2nd ed.
 * §6.2 `gcf`); converges fast for x ≥ a + 1 and keeps relative accuracy far into the upper tail.
 */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < GAMMA_MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < GAMMA_EPSILON) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

function checkGammaArguments(a: number, x: number): void {
  if (!(a > 0) || !(x >= 0)) throw new RangeError('incomplete gamma needs a > 0 and x >= 0');
}

/**
 * Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), in [0, 1].
 * Series below x = a + 1, continued fraction above (Numerical Recipes `gammp`).
 *
 * @example regularizedGammaP(1, 2) // 1 − e^−2 ≈ 0.8646647167633873
 */
export function regularizedGammaP(a: number, x: number): number {
  checkGammaArguments(a, x);
  if (x === 0) return 0;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/**
 * Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), computed directly in the upper tail so
 * that tiny p-values keep their relative accuracy (Numerical Recipes `gammq`).
 *
 * @example regularizedGammaQ(1, 2) // e^−2 ≈ 0.1353352832366127
 */
export function regularizedGammaQ(a: number, x: number): number {
  checkGammaArguments(a, x);
  if (x === 0) return 1;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/**
 * Upper-tail p-value P(χ²_df ≥ statistic) = Q(df/2, statistic/2) (Abramowitz & Stegun 26.4.19).
 * A statistic ≤ 0 gives 1.
 *
 * @example chiSquarePValue(3.841458820694124, 1) // ≈ 0.05
 */
export function chiSquarePValue(statistic: number, degreesOfFreedom: number): number {
  if (!(degreesOfFreedom > 0)) throw new RangeError('degreesOfFreedom must be > 0');
  if (!(statistic > 0)) return 1;
  return regularizedGammaQ(degreesOfFreedom / 2, statistic / 2);
}

/**
 * Standard normal CDF Φ(z). Uses erf(x) = P(½, x²) (Abramowitz & Stegun 6.5.17), so the lower
 * tail Φ(−|z|) = ½·Q(½, z²/2) keeps full relative accuracy (no 1 − (1 − ε) cancellation).
 *
 * @example normalCdf(1.959963984540054) // ≈ 0.975
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  const lowerTail = z === 0 ? 0.5 : 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z < 0 ? lowerTail : 1 - lowerTail;
}

/** Evaluates c[0]·r^(n−1) + … + c[n−1] by Horner's rule (coefficients highest power first). */
function horner(coefficients: readonly number[], r: number): number {
  let result = 0;
  for (const c of coefficients) result = result * r + c;
  return result;
}

// Wichura, "Algorithm AS 241: The Percentage Points of the Normal Distribution", Applied
// Statistics 37(3), 1988 (PPND16, about 1e-16 relative accuracy). Highest power first.
const CENTRAL_NUMERATOR = [
  2509.0809287301226727, 33430.575583588128105, 67265.770927008700853, 45921.953931549871457,
  13731.693765509461125, 1971.5909503065514427, 133.14166789178437745, 3.387132872796366608,
];
const CENTRAL_DENOMINATOR = [
  5226.495278852854561, 28729.085735721942674, 39307.89580009271061, 21213.794301586595867,
  5394.1960214247511077, 687.1870074920579083, 42.313330701600911252, 1,
];
const INTERMEDIATE_NUMERATOR = [
  7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177, 1.27045825245236838258,
  3.64784832476320460504, 5.7694972214606914055, 4.6303378461565452959, 1.42343711074968357734,
];
const INTERMEDIATE_DENOMINATOR = [
  1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966, 0.14810397642748007459,
  0.68976733498510000455, 1.6763848301838038494, 2.05319162663775882187, 1,
];
const TAIL_NUMERATOR = [
  2.01033439929228813265e-7, 2.71155556874348757815e-5, 0.0012426609473880784386, 0.026532189526576123093,
  0.29656057182850489123, 1.7848265399172913358, 5.4637849111641143699, 6.6579046435011037772,
];
const TAIL_DENOMINATOR = [
  2.04426310338993978564e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5, 7.868691311456132591e-4,
  0.0148753612908506148525, 0.13692988092273580531, 0.59983220655588793769, 1,
];

/**
 * Standard normal quantile Φ⁻¹(p) for p in (0, 1); ±Infinity at 0 and 1, NaN outside.
 * Wichura's AS 241 (PPND16), accurate to about 1e-16 relative.
 *
 * @example normalQuantile(0.975) // ≈ 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(CENTRAL_NUMERATOR, r)) / horner(CENTRAL_DENOMINATOR, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = horner(INTERMEDIATE_NUMERATOR, r) / horner(INTERMEDIATE_DENOMINATOR, r);
  } else {
    r -= 5;
    x = horner(TAIL_NUMERATOR, r) / horner(TAIL_DENOMINATOR, r);
  }
  return q < 0 ? -x : x;
}
