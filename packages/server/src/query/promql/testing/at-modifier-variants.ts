import type { AtModifier, Expr } from '../ast.ts';
import { formatExpr } from '../format-query.ts';
import { parseExpr } from '../parser.ts';

/** An instant query promqltest runs for an eval besides the plain one. */
export interface InstantVariant {
  expr: string;
  timeMs: number;
}

/**
 * engine.go AtModifierUnsafeFunctions: results that vary with the evaluation time even when
 * every argument is pinned with `@`, so pinning would change the answer. Vigil's parser also
 * reads the experimental start(), end(), range() and step() as calls; upstream parses them as
 * duration expressions, which the list does not cover, yet they resolve to the query's own
 * times: functions.test expects `start()` at 100s to be 100, which no @-pinned re-run at other
 * times can give, so they get no variants either.
 */
const AT_MODIFIER_UNSAFE_FUNCTIONS = new Set([
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
  'predict_linear',
  'time',
  'timestamp',
  'start',
  'end',
  'range',
  'step',
]);

/**
 * promqltest's atModifierTestCases: every instant eval is re-run with `@ <eval time>` set on all
 * selectors and outermost subqueries that have no fixed `@` yet, at eval times -10t, 0, t/5, t
 * and 10t (or -1s, 0, 1s when t is 0); the result must not change. Expressions using an
 * AtModifierUnsafeFunction get no variants. An expression Vigil's parser rejects gets none
 * either: the plain query reports that error.
 */
export function atModifierVariants(exprText: string, evalTimeMs: number): InstantVariant[] {
  let expr: Expr;
  try {
    expr = parseExpr(exprText);
  } catch {
    return [];
  }
  if (pinSelectors(expr, evalTimeMs)) return [];
  // Expr.String(), as upstream prints the pinned tree.
  const pinned = formatExpr(expr);
  // Go's int64 division truncates toward zero.
  const times =
    evalTimeMs === 0
      ? [-1000, 0, 1000]
      : [-10 * evalTimeMs, 0, Math.trunc(evalTimeMs / 5), evalTimeMs, 10 * evalTimeMs];
  return times.map((timeMs) => ({ expr: pinned, timeMs }));
}

/**
 * Sets `@ timeMs` in place, walking as parser.Inspect does: nothing below a subquery that has a
 * timestamp (one it had or one just set) is touched or inspected. `@ start()`/`@ end()` carry no
 * timestamp upstream, so they are overwritten too. Returns true when an unsafe function was seen.
 */
function pinSelectors(expr: Expr, timeMs: number): boolean {
  const pin = { timestampMs: timeMs };
  switch (expr.kind) {
    case 'number':
    case 'string':
      return false;
    case 'vector_selector':
      if (!hasTimestamp(expr.at)) expr.at = pin;
      return false;
    case 'matrix_selector':
      if (!hasTimestamp(expr.selector.at)) expr.selector.at = pin;
      return false;
    case 'subquery':
      if (!hasTimestamp(expr.at)) expr.at = pin;
      return false;
    case 'call': {
      const unsafe = AT_MODIFIER_UNSAFE_FUNCTIONS.has(expr.name);
      return expr.args.map((arg) => pinSelectors(arg, timeMs)).some(Boolean) || unsafe;
    }
    case 'aggregate': {
      const inParam = expr.param ? pinSelectors(expr.param, timeMs) : false;
      return pinSelectors(expr.expr, timeMs) || inParam;
    }
    case 'binary': {
      const inLhs = pinSelectors(expr.lhs, timeMs);
      return pinSelectors(expr.rhs, timeMs) || inLhs;
    }
    case 'unary':
    case 'paren':
      return pinSelectors(expr.expr, timeMs);
  }
}

function hasTimestamp(at: AtModifier | undefined): boolean {
  return typeof at === 'object';
}
