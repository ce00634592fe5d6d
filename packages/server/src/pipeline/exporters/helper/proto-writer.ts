/**
 * The exporters' protobuf writer (OTLP requests, remote-write WriteRequest, Loki PushRequest): one
 * growable buffer, nested messages written in place. `begin()` reserves one byte for a length; `end()` writes the real length and, when it
 * needs more than one varint byte, shifts the message right (a memmove per nesting level, cheaper
 * than sizing every message in a first pass as protobufjs's writer does with its fork/ldelim).
 * Wire format: protobuf encoding guide, "Message Structure".
 */

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

const utf8 = new TextEncoder();

/**
 * Appends protobuf fields to a growable buffer; nested messages are opened with `message()` and
 * closed with `end()`.
 *
 * @example
 * const writer = new ProtoWriter(1024);
 * writer.message(1);
 * writer.stringField(1, 'job');
 * writer.end();
 * const bytes = writer.finish();
 */
export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  /** Start offsets of the open nested messages (the byte reserved for their length). */
  private readonly starts: number[] = [];

  constructor(initialBytes = 64 * 1024) {
    this.buf = new Uint8Array(initialBytes);
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far (offsets of top-level fields, for callers that split a body). */
  get length(): number {
    return this.pos;
  }

  /** The bytes written so far (a copy, so the writer can be reused or dropped). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(extraBytes: number): void {
    if (this.pos + extraBytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extraBytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  /** An unsigned varint below 2^32 (tags, lengths, uint32, non-negative enums). */
  uint32(value: number): void {
    this.ensure(5);
    let n = value >>> 0;
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  /** A 64-bit varint; negative values as their two's complement (10 bytes), as int64 is encoded. */
  int64(value: bigint): void {
    this.ensure(10);
    let n = BigInt.asUintN(64, value);
    while (n >= 0x80n) {
      this.buf[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.pos++] = Number(n);
  }

  /** A whole number ≥ 0 of any size up to 2^53 as a uint64 varint (bucket counts). */
  uint64Number(value: number): void {
    if (value >= 0 && value < 2 ** 32) this.uint32(value);
    else this.int64(BigInt(Math.max(0, Math.trunc(value))));
  }

  /**
   * An int64 varint from a safe integer kept as a JS number (millisecond timestamps, Unix
   * seconds): no BigInt on the common non-negative path; negatives as their two's complement.
   */
  int64Number(value: number): void {
    if (value < 0) return this.int64(BigInt(value));
    if (value < 2 ** 32) return this.uint32(value);
    this.ensure(10);
    let rest = value;
    while (rest >= 0x80) {
      this.buf[this.pos++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buf[this.pos++] = rest;
  }

  tag(fieldNumber: number, wireType: number): void {
    this.uint32((fieldNumber << 3) | wireType);
  }

  varintField(fieldNumber: number, value: number): void {
    this.tag(fieldNumber, WIRE_VARINT);
    // proto3 encodes negative int32/enum values sign-extended to 64 bits.
    if (value < 0) this.int64(BigInt(value));
    else this.uint32(value);
  }

  /** An int64 field from a safe integer kept as a JS number (see `int64Number`). */
  int64NumberField(fieldNumber: number, value: number): void {
    this.tag(fieldNumber, WIRE_VARINT);
    this.int64Number(value);
  }

  /** sint32 (zigzag), for exponential histogram scale and bucket offset. */
  sint32Field(fieldNumber: number, value: number): void {
    this.tag(fieldNumber, WIRE_VARINT);
    this.uint32(((value << 1) ^ (value >> 31)) >>> 0);
  }

  boolField(fieldNumber: number, value: boolean): void {
    this.tag(fieldNumber, WIRE_VARINT);
    this.uint32(value ? 1 : 0);
  }

  fixed64Field(fieldNumber: number, value: bigint): void {
    this.tag(fieldNumber, WIRE_I64);
    this.fixed64(value);
  }

  fixed64(value: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, value), true);
    this.pos += 8;
  }

  /** A count kept as a JS number (histogram count, bucket counts) as fixed64. */
  fixed64Number(value: number): void {
    this.ensure(8);
    const n = value >= 0 && Number.isFinite(value) ? Math.trunc(value) : 0;
    this.view.setUint32(this.pos, n % 2 ** 32, true);
    this.view.setUint32(this.pos + 4, Math.floor(n / 2 ** 32), true);
    this.pos += 8;
  }

  doubleField(fieldNumber: number, value: number): void {
    this.tag(fieldNumber, WIRE_I64);
    this.double(value);
  }

  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /**
   * A double field copied byte for byte from `values[index]`: reading a NaN into a JS number may
   * canonicalise it, which would turn a Prometheus stale marker (value.StaleNaN) into an ordinary
   * NaN.
   */
  doubleFieldFrom(fieldNumber: number, values: Float64Array, index: number): void {
    this.tag(fieldNumber, WIRE_I64);
    this.ensure(8);
    this.buf.set(new Uint8Array(values.buffer, values.byteOffset + index * 8, 8), this.pos);
    this.pos += 8;
  }

  fixed32Field(fieldNumber: number, value: number): void {
    this.tag(fieldNumber, WIRE_I32);
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
  }

  /** A string field, written even when empty (callers skip proto3 defaults themselves). */
  stringField(fieldNumber: number, value: string): void {
    this.tag(fieldNumber, WIRE_LEN);
    this.begin();
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.ensure(value.length * 3);
    this.pos += utf8.encodeInto(value, this.buf.subarray(this.pos)).written;
    this.end();
  }

  bytesField(fieldNumber: number, value: Uint8Array): void {
    this.tag(fieldNumber, WIRE_LEN);
    this.uint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** A trace or span id (lowercase hex) as its raw bytes. */
  idField(fieldNumber: number, hex: string): void {
    const byteLength = hex.length >>> 1;
    this.tag(fieldNumber, WIRE_LEN);
    this.uint32(byteLength);
    this.ensure(byteLength);
    for (let i = 0; i < byteLength; i++) this.buf[this.pos++] = parseInt(hex.substr(i * 2, 2), 16);
  }

  /** Opens a nested message field; close it with `end()`. */
  message(fieldNumber: number): void {
    this.tag(fieldNumber, WIRE_LEN);
    this.begin();
  }

  /** A packed repeated field: open with `packed(n)`, write the elements, close with `end()`. */
  packed(fieldNumber: number): void {
    this.message(fieldNumber);
  }

  private begin(): void {
    this.ensure(1);
    this.starts.push(this.pos);
    this.pos += 1;
  }

  end(): void {
    const start = this.starts.pop();
    if (start === undefined) throw new Error('ProtoWriter.end() without an open message');
    const length = this.pos - start - 1;
    const lengthBytes = varintSize(length);
    if (lengthBytes > 1) {
      this.ensure(lengthBytes - 1);
      this.buf.copyWithin(start + lengthBytes, start + 1, this.pos);
      this.pos += lengthBytes - 1;
    }
    let n = length;
    let at = start;
    while (n >= 0x80) {
      this.buf[at++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[at] = n;
  }
}

function varintSize(value: number): number {
  let size = 1;
  for (let n = value >>> 7; n > 0; n >>>= 7) size++;
  return size;
}
