/**
 * An explicit-bucket histogram accumulator as the Collector's connectors keep one per series
 * (spanmetricsconnector internal/metrics explicitHistogram, servicegraphconnector
 * updateServerDurationMetrics).
 */
export class ExplicitHistogram {
  /** Per-bucket counts, OTLP style: bucket i counts values in (bounds[i-1], bounds[i]]; the last one (bounds[n-1], +Inf). */
  readonly bucketCounts: number[];
  count = 0;
  sum = 0;

  constructor(readonly bounds: readonly number[]) {
    this.bucketCounts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    const index = bucketIndex(this.bounds, value);
    this.bucketCounts[index] = (this.bucketCounts[index] ?? 0) + 1;
    this.count++;
    this.sum += value;
  }

  reset(): void {
    this.bucketCounts.fill(0);
    this.count = 0;
    this.sum = 0;
  }
}

/**
 * The first bucket whose upper bound is ≥ value (Go's sort.SearchFloat64s, which both connectors
 * use), so a value equal to a bound lands in that bound's bucket, as Prometheus's `le` means.
 */
export function bucketIndex(bounds: readonly number[], value: number): number {
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((bounds[mid] ?? Infinity) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
