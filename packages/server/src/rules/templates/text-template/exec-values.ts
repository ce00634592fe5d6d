import {
  canBeNil,
  goBool,
  goFloat,
  goInt,
  goString,
  INVALID,
  zeroValue,
  type GoType,
  type GoValue,
} from '../go/go-values.ts';
import { nodeString, type Node, type NumberNode } from './nodes.ts';

/** Value helpers of text/template's exec.go: truth, indirection, and typed literal arguments. */

/** Follows pointers; reports a nil pointer (returned as is) on the way. */
export function indirect(value: GoValue): [GoValue, boolean] {
  let current = value;
  while (current.kind === 'ptr') {
    if (current.value === null) return [current, true];
    current = current.value;
  }
  return [current, false];
}

/** isTrue: the truth of a value for if/with/and/or/not (zero values are false). */
export function isTrue(value: GoValue): { truth: boolean; ok: boolean } {
  switch (value.kind) {
    case 'invalid':
      return { truth: false, ok: true };
    case 'bool':
      return { truth: value.value, ok: true };
    case 'int':
    case 'uint':
      return { truth: value.value !== 0n, ok: true };
    case 'float':
      return { truth: value.value !== 0, ok: true };
    case 'string':
      return { truth: value.value.length > 0, ok: true };
    case 'map':
      return { truth: (value.value?.size ?? 0) > 0, ok: true };
    case 'slice':
      return { truth: (value.value?.length ?? 0) > 0, ok: true };
    case 'ptr':
      return { truth: value.value !== null, ok: true };
    case 'struct':
      return { truth: true, ok: true };
  }
}

/**
 * A literal argument for a parameter of a concrete type (evalBool, evalString, evalInteger,
 * evalUnsignedInteger, evalFloat); returns Go's error message when the literal does not fit.
 */
export function evalArgLiteral(type: GoType, n: Node): GoValue | string {
  switch (type.kind) {
    case 'bool':
      return n.type === 'bool' ? goBool(n.value) : `expected bool; found ${nodeString(n)}`;
    case 'string':
      return n.type === 'string' ? goString(n.text, type) : `expected string; found ${nodeString(n)}`;
    case 'int':
      return n.type === 'number' && n.isInt
        ? goInt(n.int64, type)
        : `expected integer; found ${nodeString(n)}`;
    case 'uint':
      return n.type === 'number' && n.isUint
        ? goInt(n.uint64, type)
        : `expected unsigned integer; found ${nodeString(n)}`;
    case 'float':
      return n.type === 'number' && n.isFloat ? goFloat(n.float64) : `expected float; found ${nodeString(n)}`;
    default:
      return `can't handle ${nodeString(n)} for arg of type ${type.name}`;
  }
}

/**
 * A number whose type the context does not fix (idealConstant): float64 if written as a float,
 * else int. Hex integers and character constants stay integers even with an 'e' digit.
 */
export function idealConstant(constant: NumberNode): GoValue | string {
  const text = constant.text;
  const hexInt = text.length > 2 && text[0] === '0' && /[xX]/.test(text[1] ?? '') && !/[pP]/.test(text);
  if (constant.isFloat && !hexInt && !text.startsWith("'") && /[.eEpP]/.test(text))
    return goFloat(constant.float64);
  if (constant.isInt) return goInt(constant.int64);
  if (constant.isUint) return `${text} overflows int`;
  return INVALID;
}

/**
 * validateType: whether `value` may be passed as `type` (null: any type), dereferencing one
 * pointer if that makes it fit. Returns the value to pass, or Go's error message.
 */
export function assignTo(value: GoValue, type: GoType | null): GoValue | string {
  if (value.kind === 'invalid') {
    if (type === null) return INVALID;
    return canBeNil(type) ? zeroValue(type) : `invalid value; expected ${type.name}`;
  }
  if (type === null || type.kind === 'reflect' || type.kind === 'interface' || value.type.name === type.name)
    return value;
  if (value.kind === 'ptr' && value.type.elem?.name === type.name) {
    return value.value ?? `dereference of nil pointer of type ${type.name}`;
  }
  return `wrong type for value; expected ${type.name}; got ${value.type.name}`;
}
