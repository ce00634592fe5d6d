import type { AttributeValue } from '../../../model/attributes.ts';
import { attributeAsString } from './value-text.ts';

/** The `converted_type` values the Collector accepts (attraction/type_converter.go). */
export type ConvertedType = 'int' | 'double' | 'string';
export const CONVERTED_TYPES: readonly ConvertedType[] = ['string', 'int', 'double'];

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The `convert` action on one value, following attraction/type_converter.go: a value that cannot be
 * converted (a string that does not parse, a map to int) is returned unchanged, as upstream leaves it.
 *
 * @example
 * convertAttributeValue('404', 'int'); // 404n
 * convertAttributeValue('n/a', 'int'); // 'n/a'
 */
export function convertAttributeValue(value: AttributeValue, target: ConvertedType): AttributeValue {
  switch (target) {
    case 'string':
      return typeof value === 'string' ? value : attributeAsString(value);
    case 'int':
      return toInt(value);
    case 'double':
      return toDouble(value);
  }
}

function toInt(value: AttributeValue): AttributeValue {
  switch (typeof value) {
    case 'bigint':
      return value;
    case 'boolean':
      return value ? 1n : 0n;
    case 'number':
      return truncateToInt64(value);
    case 'string':
      return parseGoInt(value) ?? value;
    default:
      return value;
  }
}

function toDouble(value: AttributeValue): AttributeValue {
  switch (typeof value) {
    case 'number':
      return value;
    case 'bigint':
      return Number(value);
    case 'boolean':
      return value ? 1 : 0;
    case 'string':
      return parseGoFloat(value) ?? value;
    default:
      return value;
  }
}

/**
 * Go's `int64(f)`: truncation toward zero. NaN, infinities and out-of-range values are undefined
 * behaviour in Go; on amd64 (the Collector's usual build) they come out as the minimum int64.
 */
function truncateToInt64(value: number): bigint {
  if (!Number.isFinite(value)) return INT64_MIN;
  const truncated = BigInt(Math.trunc(value));
  return truncated < INT64_MIN || truncated > INT64_MAX ? INT64_MIN : truncated;
}

/** `strconv.ParseInt(s, 10, 64)`: optional sign, decimal digits, int64 range, nothing else. */
function parseGoInt(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const parsed = BigInt(text);
  return parsed < INT64_MIN || parsed > INT64_MAX ? undefined : parsed;
}

/**
 * `strconv.ParseFloat(s, 64)` for decimal input: optional sign, digits with an optional point and
 * exponent, or inf/infinity/nan in any case. Values beyond the float64 range are a range error there
 * (the value stays as it was). Go's hexadecimal floats and `_` digit separators are not accepted.
 */
function parseGoFloat(text: string): number | undefined {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (special) {
    if ((special[2] ?? '').toLowerCase() === 'nan') return special[1] === '' ? NaN : undefined;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : undefined;
}
