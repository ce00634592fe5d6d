import type { BinaryExpr, BinaryOp, Expr, VectorMatching } from './ast.ts';

/** A binary operator as written, with its modifiers. */
export interface ChainOperator {
  op: BinaryOp;
  returnBool: boolean;
  matching: VectorMatching | undefined;
}

/** Prometheus's operator precedence (promql/parser/lex.go ItemType.Precedence). */
function precedence(op: BinaryOp): number {
  switch (op) {
    case 'or':
      return 1;
    case 'and':
    case 'unless':
      return 2;
    case '==':
    case '!=':
    case '<=':
    case '<':
    case '>=':
    case '>':
      return 3;
    case '+':
    case '-':
      return 4;
    case '*':
    case '/':
    case '%':
    case 'atan2':
      return 5;
    case '^':
      return 6;
  }
}

/**
 * Rebuilds a flattened chain `operand op operand op …` with Prometheus's precedence and
 * associativity (`^` is right-associative, the rest left). The lezer grammar mis-nests chains
 * that contain `@`/`offset` (`a + b @ 1 * 0` becomes `(a + b @ 1) * 0`), so the parser flattens
 * what lezer built and nests it again here. A unary operand on the left of `^` takes the whole
 * power, since unary minus binds looser than `^` (`-2 ^ 2` is -4).
 */
export function buildChain(operands: readonly Expr[], operators: readonly ChainOperator[]): Expr {
  let next = 0;
  const climb = (lhs: Expr, minPrecedence: number): Expr => {
    let left = lhs;
    while (next < operators.length && precedence((operators[next] as ChainOperator).op) >= minPrecedence) {
      const operator = operators[next] as ChainOperator;
      let right = operands[next + 1] as Expr;
      next++;
      while (next < operators.length && bindsTighter((operators[next] as ChainOperator).op, operator.op)) {
        const following = (operators[next] as ChainOperator).op;
        right = climb(
          right,
          precedence(operator.op) + (precedence(following) > precedence(operator.op) ? 1 : 0),
        );
      }
      left = makeBinary(operator, left, right);
    }
    return left;
  };
  return climb(operands[0] as Expr, 0);
}

function bindsTighter(following: BinaryOp, current: BinaryOp): boolean {
  const a = precedence(following);
  const b = precedence(current);
  return a > b || (a === b && following === '^');
}

function makeBinary(operator: ChainOperator, lhs: Expr, rhs: Expr): Expr {
  if (operator.op === '^' && lhs.kind === 'unary') {
    const power = makeBinary(operator, lhs.expr, rhs);
    return { kind: 'unary', op: lhs.op, expr: power, pos: { start: lhs.pos.start, end: rhs.pos.end } };
  }
  const binary: BinaryExpr = {
    kind: 'binary',
    op: operator.op,
    lhs,
    rhs,
    returnBool: operator.returnBool,
    matching: operator.matching ? { ...operator.matching } : undefined,
    pos: { start: lhs.pos.start, end: rhs.pos.end },
  };
  return binary;
}
