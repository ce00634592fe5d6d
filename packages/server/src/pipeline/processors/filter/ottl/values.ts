/**
 * Runtime values of the OTTL subset and the OTTL comparison rules (pkg/ottl/compare.go and
 * LANGUAGE.md "Comparison Rules"): nil equals only nil; values of different types are never equal
 * and never ordered (so only `!=` is true); an int and a float compare as numbers; strings compare
 * by code unit, booleans with false < true, bytes lexicographically; maps and lists support only
 * `==`/`!=` (deep equality).
 */
import type { AttributeValue, Attributes } from '../../../../model/attributes.ts';
import { attributeToJson, attributeType, type AttributeType } from '../../../../model/attributes.ts';
import type { CompareOp, MathOp } from './ast.ts';
import { OttlRuntimeError } from './parse-error.ts';

/** An attribute value (int = bigint, double = number), or a whole attribute map. */
export type OttlValue = AttributeValue | Attributes;

export type OttlType = 'nil' | 'string' | 'bool' | 'int' | 'double' | 'bytes' | 'list' | 'map';

const OTTL_TYPE_NAMES: Readonly<Record<AttributeType, OttlType>> = {
  empty: 'nil',
  string: 'string',
  bool: 'bool',
  int: 'int',
  double: 'double',
  bytes: 'bytes',
  array: 'list',
  kvlist: 'map',
};

/** OTTL's name for a value's type; a whole attribute map is a map. */
export function ottlType(value: OttlValue | undefined): OttlType {
  return value === undefined ? 'nil' : OTTL_TYPE_NAMES[attributeType(value as AttributeValue)];
}

/** Applies a comparison operator with OTTL's rules. */
export function compareValues(left: OttlValue, right: OttlValue, op: CompareOp): boolean {
  const leftType = ottlType(left);
  const rightType = ottlType(right);
  if (leftType === 'nil' || rightType === 'nil') {
    const bothNil = leftType === rightType;
    return bothNil ? op === '==' || op === '<=' || op === '>=' : op === '!=';
  }
  if (isNumber(leftType) && isNumber(rightType))
    return compareNumbers(left as number | bigint, right as number | bigint, op);
  if (leftType !== rightType) return op === '!=';
  switch (leftType) {
    case 'string':
      return ordered(left as string, right as string, op);
    case 'bool':
      return ordered(Number(left), Number(right), op);
    case 'bytes':
      return ordered(Buffer.compare(left as Uint8Array, right as Uint8Array), 0, op);
    default:
      return compareStructures(left, right, op);
  }
}

function isNumber(type: OttlType): boolean {
  return type === 'int' || type === 'double';
}

function compareNumbers(left: number | bigint, right: number | bigint, op: CompareOp): boolean {
  if (typeof left === 'bigint' && typeof right === 'bigint') return ordered(left, right, op);
  // Go converts the int64 to float64 before comparing (compareInt64 / compareFloat64).
  return ordered(Number(left), Number(right), op);
}

function ordered<T extends number | bigint | string>(left: T, right: T, op: CompareOp): boolean {
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
}

function compareStructures(left: OttlValue, right: OttlValue, op: CompareOp): boolean {
  if (op !== '==' && op !== '!=') return false;
  const equal = JSON.stringify(toPlain(left)) === JSON.stringify(toPlain(right));
  return op === '==' ? equal : !equal;
}

/** A JSON-shaped form used for deep equality and for stringifying maps and lists. */
function toPlain(value: OttlValue): unknown {
  if (!isAttributeMap(value)) return plainAttribute(value);
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = plainAttribute(value[key] ?? null);
  return sorted;
}

/** A whole attribute map (null-prototype record), as opposed to an AttributeValue. */
function isAttributeMap(value: OttlValue): value is Attributes {
  return ottlType(value) === 'map' && !(value instanceof Map);
}

function plainAttribute(value: AttributeValue): unknown {
  if (typeof value === 'bigint') return { int: value.toString() };
  if (value instanceof Map) {
    const sorted: Record<string, unknown> = {};
    for (const key of [...value.keys()].sort()) sorted[key] = plainAttribute(value.get(key) ?? null);
    return sorted;
  }
  if (Array.isArray(value)) return value.map(plainAttribute);
  return attributeToJson(value);
}

/**
 * The string form StringLikeGetter gives a non-string (IsMatch's target): numbers and booleans as Go
 * formats them, bytes as hex, maps and lists as JSON; nil stays nil.
 */
export function stringLike(value: OttlValue): string | null {
  switch (ottlType(value)) {
    case 'nil':
      return null;
    case 'string':
      return value as string;
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('hex');
    case 'map':
    case 'list':
      return JSON.stringify(isAttributeMap(value) ? toJsonMap(value) : attributeToJson(value));
    default:
      return typeof value === 'object' ? '' : String(value);
  }
}

function toJsonMap(attributes: Attributes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) out[key] = attributeToJson(value);
  return out;
}

/** `+ - * /` on ints and floats; an int with a float gives a float (pkg/ottl/math.go). */
export function applyMath(left: OttlValue, right: OttlValue, op: MathOp): OttlValue {
  if (typeof left === 'bigint' && typeof right === 'bigint') {
    if (op === '/' && right === 0n) throw new OttlRuntimeError('attempted to divide by 0');
    // int64 arithmetic wraps on overflow in Go.
    return BigInt.asIntN(
      64,
      op === '+' ? left + right : op === '-' ? left - right : op === '*' ? left * right : left / right,
    );
  }
  if (!isNumber(ottlType(left))) throw new OttlRuntimeError(`${ottlType(left)} must be int64 or float64`);
  if (!isNumber(ottlType(right))) throw new OttlRuntimeError(`${ottlType(right)} must be int64 or float64`);
  const x = Number(left);
  const y = Number(right);
  if (op === '/' && y === 0) throw new OttlRuntimeError('attempted to divide by 0');
  return op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y;
}
