/**
 * The syntax tree of one OTTL condition, shaped after pkg/ottl/grammar.go: a boolean expression is
 * terms joined by `or`, a term is boolean values joined by `and`, a boolean value is an optionally
 * negated comparison, constant (`true`, a converter call) or parenthesised sub-expression.
 */
import type { OttlValue } from './values.ts';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type MathOp = '+' | '-' | '*' | '/';

export type BoolExpr =
  | { kind: 'or'; operands: BoolExpr[] }
  | { kind: 'and'; operands: BoolExpr[] }
  | { kind: 'not'; operand: BoolExpr }
  | { kind: 'compare'; op: CompareOp; left: ValueExpr; right: ValueExpr; column: number }
  | { kind: 'constant'; value: ValueExpr };

/** One key of a path or converter result: `["name"]` or `[0]`. */
export type PathKey = string | bigint;

export interface PathField {
  name: string;
  keys: PathKey[];
}

export type ValueExpr =
  | { kind: 'literal'; value: OttlValue; column: number }
  | { kind: 'path'; fields: PathField[]; column: number }
  | { kind: 'enum'; name: string; column: number }
  | { kind: 'call'; name: string; args: ValueExpr[]; keys: PathKey[]; column: number }
  | { kind: 'math'; op: MathOp; left: ValueExpr; right: ValueExpr; column: number }
  | { kind: 'negate'; operand: ValueExpr; column: number }
  | { kind: 'list'; items: ValueExpr[]; column: number };
