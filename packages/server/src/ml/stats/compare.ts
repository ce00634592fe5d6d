/**
 * Canary analysis: is the candidate version's latency quantile or error rate different from the
 * baseline's, and by how much? A bootstrap over sketched distributions for quantiles, Newcombe's
 * interval and the pooled z-test for proportions. Pure functions; seeded, so verdicts are repeatable.
 */

import type { WeightedValues } from './log-sketch.ts';
import { binomialSample, seededRandom } from './random.ts';
import { normalCdf, normalQuantile } from './special-functions.ts';

/** Options of {@link bootstrapQuantileChange}. */
export interface BootstrapOptions {
  /** Bootstrap resamples; default 1000 (enough for a 95% percentile interval, Efron & Tibshirani §13.3). */
  iterations?: number;
  /** Two-sided confidence level of the interval; default 0.95. */
  confidence?: number;
  /** PRNG seed; default 1, so the same data always give the same interval. */
  seed?: number;
}

/** A relative change (0.14 = 14% higher) with its confidence interval. */
export interface QuantileChange {
  relativeChange: number;
  ciLow: number;
  ciHigh: number;
}

/** An absolute difference of proportions (candidate − baseline) with its interval and p-value. */
export interface ProportionDifference {
  difference: number;
  ciLow: number;
  ciHigh: number;
  pValue: number;
}

function totalWeight(distribution: WeightedValues): number {
  return distribution.weights.reduce((sum, weight) => sum + weight, 0);
}

/**
 * The value at rank q·(n − 1) of ascending weighted values: the first whose cumulative weight
 * exceeds the rank (LogSketch.quantile's convention, without its min/max clamp).
 */
function weightedQuantile(
  values: readonly number[],
  weights: ArrayLike<number>,
  total: number,
  q: number,
): number {
  const rank = q * (total - 1);
  let cumulative = 0;
  for (let i = 0; i < values.length; i++) {
    cumulative += weights[i]!;
    if (cumulative > rank) return values[i]!;
  }
  return values[values.length - 1]!;
}

/** Linear interpolation between order statistics at position p·(B − 1) (Hyndman & Fan type 7). */
function percentile(sorted: Float64Array, p: number): number {
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

/** cumulative[i] = Σ weights[0..i); cumulative[k] is the total. */
function cumulativeWeights(weights: readonly number[]): Float64Array {
  const cumulative = new Float64Array(weights.length + 1);
  for (let i = 0; i < weights.length; i++) cumulative[i + 1] = cumulative[i]! + weights[i]!;
  return cumulative;
}

/**
 * The bucket index holding rank `rank` in a Multinomial(draws, weights) resample, found without
 * drawing every bucket's count. A multinomial splits exactly into a binomial for the lower half of the
 * buckets and independent multinomials within each half (the conditional-binomial decomposition that
 * multinomialSample walks bucket by bucket); only the half holding the rank needs drawing, so one
 * resampled quantile costs ⌈log₂ buckets⌉ binomial draws. Same distribution as
 * `weightedQuantile(values, multinomialSample(random, draws, weights), draws, q)`.
 * `cumulative[i]` is the weight of buckets 0..i−1 (length buckets + 1); `rank` is q·(draws − 1).
 *
 * @example
 * // buckets weighted 5, 1, 3: the index of the resampled median of 9 draws
 * resampledQuantileIndex(seededRandom(1), Float64Array.from([0, 5, 6, 9]), 9, 0.5 * 8)
 */
export function resampledQuantileIndex(
  random: () => number,
  cumulative: Float64Array,
  draws: number,
  rank: number,
): number {
  let [low, high, remaining, remainingRank] = [0, cumulative.length - 1, draws, rank];
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    const lowerMass = cumulative[middle]! - cumulative[low]!;
    const upperMass = cumulative[high]! - cumulative[middle]!;
    // An empty upper half must get exactly 0 draws (a share of 1 − ε could send the rank there).
    const share = upperMass > 0 ? Math.min(1, lowerMass / (lowerMass + upperMass)) : 1;
    const lower = binomialSample(random, remaining, share);
    if (lower > remainingRank) {
      high = middle;
      remaining = lower;
    } else {
      low = middle;
      remaining -= lower;
      remainingRank -= lower;
    }
  }
  return low;
}

/** Draws the q-quantile of one resample of n = round(total weight) observations from `group`. */
function quantileResampler(group: WeightedValues, quantile: number): (random: () => number) => number {
  const cumulative = cumulativeWeights(group.weights);
  const draws = Math.max(1, Math.round(cumulative[cumulative.length - 1]!));
  const rank = quantile * (draws - 1);
  return (random) => group.values[resampledQuantileIndex(random, cumulative, draws, rank)]!;
}

function checkBootstrapArguments(quantile: number, iterations: number, confidence: number): void {
  if (!(quantile >= 0 && quantile <= 1)) throw new RangeError('quantile must be in [0, 1]');
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new RangeError('iterations must be a positive integer');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be in (0, 1)');
}

/**
 * candidate's q-quantile / baseline's − 1, with a percentile-bootstrap confidence interval (Efron &
 * Tibshirani, "An Introduction to the Bootstrap", 1993, §13.3). Each iteration resamples each group's
 * n = round(total weight) observations as a multinomial draw over its buckets and records the ratio of
 * the resampled quantiles − 1. The resample is drawn by binary splitting ({@link resampledQuantileIndex}),
 * so the cost is O(iterations × log buckets), independent of n: ~300 buckets a side, 1000 iterations
 * take a few milliseconds.
 *
 * Needs both groups non-empty and a baseline quantile > 0 (latencies), else RangeError — callers check
 * first. A tail quantile needs data in the tail: with fewer than ~10/(1 − q) observations a side
 * (1000 for p99) the interval mostly reflects which few observations were drawn.
 *
 * @example
 * const change = bootstrapQuantileChange(stable.distribution(), canary.distribution(), 0.99, { seed: 7 });
 * // e.g. { relativeChange: 0.14, ciLow: 0.08, ciHigh: 0.21 }: p99 14% slower, significantly
 */
export function bootstrapQuantileChange(
  baseline: WeightedValues,
  candidate: WeightedValues,
  quantile: number,
  options: BootstrapOptions = {},
): QuantileChange {
  const { iterations = 1000, confidence = 0.95, seed = 1 } = options;
  checkBootstrapArguments(quantile, iterations, confidence);
  const [baselineTotal, candidateTotal] = [totalWeight(baseline), totalWeight(candidate)];
  if (!(baselineTotal > 0) || !(candidateTotal > 0)) throw new RangeError('both groups need observations');
  const baselineValue = weightedQuantile(baseline.values, baseline.weights, baselineTotal, quantile);
  const candidateValue = weightedQuantile(candidate.values, candidate.weights, candidateTotal, quantile);
  if (!(baselineValue > 0)) throw new RangeError('the baseline quantile must be > 0');

  const random = seededRandom(seed);
  const [resampleBaseline, resampleCandidate] = [
    quantileResampler(baseline, quantile),
    quantileResampler(candidate, quantile),
  ];
  const ratios = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) ratios[i] = resampleCandidate(random) / resampleBaseline(random) - 1;
  ratios.sort();
  const alpha = 1 - confidence;
  return {
    relativeChange: candidateValue / baselineValue - 1,
    ciLow: percentile(ratios, alpha / 2),
    ciHigh: percentile(ratios, 1 - alpha / 2),
  };
}

/** Wilson score interval for events/total (Wilson 1927; Newcombe 1998, method 3). */
function wilsonInterval(events: number, total: number, z: number): [number, number] {
  const p = events / total;
  const z2n = (z * z) / total;
  const center = (p + z2n / 2) / (1 + z2n);
  const halfWidth = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / total + (z * z) / (4 * total * total));
  return [Math.max(0, center - halfWidth), Math.min(1, center + halfWidth)];
}

function checkProportion(events: number, total: number): void {
  if (!(total > 0)) throw new RangeError('totals must be > 0');
  if (!(events >= 0 && events <= total)) throw new RangeError('events must be in [0, total]');
}

/**
 * candidate rate − baseline rate, with Newcombe's hybrid score interval (R. G. Newcombe, "Interval
 * estimation for the difference between independent proportions", Stat. Med. 17, 1998, method 10:
 * Wilson intervals combined by the square-and-add rule; unlike Wald it stays sensible at 0 events,
 * which error counts often are) and the two-sided pooled two-proportion z-test p-value
 * (z = (p₂ − p₁)/√(p̂(1 − p̂)(1/n₁ + 1/n₂)), p̂ pooled; its z² is Pearson's χ² on the 2×2 table,
 * Agresti, "Categorical Data Analysis", 3rd ed., §3.1.4). pValue 1 when the pooled rate is 0 or 1.
 * Zero totals → RangeError; callers check first.
 *
 * @example proportionDifference(30, 1000, 45, 1000) // { difference: 0.015, ciLow: −0.0018, ciHigh: 0.032, pValue: 0.077 }
 */
export function proportionDifference(
  baselineEvents: number,
  baselineTotal: number,
  candidateEvents: number,
  candidateTotal: number,
  confidence = 0.95,
): ProportionDifference {
  checkProportion(baselineEvents, baselineTotal);
  checkProportion(candidateEvents, candidateTotal);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be in (0, 1)');
  const [p1, p2] = [baselineEvents / baselineTotal, candidateEvents / candidateTotal];
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const [l1, u1] = wilsonInterval(baselineEvents, baselineTotal, z);
  const [l2, u2] = wilsonInterval(candidateEvents, candidateTotal, z);
  const difference = p2 - p1;
  const pooled = (baselineEvents + candidateEvents) / (baselineTotal + candidateTotal);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / baselineTotal + 1 / candidateTotal));
  return {
    difference,
    ciLow: difference - Math.hypot(p2 - l2, u1 - p1),
    ciHigh: difference + Math.hypot(u2 - p2, p1 - l1),
    pValue: standardError > 0 ? 2 * normalCdf(-Math.abs(difference) / standardError) : 1,
  };
}

/**
 * A fraction as a percentage for verdict sentences: whole percent from 10% up ("14%"), two
 * significant digits below ("0.8%", "2.5%"), trailing zeros dropped; "n/a" when not finite.
 *
 * @example formatPercent(0.1403) // "14%"; formatPercent(0.008) // "0.8%"
 */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  // 0.145 · 100 is 14.499999999999998 in binary: drop that representation noise before rounding.
  const percent = Number((fraction * 100).toPrecision(12));
  const magnitude = Math.abs(percent);
  // Below a millionth of a percent String() would switch to exponent notation; it reads as 0 anyway.
  if (magnitude < 1e-6) return '0%';
  // Round the magnitude, not the signed value: Math.round(−14.5) is −14 but Math.round(14.5) is 15.
  const rounded =
    Math.sign(percent) * (magnitude >= 10 ? Math.round(magnitude) : Number(magnitude.toPrecision(2)));
  return `${rounded}%`;
}
