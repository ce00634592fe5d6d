import type { AttributeValue } from '../../../model/attributes.ts';

/**
 * An attribute value as text, as the Collector's pdata `Value.AsString()` writes it
 * (pdata/pcommon/value.go): the `convert` action's `string` target and `log_bodies` matching use it,
 * so a Vigil config matches the same records the Collector would.
 *
 * @example
 * attributeAsString(12n); // "12"
 * attributeAsString(new Map([['b', 1n], ['a', true]])); // '{"a":true,"b":1}'
 */
export function attributeAsString(value: AttributeValue): string {
  if (value === null) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'number':
      return Number.isFinite(value) ? goShortestFloat(value) : `json: unsupported value: ${goSpecialFloat(value)}`;
    default:
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      // Maps and slices are JSON of their raw form; json.Marshal fails on NaN/Inf, leaving "".
      return goJson(value) ?? '';
  }
}

/**
 * A double as Go's `strconv.FormatFloat(f, 'f', -1, 64)`: shortest round-trip digits, never an
 * exponent. The attribute matcher compares regexps against this form (filtermatcher/attributematcher.go).
 */
export function goPlainFloat(value: number): string {
  if (!Number.isFinite(value)) return goSpecialFloat(value);
  const text = Object.is(value, -0) ? '-0' : String(value);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign = '', lead = '', rest = '', power = '0'] = exponent;
  const digits = lead + rest;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Go's float64AsString / encoding/json float form: ES6 number-to-string, except -0 keeps its sign. */
function goShortestFloat(value: number): string {
  // JS and Go agree on when to use an exponent (below 1e-6, from 1e21) and on its spelling.
  return Object.is(value, -0) ? '-0' : String(value);
}

function goSpecialFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

/**
 * `json.Marshal(value.AsRaw())`: map keys sorted, bytes as base64, HTML characters escaped as Go does
 * by default. Undefined when a NaN or infinity makes Go's encoder fail.
 */
function goJson(value: AttributeValue): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return goJsonString(value);
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'number':
      return Number.isFinite(value) ? goShortestFloat(value) : undefined;
    default:
      break;
  }
  if (value instanceof Uint8Array) return goJsonString(Buffer.from(value).toString('base64'));
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const part = goJson(item);
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return `[${parts.join(',')}]`;
  }
  for (const key of [...value.keys()].sort()) {
    const part = goJson(value.get(key) ?? null);
    if (part === undefined) return undefined;
    parts.push(`${goJsonString(key)}:${part}`);
  }
  return `{${parts.join(',')}}`;
}

function goJsonString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
