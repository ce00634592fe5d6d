/**
 * Byte and bit I/O for the sample codec (sample-codec.ts): a growable writer that is reused across
 * blocks, and a reader over one block. Integers travel as JS numbers: exact up to 2^53, so every
 * multi-byte path splits values arithmetically rather than with 32-bit bit operators.
 *
 * Bits are written least-significant first and moved a byte at a time, so neither side ever
 * touches a byte past the last one that holds a needed bit, and at most 24 bits move per call
 * (24 + 7 pending bits still fit in a 32-bit accumulator).
 */

/** Largest bit count one `writeBits` / `readBits` call moves. */
export const MAX_BITS_PER_CALL = 24;
const TWO_24 = 16_777_216;
const TWO_48 = 281_474_976_710_656;

/** Largest magnitude that zigzag encodes exactly for negative numbers (2^52). */
export const MAX_ZIGZAG_MAGNITUDE = 4_503_599_627_370_496;

/** Zigzag (0, -1, 1, -2 … → 0, 1, 2, 3 …) for integers with |x| ≤ 2^52, as protobuf's sint64. */
export function zigzag(x: number): number {
  return x >= 0 ? 2 * x + 0 : -2 * x - 1;
}

/** Inverse of `zigzag`, exact for every zigzag output up to 2^53. */
export function unzigzag(u: number): number {
  if (u < 2_147_483_648) return (u >>> 1) ^ -(u & 1);
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}

/** Length of `ByteSink.varint(value)` in bytes. */
export function varintBytes(value: number): number {
  let bytes = 1;
  for (let rest = value; rest >= 128; rest = Math.floor(rest / 128)) bytes++;
  return bytes;
}

/** A growable byte buffer reused across blocks: `reset` keeps the memory. */
export class ByteSink {
  bytes: Uint8Array;
  length = 0;
  private bitAcc = 0;
  private bitCount = 0;

  constructor(initialBytes = 4096) {
    this.bytes = new Uint8Array(initialBytes);
  }

  reset(): void {
    this.length = 0;
    this.bitAcc = 0;
    this.bitCount = 0;
  }

  /** Room for `extra` more bytes (plus slack for a pending bit accumulator). */
  ensure(extra: number): void {
    const needed = this.length + extra + 8;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(value: number): void {
    this.ensure(1);
    this.bytes[this.length++] = value;
  }

  /** An unsigned LEB128 varint of a non-negative integer up to 2^54 (power-of-two steps stay exact). */
  varint(value: number): void {
    this.ensure(8);
    let rest = value;
    while (rest >= 128) {
      const low = rest % 128;
      this.bytes[this.length++] = low | 0x80;
      rest = (rest - low) / 128;
    }
    this.bytes[this.length++] = rest;
  }

  /** A uint32 little-endian. */
  word(value: number): void {
    this.ensure(4);
    const bytes = this.bytes;
    bytes[this.length] = value & 0xff;
    bytes[this.length + 1] = (value >>> 8) & 0xff;
    bytes[this.length + 2] = (value >>> 16) & 0xff;
    bytes[this.length + 3] = value >>> 24;
    this.length += 4;
  }

  append(source: Uint8Array): void {
    this.ensure(source.length);
    this.bytes.set(source, this.length);
    this.length += source.length;
  }

  /** `count` (≤ 24) low bits of `value`, least significant first. */
  writeBits(value: number, count: number): void {
    this.bitAcc |= value << this.bitCount;
    this.bitCount += count;
    if (this.bitCount < 8) return;
    this.ensure(4);
    const bytes = this.bytes;
    while (this.bitCount >= 8) {
      bytes[this.length++] = this.bitAcc & 0xff;
      this.bitAcc >>>= 8;
      this.bitCount -= 8;
    }
  }

  /** `count` (≤ 54) low bits of a non-negative integer `value`, in 24-bit pieces. */
  writeWideBits(value: number, count: number): void {
    if (count <= MAX_BITS_PER_CALL) return this.writeBits(value, count);
    const low = value % TWO_24;
    this.writeBits(low, MAX_BITS_PER_CALL);
    const rest = (value - low) / TWO_24;
    if (count <= 48) return this.writeBits(rest, count - MAX_BITS_PER_CALL);
    const middle = rest % TWO_24;
    this.writeBits(middle, MAX_BITS_PER_CALL);
    this.writeBits((rest - middle) / TWO_24, count - 48);
  }

  /** Pads pending bits to a whole byte so byte-level writes can follow. */
  flushBits(): void {
    if (this.bitCount > 0) {
      this.byte(this.bitAcc & 0xff);
      this.bitAcc = 0;
      this.bitCount = 0;
    }
  }
}

/** A reader over one block; reused (`reset`) so decoding allocates nothing per block. */
export class ByteSource {
  bytes: Uint8Array = new Uint8Array(0);
  pos = 0;
  private bitAcc = 0;
  private bitCount = 0;

  reset(bytes: Uint8Array, pos: number): void {
    this.bytes = bytes;
    this.pos = pos;
    this.bitAcc = 0;
    this.bitCount = 0;
  }

  byte(): number {
    if (this.pos >= this.bytes.length) throw new RangeError('sample block is truncated');
    return this.bytes[this.pos++] ?? 0;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const next = this.byte();
      value += (next & 0x7f) * scale;
      if (next < 0x80) return value;
      scale *= 128;
      if (scale > 2 ** 56) throw new RangeError('sample block has an over-long varint');
    }
  }

  /** A uint32 little-endian. */
  word(): number {
    const at = this.pos;
    if (at + 4 > this.bytes.length) throw new RangeError('sample block is truncated');
    this.pos = at + 4;
    const b = this.bytes;
    return (
      ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0
    );
  }

  /** `count` (≤ 24) bits, least significant first. */
  readBits(count: number): number {
    let acc = this.bitAcc;
    let have = this.bitCount;
    while (have < count) {
      acc |= this.byte() << have;
      have += 8;
    }
    this.bitAcc = acc >>> count;
    this.bitCount = have - count;
    return acc & ((1 << count) - 1);
  }

  /** `count` (≤ 54) bits as a non-negative integer, the inverse of `ByteSink.writeWideBits`. */
  readWideBits(count: number): number {
    if (count <= MAX_BITS_PER_CALL) return this.readBits(count);
    const low = this.readBits(MAX_BITS_PER_CALL);
    if (count <= 48) return low + this.readBits(count - MAX_BITS_PER_CALL) * TWO_24;
    const middle = this.readBits(MAX_BITS_PER_CALL);
    return low + middle * TWO_24 + this.readBits(count - 48) * TWO_48;
  }

  /** Drops the rest of a partly read byte so byte-level reads can follow. */
  alignBits(): void {
    this.bitAcc = 0;
    this.bitCount = 0;
  }
}
