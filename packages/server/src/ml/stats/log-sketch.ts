/**
 * A mergeable quantile sketch with relative-error guarantees (DDSketch, Masson et al., VLDB 2019):
 * value v > 0 falls in bucket i = ceil(log_γ v) with γ = (1 + α) / (1 − α), so every quantile it
 * returns is within α (default 1%) of the true value. Latencies, scores and numeric attributes of
 * every span go through one of these per model version and minute, so it must be small and cheap:
 * dense bucket arrays (dense-buckets.ts), no sorting on add.
 *
 * Why not a fixed-bucket histogram: drift and canary statistics compare distributions whose range
 * is unknown in advance (1 ms forward passes and 10 s LLM generations); log buckets cover both
 * with the same bounded relative error.
 */

import { DenseBuckets } from './dense-buckets.ts';

/** Values of magnitude below this count as zero (a log bucket index would run away). */
const MIN_INDEXABLE = 1e-9;

/** A distribution as ascending representative values and their weights (summing to the count). */
export interface WeightedValues {
  values: number[];
  weights: number[];
}

/** The serialised form (snapshots, baselines pinned to disk). */
export interface LogSketchJson {
  relativeAccuracy: number;
  positive: [number, number][];
  negative: [number, number][];
  zero: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export class LogSketch {
  private readonly gamma: number;
  private readonly logGamma: number;
  /** Bucket weights for values > 0 and (by magnitude) values < 0. */
  private readonly positive: DenseBuckets;
  private readonly negative: DenseBuckets;
  private zeroWeight = 0;
  private totalWeight = 0;
  private total = 0;
  private minimum = Infinity;
  private maximum = -Infinity;

  constructor(
    readonly relativeAccuracy = 0.01,
    /** Past this many buckets the lowest ones are collapsed (accuracy kept for the upper tail). */
    private readonly maxBuckets = 2048,
  ) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1))
      throw new RangeError('relativeAccuracy must be in (0, 1)');
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
    this.positive = new DenseBuckets(maxBuckets);
    this.negative = new DenseBuckets(maxBuckets);
  }

  get count(): number {
    return this.totalWeight;
  }
  get sum(): number {
    return this.total;
  }
  /** Exact smallest value added; undefined when empty. */
  get min(): number | undefined {
    return this.totalWeight > 0 ? this.minimum : undefined;
  }
  get max(): number | undefined {
    return this.totalWeight > 0 ? this.maximum : undefined;
  }
  get bucketCount(): number {
    return this.positive.size + this.negative.size + (this.zeroWeight > 0 ? 1 : 0);
  }

  /** Adds `value` with `weight` (a sampling weight may be fractional); non-finite input is ignored. */
  add(value: number, weight = 1): void {
    if (!Number.isFinite(value) || !(weight > 0) || !Number.isFinite(weight)) return;
    const magnitude = Math.abs(value);
    if (magnitude < MIN_INDEXABLE) this.zeroWeight += weight;
    else
      (value > 0 ? this.positive : this.negative).add(Math.ceil(Math.log(magnitude) / this.logGamma), weight);
    this.totalWeight += weight;
    this.total += value * weight;
    if (value < this.minimum) this.minimum = value;
    if (value > this.maximum) this.maximum = value;
  }

  /** Adds every value of `other` (which must have the same relative accuracy). */
  merge(other: LogSketch): void {
    if (other.relativeAccuracy !== this.relativeAccuracy) throw new RangeError('sketches differ in accuracy');
    if (other.totalWeight === 0) return;
    other.positive.forEach((index, weight) => this.positive.add(index, weight));
    other.negative.forEach((index, weight) => this.negative.add(index, weight));
    this.zeroWeight += other.zeroWeight;
    this.totalWeight += other.totalWeight;
    this.total += other.total;
    this.minimum = Math.min(this.minimum, other.minimum);
    this.maximum = Math.max(this.maximum, other.maximum);
  }

  /** A copy that can be merged into without changing this one. */
  clone(): LogSketch {
    const copy = new LogSketch(this.relativeAccuracy, this.maxBuckets);
    copy.merge(this);
    return copy;
  }

  /**
   * The q-quantile (0 ≤ q ≤ 1) within the relative accuracy, clamped to the exact min and max;
   * undefined when empty. Rank convention: the value at rank q·(count − 1), as DDSketch defines it.
   */
  quantile(q: number): number | undefined {
    if (this.totalWeight === 0 || !(q >= 0 && q <= 1)) return undefined;
    const rank = q * (this.totalWeight - 1);
    const { values, weights } = this.distribution();
    let cumulative = 0;
    for (let i = 0; i < values.length; i++) {
      cumulative += weights[i]!;
      if (cumulative > rank) return this.clamp(values[i]!);
    }
    return this.maximum;
  }

  /** Share of the weight at or below `value` (by bucket, so within the sketch's accuracy). */
  cdf(value: number): number {
    if (this.totalWeight === 0) return 0;
    const { values, weights } = this.distribution();
    let below = 0;
    for (let i = 0; i < values.length && values[i]! <= value; i++) below += weights[i]!;
    return below / this.totalWeight;
  }

  /** Buckets as ascending representative values (each bucket's midpoint in relative terms). */
  distribution(): WeightedValues {
    const values: number[] = [];
    const weights: number[] = [];
    const negative = this.negative.entries();
    for (let i = negative.length - 1; i >= 0; i--) {
      values.push(-this.representative(negative[i]![0]));
      weights.push(negative[i]![1]);
    }
    if (this.zeroWeight > 0) {
      values.push(0);
      weights.push(this.zeroWeight);
    }
    this.positive.forEach((index, weight) => {
      values.push(this.representative(index));
      weights.push(weight);
    });
    return { values, weights };
  }

  toJSON(): LogSketchJson {
    return {
      relativeAccuracy: this.relativeAccuracy,
      positive: this.positive.entries(),
      negative: this.negative.entries(),
      zero: this.zeroWeight,
      count: this.totalWeight,
      sum: this.total,
      min: this.minimum,
      max: this.maximum,
    };
  }

  static fromJSON(json: LogSketchJson): LogSketch {
    const sketch = new LogSketch(json.relativeAccuracy);
    for (const [index, weight] of json.positive) sketch.positive.add(index, weight);
    for (const [index, weight] of json.negative) sketch.negative.add(index, weight);
    sketch.zeroWeight = json.zero;
    sketch.totalWeight = json.count;
    sketch.total = json.sum;
    sketch.minimum = json.count > 0 ? json.min : Infinity;
    sketch.maximum = json.count > 0 ? json.max : -Infinity;
    return sketch;
  }

  /** 2γ^i / (γ + 1): the value whose relative error to both bucket bounds is α. */
  private representative(index: number): number {
    return (2 * Math.pow(this.gamma, index)) / (this.gamma + 1);
  }

  private clamp(value: number): number {
    return Math.min(this.maximum, Math.max(this.minimum, value));
  }
}
