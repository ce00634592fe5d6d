/**
 * The OTTL converters Vigil evaluates in every context, after pkg/ottl/ottlfuncs:
 * IsMatch, IsString, IsInt, IsDouble, IsBool, IsMap, IsList, Len, HasPrefix, HasSuffix,
 * ToLowerCase, ToUpperCase, TraceID, SpanID. The metric context adds HasAttrKeyOnDatapoint and
 * HasAttrOnDatapoint (contexts/metric-converters.ts). Anything else is refused when the condition
 * is parsed.
 */
import { re2SearchRegExp } from '../../../../model/re2-regex.ts';
import type { ValueExpr } from './ast.ts';
import type { ConverterDefinition, Getter } from './context.ts';
import { OttlParseError, OttlRuntimeError } from './parse-error.ts';
import type { OttlType, OttlValue } from './values.ts';
import { ottlType, stringLike } from './values.ts';

type AnyConverter = ConverterDefinition<unknown>;

/** A pattern argument must be a literal string: upstream compiles it when the condition is parsed. */
function literalString(expr: ValueExpr | undefined, what: string, column: number): string {
  if (expr?.kind === 'literal' && typeof expr.value === 'string') return expr.value;
  throw new OttlParseError(`${what} must be a literal string`, expr?.column ?? column);
}

/** RE2 (Go regexp) through the shared translator; Go's MatchString is an unanchored search. */
function compileRegex(pattern: string, column: number): RegExp {
  try {
    return re2SearchRegExp(pattern);
  } catch {
    throw new OttlParseError(`the pattern supplied to IsMatch is not a valid regexp pattern`, column);
  }
}

const isMatch: AnyConverter = {
  returns: 'bool',
  arity: 2,
  compile([target], argExprs, column) {
    const regex = compileRegex(literalString(argExprs[1], 'the IsMatch pattern', column), column);
    const get = target as Getter<unknown>;
    return (record) => {
      const value = get(record);
      if (typeof value === 'string') return regex.test(value);
      const text = stringLike(value);
      return text === null ? false : regex.test(text);
    };
  },
};

function typeCheck(type: OttlType): AnyConverter {
  return {
    returns: 'bool',
    arity: 1,
    compile([target]) {
      const get = target as Getter<unknown>;
      return (record) => ottlType(get(record)) === type;
    },
  };
}

/** StringGetter: the argument must be a string at run time. */
function requireString(value: OttlValue, name: string): string {
  if (typeof value !== 'string')
    throw new OttlRuntimeError(`${name}: expected string but got ${ottlType(value)}`);
  return value;
}

function stringFunction(name: string, apply: (text: string) => OttlValue): AnyConverter {
  return {
    returns: 'any',
    arity: 1,
    compile([target]) {
      const get = target as Getter<unknown>;
      return (record) => apply(requireString(get(record), name));
    },
  };
}

function affixFunction(name: string, test: (text: string, affix: string) => boolean): AnyConverter {
  return {
    returns: 'bool',
    arity: 2,
    compile([target], argExprs, column) {
      const affix = literalString(argExprs[1], `the ${name} argument`, column);
      const get = target as Getter<unknown>;
      return (record) => test(requireString(get(record), name), affix);
    },
  };
}

const len: AnyConverter = {
  returns: 'int',
  arity: 1,
  compile([target]) {
    const get = target as Getter<unknown>;
    return (record) => {
      const value = get(record);
      // Go's len(string) counts UTF-8 bytes.
      if (typeof value === 'string') return BigInt(Buffer.byteLength(value));
      if (value instanceof Uint8Array || Array.isArray(value)) return BigInt(value.length);
      if (value instanceof Map) return BigInt(value.size);
      if (ottlType(value) === 'map') return BigInt(Object.keys(value as object).length);
      throw new OttlRuntimeError(`Len: unsupported type ${ottlType(value)}`);
    };
  },
};

function idFunction(name: string, bytes: number): AnyConverter {
  return {
    returns: 'bytes',
    arity: 1,
    compile(_args, argExprs, column) {
      const expr = argExprs[0];
      if (expr?.kind !== 'literal' || !(expr.value instanceof Uint8Array) || expr.value.length !== bytes) {
        throw new OttlParseError(
          `${name} needs a ${bytes}-byte literal such as 0x${'00'.repeat(bytes)}`,
          column,
        );
      }
      const id = expr.value;
      return () => id;
    },
  };
}

export const COMMON_CONVERTERS: Readonly<Record<string, AnyConverter>> = {
  IsMatch: isMatch,
  IsString: typeCheck('string'),
  IsInt: typeCheck('int'),
  IsDouble: typeCheck('double'),
  IsBool: typeCheck('bool'),
  IsMap: typeCheck('map'),
  IsList: typeCheck('list'),
  Len: len,
  HasPrefix: affixFunction('HasPrefix', (text, affix) => text.startsWith(affix)),
  HasSuffix: affixFunction('HasSuffix', (text, affix) => text.endsWith(affix)),
  ToLowerCase: stringFunction('ToLowerCase', (text) => text.toLowerCase()),
  ToUpperCase: stringFunction('ToUpperCase', (text) => text.toUpperCase()),
  TraceID: idFunction('TraceID', 16),
  SpanID: idFunction('SpanID', 8),
};
