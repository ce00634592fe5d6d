/**
 * Weighted statistics over sampled traces. A tail-sampled trace stands for `sampling.adjusted_count`
 * traces, so every quantile, mean and share here takes one weight per observation.
 */

/**
 * The weighted q-quantile: the smallest value whose cumulative weight reaches q · Σw (the inverse
 * of the weighted empirical CDF, Hyndman & Fan 1996 definition 1 generalised to weights). With all
 * weights 1 and n = 100, q = 0.99 gives the 99th smallest value, so "at or above p99" keeps at least
 * 1% of the weight. Undefined when there is no positive weight.
 *
 * @example
 * weightedQuantile([10, 20, 30], [1, 1, 8], 0.5); // 30: the value 30 carries 80% of the weight
 */
export function weightedQuantile(
  values: readonly number[],
  weights: readonly number[],
  q: number,
): number | undefined {
  const order = values.map((_, index) => index).filter((index) => (weights[index] ?? 0) > 0);
  if (order.length === 0 || !(q >= 0 && q <= 1)) return undefined;
  order.sort((a, b) => values[a]! - values[b]!);
  const total = order.reduce((sum, index) => sum + weights[index]!, 0);
  // A relative tolerance keeps q · Σw = Σ(first k weights) from missing by one rounding error.
  const target = q * total * (1 - 1e-12);
  let cumulative = 0;
  for (const index of order) {
    cumulative += weights[index]!;
    if (cumulative >= target) return values[index]!;
  }
  return values[order[order.length - 1]!]!;
}

/** Σ w·x / Σ w; undefined without positive weight. */
export function weightedMean(values: readonly number[], weights: readonly number[]): number | undefined {
  let sum = 0;
  let total = 0;
  values.forEach((value, index) => {
    const weight = weights[index] ?? 0;
    sum += value * weight;
    total += weight;
  });
  return total > 0 ? sum / total : undefined;
}

/** Kish's effective sample size (Σw)² / Σw² (Kish 1965, "Survey Sampling", §11.7). */
export function effectiveSampleSize(weights: readonly number[]): number {
  let sum = 0;
  let sumOfSquares = 0;
  for (const weight of weights) {
    sum += weight;
    sumOfSquares += weight * weight;
  }
  return sumOfSquares > 0 ? (sum * sum) / sumOfSquares : 0;
}

/**
 * Standard error of the weighted mean: the weighted variance with Bessel's correction on the
 * effective sample size, divided by that size (the usual design-effect approximation, Kish 1965).
 * 0 for fewer than two effective observations (no spread to estimate).
 */
export function weightedStandardError(values: readonly number[], weights: readonly number[]): number {
  const mean = weightedMean(values, weights);
  const effectiveSize = effectiveSampleSize(weights);
  if (mean === undefined || effectiveSize <= 1) return 0;
  let squares = 0;
  let total = 0;
  values.forEach((value, index) => {
    const weight = weights[index] ?? 0;
    squares += weight * (value - mean) ** 2;
    total += weight;
  });
  const variance = (squares / total) * (effectiveSize / (effectiveSize - 1));
  return Math.sqrt(variance / effectiveSize);
}
