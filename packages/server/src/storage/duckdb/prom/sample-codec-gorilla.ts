/**
 * Gorilla XOR value encoding, the fallback for values that are not decimals (NaNs, stale markers,
 * computed ratios, random doubles). Same scheme as Prometheus's XOR chunk (tsdb/chunkenc/xor.go,
 * writeVDelta / readValue): the first value's 64 bits, then per value the XOR with the previous
 * one: `0` when equal; `10` + the meaningful bits when they fit the previous leading/trailing-zero
 * window; `11` + 5 bits of leading zeros (capped at 31) + 6 bits of length (64 written as 0) + the
 * bits otherwise. Bits are least-significant first here (sample-codec-bytes.ts), and 64-bit
 * patterns move as two uint32 words of the Float64Array's memory so NaN payloads survive.
 */
import type { ByteSink, ByteSource } from './sample-codec-bytes.ts';
import { HI, LO, WordView } from './sample-codec-words.ts';

const inputWords = new WordView();
const outputWords = new WordView();
const NO_WINDOW = 0xff;

function leadingZeros(high: number, low: number): number {
  return high !== 0 ? Math.clz32(high) : 32 + Math.clz32(low);
}

function trailingZeros(high: number, low: number): number {
  if (low !== 0) return 31 - Math.clz32(low & -low);
  return 32 + 31 - Math.clz32(high & -high);
}

/** Writes the `length` bits of (high, low) >>> shift: 24-bit pieces from the least significant. */
function writeWindow(sink: ByteSink, high: number, low: number, shift: number, length: number): void {
  let h = high;
  let l = low;
  if (shift >= 32) {
    l = h >>> (shift - 32);
    h = 0;
  } else if (shift > 0) {
    l = (l >>> shift) | (h << (32 - shift));
    h >>>= shift;
  }
  sink.writeBits(l & 0xffffff & ((1 << Math.min(length, 24)) - 1), Math.min(length, 24));
  if (length <= 24) return;
  const middle = ((l >>> 24) | (h << 8)) & 0xffffff;
  sink.writeBits(middle & ((1 << Math.min(length - 24, 24)) - 1), Math.min(length - 24, 24));
  if (length > 48) sink.writeBits(h >>> 16, length - 48);
}

/** Exact size in bytes of `writeGorilla(values, count)`, without writing it. */
export function gorillaBytes(values: Float64Array, count: number): number {
  const words = inputWords.of(values);
  const lo = LO;
  const hi = HI;
  let bits = 64;
  let leading = NO_WINDOW;
  let trailing = 0;
  for (let i = 1; i < count; i++) {
    const xorHigh = (words[2 * i + hi]! ^ words[2 * i - 2 + hi]!) >>> 0;
    const xorLow = (words[2 * i + lo]! ^ words[2 * i - 2 + lo]!) >>> 0;
    if (xorHigh === 0 && xorLow === 0) {
      bits += 1;
      continue;
    }
    const newLeading = Math.min(31, leadingZeros(xorHigh, xorLow));
    const newTrailing = trailingZeros(xorHigh, xorLow);
    if (leading !== NO_WINDOW && newLeading >= leading && newTrailing >= trailing) bits += 2;
    else {
      leading = newLeading;
      trailing = newTrailing;
      bits += 13;
    }
    bits += 64 - leading - trailing;
  }
  return Math.ceil(bits / 8);
}

/** Writes values[0, count) (count ≥ 1). */
export function writeGorilla(sink: ByteSink, values: Float64Array, count: number): void {
  const words = inputWords.of(values);
  let previousHigh = words[HI]!;
  let previousLow = words[LO]!;
  sink.word(previousLow);
  sink.word(previousHigh);
  let leading = NO_WINDOW;
  let trailing = 0;
  for (let i = 1; i < count; i++) {
    const high = words[2 * i + HI]!;
    const low = words[2 * i + LO]!;
    const xorHigh = (high ^ previousHigh) >>> 0;
    const xorLow = (low ^ previousLow) >>> 0;
    previousHigh = high;
    previousLow = low;
    if (xorHigh === 0 && xorLow === 0) {
      sink.writeBits(0, 1);
      continue;
    }
    const newLeading = Math.min(31, leadingZeros(xorHigh, xorLow));
    const newTrailing = trailingZeros(xorHigh, xorLow);
    if (leading !== NO_WINDOW && newLeading >= leading && newTrailing >= trailing) {
      sink.writeBits(0b01, 2);
    } else {
      leading = newLeading;
      trailing = newTrailing;
      const length = 64 - leading - trailing;
      // Control `11`, leading zeros, then the length with 64 written as 0 (it does not fit 6 bits).
      sink.writeBits(0b11 | (leading << 2) | ((length & 63) << 7), 13);
    }
    writeWindow(sink, xorHigh, xorLow, trailing, 64 - leading - trailing);
  }
  sink.flushBits();
}

/**
 * Reads `count` (≥ 1) values written by `writeGorilla` into out[offset, offset + count). The bit
 * reader lives in locals (V8 keeps them in registers; fields or module variables cost a memory
 * round trip per bit read, which halved the decode rate), topped up to ≥ 25 bits before each read.
 */
export function readGorilla(source: ByteSource, out: Float64Array, offset: number, count: number): void {
  const words = outputWords.of(out);
  let low = source.word();
  let high = source.word();
  words[2 * offset + LO] = low;
  words[2 * offset + HI] = high;
  const bytes = source.bytes;
  const end = bytes.length;
  let pos = source.pos;
  let acc = 0;
  let have = 0;
  let leading = 0;
  let length = 0;
  for (let i = offset + 1; i < offset + count; i++) {
    while (have <= 24 && pos < end) {
      acc |= bytes[pos++]! << have;
      have += 8;
    }
    if ((acc & 1) === 0) {
      // `0`: the value repeats.
      acc >>>= 1;
      have -= 1;
    } else {
      if ((acc & 2) === 0) {
        acc >>>= 2;
        have -= 2;
      } else {
        leading = (acc >>> 2) & 31;
        length = (acc >>> 7) & 63 || 64;
        acc >>>= 13;
        have -= 13;
      }
      if (have < 0 || leading + length > 64) throw new RangeError('sample block has a bad XOR window');
      // The meaningful bits, in pieces of ≤ 24, land at bit `position` of the 64-bit XOR.
      let xorLow = 0;
      let xorHigh = 0;
      for (let position = 64 - leading - length; position < 64 - leading;) {
        const size = Math.min(24, 64 - leading - position);
        if (have <= 8 && pos + 3 <= end) {
          acc |= (bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16)) << have;
          pos += 3;
          have += 24;
        } else {
          while (have < size && pos < end) {
            acc |= bytes[pos++]! << have;
            have += 8;
          }
        }
        if (have < size) throw new RangeError('sample block is truncated');
        const piece = (acc & ((1 << size) - 1)) >>> 0;
        acc >>>= size;
        have -= size;
        if (position >= 32) xorHigh |= piece << (position - 32);
        else {
          xorLow |= piece << position;
          if (position + size > 32) xorHigh |= piece >>> (32 - position);
        }
        position += size;
      }
      low = (low ^ xorLow) >>> 0;
      high = (high ^ xorHigh) >>> 0;
    }
    words[2 * i + LO] = low;
    words[2 * i + HI] = high;
  }
  // The value section ends the body; still leave the source just past the bits read.
  source.pos = pos - (have >>> 3);
}
