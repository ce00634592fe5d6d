import { newAttributes } from '../../model/attributes.ts';
import type { AttributeValue, Attributes } from '../../model/attributes.ts';
import { UNKNOWN_SERVICE } from '../../model/resource.ts';
import type { Resource, Scope } from '../../model/resource.ts';
import { OtlpDecodeError } from './decode-error.ts';
import { WireType } from './proto-reader.ts';
import type { ProtoReader } from './proto-reader.ts';

const LEN = WireType.LEN;
const VARINT = WireType.VARINT;
const I64 = WireType.I64;

/**
 * Readers for the messages every OTLP signal shares: common/v1/common.proto (AnyValue, KeyValue,
 * InstrumentationScope) and resource/v1/resource.proto. Field numbers are from opentelemetry-proto
 * v1.x; fields not listed are skipped so newer senders keep working.
 */

/** Nesting limit for array/kvlist values: deeper input is hostile, and recursion must not overflow. */
const MAX_VALUE_DEPTH = 32;

export function newResource(): Resource {
  return {
    attributes: newAttributes(),
    droppedAttributesCount: 0,
    schemaUrl: '',
    serviceName: UNKNOWN_SERVICE,
  };
}

export function newScope(): Scope {
  return { name: '', version: '', attributes: newAttributes(), droppedAttributesCount: 0, schemaUrl: '' };
}

/** AnyValue: oneof string=1, bool=2, int64=3, double=4, ArrayValue=5, KeyValueList=6, bytes=7. */
export function readAnyValue(r: ProtoReader, end: number, depth: number): AttributeValue {
  if (depth > MAX_VALUE_DEPTH)
    throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | LEN:
        value = r.string(end);
        break;
      case (2 << 3) | VARINT:
        value = r.bool();
        break;
      case (3 << 3) | VARINT:
        value = r.int64();
        break;
      case (4 << 3) | I64:
        value = r.double();
        break;
      case (5 << 3) | LEN:
        value = readArrayValue(r, r.lengthEnd(end), depth + 1);
        break;
      case (6 << 3) | LEN:
        value = readKeyValueList(r, r.lengthEnd(end), depth + 1);
        break;
      case (7 << 3) | LEN:
        value = r.bytes(end);
        break;
      default:
        skipOrReject(r, tag, end, 7);
    }
  }
  r.checkEnd(end);
  return value;
}

function readArrayValue(r: ProtoReader, end: number, depth: number): AttributeValue[] {
  const values: AttributeValue[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | LEN)) values.push(readAnyValue(r, r.lengthEnd(end), depth));
    else skipOrReject(r, tag, end, 1);
  }
  r.checkEnd(end);
  return values;
}

function readKeyValueList(r: ProtoReader, end: number, depth: number): Map<string, AttributeValue> {
  const values = new Map<string, AttributeValue>();
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | LEN))
      readKeyValue(r, r.lengthEnd(end), depth, (key, value) => values.set(key, value));
    else skipOrReject(r, tag, end, 1);
  }
  r.checkEnd(end);
  return values;
}

/** KeyValue: key=1, value=2. Calls `store` with both (the fields may come in any order). */
function readKeyValue(
  r: ProtoReader,
  end: number,
  depth: number,
  store: (key: string, value: AttributeValue) => void,
): void {
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | LEN)) key = r.string(end);
    else if (tag === ((2 << 3) | LEN)) value = readAnyValue(r, r.lengthEnd(end), depth);
    else skipOrReject(r, tag, end, 2);
  }
  r.checkEnd(end);
  store(key, value);
}

/** Reads one `repeated KeyValue` element (its tag already read) into `attributes`; the hot path. */
export function readAttribute(r: ProtoReader, tag: number, limit: number, attributes: Attributes): void {
  r.expect(tag, LEN);
  const end = r.lengthEnd(limit);
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < end) {
    const fieldTag = r.tag();
    if (fieldTag === ((1 << 3) | LEN)) key = r.string(end);
    else if (fieldTag === ((2 << 3) | LEN)) value = readAnyValue(r, r.lengthEnd(end), 0);
    else skipOrReject(r, fieldTag, end, 2);
  }
  r.checkEnd(end);
  attributes[key] = value;
}

/** Skips an unknown field, but rejects a known field number (≤ maxKnown) sent with the wrong wire type. */
export function skipOrReject(r: ProtoReader, tag: number, limit: number, maxKnown: number): void {
  if (tag >>> 3 <= maxKnown) r.wrongWireType(tag);
  r.skip(tag, limit);
}

/** Resource: attributes=1, dropped_attributes_count=2 (entity_refs=3 and later are skipped). */
export function readResource(r: ProtoReader, end: number, resource: Resource): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag >>> 3 === 1) readAttribute(r, tag, end, resource.attributes);
    else if (tag === ((2 << 3) | VARINT)) resource.droppedAttributesCount = r.uint32();
    else skipOrReject(r, tag, end, 2);
  }
  r.checkEnd(end);
  const serviceName = resource.attributes['service.name'];
  resource.serviceName =
    typeof serviceName === 'string' && serviceName !== '' ? serviceName : UNKNOWN_SERVICE;
}

/** InstrumentationScope: name=1, version=2, attributes=3, dropped_attributes_count=4. */
export function readScope(r: ProtoReader, end: number, scope: Scope): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | LEN)) scope.name = r.string(end);
    else if (tag === ((2 << 3) | LEN)) scope.version = r.string(end);
    else if (tag >>> 3 === 3) readAttribute(r, tag, end, scope.attributes);
    else if (tag === ((4 << 3) | VARINT)) scope.droppedAttributesCount = r.uint32();
    else skipOrReject(r, tag, end, 4);
  }
  r.checkEnd(end);
}
