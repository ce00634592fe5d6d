/**
 * Compiles a parsed condition into one closure per node, once, when the processor is created: the
 * per-record work is then plain property reads and comparisons (the role of pkg/ottl's parser
 * building Getters and BoolExprs). Common shapes (`path == "literal"`) get specialised closures.
 */
import type { BoolExpr, CompareOp, ValueExpr } from './ast.ts';
import type { ConverterDefinition, Getter, OttlContext } from './context.ts';
import { indexValue } from './context.ts';
import { COMMON_CONVERTERS } from './converters.ts';
import { OttlParseError, OttlRuntimeError } from './parse-error.ts';
import { parseCondition } from './parser.ts';
import type { OttlValue } from './values.ts';
import { applyMath, compareValues } from './values.ts';

/** A compiled condition: true when the record matches (and is to be dropped, for the filter). */
export type Predicate<T> = (record: T) => boolean;

/**
 * Parses and compiles a condition for a context; throws OttlParseError naming the column.
 *
 * @example
 * const isHealthCheck = compileCondition('attributes["http.route"] == "/health"', SPAN_CONTEXT);
 * isHealthCheck(span); // true or false; throws OttlRuntimeError when the condition cannot be evaluated
 */
export function compileCondition<T>(source: string, context: OttlContext<T>): Predicate<T> {
  return compileBool(parseCondition(source), context);
}

function compileBool<T>(expr: BoolExpr, context: OttlContext<T>): Predicate<T> {
  switch (expr.kind) {
    case 'or':
      return anyOf(expr.operands.map((operand) => compileBool(operand, context)));
    case 'and':
      return allOf(expr.operands.map((operand) => compileBool(operand, context)));
    case 'not': {
      const operand = compileBool(expr.operand, context);
      return (record) => !operand(record);
    }
    case 'compare':
      return compileComparison(
        expr.op,
        compileValue(expr.left, context),
        compileValue(expr.right, context),
        expr,
      );
    case 'constant':
      return compileConstant(expr.value, context);
  }
}

function anyOf<T>(predicates: Predicate<T>[]): Predicate<T> {
  const [a, b] = predicates;
  if (predicates.length === 2 && a && b) return (record) => a(record) || b(record);
  return (record) => predicates.some((p) => p(record));
}

function allOf<T>(predicates: Predicate<T>[]): Predicate<T> {
  const [a, b] = predicates;
  if (predicates.length === 2 && a && b) return (record) => a(record) && b(record);
  return (record) => predicates.every((p) => p(record));
}

function compileConstant<T>(value: ValueExpr, context: OttlContext<T>): Predicate<T> {
  if (value.kind === 'literal' && typeof value.value === 'boolean') {
    const constant = value.value;
    return () => constant;
  }
  if (value.kind === 'call') {
    const definition = converter(value.name, context, value.column);
    if (definition.returns !== 'bool' && definition.returns !== 'any') {
      throw new OttlParseError(`converter ${value.name} does not return a boolean`, value.column);
    }
  }
  const get = compileValue(value, context);
  return (record) => {
    const result = get(record);
    if (typeof result !== 'boolean')
      throw new OttlRuntimeError('value returned from Converter in constExpr is not a bool');
    return result;
  };
}

function compileComparison<T>(
  op: CompareOp,
  left: Getter<T>,
  right: Getter<T>,
  expr: BoolExpr & { kind: 'compare' },
): Predicate<T> {
  const literal = expr.right.kind === 'literal' ? expr.right.value : undefined;
  // A string literal equals only an identical string: skip the generic type dispatch.
  if (typeof literal === 'string' && op === '==') return (record) => left(record) === literal;
  if (typeof literal === 'string' && op === '!=') return (record) => left(record) !== literal;
  if (expr.right.kind === 'literal' || expr.right.kind === 'enum') {
    const constant = right(undefined as T);
    return (record) => compareValues(left(record), constant, op);
  }
  return (record) => compareValues(left(record), right(record), op);
}

function compileValue<T>(expr: ValueExpr, context: OttlContext<T>): Getter<T> {
  switch (expr.kind) {
    case 'literal': {
      const value = expr.value;
      return () => value;
    }
    case 'enum': {
      const value = context.enums.get(expr.name);
      if (value === undefined) throw new OttlParseError(`enum symbol, ${expr.name}, not found`, expr.column);
      return () => value;
    }
    case 'path':
      return context.path(expr.fields, expr.column);
    case 'list': {
      const items = expr.items.map((item) => compileValue(item, context));
      return (record) => items.map((item) => item(record)) as OttlValue;
    }
    case 'negate':
      return compileNegate(compileValue(expr.operand, context));
    case 'math': {
      const left = compileValue(expr.left, context);
      const right = compileValue(expr.right, context);
      const op = expr.op;
      return (record) => applyMath(left(record), right(record), op);
    }
    case 'call':
      return compileCall(expr, context);
  }
}

function compileNegate<T>(operand: Getter<T>): Getter<T> {
  return (record) => {
    const value = operand(record);
    if (typeof value === 'bigint') return BigInt.asIntN(64, -value);
    if (typeof value === 'number') return -value;
    throw new OttlRuntimeError('unsupported unary minus operation');
  };
}

function compileCall<T>(expr: ValueExpr & { kind: 'call' }, context: OttlContext<T>): Getter<T> {
  const definition = converter(expr.name, context, expr.column);
  if (expr.args.length !== definition.arity) {
    throw new OttlParseError(
      `incorrect number of arguments. Expected: ${definition.arity} Received: ${expr.args.length}`,
      expr.column,
    );
  }
  const args = expr.args.map((arg) => compileValue(arg, context));
  const get = definition.compile(args, expr.args, expr.column);
  const keys = expr.keys;
  return keys.length === 0 ? get : (record) => indexValue(get(record), keys);
}

function converter<T>(name: string, context: OttlContext<T>, column: number): ConverterDefinition<T> {
  const own =
    context.converters !== undefined && Object.hasOwn(context.converters, name)
      ? context.converters[name]
      : undefined;
  const common = Object.hasOwn(COMMON_CONVERTERS, name)
    ? (COMMON_CONVERTERS[name] as ConverterDefinition<T>)
    : undefined;
  const definition = own ?? common;
  if (definition === undefined) {
    throw new OttlParseError(
      `undefined function "${name}" (not among the converters Vigil supports)`,
      column,
    );
  }
  return definition;
}
