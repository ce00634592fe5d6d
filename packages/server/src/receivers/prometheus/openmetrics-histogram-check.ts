/**
 * OpenMetrics 1.0 histogram and gaugehistogram MetricPoint rules (spec §Histogram,
 * §GaugeHistogram; client_python `_check_histogram`): buckets in increasing `le` order with
 * non-decreasing counts, a `+Inf` bucket equal to `_count`, `_count` present exactly when
 * `_sum`/`_gsum` is, no `_sum` with negative buckets, a negative `_gsum` only with them.
 */
import type { ExposedSample } from './exposition.ts';
import { parseFloatToken } from './exposition-lexer.ts';

/**
 * Whether a label value is a number in the spec's canonical spelling for infinities (`+Inf`,
 * `-Inf`); finite numbers may be written any way (client_python `_isUncanonicalNumber`).
 */
export function isCanonicalNumber(text: string): boolean {
  const parsed = parseFloatToken(text);
  if (parsed === undefined) return false;
  if (parsed === Infinity) return text === '+Inf';
  if (parsed === -Infinity) return text === '-Inf';
  return true;
}

/** A stable key for a label set without `__name__` and `dropLabel`. */
export function groupKey(labels: ReadonlyMap<string, string>, dropLabel: string | undefined): string {
  const entries: string[] = [];
  for (const [name, value] of labels) {
    if (name !== '__name__' && name !== dropLabel) entries.push(`${name}\u0000${value}`);
  }
  return entries.sort().join('\u0001');
}

/** Checks one histogram family's samples as they arrive, one MetricPoint (group + timestamp) at a time. */
export class HistogramChecker {
  private pointKey: string | undefined;
  private lastLe: number | undefined;
  private lastBucketValue = 0;
  private count: number | undefined;
  private hasNegativeBuckets = false;
  private hasSum = false;
  private hasGsum = false;
  private hasNegativeGsum = false;

  constructor(private readonly familyName: string) {}

  /** Returns an error message, or undefined when the sample fits. */
  add(name: string, sample: ExposedSample, timestampSeconds: number | undefined): string | undefined {
    const suffix = name.slice(this.familyName.length);
    if (suffix === '') return undefined;
    const key = `${groupKey(sample.labels, suffix === '_bucket' ? 'le' : undefined)}\u0002${timestampSeconds ?? ''}`;
    if (key !== this.pointKey) {
      const error = this.pointKey === undefined ? undefined : this.finish();
      if (error !== undefined) return error;
      this.reset();
      this.pointKey = key;
    }
    if (suffix === '_bucket') return this.addBucket(parseFloatToken(sample.labels.get('le') ?? '') ?? NaN, sample.value);
    if (suffix === '_count' || suffix === '_gcount') this.count = sample.value;
    else if (suffix === '_sum') this.hasSum = true;
    else if (suffix === '_gsum') {
      this.hasGsum = true;
      if (sample.value < 0) this.hasNegativeGsum = true;
    }
    return undefined;
  }

  /** Checks the MetricPoint in progress; call at the end of the family. */
  finish(): string | undefined {
    if (this.pointKey === undefined) return undefined;
    if (this.lastLe !== Infinity) return 'histogram without a +Inf bucket';
    if (this.count !== undefined && this.count !== this.lastBucketValue) return 'histogram count differs from the +Inf bucket';
    if ((this.hasSum || this.hasGsum) !== (this.count !== undefined)) return 'histogram needs both count and sum or neither';
    if (this.hasNegativeBuckets && this.hasSum) return 'histogram with negative buckets may not have a sum';
    if (!this.hasNegativeBuckets && this.hasNegativeGsum) return 'negative gsum needs negative buckets';
    return undefined;
  }

  private addBucket(le: number, value: number): string | undefined {
    if (le < 0) this.hasNegativeBuckets = true;
    if (this.lastLe !== undefined && le <= this.lastLe) return 'histogram buckets out of order';
    if (value < this.lastBucketValue) return 'histogram bucket counts decrease';
    this.lastLe = le;
    this.lastBucketValue = value;
    return undefined;
  }

  private reset(): void {
    this.lastLe = undefined;
    this.lastBucketValue = 0;
    this.count = undefined;
    this.hasNegativeBuckets = false;
    this.hasSum = false;
    this.hasGsum = false;
    this.hasNegativeGsum = false;
  }
}
