/**
 * A small protobuf writer for the exporters' request bodies (remote-write WriteRequest, Loki
 * PushRequest). Messages are sized before they are written (`*Size` helpers), so nested messages
 * are written in place without a scratch buffer per message (protobuf encoding guide, "Length-
 * delimited records": the length prefix must be known before the content).
 */

const utf8 = new TextEncoder();

/** Wire types (protobuf encoding guide, "Message Structure"). */
export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;

/** Bytes a uint64 varint of `value` (a non-negative safe integer) takes. */
export function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest >= 128; rest = Math.floor(rest / 128)) size++;
  return size;
}

/** Bytes an int64 varint takes: negative values are their 64-bit two's complement (10 bytes). */
export function int64Size(value: number): number {
  return value < 0 ? 10 : varintSize(value);
}

/** Bytes of a string as UTF-8. */
export function utf8Size(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Bytes of a length-delimited field with a one-byte tag (field numbers below 16). */
export function lenFieldSize(contentBytes: number): number {
  return 1 + varintSize(contentBytes) + contentBytes;
}

/**
 * Appends protobuf fields to a buffer that grows as needed.
 *
 * @example
 * const writer = new ProtoWriter(64);
 * writer.stringField(1, 'job');
 * const bytes = writer.finish();
 */
export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialBytes = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialBytes));
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.pos;
  }

  /** A uint64 varint of a non-negative safe integer (sizes, field tags, timestamps ≥ 0). */
  varint(value: number): void {
    this.reserve(10);
    let rest = value;
    while (rest >= 128) {
      this.buf[this.pos++] = (rest % 128) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.buf[this.pos++] = rest;
  }

  /** An int64 varint: negative values as their 64-bit two's complement, as protobuf sends them. */
  int64(value: number): void {
    if (value >= 0) return this.varint(value);
    this.reserve(10);
    let rest = BigInt.asUintN(64, BigInt(value));
    while (rest >= 0x80n) {
      this.buf[this.pos++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buf[this.pos++] = Number(rest);
  }

  tag(fieldNumber: number, wireType: number): void {
    this.varint(fieldNumber * 8 + wireType);
  }

  /** The tag and length of a nested message whose `contentBytes` the caller writes next. */
  beginMessage(fieldNumber: number, contentBytes: number): void {
    this.tag(fieldNumber, WIRE_LEN);
    this.varint(contentBytes);
  }

  /** A string field, always written (empty strings too: label values are checked by the caller). */
  stringField(fieldNumber: number, text: string): void {
    const bytes = utf8Size(text);
    this.beginMessage(fieldNumber, bytes);
    this.reserve(bytes);
    const { written } = utf8.encodeInto(text, this.buf.subarray(this.pos, this.pos + bytes));
    this.pos += written;
  }

  /** A double field, written whatever its value so NaN payloads (stale markers) keep their bits. */
  doubleField(fieldNumber: number, value: number): void {
    this.tag(fieldNumber, WIRE_I64);
    this.reserve(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /**
   * A double field copied byte for byte from `values[index]`: reading a NaN into a JS number may
   * canonicalise it, which would turn a stale marker (value.StaleNaN) into an ordinary NaN.
   */
  doubleFieldFrom(fieldNumber: number, values: Float64Array, index: number): void {
    this.tag(fieldNumber, WIRE_I64);
    this.reserve(8);
    this.buf.set(new Uint8Array(values.buffer, values.byteOffset + index * 8, 8), this.pos);
    this.pos += 8;
  }

  varintField(fieldNumber: number, value: number): void {
    this.tag(fieldNumber, WIRE_VARINT);
    this.varint(value);
  }

  int64Field(fieldNumber: number, value: number): void {
    this.tag(fieldNumber, WIRE_VARINT);
    this.int64(value);
  }

  /** The bytes written so far (a view: the writer is done with them). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + bytes));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }
}
