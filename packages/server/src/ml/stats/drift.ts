/**
 * Drift between a reference distribution (a pinned baseline, last week's scores) and a current one:
 * PSI and Jensen–Shannon over bins, the two-sample Kolmogorov–Smirnov test over whole (sketched)
 * distributions, and a chi-square test of homogeneity for categorical values. Pure functions.
 *
 * Minimum data: none of these refuses small inputs — callers decide. As a rule of thumb KS and
 * chi-square need about 30 observations a side (the asymptotic p-values are poor below that; the
 * chi-square also wants expected cell counts ≥ 5, Cochran 1954), and PSI/JS over 10 bins need a few
 * hundred a side before sampling noise alone stays under PSI 0.1. An empty side gives 0 drift.
 */

import type { WeightedValues } from './log-sketch.ts';
import { chiSquarePValue } from './special-functions.ts';

/**
 * Proportions below this are raised to it in PSI so an empty bin gives a large but finite term.
 * 1e-4 is the common choice: Evidently's `get_binned_data` (calculations/stattests/utils.py) puts
 * 0.0001 in empty bins; flooring agrees with that on empty bins and also tames near-empty ones.
 */
export const PSI_EPSILON = 1e-4;

function checkSameLength(a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length) throw new RangeError('distributions must have the same number of bins');
}

/** counts / Σ counts; all zeros for an empty distribution. */
function proportions(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => (total > 0 ? count / total : 0));
}

function isEmpty(counts: readonly number[]): boolean {
  return !counts.some((count) => count > 0);
}

/**
 * Population Stability Index Σ (cᵢ − rᵢ)·ln(cᵢ / rᵢ) over bin proportions (Siddiqi, "Credit Risk
 * Scorecards", 2006, ch. 8), each proportion floored at {@link PSI_EPSILON}. Conventional reading:
 * < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 significant shift. 0 when either side is empty.
 *
 * @example psi([25, 25, 25, 25], [10, 20, 30, 40]) // ≈ 0.2282
 */
export function psi(referenceCounts: readonly number[], currentCounts: readonly number[]): number {
  checkSameLength(referenceCounts, currentCounts);
  if (isEmpty(referenceCounts) || isEmpty(currentCounts)) return 0;
  const reference = proportions(referenceCounts);
  const current = proportions(currentCounts);
  let sum = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i]!, PSI_EPSILON);
    const c = Math.max(current[i]!, PSI_EPSILON);
    sum += (c - r) * Math.log(c / r);
  }
  return sum;
}

/**
 * Jensen–Shannon divergence ½·KL(P‖M) + ½·KL(Q‖M), M = (P + Q)/2, in bits, so it lies in [0, 1]
 * (Lin, "Divergence measures based on the Shannon entropy", IEEE Trans. Inf. Theory 37, 1991).
 * Inputs are counts and are normalised; 0·log 0 = 0. 0 when either side is empty.
 * (SciPy's `jensenshannon` returns the square root of this, the JS distance.)
 *
 * @example jensenShannon([1, 0], [0, 1]) // 1
 */
export function jensenShannon(p: readonly number[], q: readonly number[]): number {
  checkSameLength(p, q);
  if (isEmpty(p) || isEmpty(q)) return 0;
  const pn = proportions(p);
  const qn = proportions(q);
  let sum = 0;
  for (let i = 0; i < pn.length; i++) {
    const [a, b] = [pn[i]!, qn[i]!];
    const m = (a + b) / 2;
    if (a > 0) sum += 0.5 * a * Math.log2(a / m);
    if (b > 0) sum += 0.5 * b * Math.log2(b / m);
  }
  return Math.min(1, Math.max(0, sum));
}

/**
 * Kolmogorov's limiting survival function Q_KS(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²} (Numerical
 * Recipes `probks`). Below λ = 1.18 that series converges slowly, so the equivalent Jacobi-theta form
 * 1 − (√(2π)/λ) Σ_{j≥1} e^{−(2j−1)²π²/(8λ²)} is used instead (as Cephes/SciPy `kolmogorov` do).
 *
 * @example kolmogorovPValue(1.36) // ≈ 0.0495
 */
export function kolmogorovPValue(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    const factor = (Math.PI * Math.PI) / (8 * lambda * lambda);
    let sum = 0;
    for (let j = 1; j <= 20; j++) {
      const term = Math.exp(-(2 * j - 1) * (2 * j - 1) * factor);
      sum += term;
      if (term <= 1e-17 * sum) break;
    }
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum));
  }
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    sum += j % 2 === 1 ? term : -term;
    if (term <= 1e-17 * sum) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

function totalWeight(distribution: WeightedValues): number {
  return distribution.weights.reduce((sum, weight) => sum + weight, 0);
}

/** sup |F_ref − F_cur| by walking both ascending lists; equal values step both CDFs together. */
function ksStatistic(reference: WeightedValues, current: WeightedValues, n: number, m: number): number {
  let [i, j, cumulativeRef, cumulativeCur, statistic] = [0, 0, 0, 0, 0];
  while (i < reference.values.length || j < current.values.length) {
    const v = Math.min(reference.values[i] ?? Infinity, current.values[j] ?? Infinity);
    while (i < reference.values.length && reference.values[i] === v) cumulativeRef += reference.weights[i++]!;
    while (j < current.values.length && current.values[j] === v) cumulativeCur += current.weights[j++]!;
    statistic = Math.max(statistic, Math.abs(cumulativeRef / n - cumulativeCur / m));
  }
  return statistic;
}

/**
 * Two-sample Kolmogorov–Smirnov test on weighted values (both lists ascending, as
 * `LogSketch.distribution()` gives them). D = sup |F_ref − F_cur|; the p-value is asymptotic:
 * Q_KS((√nₑ + 0.12 + 0.11/√nₑ)·D) with nₑ = n·m/(n + m) from the total weights (Stephens 1970, as
 * Numerical Recipes `kstwo`). Over sketches D is exact for the bucketed data, i.e. within the sketch's
 * relative accuracy of the raw data's. Either side empty → { statistic: 0, pValue: 1 }.
 *
 * @example ksTwoSample({ values: [1, 2], weights: [5, 5] }, { values: [2, 3], weights: [5, 5] })
 */
export function ksTwoSample(
  reference: WeightedValues,
  current: WeightedValues,
): { statistic: number; pValue: number } {
  const [n, m] = [totalWeight(reference), totalWeight(current)];
  if (!(n > 0) || !(m > 0)) return { statistic: 0, pValue: 1 };
  const statistic = ksStatistic(reference, current, n, m);
  const rootEffective = Math.sqrt((n * m) / (n + m));
  const pValue = kolmogorovPValue((rootEffective + 0.12 + 0.11 / rootEffective) * statistic);
  return { statistic, pValue };
}

/**
 * Inner bin edges at the reference's 1/bins, 2/bins, … quantiles, ascending and deduplicated (ties
 * in bucketed data can merge bins). The rank convention is LogSketch.quantile's: the value at rank
 * q·(n − 1) of the total weight n. Empty reference → [].
 *
 * @example quantileBinEdges({ values: [1, 2, 3, 4], weights: [1, 1, 1, 1] }, 4) // [1, 2, 3]
 */
export function quantileBinEdges(reference: WeightedValues, bins = 10): number[] {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError('bins must be a positive integer');
  const n = totalWeight(reference);
  const edges: number[] = [];
  if (!(n > 0)) return edges;
  let [index, cumulative] = [0, reference.weights[0]!];
  for (let k = 1; k < bins; k++) {
    const rank = (k / bins) * (n - 1);
    while (cumulative <= rank && index < reference.values.length - 1)
      cumulative += reference.weights[++index]!;
    const edge = reference.values[index]!;
    if (edges[edges.length - 1] !== edge) edges.push(edge);
  }
  return edges;
}

/**
 * Weight per bin for ascending `edges`: bin 0 holds v ≤ edges[0], bin i holds edges[i−1] < v ≤ edges[i],
 * the last bin v > the last edge (edges.length + 1 bins). Values may come in any order.
 *
 * @example binCounts({ values: [1, 2, 3, 4], weights: [1, 1, 1, 1] }, [1, 3]) // [1, 2, 1]
 */
export function binCounts(values: WeightedValues, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.values.length; i++) {
    const v = values.values[i]!;
    // First edge ≥ v by binary search; its index is v's bin.
    let [low, high] = [0, edges.length];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (edges[middle]! < v) low = middle + 1;
      else high = middle;
    }
    counts[low]! += values.weights[i]!;
  }
  return counts;
}

/** Drift of a numeric value (score, latency, feature): binned PSI and JS, KS over the full data. */
export interface NumericDrift {
  psi: number;
  jensenShannon: number;
  ks: number;
  ksPValue: number;
}

/**
 * PSI and Jensen–Shannon over the reference's quantile bins (deciles by default, so each reference
 * bin holds about 1/bins of it), and the KS test over the full distributions.
 *
 * @example numericDrift(baselineSketch.distribution(), currentSketch.distribution())
 */
export function numericDrift(reference: WeightedValues, current: WeightedValues, bins = 10): NumericDrift {
  const edges = quantileBinEdges(reference, bins);
  const referenceCounts = binCounts(reference, edges);
  const currentCounts = binCounts(current, edges);
  const ks = ksTwoSample(reference, current);
  return {
    psi: psi(referenceCounts, currentCounts),
    jensenShannon: jensenShannon(referenceCounts, currentCounts),
    ks: ks.statistic,
    ksPValue: ks.pValue,
  };
}

/** Drift of a categorical value (predicted class): PSI, JS and a chi-square test of homogeneity. */
export interface CategoricalDrift {
  psi: number;
  jensenShannon: number;
  chiSquare: number;
  pValue: number;
}

/**
 * Pearson's χ² = Σ (O − E)²/E on the 2×k table (reference, current) × categories, E = row·column / N,
 * df = k − 1 (Agresti, "Categorical Data Analysis", 3rd ed., §3.2.1); no Yates correction (as
 * `scipy.stats.chi2_contingency(correction=False)`). Categories with no observations on either side
 * do not count towards k.
 */
function chiSquareHomogeneity(
  reference: readonly number[],
  current: readonly number[],
): { statistic: number; pValue: number } {
  const columns = reference.map((r, i) => r + current[i]!).filter((total) => total > 0);
  const rows = [reference.reduce((a, b) => a + b, 0), current.reduce((a, b) => a + b, 0)];
  if (columns.length < 2 || !(rows[0]! > 0) || !(rows[1]! > 0)) return { statistic: 0, pValue: 1 };
  const grandTotal = rows[0]! + rows[1]!;
  let statistic = 0;
  for (let i = 0; i < reference.length; i++) {
    const column = reference[i]! + current[i]!;
    if (!(column > 0)) continue;
    for (const [row, observed] of [
      [rows[0]!, reference[i]!],
      [rows[1]!, current[i]!],
    ] as const) {
      const expected = (row * column) / grandTotal;
      statistic += (observed - expected) ** 2 / expected;
    }
  }
  return { statistic, pValue: chiSquarePValue(statistic, columns.length - 1) };
}

/**
 * Drift between two category → count maps over the union of categories: PSI, Jensen–Shannon and
 * the chi-square test of homogeneity (pValue 1 with fewer than two categories).
 *
 * @example categoricalDrift(new Map([['fraud', 30], ['ok', 970]]), new Map([['fraud', 60], ['ok', 940]]))
 */
export function categoricalDrift(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
): CategoricalDrift {
  const categories = [...new Set([...reference.keys(), ...current.keys()])].sort();
  const referenceCounts = categories.map((category) => reference.get(category) ?? 0);
  const currentCounts = categories.map((category) => current.get(category) ?? 0);
  const chiSquare = chiSquareHomogeneity(referenceCounts, currentCounts);
  return {
    psi: psi(referenceCounts, currentCounts),
    jensenShannon: jensenShannon(referenceCounts, currentCounts),
    chiSquare: chiSquare.statistic,
    pValue: chiSquare.pValue,
  };
}
