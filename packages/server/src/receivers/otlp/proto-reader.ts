import { OtlpDecodeError } from './decode-error.ts';
import { internHex, internString } from './string-intern.ts';

/**
 * Protobuf wire types (protobuf encoding guide, "Message Structure"). Groups (3, 4) are deprecated
 * but still legal on the wire, so an unknown group field must be skipped, not rejected.
 */
export const WireType = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

const TWO_POW_32 = 4294967296;

/**
 * A hand-written protobuf reader over one request body: the OTLP ingest hot path. Callers loop
 * `while (reader.pos < end)` over a message's fields, switching on `tag >>> 3`; every read is
 * bounds-checked and throws OtlpDecodeError (never a RangeError) on truncated or malformed input.
 * Strings and ids go through a small intern table because attribute keys, span names and trace
 * ids repeat across spans, and string creation is half of decode time (DESIGN.md, "Measured").
 */
export class ProtoReader {
  readonly buf: Buffer;
  private readonly view: DataView;
  pos = 0;

  constructor(body: Uint8Array) {
    this.buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    this.view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  }

  get length(): number {
    return this.buf.length;
  }

  /** A field tag; field number 0 is illegal in protobuf and means the input is not a message. */
  tag(): number {
    const tag = this.uint32();
    if (tag >>> 3 === 0) throw this.malformed('field number 0');
    return tag;
  }

  /** A varint truncated to its low 32 bits, unsigned (uint32, enum and length fields). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let result = 0;
    for (let shift = 0; shift < 32; shift += 7) {
      if (pos >= buf.length) throw this.truncated();
      const byte = buf[pos++]!;
      result |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    // Bits above 32 (for example a sign-extended negative int32) are read and dropped.
    for (let i = 0; i < 5; i++) {
      if (pos >= buf.length) throw this.truncated();
      if (buf[pos++]! < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    throw this.malformed('varint longer than 10 bytes');
  }

  /** A varint as a signed 32-bit number (int32, and enums which proto3 encodes as int32). */
  int32(): number {
    return this.uint32() | 0;
  }

  /** A varint as an exact signed 64-bit bigint (int64). */
  int64(): bigint {
    const buf = this.buf;
    let pos = this.pos;
    let low = 0;
    let high = 0;
    let shift = 0;
    for (; ; shift += 7) {
      if (pos >= buf.length) throw this.truncated();
      if (shift >= 70) throw this.malformed('varint longer than 10 bytes');
      const bits = buf[pos]! & 0x7f;
      if (shift < 28) low += bits * 2 ** shift;
      else if (shift === 28) {
        low += (bits & 0x0f) * 2 ** 28;
        high += bits >>> 4;
      } else high += bits * 2 ** (shift - 32);
      if (buf[pos++]! < 0x80) break;
    }
    this.pos = pos;
    if (high === 0) return BigInt(low);
    return BigInt.asIntN(64, (BigInt(high % TWO_POW_32) << 32n) | BigInt(low));
  }

  /** A varint as a number (uint64 counts); exact below 2^53, which counts never exceed. */
  uint64Number(): number {
    const value = this.int64();
    return Number(BigInt.asUintN(64, value));
  }

  /** A zigzag varint (sint32). */
  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    return this.uint32() !== 0;
  }

  fixed32(): number {
    this.need(4);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  /** fixed64 as an exact bigint: OTLP timestamps (~1.8e18 ns) do not fit a double. */
  fixed64(): bigint {
    this.need(8);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** fixed64 as a number (histogram counts): exact below 2^53. */
  fixed64Number(): number {
    this.need(8);
    const value = this.view.getUint32(this.pos, true) + this.view.getUint32(this.pos + 4, true) * TWO_POW_32;
    this.pos += 8;
    return value;
  }

  sfixed64(): bigint {
    this.need(8);
    const value = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return value;
  }

  double(): number {
    this.need(8);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** Reads a length prefix and returns where that field ends, checked against `limit`. */
  lengthEnd(limit: number): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > limit) throw this.truncated();
    return end;
  }

  /** A length-delimited string, interned when short (keys, names, enum-like values repeat). */
  string(limit: number): string {
    const end = this.lengthEnd(limit);
    const start = this.pos;
    this.pos = end;
    return internString(this.buf, start, end);
  }

  /** A length-delimited bytes field, copied so records do not pin the request buffer. */
  bytes(limit: number): Uint8Array {
    const end = this.lengthEnd(limit);
    const value = new Uint8Array(this.buf.subarray(this.pos, end));
    this.pos = end;
    return value;
  }

  /**
   * An id field (trace_id 16 bytes, span_id 8 bytes) as lowercase hex. Returns '' when empty and
   * null when the length is wrong or every byte is zero: trace.proto calls both invalid, and the
   * caller decides whether that rejects the record.
   */
  id(limit: number, byteLength: number): string | null {
    return this.idField(limit, byteLength, null);
  }

  /**
   * An optional id (log and exemplar trace_id/span_id): '' when empty or all zero, which both mean
   * "not part of a trace" (logs.proto: an all-zero id is invalid, so it carries no context); null
   * when the length is wrong.
   */
  optionalId(limit: number, byteLength: number): string | null {
    return this.idField(limit, byteLength, '');
  }

  private idField(limit: number, byteLength: number, allZero: string | null): string | null {
    const end = this.lengthEnd(limit);
    const start = this.pos;
    this.pos = end;
    if (end === start) return '';
    if (end - start !== byteLength) return null;
    const buf = this.buf;
    for (let i = start; i < end; i++) {
      if (buf[i] !== 0) {
        // Trace ids repeat across the spans of a trace; span ids are mostly unique.
        return byteLength === 16 ? internHex(buf, start, end) : buf.toString('hex', start, end);
      }
    }
    return allZero;
  }

  /** Skips one field of any wire type (unknown fields must be ignored, proto3 language guide). */
  skip(tag: number, limit: number): void {
    switch (tag & 7) {
      case WireType.VARINT:
        this.uint32();
        return;
      case WireType.I64:
        this.advance(8, limit);
        return;
      case WireType.LEN:
        this.pos = this.lengthEnd(limit);
        return;
      case WireType.SGROUP:
        this.skipGroup(tag >>> 3, limit);
        return;
      case WireType.I32:
        this.advance(4, limit);
        return;
      default:
        throw this.malformed(`wire type ${tag & 7}`);
    }
  }

  /** Throws unless `tag` has the wire type a known field must have. */
  expect(tag: number, wireType: number): void {
    if ((tag & 7) !== wireType) this.wrongWireType(tag);
  }

  /** A known field arrived with a wire type its declared type cannot have. */
  wrongWireType(tag: number): never {
    throw this.malformed(`wire type ${tag & 7} for field ${tag >>> 3}`);
  }

  /** Throws when a message's fields ran past its declared length. */
  checkEnd(end: number): void {
    if (this.pos !== end) throw this.truncated();
  }

  private skipGroup(fieldNumber: number, limit: number): void {
    for (;;) {
      if (this.pos >= limit) throw this.truncated();
      const tag = this.tag();
      if ((tag & 7) === WireType.EGROUP) {
        if (tag >>> 3 !== fieldNumber) throw this.malformed('mismatched group end');
        return;
      }
      this.skip(tag, limit);
    }
  }

  private advance(byteCount: number, limit: number): void {
    if (this.pos + byteCount > limit) throw this.truncated();
    this.pos += byteCount;
  }

  private need(byteCount: number): void {
    if (this.pos + byteCount > this.buf.length) throw this.truncated();
  }

  private truncated(): OtlpDecodeError {
    return new OtlpDecodeError(`protobuf message truncated at byte ${this.pos}`);
  }

  private malformed(what: string): OtlpDecodeError {
    return new OtlpDecodeError(`malformed protobuf at byte ${this.pos}: ${what}`);
  }
}
