/**
 * Integer streams of the sample codec: timestamp delta-of-deltas, decimal mantissa deltas and ulp
 * corrections. Signed integers (|x| ≤ 2^52) go in groups of 32, each group bit-packed at the width
 * its values need, either zigzagged (values around zero: delta-of-deltas, gauge deltas) or as
 * offsets from the group's minimum (frame of reference, as in Parquet and FastPFor: a counter's
 * deltas 4…10 take 3 bits, not the 5 of their zigzags), or, when every value repeats, folded into
 * a run of identical groups. A 2 h window of 15 s scrapes (480 timestamps, all delta-of-delta 0)
 * is then one run: 2 bytes, where one varint per sample takes 480, and decoding it is a `fill`.
 * Gorilla (Prometheus tsdb/chunkenc/xor.go) spends a bit per zero; this spends none, and unlike a
 * general-purpose compressor it costs nothing to start per block.
 *
 * Group header byte: w (0–54) = packed zigzags of w bits; 0x40 | w = zigzag varint minimum, then
 * offsets of w bits; 0x80 | r = r + 1 groups all equal to the zigzag varint that follows.
 */
import {
  type ByteSink,
  type ByteSource,
  MAX_BITS_PER_CALL,
  unzigzag,
  varintBytes,
  zigzag,
} from './sample-codec-bytes.ts';

/** Values per group: 32 × width bits is always a whole number of bytes. */
export const GROUP_SIZE = 32;
const RUN_FLAG = 0x80;
const BASE_FLAG = 0x40;
const WIDTH_MASK = 0x3f;
const MAX_RUN_GROUPS = 128;
/** zigzag(±2^52) and offsets up to 2^53 need 54 bits. */
const MAX_WIDTH = 54;

/** Result of `planGroup` (module-level: no allocation per group). */
let plannedEnd = 0;
/** Header byte of the planned group (RUN_FLAG set for a run, whose length is filled in on write). */
let plannedHeader = 0;
/** Minimum of a frame-of-reference group; the repeated value of a run. */
let plannedBase = 0;
let plannedBytes = 0;

/** Bits needed for a non-negative integer < 2^54. */
function bitWidth(value: number): number {
  if (value < 4_294_967_296) return 32 - Math.clz32(value);
  return 64 - Math.clz32(Math.floor(value / 4_294_967_296));
}

/** Extends a run of groups equal to `value` from `groupEnd`; returns the run's end. */
function runEnd(values: Float64Array, groupEnd: number, end: number, value: number): number {
  let at = groupEnd;
  for (let groups = 1; groups < MAX_RUN_GROUPS && at < end; groups++) {
    const nextEnd = Math.min(end, at + GROUP_SIZE);
    for (let i = at; i < nextEnd; i++) if (values[i] !== value) return at;
    at = nextEnd;
  }
  return at;
}

/** Plans the next group from `at`: a run, or one packed group in its smaller form. */
function planGroup(values: Float64Array, at: number, end: number): void {
  const groupEnd = Math.min(end, at + GROUP_SIZE);
  let min = values[at]!;
  let max = min;
  for (let i = at + 1; i < groupEnd; i++) {
    const value = values[i]!;
    if (value < min) min = value;
    else if (value > max) max = value;
  }
  if (min === max) {
    plannedEnd = runEnd(values, groupEnd, end, min);
    plannedHeader = RUN_FLAG;
    plannedBase = min;
    plannedBytes = 1 + varintBytes(zigzag(min));
    return;
  }
  plannedEnd = groupEnd;
  const zigzagWidth = bitWidth(Math.max(zigzag(min), zigzag(max)));
  const offsetWidth = bitWidth(max - min);
  const zigzagBytes = 1 + (((groupEnd - at) * zigzagWidth + 7) >>> 3);
  const offsetBytes = 1 + varintBytes(zigzag(min)) + (((groupEnd - at) * offsetWidth + 7) >>> 3);
  plannedHeader = zigzagBytes <= offsetBytes ? zigzagWidth : BASE_FLAG | offsetWidth;
  plannedBase = zigzagBytes <= offsetBytes ? 0 : min;
  plannedBytes = Math.min(zigzagBytes, offsetBytes);
}

/** Exact size in bytes of `writeIntStream(values, start, count)`, without writing it. */
export function intStreamBytes(values: Float64Array, start: number, count: number): number {
  const end = start + count;
  let bytes = 0;
  for (let at = start; at < end; at = plannedEnd) {
    planGroup(values, at, end);
    bytes += plannedBytes;
  }
  return bytes;
}

/** Packs zigzag(v) (base NaN) or v - base of values[start, end) at `width` ≤ 24 bits each. */
function packNarrow(
  sink: ByteSink,
  values: Float64Array,
  start: number,
  end: number,
  width: number,
  base: number,
): void {
  sink.ensure(GROUP_SIZE * 3);
  const bytes = sink.bytes;
  let pos = sink.length;
  let acc = 0;
  let have = 0;
  for (let i = start; i < end; i++) {
    const value = values[i]!;
    acc |= (Number.isNaN(base) ? zigzag(value) : value - base) << have;
    have += width;
    while (have >= 8) {
      bytes[pos++] = acc & 0xff;
      acc >>>= 8;
      have -= 8;
    }
  }
  if (have > 0) bytes[pos++] = acc & 0xff;
  sink.length = pos;
}

/**
 * Writes signed integers values[start, start + count) (|x| ≤ 2^52). The reader must be told
 * `count`: the stream does not record it.
 */
export function writeIntStream(sink: ByteSink, values: Float64Array, start: number, count: number): void {
  const end = start + count;
  for (let at = start; at < end; at = plannedEnd) {
    planGroup(values, at, end);
    if (plannedHeader === RUN_FLAG) {
      sink.byte(RUN_FLAG | (Math.ceil((plannedEnd - at) / GROUP_SIZE) - 1));
      sink.varint(zigzag(plannedBase));
      continue;
    }
    const width = plannedHeader & WIDTH_MASK;
    const base = plannedHeader & BASE_FLAG ? plannedBase : Number.NaN;
    sink.byte(plannedHeader);
    if (!Number.isNaN(base)) sink.varint(zigzag(base));
    if (width <= MAX_BITS_PER_CALL) packNarrow(sink, values, at, plannedEnd, width, base);
    else {
      for (let i = at; i < plannedEnd; i++) {
        const value = values[i]!;
        sink.writeWideBits(Number.isNaN(base) ? zigzag(value) : value - base, width);
      }
      sink.flushBits();
    }
  }
}

/**
 * One packed group of width ≤ 24 into out[start, end): unzigzagged, or added to `base` when it is
 * not NaN. The hot loop of decoding: locals only, one branch per value on a loop-invariant flag.
 */
function unpackNarrow(
  source: ByteSource,
  out: Float64Array,
  start: number,
  end: number,
  width: number,
  base: number,
): void {
  const bytes = source.bytes;
  const first = source.pos;
  const byteCount = ((end - start) * width + 7) >>> 3;
  if (first + byteCount > bytes.length) throw new RangeError('sample block is truncated');
  const mask = (1 << width) - 1;
  const zigzagged = Number.isNaN(base);
  let pos = first;
  let acc = 0;
  let have = 0;
  for (let i = start; i < end; i++) {
    while (have < width) {
      acc |= bytes[pos++]! << have;
      have += 8;
    }
    const bits = acc & mask;
    acc >>>= width;
    have -= width;
    out[i] = zigzagged ? (bits >>> 1) ^ -(bits & 1) : base + bits;
  }
  source.pos = first + byteCount;
}

/** Reads `count` values written by `writeIntStream` into out[start, start + count). */
export function readIntStream(source: ByteSource, out: Float64Array, start: number, count: number): void {
  const end = start + count;
  let at = start;
  while (at < end) {
    const header = source.byte();
    if (header & RUN_FLAG) {
      const value = unzigzag(source.varint());
      const runStop = Math.min(end, at + ((header & 0x7f) + 1) * GROUP_SIZE);
      out.fill(value, at, runStop);
      at = runStop;
      continue;
    }
    const width = header & WIDTH_MASK;
    if (width > MAX_WIDTH) throw new RangeError(`sample block has a bad group width ${width}`);
    const base = header & BASE_FLAG ? unzigzag(source.varint()) : Number.NaN;
    const groupEnd = Math.min(end, at + GROUP_SIZE);
    if (width <= MAX_BITS_PER_CALL) unpackNarrow(source, out, at, groupEnd, width, base);
    else {
      for (let i = at; i < groupEnd; i++) {
        const bits = source.readWideBits(width);
        out[i] = Number.isNaN(base) ? unzigzag(bits) : base + bits;
      }
      source.alignBits();
    }
    at = groupEnd;
  }
}

/**
 * Skips a stream of `count` zeros written as one run (the usual correction stream) and returns
 * true, or leaves the source untouched and returns false, so callers can skip a no-op pass.
 */
export function skipZeroRun(source: ByteSource, count: number): boolean {
  const bytes = source.bytes;
  const header = bytes[source.pos] ?? 0;
  if ((header & RUN_FLAG) === 0 || ((header & 0x7f) + 1) * GROUP_SIZE < count) return false;
  if (bytes[source.pos + 1] !== 0) return false;
  source.pos += 2;
  return true;
}
