import { getFunction } from './functions/function-table.ts';
import type { LabelMatcher } from './matchers.ts';
import type { ValueType } from './values.ts';

/**
 * The PromQL syntax tree the evaluator walks, converted from the lezer-promql tree (parser.ts).
 * Positions are character offsets into the query, for error messages.
 */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | FunctionCall
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr;

export interface Position {
  start: number;
  end: number;
}

export interface NumberLiteral {
  kind: 'number';
  value: number;
  pos: Position;
}

export interface StringLiteral {
  kind: 'string';
  value: string;
  pos: Position;
}

/** `@` modifier: a fixed time in ms, or the query's start/end. */
export type AtModifier = { timestampMs: number } | 'start' | 'end';

export interface VectorSelector {
  kind: 'vector_selector';
  /** Metric name when written before the braces (also present as a `__name__` matcher). */
  name: string | undefined;
  matchers: LabelMatcher[];
  offsetMs: number;
  at: AtModifier | undefined;
  pos: Position;
}

export interface MatrixSelector {
  kind: 'matrix_selector';
  selector: VectorSelector;
  rangeMs: number;
  pos: Position;
}

export interface SubqueryExpr {
  kind: 'subquery';
  expr: Expr;
  rangeMs: number;
  /** 0 means the engine's default subquery step. */
  stepMs: number;
  offsetMs: number;
  at: AtModifier | undefined;
  pos: Position;
}

export interface FunctionCall {
  kind: 'call';
  name: string;
  args: Expr[];
  pos: Position;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values'
  | 'limitk'
  | 'limit_ratio';

export interface AggregateExpr {
  kind: 'aggregate';
  op: AggregateOp;
  expr: Expr;
  /** topk/bottomk/quantile/count_values/limitk/limit_ratio parameter. */
  param: Expr | undefined;
  grouping: string[];
  without: boolean;
  pos: Position;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export interface VectorMatching {
  /** many-to-one / one-to-many with group_left / group_right. */
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** `on(...)` when true, `ignoring(...)` otherwise. */
  on: boolean;
  matchingLabels: string[];
  /** Extra labels copied from the "one" side (group_left(...)/group_right(...)). */
  include: string[];
}

export interface BinaryExpr {
  kind: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** Comparison with `bool`: returns 0/1 instead of filtering. */
  returnBool: boolean;
  matching: VectorMatching | undefined;
  pos: Position;
}

export interface UnaryExpr {
  kind: 'unary';
  op: '+' | '-';
  expr: Expr;
  pos: Position;
}

export interface ParenExpr {
  kind: 'paren';
  expr: Expr;
  pos: Position;
}

/** The type an expression evaluates to, as Prometheus's parser infers it. */
export function valueTypeOf(expr: Expr): ValueType {
  switch (expr.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector_selector':
    case 'aggregate':
      return 'vector';
    case 'matrix_selector':
    case 'subquery':
      return 'matrix';
    case 'call':
      return getFunction(expr.name)?.returnType ?? 'vector';
    case 'binary':
      return valueTypeOf(expr.lhs) === 'scalar' && valueTypeOf(expr.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
    case 'paren':
      return valueTypeOf(expr.expr);
  }
}
