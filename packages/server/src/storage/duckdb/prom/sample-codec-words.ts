/**
 * Float64 bit access for the sample codec. Value bits move through Uint32Array views, never
 * through plain JS numbers, because V8 may canonicalise a NaN's payload when it becomes a number
 * (Prometheus's stale marker 0x7ff0000000000002 would turn into 0x7ff8000000000002; see
 * query/promql/values.ts).
 */

const probe = new Uint32Array(new Float64Array([1]).buffer);
/** Index of a float64's low / high 32-bit word inside a Uint32Array view (platform byte order). */
export const LO = probe[0] === 0 ? 0 : 1;
export const HI = 1 - LO;

/** Words of one scratch double, for ulp arithmetic on finite values. */
const pair = new Float64Array(2);
const pairWords = new Uint32Array(pair.buffer);

/**
 * `a - b` in units in the last place: the difference of the two bit patterns as integers. Exact
 * while the patterns are within 2^53; only meaningful for finite values of the same sign.
 */
export function ulpDistance(a: number, b: number): number {
  pair[0] = a;
  pair[1] = b;
  const highDiff = (pairWords[HI] ?? 0) - (pairWords[2 + HI] ?? 0);
  return highDiff * 4_294_967_296 + ((pairWords[LO] ?? 0) - (pairWords[2 + LO] ?? 0));
}

/**
 * A reusable Uint32Array view over a Float64Array's memory. Callers decode many blocks into one
 * array, so the view is cached per (buffer, byteOffset, length) instead of made per block.
 */
export class WordView {
  private buffer: ArrayBufferLike | null = null;
  private byteOffset = -1;
  private length = -1;
  private view: Uint32Array = new Uint32Array(0);

  of(doubles: Float64Array): Uint32Array {
    if (
      doubles.buffer !== this.buffer ||
      doubles.byteOffset !== this.byteOffset ||
      doubles.length !== this.length
    ) {
      this.buffer = doubles.buffer;
      this.byteOffset = doubles.byteOffset;
      this.length = doubles.length;
      this.view = new Uint32Array(doubles.buffer, doubles.byteOffset, doubles.length * 2);
    }
    return this.view;
  }
}

/** A module-level scratch array that grows (never shrinks) to the largest block seen. */
export class Scratch<T extends Float64Array | Int8Array> {
  private array: T;

  constructor(private readonly make: (length: number) => T) {
    this.array = make(1024);
  }

  atLeast(length: number): T {
    if (this.array.length < length) this.array = this.make(Math.max(length, this.array.length * 2));
    return this.array;
  }
}
