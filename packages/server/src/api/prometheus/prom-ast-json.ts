import type { AtModifier, Expr } from '../../query/promql/ast.ts';
import { getFunction } from '../../query/promql/functions/function-table.ts';
import { formatGoFloat } from '../../query/promql/go-format.ts';
import type { LabelMatcher } from '../../query/promql/matchers.ts';

/** A JSON value, for the tree /api/v1/parse_query returns. */
export type AstJson = string | number | boolean | null | AstJson[] | { [key: string]: AstJson };

/**
 * The syntax tree as /api/v1/parse_query returns it for the Prometheus UI's tree view
 * (web/api/v1/translate_ast.go): node `type`s `aggregation`, `binaryExpr`, `call`,
 * `matrixSelector`, `subquery`, `numberLiteral`, `parenExpr`, `stringLiteral`, `unaryExpr`,
 * `vectorSelector`; durations in ms; `@` as `timestamp` (ms) or `startOrEnd`.
 *
 * @example
 * translateAst(parseExpr('up')); // { type: 'vectorSelector', name: 'up', offset: 0, matchers: [...], timestamp: null, startOrEnd: null }
 */
export function translateAst(expr: Expr): AstJson {
  switch (expr.kind) {
    case 'aggregate':
      return {
        type: 'aggregation',
        op: expr.op,
        expr: translateAst(expr.expr),
        param: expr.param ? translateAst(expr.param) : null,
        grouping: expr.grouping,
        without: expr.without,
      };
    case 'binary': {
      const m = expr.matching;
      const matching = m ? { card: m.card, labels: m.matchingLabels, on: m.on, include: m.include } : null;
      return {
        type: 'binaryExpr',
        op: expr.op,
        lhs: translateAst(expr.lhs),
        rhs: translateAst(expr.rhs),
        matching,
        bool: expr.returnBool,
      };
    }
    case 'call':
      return { type: 'call', func: functionJson(expr.name), args: expr.args.map(translateAst) };
    case 'matrix_selector': {
      const selector = expr.selector;
      return {
        type: 'matrixSelector',
        name: selector.name ?? '',
        range: expr.rangeMs,
        offset: selector.offsetMs,
        matchers: selector.matchers.map(matcherJson),
        ...atJson(selector.at),
      };
    }
    case 'subquery':
      return {
        type: 'subquery',
        expr: translateAst(expr.expr),
        range: expr.rangeMs,
        offset: expr.offsetMs,
        step: expr.stepMs,
        ...atJson(expr.at),
      };
    case 'number':
      return { type: 'numberLiteral', val: formatGoFloat(expr.value) };
    case 'paren':
      return { type: 'parenExpr', expr: translateAst(expr.expr) };
    case 'string':
      return { type: 'stringLiteral', val: expr.value };
    case 'unary':
      return { type: 'unaryExpr', op: expr.op, expr: translateAst(expr.expr) };
    case 'vector_selector':
      return {
        type: 'vectorSelector',
        name: expr.name ?? '',
        offset: expr.offsetMs,
        matchers: expr.matchers.map(matcherJson),
        ...atJson(expr.at),
      };
  }
}

function functionJson(name: string): AstJson {
  const fn = getFunction(name);
  return {
    name,
    argTypes: fn ? [...fn.argTypes] : [],
    variadic: fn?.variadic ?? 0,
    returnType: fn?.returnType ?? 'vector',
  };
}

function matcherJson(matcher: LabelMatcher): AstJson {
  return { name: matcher.name, value: matcher.value, type: matcher.type };
}

function atJson(at: AtModifier | undefined): { timestamp: number | null; startOrEnd: string | null } {
  if (at === undefined) return { timestamp: null, startOrEnd: null };
  if (at === 'start' || at === 'end') return { timestamp: null, startOrEnd: at };
  return { timestamp: at.timestampMs, startOrEnd: null };
}
