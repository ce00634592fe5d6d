import { valueTypeOf, type AggregateExpr, type BinaryExpr, type Expr, type FunctionCall } from './ast.ts';
import { parseError, type PromQLError } from './errors.ts';
import { getFunction } from './functions/function-table.ts';
import { compilePromRegex } from './matchers.ts';
import type { ValueType } from './values.ts';

/**
 * The semantic checks of Prometheus's parser (promql/parser/parse.go checkAST), worded as it
 * words them, so `expect fail` cases and API errors match upstream.
 */
export function checkTypes(expr: Expr, query: string): void {
  new TypeChecker(query).check(expr);
}

const TYPE_NAMES: Readonly<Record<ValueType, string>> = {
  scalar: 'scalar',
  string: 'string',
  vector: 'instant vector',
  matrix: 'range vector',
};

const COMPARISON_OPS = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set(['and', 'or', 'unless']);

class TypeChecker {
  constructor(private readonly query: string) {}

  check(expr: Expr): void {
    switch (expr.kind) {
      case 'number':
      case 'string':
        return;
      case 'vector_selector':
        for (const matcher of expr.matchers) this.checkRegex(matcher.type, matcher.value, expr);
        if (!expr.matchers.some((m) => !matchesEmpty(m.type, m.value)))
          throw this.error('vector selector must contain at least one non-empty matcher', expr);
        return;
      case 'matrix_selector':
        return this.check(expr.selector);
      case 'subquery':
        this.check(expr.expr);
        return this.expectType(expr.expr, 'vector', 'subquery');
      case 'paren':
        return this.check(expr.expr);
      case 'unary':
        this.check(expr.expr);
        if (!['scalar', 'vector'].includes(valueTypeOf(expr.expr)))
          throw this.error(
            'unary expression only allowed on expressions of type scalar or instant vector',
            expr,
          );
        return;
      case 'binary':
        return this.binary(expr);
      case 'call':
        return this.call(expr);
      case 'aggregate':
        return this.aggregate(expr);
    }
  }

  private checkRegex(type: string, pattern: string, expr: Expr): void {
    if (type !== '=~' && type !== '!~') return;
    try {
      compilePromRegex(pattern);
    } catch {
      throw this.error(`error parsing regexp: invalid regular expression in matcher`, expr);
    }
  }

  private error(message: string, expr: Expr): PromQLError {
    return parseError(message, expr.pos, this.query);
  }

  private expectType(expr: Expr, want: ValueType, context: string): void {
    const got = valueTypeOf(expr);
    if (got !== want)
      throw this.error(`expected type ${TYPE_NAMES[want]} in ${context}, got ${TYPE_NAMES[got]}`, expr);
  }

  private binary(expr: BinaryExpr): void {
    this.check(expr.lhs);
    this.check(expr.rhs);
    const lhsType = valueTypeOf(expr.lhs);
    const rhsType = valueTypeOf(expr.rhs);
    const operandTypes = [lhsType, rhsType];
    if (operandTypes.some((t) => t !== 'scalar' && t !== 'vector'))
      throw this.error('binary expression must contain only scalar and instant vector types', expr);
    if (expr.returnBool && !COMPARISON_OPS.has(expr.op))
      throw this.error('bool modifier can only be used on comparison operators', expr);
    if (COMPARISON_OPS.has(expr.op) && lhsType === 'scalar' && rhsType === 'scalar' && !expr.returnBool)
      throw this.error('comparisons between scalars must use BOOL modifier', expr);
    const bothVectors = lhsType === 'vector' && rhsType === 'vector';
    if (SET_OPS.has(expr.op) && !bothVectors)
      throw this.error(`set operator "${expr.op}" not allowed in binary scalar expression`, expr);
    if (expr.matching && !bothVectors) {
      const hasModifiers =
        expr.matching.on || expr.matching.matchingLabels.length > 0 || expr.matching.card !== 'one-to-one';
      if (hasModifiers) throw this.error('vector matching only allowed between instant vectors', expr);
    }
    if (bothVectors && !expr.matching) {
      expr.matching = {
        card: SET_OPS.has(expr.op) ? 'many-to-many' : 'one-to-one',
        on: false,
        matchingLabels: [],
        include: [],
      };
    }
    const matching = expr.matching;
    if (matching?.on && (matching.card === 'many-to-one' || matching.card === 'one-to-many')) {
      const clash = matching.include.find((label) => matching.matchingLabels.includes(label));
      if (clash !== undefined)
        throw this.error(`label "${clash}" must not occur in ON and GROUP clause at once`, expr);
    }
  }

  private call(expr: FunctionCall): void {
    const fn = getFunction(expr.name);
    if (!fn) throw this.error(`unknown function with name "${expr.name}"`, expr);
    const argCount = expr.args.length;
    const declared = fn.argTypes.length;
    if (fn.variadic === 0 && argCount !== declared)
      throw this.error(`expected ${declared} argument(s) in call to "${fn.name}", got ${argCount}`, expr);
    if (fn.variadic !== 0) {
      const min = declared - 1;
      if (argCount < min)
        throw this.error(
          `expected at least ${min} argument(s) in call to "${fn.name}", got ${argCount}`,
          expr,
        );
      const max = min + fn.variadic;
      if (fn.variadic > 0 && argCount > max)
        throw this.error(
          `expected at most ${max} argument(s) in call to "${fn.name}", got ${argCount}`,
          expr,
        );
    }
    expr.args.forEach((arg, index) => {
      this.check(arg);
      const want = fn.argTypes[Math.min(index, declared - 1)] ?? 'vector';
      this.expectType(arg, want, `call to function "${fn.name}"`);
    });
  }

  private aggregate(expr: AggregateExpr): void {
    this.check(expr.expr);
    if (valueTypeOf(expr.expr) !== 'vector')
      throw this.error(
        `expected type instant vector in aggregation expression, got ${TYPE_NAMES[valueTypeOf(expr.expr)]}`,
        expr,
      );
    if (!expr.param) return;
    this.check(expr.param);
    const want: ValueType = expr.op === 'count_values' ? 'string' : 'scalar';
    this.expectType(expr.param, want, 'aggregation parameter');
  }
}

/** Whether a matcher accepts the empty string (such matchers alone select every series). */
function matchesEmpty(type: string, value: string): boolean {
  switch (type) {
    case '=':
      return value === '';
    case '!=':
      return value !== '';
    case '=~':
      return safeRegexTest(value, '');
    default:
      return !safeRegexTest(value, '');
  }
}

function safeRegexTest(pattern: string, text: string): boolean {
  try {
    return compilePromRegex(pattern).test(text);
  } catch {
    return false;
  }
}
