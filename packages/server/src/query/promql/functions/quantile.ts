/**
 * Quantile arithmetic shared by quantile_over_time, mad_over_time and the classic-histogram
 * functions, as in Prometheus's promql/quantile.go.
 */

/** One classic histogram bucket: the `le` bound and the cumulative count up to it. */
export interface Bucket {
  upperBound: number;
  count: number;
}

/** Result of {@link bucketQuantile}: the value and whether counts had to be made monotonic. */
export interface BucketQuantileResult {
  quantile: number;
  forcedMonotonic: boolean;
}

/** Relative difference below which bucket counts count as equal (quantile.go smallDeltaTolerance). */
const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * The φ-quantile of sample values (quantile.go quantile): linear interpolation between the two
 * nearest ranks. NaN for no values or NaN q, -Inf for q < 0, +Inf for q > 1. Sorts `values`.
 *
 * @example
 * quantile(0.75, [0, 1, 4]); // 2.5
 */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  // vectorByValueHeap orders NaN before every number.
  values.sort((a, b) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b));
  const n = values.length;
  const rank = q * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  return (values[lowerIndex] ?? NaN) * (1 - weight) + (values[upperIndex] ?? NaN) * weight;
}

/**
 * histogram_quantile over classic buckets (quantile.go BucketQuantile): sorts by bound, merges
 * equal bounds, smooths float noise and forces monotonic counts, then interpolates linearly in
 * the bucket holding the rank. The lowest bucket starts at 0 when its bound is positive; a rank
 * in the +Inf bucket returns the second-highest bound. NaN without a +Inf bucket, with fewer
 * than two buckets or with no observations. Modifies `buckets`.
 */
export function bucketQuantile(q: number, buckets: Bucket[]): BucketQuantileResult {
  if (Number.isNaN(q)) return { quantile: NaN, forcedMonotonic: false };
  if (q < 0) return { quantile: -Infinity, forcedMonotonic: false };
  if (q > 1) return { quantile: Infinity, forcedMonotonic: false };
  const sorted = prepareBuckets(buckets);
  if (!sorted) return { quantile: NaN, forcedMonotonic: false };
  const forcedMonotonic = ensureMonotonic(sorted);
  const last = sorted.length - 1;
  const observations = sorted[last]?.count ?? 0;
  if (sorted.length < 2 || observations === 0) return { quantile: NaN, forcedMonotonic };
  let rank = q * observations;
  const b = searchFirst(last, (i) => (sorted[i]?.count ?? 0) >= rank);
  if (b === last) return { quantile: sorted[last - 1]?.upperBound ?? NaN, forcedMonotonic };
  const bucket = sorted[b] ?? { upperBound: NaN, count: NaN };
  if (b === 0 && bucket.upperBound <= 0) return { quantile: bucket.upperBound, forcedMonotonic };
  let bucketStart = 0;
  let count = bucket.count;
  const previous = sorted[b - 1];
  if (previous) {
    bucketStart = previous.upperBound;
    count -= previous.count;
    rank -= previous.count;
  }
  return { quantile: bucketStart + (bucket.upperBound - bucketStart) * (rank / count), forcedMonotonic };
}

/**
 * histogram_fraction over classic buckets (quantile.go BucketFraction): the share of
 * observations between `lower` and `upper`, interpolating linearly inside buckets. A bucket with
 * an infinite bound contributes either fully or not at all.
 */
export function bucketFraction(lower: number, upper: number, buckets: Bucket[]): number {
  const sorted = prepareBuckets(buckets);
  if (!sorted) return NaN;
  const count = sorted[sorted.length - 1]?.count ?? 0;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  const lowerRank = rankAt(lower, sorted);
  const upperRank = rankAt(upper, sorted);
  return (Math.min(upperRank ?? count, count) - Math.min(lowerRank ?? count, count)) / count;
}

/**
 * The interpolated cumulative count at `bound`, or undefined beyond the last bucket. The first
 * bucket starts at 0 when its bound is positive, at -Inf otherwise; the count of a bucket with a
 * -Inf lower bound is taken whole.
 */
function rankAt(bound: number, buckets: readonly Bucket[]): number | undefined {
  let rank = 0;
  for (let i = 0; i < buckets.length; i++) {
    const bucket = buckets[i] ?? { upperBound: NaN, count: NaN };
    const lowerBound = i > 0 ? (buckets[i - 1]?.upperBound ?? NaN) : bucket.upperBound <= 0 ? -Infinity : 0;
    if (lowerBound >= bound) return rank;
    if (lowerBound < bound && bucket.upperBound > bound) {
      if (lowerBound === -Infinity) return bucket.count;
      return rank + ((bucket.count - rank) * (bound - lowerBound)) / (bucket.upperBound - lowerBound);
    }
    rank = bucket.count;
  }
  return undefined;
}

/** Sorted, coalesced buckets, or undefined when the highest bound is not +Inf. */
function prepareBuckets(buckets: Bucket[]): Bucket[] | undefined {
  buckets.sort((a, b) => (a.upperBound < b.upperBound ? -1 : a.upperBound > b.upperBound ? 1 : 0));
  if (buckets[buckets.length - 1]?.upperBound !== Infinity) return undefined;
  return coalesceBuckets(buckets);
}

/** Merges buckets with the same upper bound (`le="0.2"` and `le="2e-1"`) by adding counts. */
function coalesceBuckets(buckets: readonly Bucket[]): Bucket[] {
  const merged: Bucket[] = [];
  for (const bucket of buckets) {
    const last = merged[merged.length - 1];
    if (last && last.upperBound === bucket.upperBound) last.count += bucket.count;
    else merged.push({ ...bucket });
  }
  return merged;
}

/**
 * quantile.go ensureMonotonicAndIgnoreSmallDeltas: counts within a relative 1e-12 of the last
 * accepted count are set to it silently (float noise); real decreases are raised to it and
 * reported. `prev` only moves on accepted increases.
 */
function ensureMonotonic(buckets: Bucket[]): boolean {
  let forced = false;
  let prev = buckets[0]?.count ?? 0;
  for (let i = 1; i < buckets.length; i++) {
    const bucket = buckets[i];
    if (!bucket || bucket.count === prev) continue;
    if (almostEqual(prev, bucket.count, SMALL_DELTA_TOLERANCE)) {
      bucket.count = prev;
    } else if (bucket.count < prev) {
      bucket.count = prev;
      forced = true;
    } else {
      prev = bucket.count;
    }
  }
  return forced;
}

/** util/almost.Equal: relative comparison, with an absolute one near zero. */
export function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** Go's sort.Search: the smallest index in [0, n) satisfying `predicate`, or n. */
function searchFirst(n: number, predicate: (index: number) => boolean): number {
  let low = 0;
  let high = n;
  while (low < high) {
    const mid = low + Math.floor((high - low) / 2);
    if (predicate(mid)) high = mid;
    else low = mid + 1;
  }
  return low;
}
