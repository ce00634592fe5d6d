/**
 * Bucket weights by consecutive integer index in one Float64Array (DDSketch's
 * CollapsingLowestDenseStore): an add is an array write instead of a hash-map update, which matters
 * because every received span adds to several sketches. The index span is bounded: past `maxSpan`
 * the lowest buckets fold into the lowest kept one, keeping accuracy where latency matters (the tail).
 */
export class DenseBuckets {
  private counts = new Float64Array(0);
  /** Bucket index of counts[0]. */
  private offset = 0;
  /** Lowest and highest index holding weight; empty when high < low. */
  private low = 0;
  private high = -1;
  private nonEmpty = 0;

  constructor(private readonly maxSpan: number) {
    if (!(maxSpan >= 1)) throw new RangeError('maxSpan must be at least 1');
  }

  /** Buckets holding weight. */
  get size(): number {
    return this.nonEmpty;
  }

  add(index: number, weight: number): void {
    if (this.high < this.low) {
      this.low = this.high = index;
    } else if (index > this.high) {
      // A new maximum: fold what falls off the bottom of the window first.
      this.collapseBelow(index - this.maxSpan + 1);
      this.high = index;
      if (this.low > index) this.low = index;
    } else if (index < this.low) {
      // Below the window's floor, a value lands in its lowest bucket (the collapsed region).
      const floor = this.high - this.maxSpan + 1;
      index = Math.max(index, floor);
      this.low = index;
    }
    this.ensureCovers(this.low, this.high);
    const slot = index - this.offset;
    if (this.counts[slot] === 0) this.nonEmpty++;
    this.counts[slot]! += weight;
  }

  /** Calls `visit` for each bucket with weight, ascending by index. */
  forEach(visit: (index: number, weight: number) => void): void {
    for (let index = this.low; index <= this.high; index++) {
      const weight = this.counts[index - this.offset]!;
      if (weight > 0) visit(index, weight);
    }
  }

  entries(): [number, number][] {
    const pairs: [number, number][] = [];
    this.forEach((index, weight) => pairs.push([index, weight]));
    return pairs;
  }

  /** Moves the weight of every bucket below `floor` into bucket `floor`. */
  private collapseBelow(floor: number): void {
    if (this.high < this.low || this.low >= floor) return;
    let folded = 0;
    const last = Math.min(this.high, floor - 1);
    for (let index = this.low; index <= last; index++) {
      const slot = index - this.offset;
      if (this.counts[slot]! > 0) {
        folded += this.counts[slot]!;
        this.counts[slot] = 0;
        this.nonEmpty--;
      }
    }
    this.low = floor;
    if (this.high < floor) this.high = floor;
    this.ensureCovers(this.low, this.high);
    const slot = floor - this.offset;
    if (folded > 0) {
      if (this.counts[slot] === 0) this.nonEmpty++;
      this.counts[slot]! += folded;
    }
  }

  /** Reallocates (with headroom both ways) when [low, high] leaves the array. */
  private ensureCovers(low: number, high: number): void {
    if (low >= this.offset && high < this.offset + this.counts.length) return;
    const needed = high - low + 1;
    const length = Math.min(Math.max(needed * 2, 32), Math.max(needed, this.maxSpan + 1));
    const offset = low - Math.floor((length - needed) / 2);
    const counts = new Float64Array(length);
    if (this.nonEmpty > 0) {
      for (let index = Math.max(this.offset, offset); index < this.offset + this.counts.length; index++) {
        if (index - offset >= length) break;
        counts[index - offset] = this.counts[index - this.offset]!;
      }
    }
    this.counts = counts;
    this.offset = offset;
  }
}
