import type { ExponentialBuckets } from '../../../model/metric-point.ts';

/** go-expohisto structure.DefaultMaxSize / MaximumScale, which both connectors use. */
export const DEFAULT_EXPONENTIAL_MAX_SIZE = 160;
const MAX_SCALE = 20;

/**
 * A base-2 exponential histogram of non-negative values (durations) that starts at scale 20 and
 * halves its resolution whenever the occupied index range would exceed `maxSize` buckets, as
 * go-expohisto's structure.Histogram does for the Collector's connectors. Bucket i at scale s
 * holds values in (2^(i/2^s), 2^((i+1)/2^s)] (OTLP ExponentialHistogramDataPoint).
 */
export class ExponentialHistogram {
  scale = MAX_SCALE;
  count = 0;
  sum = 0;
  zeroCount = 0;
  min = Infinity;
  max = -Infinity;
  private offset = 0;
  private counts: number[] = [];

  constructor(private readonly maxSize: number = DEFAULT_EXPONENTIAL_MAX_SIZE) {}

  observe(value: number): void {
    this.count++;
    this.sum += value;
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
    if (value <= 0) {
      this.zeroCount++;
      return;
    }
    let index = indexOf(value, this.scale);
    if (this.counts.length === 0) {
      this.offset = index;
      this.counts.push(0);
    } else {
      const low = Math.min(this.offset, index);
      const high = Math.max(this.offset + this.counts.length - 1, index);
      const change = scaleChangeFor(low, high, this.maxSize);
      if (change > 0) {
        this.downscale(change);
        index = indexOf(value, this.scale);
      }
      this.grow(index);
    }
    const at = index - this.offset;
    this.counts[at] = (this.counts[at] ?? 0) + 1;
  }

  /** The positive buckets, trimmed, as OTLP carries them. */
  positive(): ExponentialBuckets {
    return { offset: this.offset, bucketCounts: [...this.counts] };
  }

  private grow(index: number): void {
    if (index < this.offset) {
      this.counts = [...new Array<number>(this.offset - index).fill(0), ...this.counts];
      this.offset = index;
    }
    while (index >= this.offset + this.counts.length) this.counts.push(0);
  }

  /** Merges each 2^change adjacent buckets into one (go-expohisto downscale). */
  private downscale(change: number): void {
    const merged: number[] = [];
    const newOffset = this.offset >> change;
    this.counts.forEach((count, i) => {
      const at = ((this.offset + i) >> change) - newOffset;
      merged[at] = (merged[at] ?? 0) + count;
    });
    this.counts = Array.from(merged, (c) => c ?? 0);
    this.offset = newOffset;
    this.scale -= change;
  }
}

/** The bucket holding `value` at `scale`: ceil(log2(value)·2^scale) − 1 (upper-inclusive buckets). */
function indexOf(value: number, scale: number): number {
  return Math.ceil(Math.log2(value) * 2 ** scale) - 1;
}

/** How many halvings make indexes low…high fit in maxSize buckets. */
function scaleChangeFor(low: number, high: number, maxSize: number): number {
  let change = 0;
  while ((high >> change) - (low >> change) + 1 > maxSize) change++;
  return change;
}
