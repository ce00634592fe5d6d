/**
 * Builds protobuf bytes by hand for decoder tests: messages the OpenTelemetry SDKs never emit
 * (unknown fields, groups, unpacked repeated fields, huge int64s). Test support only.
 */
export class ProtoTestWriter {
  private readonly bytes: number[] = [];

  varint(value: number | bigint): this {
    let n = BigInt.asUintN(64, BigInt(value));
    while (n >= 0x80n) {
      this.bytes.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.bytes.push(Number(n));
    return this;
  }

  tag(fieldNumber: number, wireType: number): this {
    return this.varint((fieldNumber << 3) | wireType);
  }

  varintField(fieldNumber: number, value: number | bigint): this {
    return this.tag(fieldNumber, 0).varint(value);
  }

  /** sint32/sint64 zigzag encoding. */
  sintField(fieldNumber: number, value: number): this {
    return this.varintField(fieldNumber, value >= 0 ? value * 2 : -value * 2 - 1);
  }

  fixed64Field(fieldNumber: number, value: bigint): this {
    this.tag(fieldNumber, 1);
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, BigInt.asUintN(64, value), true);
    for (let i = 0; i < 8; i++) this.bytes.push(view.getUint8(i));
    return this;
  }

  doubleField(fieldNumber: number, value: number): this {
    this.tag(fieldNumber, 1);
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) this.bytes.push(view.getUint8(i));
    return this;
  }

  fixed32Field(fieldNumber: number, value: number): this {
    this.tag(fieldNumber, 5);
    for (let i = 0; i < 4; i++) this.bytes.push((value >>> (8 * i)) & 0xff);
    return this;
  }

  bytesField(fieldNumber: number, value: Uint8Array | readonly number[]): this {
    this.tag(fieldNumber, 2).varint(value.length);
    for (const byte of value) this.bytes.push(byte);
    return this;
  }

  stringField(fieldNumber: number, value: string): this {
    return this.bytesField(fieldNumber, new TextEncoder().encode(value));
  }

  messageField(fieldNumber: number, message: ProtoTestWriter): this {
    return this.bytesField(fieldNumber, message.finish());
  }

  /** One unknown field of every wire type, including a (deprecated) group with a nested field. */
  unknownFields(firstFieldNumber: number): this {
    const n = firstFieldNumber;
    this.varintField(n, 2n ** 63n + 5n)
      .fixed64Field(n + 1, 7n)
      .stringField(n + 2, 'ignored')
      .fixed32Field(n + 3, 9);
    return this.tag(n + 4, 3)
      .varintField(1, 1)
      .stringField(2, 'in group')
      .tag(n + 4, 4);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export function hexBytes(hex: string): number[] {
  return hex.match(/../g)?.map((byte) => parseInt(byte, 16)) ?? [];
}

/** KeyValue {key=1, value=2: AnyValue} built with `value` as the AnyValue writer. */
export function keyValue(key: string, value: ProtoTestWriter): ProtoTestWriter {
  return new ProtoTestWriter().stringField(1, key).messageField(2, value);
}
