import { formatValue } from '../go/go-fmt.ts';
import { GoFuncError } from '../go/go-func.ts';
import { compareGoStrings, type GoValue } from '../go/go-values.ts';

/** The comparison builtins eq, ne, lt, le, gt, ge (funcs.go), with Go's errors. */

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'invalid';

function basicKind(value: GoValue): BasicKind {
  return value.kind === 'bool' ||
    value.kind === 'int' ||
    value.kind === 'uint' ||
    value.kind === 'float' ||
    value.kind === 'string'
    ? value.kind
    : 'invalid';
}

function typeName(value: GoValue): string {
  return value.kind === 'invalid' ? '<nil>' : value.type.name;
}

function isNil(value: GoValue): boolean {
  if (value.kind === 'invalid') return true;
  return (value.kind === 'map' || value.kind === 'slice' || value.kind === 'ptr') && value.value === null;
}

function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a.kind === 'ptr' && b.kind === 'ptr') return a.value === b.value;
  if (a.kind === 'struct' && b.kind === 'struct') {
    if (a.type.name !== b.type.name || a.unixNanos !== b.unixNanos) return false;
    return [...a.value].every(([name, field]) => {
      const other = b.value.get(name);
      return (
        other !== undefined &&
        equalBasic(field, other) !== false &&
        (basicKind(field) !== 'invalid' || deepEqual(field, other))
      );
    });
  }
  return false;
}

/** Equality of two values of the same basic kind; undefined when the kind is not basic. */
function equalBasic(a: GoValue, b: GoValue): boolean | undefined {
  if (a.kind === 'bool' && b.kind === 'bool') return a.value === b.value;
  if ((a.kind === 'int' || a.kind === 'uint') && (b.kind === 'int' || b.kind === 'uint'))
    return a.value === b.value;
  if (a.kind === 'float' && b.kind === 'float') return a.value === b.value;
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  return undefined;
}

function equalNonBasic(a: GoValue, b: GoValue): boolean {
  if (a.kind !== b.kind && a.kind !== 'invalid' && b.kind !== 'invalid') {
    throw new GoFuncError(
      `non-comparable types ${formatValue(a)}: ${typeName(a)}, ${typeName(b)}: ${formatValue(b)}`,
    );
  }
  if (isNil(a) || isNil(b)) return isNil(a) === isNil(b);
  if (b.kind === 'map' || b.kind === 'slice')
    throw new GoFuncError(`non-comparable type ${formatValue(b)}: ${typeName(b)}`);
  return deepEqual(a, b);
}

/** eq arg1 arg2 …: whether arg1 equals any of the others. */
export function eq(args: readonly GoValue[]): boolean {
  const [first, ...others] = args;
  if (first === undefined || others.length === 0) throw new GoFuncError('missing argument for comparison');
  const k1 = basicKind(first);
  for (const other of others) {
    const k2 = basicKind(other);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int'))
        truth = equalBasic(first, other) === true;
      else if (first.kind !== 'invalid' && other.kind !== 'invalid') {
        throw new GoFuncError(`incompatible types for comparison: ${typeName(first)} and ${typeName(other)}`);
      }
    } else truth = equalBasic(first, other) ?? equalNonBasic(first, other);
    if (truth) return true;
  }
  return false;
}

/** lt a b, with Go's rules: only basic kinds, and ints compare with uints across signs. */
export function lt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k2 === 'invalid') throw new GoFuncError('invalid type for comparison');
  if (k1 !== k2) {
    if (
      (k1 === 'int' || k1 === 'uint') &&
      (k2 === 'int' || k2 === 'uint') &&
      a.kind !== 'invalid' &&
      b.kind !== 'invalid'
    ) {
      return (a as { value: bigint }).value < (b as { value: bigint }).value;
    }
    throw new GoFuncError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  }
  if (a.kind === 'bool') throw new GoFuncError('invalid type for comparison');
  if (a.kind === 'string' && b.kind === 'string') return compareGoStrings(a.value, b.value) < 0;
  if (
    (a.kind === 'int' || a.kind === 'uint' || a.kind === 'float') &&
    (b.kind === 'int' || b.kind === 'uint' || b.kind === 'float')
  ) {
    return a.value < b.value;
  }
  return false;
}
