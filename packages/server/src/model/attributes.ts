/**
 * OTLP AnyValue mapped to JS values without losing the OTLP type:
 * - string_value → string, bool_value → boolean
 * - int_value → bigint (int64; keeps "3" distinct from double 3.0 and exact beyond 2^53)
 * - double_value → number
 * - bytes_value → Uint8Array
 * - array_value → AttributeValue[]
 * - kvlist_value → Map<string, AttributeValue>
 * - an AnyValue with no value set → null
 */
export type AttributeValue =
  | string
  | boolean
  | bigint
  | number
  | Uint8Array
  | null
  | AttributeValue[]
  | Map<string, AttributeValue>;

/** Attribute key → value. Created with a null prototype so keys like `__proto__` are plain data. */
export type Attributes = Record<string, AttributeValue>;

export function newAttributes(): Attributes {
  return Object.create(null) as Attributes;
}

export type AttributeType = 'string' | 'bool' | 'int' | 'double' | 'bytes' | 'array' | 'kvlist' | 'empty';

export function attributeType(value: AttributeValue): AttributeType {
  if (value === null) return 'empty';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    default:
      if (value instanceof Uint8Array) return 'bytes';
      if (Array.isArray(value)) return 'array';
      return 'kvlist';
  }
}

/** Attribute value as display text (Jaeger tags, log bodies, search). */
export function attributeText(value: AttributeValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(attributeToJson(value));
}

/** JSON-safe form: bigint as number when exact, else string; bytes as base64; kvlist as object. */
export function attributeToJson(value: AttributeValue): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(attributeToJson);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[k] = attributeToJson(v);
    return out;
  }
  return value;
}
