import { newAttributes } from '../../model/attributes.ts';
import type { AttributeValue, Attributes } from '../../model/attributes.ts';
import { UNKNOWN_SERVICE } from '../../model/resource.ts';
import type { Resource, Scope } from '../../model/resource.ts';
import { OtlpDecodeError } from './decode-error.ts';

/**
 * Typed access to OTLP/JSON values (otlp-specification.md, "JSON Protobuf Encoding", on top of the
 * proto3 JSON mapping): keys are lowerCamelCase but the original field names are accepted too,
 * null means "not set", 64-bit integers come as strings or numbers, enums as numbers (names are
 * accepted), ids as hex and other bytes as base64. A value of the wrong JSON type throws
 * OtlpDecodeError naming the field and the expected type, never the value.
 */

export type JsonObject = Record<string, unknown>;

/** Nesting limit for array/kvlist values, as for protobuf. */
const MAX_VALUE_DEPTH = 32;
const INTEGER = /^-?[0-9]+$/;
const HEX = /^[0-9a-fA-F]*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const MAX_UINT64 = 2n ** 64n - 1n;

function fail(field: string, expected: string): never {
  throw new OtlpDecodeError(`OTLP/JSON field ${field}: expected ${expected}`);
}

/** The value of a field under its lowerCamelCase key, else under its original proto name. */
export function field(obj: JsonObject, camelName: string, protoName?: string): unknown {
  const value = obj[camelName];
  return value === undefined && protoName !== undefined ? obj[protoName] : value;
}

export function objectOf(value: unknown, what: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) fail(what, 'an object');
  return value as JsonObject;
}

export function arrayOf(value: unknown, what: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(what, 'an array');
  return value;
}

export function stringOf(value: unknown, what: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') fail(what, 'a string');
  return value;
}

export function boolOf(value: unknown, what: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') fail(what, 'true or false');
  return value;
}

/** int64/sint64/sfixed64: a decimal string or an integral number (proto3 JSON mapping). */
export function int64Of(value: unknown, what: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'string' && INTEGER.test(value)) {
    const n = BigInt(value);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return n;
  } else if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return fail(what, 'a 64-bit integer as a string or number');
}

/** fixed64/uint64 (timestamps): exact, as a bigint. */
export function uint64Of(value: unknown, what: string): bigint {
  if (value === undefined || value === null) return 0n;
  const n = typeof value === 'string' || typeof value === 'number' ? tryUnsigned(value) : undefined;
  return n ?? fail(what, 'an unsigned 64-bit integer as a string or number');
}

function tryUnsigned(value: string | number): bigint | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? BigInt(value) : undefined;
  if (!INTEGER.test(value)) return undefined;
  const n = BigInt(value);
  return n >= 0n && n <= MAX_UINT64 ? n : undefined;
}

/** uint32/fixed32 and 64-bit counts kept as numbers. */
export function uintOf(value: unknown, what: string): number {
  return Number(uint64Of(value, what));
}

/** int32/sint32 as a number. */
export function intOf(value: unknown, what: string): number {
  const n = int64Of(value, what);
  if (n < -(2n ** 31n) || n >= 2n ** 31n) fail(what, 'a 32-bit integer');
  return Number(n);
}

/** double: a number, or "NaN", "Infinity", "-Infinity" or a numeric string (proto3 JSON mapping). */
export function doubleOf(value: unknown, what: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return fail(what, 'a number');
}

/** An enum: its number, or (though OTLP/JSON forbids sending it) its name. */
export function enumOf(value: unknown, names: Readonly<Record<string, number>>, what: string): number {
  if (typeof value === 'string' && Object.hasOwn(names, value)) return names[value]!;
  return intOf(value, what);
}

/**
 * A trace/span id as lowercase hex (OTLP/JSON sends ids as case-insensitive hex, not base64).
 * '' when absent; null when not hex of `byteLength` bytes or all zeros (an invalid id: the caller
 * decides whether that rejects the record, as the protobuf decoder does).
 */
export function idOf(value: unknown, byteLength: number, what: string): string | null {
  const text = stringOf(value, what);
  if (text === '') return '';
  if (text.length !== byteLength * 2 || !HEX.test(text)) return null;
  return /^0+$/.test(text) ? null : text.toLowerCase();
}

/** An optional id (logs, exemplars): all zeros means "no id", like an empty one. */
export function optionalIdOf(value: unknown, byteLength: number, what: string): string | null {
  const text = stringOf(value, what);
  if (text.length === byteLength * 2 && /^0+$/.test(text)) return '';
  return idOf(text, byteLength, what);
}

/** AnyValue: {stringValue | boolValue | intValue | doubleValue | arrayValue | kvlistValue | bytesValue}. */
export function anyValueOf(value: unknown, what: string, depth = 0): AttributeValue {
  const obj = objectOf(value, what);
  if (obj === undefined) return null;
  if (depth > MAX_VALUE_DEPTH)
    throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
  let v: unknown;
  if ((v = field(obj, 'stringValue', 'string_value')) != null) return stringOf(v, `${what}.stringValue`);
  if ((v = field(obj, 'boolValue', 'bool_value')) != null) return boolOf(v, `${what}.boolValue`);
  if ((v = field(obj, 'intValue', 'int_value')) != null) return int64Of(v, `${what}.intValue`);
  if ((v = field(obj, 'doubleValue', 'double_value')) != null) return doubleOf(v, `${what}.doubleValue`);
  if ((v = field(obj, 'bytesValue', 'bytes_value')) != null) return bytesOf(v, `${what}.bytesValue`);
  if ((v = field(obj, 'arrayValue', 'array_value')) !== undefined) {
    const values = arrayOf(objectOf(v, `${what}.arrayValue`)?.values, `${what}.arrayValue.values`);
    return values.map((item) => anyValueOf(item, `${what}.arrayValue.values[]`, depth + 1));
  }
  if ((v = field(obj, 'kvlistValue', 'kvlist_value')) !== undefined) {
    const map = new Map<string, AttributeValue>();
    const values = arrayOf(objectOf(v, `${what}.kvlistValue`)?.values, `${what}.kvlistValue.values`);
    for (const kv of values)
      readKeyValue(kv, `${what}.kvlistValue.values[]`, depth + 1, (k, val) => map.set(k, val));
    return map;
  }
  return null;
}

function bytesOf(value: unknown, what: string): Uint8Array {
  const text = stringOf(value, what);
  if (!BASE64.test(text)) fail(what, 'base64');
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function readKeyValue(
  value: unknown,
  what: string,
  depth: number,
  store: (key: string, value: AttributeValue) => void,
): void {
  const kv = objectOf(value, what);
  if (kv === undefined) return;
  store(stringOf(kv.key, `${what}.key`), anyValueOf(kv.value, `${what}.value`, depth));
}

/** A `repeated KeyValue` field (attributes, metadata) as Attributes. */
export function attributesOf(value: unknown, what: string): Attributes {
  const attributes = newAttributes();
  for (const kv of arrayOf(value, what)) {
    readKeyValue(kv, `${what}[]`, 0, (key, v) => {
      attributes[key] = v;
    });
  }
  return attributes;
}

/** Resource {attributes, droppedAttributesCount} plus the schemaUrl of its Resource* wrapper. */
export function resourceOf(value: unknown, schemaUrl: unknown): Resource {
  const obj = objectOf(value, 'resource') ?? {};
  const attributes = attributesOf(obj.attributes, 'resource.attributes');
  const serviceName = attributes['service.name'];
  return {
    attributes,
    droppedAttributesCount: uintOf(
      field(obj, 'droppedAttributesCount', 'dropped_attributes_count'),
      'resource.droppedAttributesCount',
    ),
    schemaUrl: stringOf(schemaUrl, 'schemaUrl'),
    serviceName: typeof serviceName === 'string' && serviceName !== '' ? serviceName : UNKNOWN_SERVICE,
  };
}

/** InstrumentationScope {name, version, attributes, droppedAttributesCount} plus its wrapper's schemaUrl. */
export function scopeOf(value: unknown, schemaUrl: unknown): Scope {
  const obj = objectOf(value, 'scope') ?? {};
  return {
    name: stringOf(obj.name, 'scope.name'),
    version: stringOf(obj.version, 'scope.version'),
    attributes: attributesOf(obj.attributes, 'scope.attributes'),
    droppedAttributesCount: uintOf(
      field(obj, 'droppedAttributesCount', 'dropped_attributes_count'),
      'scope.droppedAttributesCount',
    ),
    schemaUrl: stringOf(schemaUrl, 'schemaUrl'),
  };
}
