import type { SyntaxNode, Tree } from '@lezer/common';
import { parser as lezerParser } from '@prometheus-io/lezer-promql';
import type {
  AggregateOp,
  AtModifier,
  BinaryOp,
  Expr,
  MatrixSelector,
  Position,
  SubqueryExpr,
  VectorMatching,
  VectorSelector,
} from './ast.ts';
import { parseError, type PromQLError } from './errors.ts';
import { buildChain, type ChainOperator } from './operator-precedence.ts';
import { METRIC_NAME } from './labels.ts';
import { parseDurationMs, parseNumberOrDurationSeconds, unquoteString } from './literals.ts';
import type { LabelMatcher, MatchType } from './matchers.ts';
import { checkTypes } from './type-check.ts';

/**
 * Parses PromQL with @prometheus-io/lezer-promql (the grammar of Prometheus's own UI) into Vigil's
 * syntax tree, then applies the checks of Prometheus's Go parser (types, argument counts,
 * modifiers). Errors are PromQLError('bad_data') worded and positioned as Prometheus does.
 *
 * @example
 * const expr = parseExpr('sum by (job) (rate(http_requests_total[5m]))');
 */
export function parseExpr(rawQuery: string): Expr {
  const query = completeTrailingDots(rawQuery);
  const tree = lezerParser.parse(query);
  const top = tree.topNode.firstChild;
  if (!top || query.trim() === '')
    throw parseError('no expression found in input', { start: 0, end: 0 }, query);
  reportSyntaxErrors(tree, query);
  const expr = new Converter(query).expr(top);
  checkTypes(expr, query);
  return expr;
}

function reportSyntaxErrors(tree: Tree, query: string): void {
  let error: PromQLError | undefined;
  tree.iterate({
    enter(node) {
      if (error || !node.type.isError) return error === undefined;
      const text = query.slice(node.from, node.to);
      const message =
        node.from >= query.length
          ? 'unexpected end of input'
          : `unexpected ${describeToken(text, query, node.from)}`;
      error = parseError(message, { start: node.from, end: node.to }, query);
      return false;
    },
  });
  if (error) throw error;
}

function describeToken(text: string, query: string, from: number): string {
  const shown = text === '' ? (query.slice(from).match(/^\S+/)?.[0] ?? '') : text;
  return shown === ''
    ? 'character'
    : `character inside braces: ${JSON.stringify(shown.slice(0, 20))}`.replace(
        /^character inside braces: /,
        '',
      );
}

const BINARY_OPS: Readonly<Record<string, BinaryOp>> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Add: '+',
  Sub: '-',
  Atan2: 'atan2',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};
const MATCH_OPS: Readonly<Record<string, MatchType>> = {
  EqlSingle: '=',
  Neq: '!=',
  EqlRegex: '=~',
  NeqRegex: '!~',
};
const SET_OPS = new Set<BinaryOp>(['and', 'or', 'unless']);

function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
  return children;
}

class Converter {
  constructor(private readonly query: string) {}

  expr(node: SyntaxNode): Expr {
    const pos = { start: node.from, end: node.to };
    switch (node.name) {
      case 'NumberDurationLiteral':
        return { kind: 'number', value: this.number(node), pos };
      case 'StringLiteral':
        return { kind: 'string', value: this.string(node), pos };
      case 'VectorSelector':
        return this.vectorSelector(node);
      case 'MatrixSelector':
        return this.matrixSelector(node);
      case 'SubqueryExpr':
        return this.subquery(node);
      case 'OffsetExpr':
        return this.offset(node);
      case 'StepInvariantExpr':
        return this.at(node);
      case 'ParenExpr':
        return { kind: 'paren', expr: this.expr(this.child(node, 0)), pos };
      case 'UnaryExpr':
        return this.unary(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'FunctionCall':
        return this.call(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      default:
        throw this.error(`unexpected ${node.name}`, node);
    }
  }

  private text(node: SyntaxNode): string {
    return this.query.slice(node.from, node.to);
  }

  private child(node: SyntaxNode, index: number): SyntaxNode {
    const child = childrenOf(node)[index];
    if (!child) throw this.error('unexpected end of input', node);
    return child;
  }

  private error(message: string, node: SyntaxNode): PromQLError {
    return parseError(message, { start: node.from, end: node.to }, this.query);
  }

  private number(node: SyntaxNode): number {
    // The grammar folds a sign into the literal, whitespace included (`- 1`).
    const value = parseNumberOrDurationSeconds(this.text(node).replace(/^([+-])\s+/, '$1'));
    if (value === undefined) throw this.error(`bad number or duration syntax: "${this.text(node)}"`, node);
    return value;
  }

  private string(node: SyntaxNode): string {
    try {
      return unquoteString(this.text(node));
    } catch {
      throw this.error('invalid syntax', node);
    }
  }

  private durationMs(node: SyntaxNode): number {
    // DurationExpr wraps a literal; arithmetic on durations is an experimental Prometheus feature.
    const children = childrenOf(node);
    const literal = children.length === 1 ? children[0] : undefined;
    if (!literal || literal.name !== 'NumberDurationLiteralInDurationContext')
      throw this.error('experimental duration expressions are not supported', node);
    const text = this.text(literal);
    const ms = parseDurationMs(text) ?? secondsToMs(Number(text));
    if (!Number.isFinite(ms)) throw this.error(`bad number or duration syntax: "${text}"`, literal);
    return ms;
  }

  private vectorSelector(node: SyntaxNode): VectorSelector {
    let name: string | undefined;
    const matchers: LabelMatcher[] = [];
    for (const child of childrenOf(node)) {
      if (child.name === 'Identifier') name = this.text(child);
      else if (child.name === 'LabelMatchers') this.labelMatchers(child, matchers, (n) => (name = n));
    }
    if (name !== undefined) {
      if (matchers.some((m) => m.name === METRIC_NAME))
        throw this.error(`metric name must not be set twice: "${name}"`, node);
      matchers.unshift({ name: METRIC_NAME, type: '=', value: name });
    }
    const pos = { start: node.from, end: node.to };
    return { kind: 'vector_selector', name, matchers, offsetMs: 0, at: undefined, pos };
  }

  private labelMatchers(node: SyntaxNode, matchers: LabelMatcher[], setName: (name: string) => void): void {
    for (const matcher of childrenOf(node)) {
      const parts = childrenOf(matcher);
      if (matcher.name === 'QuotedLabelName') {
        // {"metric.name"}: a quoted metric name inside the braces (UTF-8 names).
        setName(this.string(this.child(matcher, 0)));
        continue;
      }
      const [nameNode, opNode, valueNode] = parts;
      if (!nameNode || !opNode || !valueNode) throw this.error('unexpected label matcher', matcher);
      const name =
        nameNode.name === 'QuotedLabelName' ? this.string(this.child(nameNode, 0)) : this.text(nameNode);
      const type = MATCH_OPS[opNode.firstChild?.name ?? ''];
      if (!type) throw this.error('unexpected label matching operator', opNode);
      matchers.push({ name, type, value: this.string(valueNode) });
    }
  }

  private matrixSelector(node: SyntaxNode): MatrixSelector {
    const inner = this.expr(this.child(node, 0));
    if (inner.kind !== 'vector_selector') throw this.error('ranges only allowed for vector selectors', node);
    if (inner.offsetMs !== 0 || inner.at !== undefined)
      throw this.error('no offset or @ modifiers allowed before range', node);
    const rangeMs = this.durationMs(this.child(node, 1));
    if (rangeMs <= 0) throw this.error(`duration must be greater than 0`, node);
    return { kind: 'matrix_selector', selector: inner, rangeMs, pos: { start: node.from, end: node.to } };
  }

  private subquery(node: SyntaxNode): SubqueryExpr {
    const children = childrenOf(node);
    const inner = this.expr(this.child(node, 0));
    const rangeMs = this.durationMs(this.child(node, 1));
    const step = children[2];
    const stepMs = step ? this.durationMs(step) : 0;
    const pos = { start: node.from, end: node.to };
    return { kind: 'subquery', expr: inner, rangeMs, stepMs, offsetMs: 0, at: undefined, pos };
  }

  private offset(node: SyntaxNode): Expr {
    if (wrapsBinary(node)) return this.binary(node);
    const expr = this.expr(this.child(node, 0));
    this.applyOffset(expr, node);
    return this.withPos(expr, node);
  }

  private applyOffset(expr: Expr, node: SyntaxNode): void {
    const target = this.modifierTarget(expr, node, 'offset');
    const offsetMs = this.offsetDurationMs(this.child(node, 2));
    if (target.offsetMs !== 0) throw this.error('offset may not be set multiple times', node);
    target.offsetMs = offsetMs;
  }

  private offsetDurationMs(node: SyntaxNode): number {
    const children = childrenOf(node);
    const first = children[0];
    if (first?.name === 'UnaryOp') {
      const innerMs = this.offsetDurationMs(this.child(node, 1));
      return this.text(first) === '-' ? -innerMs : innerMs;
    }
    return this.durationMs(node);
  }

  private at(node: SyntaxNode): Expr {
    if (wrapsBinary(node)) return this.binary(node);
    const expr = this.expr(this.child(node, 0));
    this.applyAt(expr, node);
    return this.withPos(expr, node);
  }

  private applyAt(expr: Expr, node: SyntaxNode): void {
    const target = this.modifierTarget(expr, node, '@');
    if (target.at !== undefined) throw this.error('@ <timestamp> may not be set multiple times', node);
    target.at = this.atModifier(this.child(node, 2));
  }

  private atModifier(node: SyntaxNode): AtModifier {
    if (node.name === 'AtModifierPreprocessors') return node.firstChild?.name === 'AtStart' ? 'start' : 'end';
    const seconds = this.number(node);
    if (!Number.isFinite(seconds)) throw this.error('timestamp out of bounds for @ modifier', node);
    return { timestampMs: Math.round(seconds * 1000) };
  }

  /**
   * offset and @ apply to the selector or subquery they follow (the selector inside a range). The
   * lezer grammar lets `a and b @ 3` and `-a @ 3` bind the modifier to the whole binary or unary
   * expression; in Prometheus's grammar it binds to the operand just before it, so descend there.
   */
  private modifierTarget(expr: Expr, node: SyntaxNode, modifier: string): VectorSelector | SubqueryExpr {
    if (expr.kind === 'binary') return this.modifierTarget(expr.rhs, node, modifier);
    if (expr.kind === 'unary') return this.modifierTarget(expr.expr, node, modifier);
    if (expr.kind === 'vector_selector' || expr.kind === 'subquery') return expr;
    if (expr.kind === 'matrix_selector') return expr.selector;
    const what = modifier === 'offset' ? 'offset modifier' : '@ modifier';
    throw this.error(
      `${what} must be preceded by an instant vector selector or range vector selector or a subquery`,
      node,
    );
  }

  private withPos<T extends Expr>(expr: T, node: SyntaxNode): T {
    expr.pos = { start: expr.pos.start, end: node.to };
    return expr;
  }

  private unary(node: SyntaxNode): Expr {
    const op = this.text(this.child(node, 0)) === '-' ? '-' : '+';
    const inner = this.expr(this.child(node, 1));
    const pos = { start: node.from, end: node.to };
    // Prometheus folds a sign into a number literal (parser's unary_expr rule).
    if (inner.kind === 'number')
      return { kind: 'number', value: op === '-' ? -inner.value : inner.value, pos };
    return { kind: 'unary', op, expr: inner, pos };
  }

  private binary(node: SyntaxNode): Expr {
    const operands: Expr[] = [];
    const operators: ChainOperator[] = [];
    this.flatten(node, operands, operators);
    return buildChain(operands, operators);
  }

  /** Collects the operands and operators of a chain of binary expressions (see buildChain). */
  private flatten(node: SyntaxNode, operands: Expr[], operators: ChainOperator[]): void {
    if (node.name === 'BinaryExpr') {
      const children = childrenOf(node);
      const [lhsNode, opNode] = children;
      const rhsNode = children[children.length - 1];
      if (!lhsNode || !opNode || !rhsNode || rhsNode === opNode)
        throw this.error('unexpected end of input', node);
      const op = BINARY_OPS[opNode.name];
      if (!op) throw this.error(`unsupported binary operator "${this.text(opNode)}"`, opNode);
      const clause = children.find((c) => c.name === 'MatchingModifierClause');
      this.flatten(lhsNode, operands, operators);
      operators.push({
        op,
        returnBool: children.some((c) => c.name === 'BoolModifier'),
        matching: clause ? this.matching(clause, op) : undefined,
      });
      this.flatten(rhsNode, operands, operators);
      return;
    }
    if (isModifierNode(node) && wrapsBinary(node)) {
      // `a + b @ 3` as lezer nests it: the modifier belongs to the operand just before it.
      this.flatten(this.child(node, 0), operands, operators);
      const last = operands[operands.length - 1] as Expr;
      if (node.name === 'OffsetExpr') this.applyOffset(last, node);
      else this.applyAt(last, node);
      return;
    }
    const text = this.text(node);
    if (node.name === 'NumberDurationLiteral' && /^[+-]/.test(text)) {
      // Kept as a unary operator so that `-1 ^ 2` nests as -(1 ^ 2).
      const literal: Expr = {
        kind: 'number',
        value: Math.abs(this.number(node)),
        pos: { start: node.from + 1, end: node.to },
      };
      if (Number.isNaN(literal.value) || text.startsWith('+')) operands.push(this.expr(node));
      else operands.push({ kind: 'unary', op: '-', expr: literal, pos: { start: node.from, end: node.to } });
      return;
    }
    operands.push(this.expr(node));
  }

  private matching(clause: SyntaxNode, op: BinaryOp): VectorMatching {
    const children = childrenOf(clause);
    const on = children.some((c) => c.name === 'On');
    const groupLeft = children.some((c) => c.name === 'GroupLeft');
    const groupRight = children.some((c) => c.name === 'GroupRight');
    const groupings = children.filter((c) => c.name === 'GroupingLabels').map((g) => this.groupingLabels(g));
    const card = groupLeft
      ? 'many-to-one'
      : groupRight
        ? 'one-to-many'
        : SET_OPS.has(op)
          ? 'many-to-many'
          : 'one-to-one';
    if ((groupLeft || groupRight) && SET_OPS.has(op))
      throw this.error(`no grouping allowed for "${op}" operation`, clause);
    return { card, on, matchingLabels: groupings[0] ?? [], include: groupings[1] ?? [] };
  }

  private groupingLabels(node: SyntaxNode): string[] {
    return childrenOf(node).map((label) =>
      label.name === 'QuotedLabelName' ? this.string(this.child(label, 0)) : this.text(label),
    );
  }

  private call(node: SyntaxNode): Expr {
    const identifier = this.child(node, 0);
    const body = this.child(node, 1);
    const args = childrenOf(body).map((arg) => this.expr(arg));
    return { kind: 'call', name: this.text(identifier), args, pos: { start: node.from, end: node.to } };
  }

  private aggregate(node: SyntaxNode): Expr {
    const children = childrenOf(node);
    const op = this.text(this.child(node, 0)).toLowerCase() as AggregateOp;
    const modifier = children.find((c) => c.name === 'AggregateModifier');
    const body = children.find((c) => c.name === 'FunctionCallBody');
    if (!body) throw this.error('unexpected end of input', node);
    const args = childrenOf(body).map((arg) => this.expr(arg));
    const pos = { start: node.from, end: node.to };
    const needsParam = ['topk', 'bottomk', 'quantile', 'count_values', 'limitk', 'limit_ratio'].includes(op);
    const expected = needsParam ? 2 : 1;
    if (args.length !== expected)
      throw this.error(
        `wrong number of arguments for aggregate expression provided, expected ${expected}, got ${args.length}`,
        body,
      );
    const expr = args[args.length - 1] as Expr;
    const param = needsParam ? args[0] : undefined;
    const grouping = modifier ? this.groupingLabels(this.child(modifier, 1)) : [];
    const without = modifier?.firstChild?.name === 'Without';
    return { kind: 'aggregate', op, expr, param, grouping, without, pos };
  }
}

/**
 * Prometheus's lexer accepts `1.` as a number; the lezer grammar does not. Outside string
 * literals, a digit followed by a dot and no further digit gets a `0` appended (`1.` → `1.0`).
 */
function completeTrailingDots(query: string): string {
  if (!/\d\.(?![\d])/.test(query)) return query;
  let result = '';
  let quote: string | undefined;
  for (let i = 0; i < query.length; i++) {
    const char = query[i] ?? '';
    result += char;
    if (quote) {
      if (char === '\\' && quote !== '`') result += query[++i] ?? '';
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char === '.' && /\d/.test(query[i - 1] ?? '') && !/[\d\w]/.test(query[i + 1] ?? ''))
      result += '0';
  }
  return result;
}

function isModifierNode(node: SyntaxNode): boolean {
  return node.name === 'OffsetExpr' || node.name === 'StepInvariantExpr';
}

/** Whether a modifier node wraps (through other modifiers) a binary expression. */
function wrapsBinary(node: SyntaxNode): boolean {
  let inner = node.firstChild;
  while (inner && isModifierNode(inner)) inner = inner.firstChild;
  return inner?.name === 'BinaryExpr';
}

function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1000);
}

export type { Position };
