/**
 * A recursive-descent parser for OTTL conditions (the `where`-clause language the filter processor
 * uses), after pkg/ottl/grammar.go. Where the participle grammar tries alternatives in order
 * (comparison before constant before sub-expression) this parser backtracks the same way and, when
 * every alternative fails, reports the failure that got furthest into the text.
 */
import type { BoolExpr, CompareOp, MathOp, PathField, PathKey, ValueExpr } from './ast.ts';
import { tokenize, type Token } from './lexer.ts';
import { OttlParseError } from './parse-error.ts';
import type { OttlValue } from './values.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const ENUM = /^[A-Z][A-Z0-9_]*$/;
const PATH_FIELD = /^[a-z][a-z0-9_]*$/;
const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'nil']);

/**
 * Parses one condition into its syntax tree; throws OttlParseError with the column of the problem.
 *
 * @example
 * parseCondition('attributes["http.route"] == "/health" and kind == SPAN_KIND_SERVER');
 */
export function parseCondition(source: string): BoolExpr {
  const parser = new Parser(tokenize(source));
  const expr = parser.booleanExpression();
  parser.expectEnd();
  return expr;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end')
      throw this.unexpected(token, 'expected "and", "or" or the end of the condition');
  }

  booleanExpression(): BoolExpr {
    const operands = [this.term()];
    while (this.acceptWord('or')) operands.push(this.term());
    return operands.length === 1 ? (operands[0] as BoolExpr) : { kind: 'or', operands };
  }

  private term(): BoolExpr {
    const operands = [this.booleanValue()];
    while (this.acceptWord('and')) operands.push(this.booleanValue());
    return operands.length === 1 ? (operands[0] as BoolExpr) : { kind: 'and', operands };
  }

  private booleanValue(): BoolExpr {
    const negated = this.acceptWord('not');
    const value = this.unnegatedBooleanValue();
    return negated ? { kind: 'not', operand: value } : value;
  }

  private unnegatedBooleanValue(): BoolExpr {
    const start = this.position;
    const comparison = this.attempt(() => this.comparison());
    if (!(comparison instanceof OttlParseError)) return comparison;
    this.position = start;
    const token = this.peek();
    if (token.kind === 'ident' && (token.text === 'true' || token.text === 'false')) {
      this.position += 1;
      return {
        kind: 'constant',
        value: { kind: 'literal', value: token.text === 'true', column: token.column },
      };
    }
    if (this.isConverterStart()) {
      const call = this.attempt(() => this.converter());
      if (!(call instanceof OttlParseError)) return { kind: 'constant', value: call };
      throw furthest(comparison, call);
    }
    if (token.text === '(' && token.kind === 'punct') {
      const sub = this.attempt(() => {
        this.position += 1;
        const expr = this.booleanExpression();
        this.expectPunct(')');
        return expr;
      });
      if (!(sub instanceof OttlParseError)) return sub;
      throw furthest(comparison, sub);
    }
    throw comparison;
  }

  private comparison(): BoolExpr {
    const left = this.value();
    const token = this.peek();
    if (token.kind !== 'compare') {
      throw this.unexpected(token, 'expected a comparison operator (==, !=, <, <=, >, >=)');
    }
    this.position += 1;
    const right = this.value();
    return { kind: 'compare', op: token.text as CompareOp, left, right, column: token.column };
  }

  private value(): ValueExpr {
    const token = this.peek();
    const column = token.column;
    if (token.kind === 'string') return this.literal(token.text);
    if (token.kind === 'bytes') return this.literal(parseBytes(token));
    if (token.kind === 'ident') {
      if (token.text === 'nil') return this.literal(null);
      if (token.text === 'true' || token.text === 'false') return this.literal(token.text === 'true');
      if (ENUM.test(token.text) && !this.isConverterStart()) {
        this.position += 1;
        return { kind: 'enum', name: token.text, column };
      }
    }
    if (token.kind === 'punct' && token.text === '[') return this.list();
    if (token.kind === 'punct' && token.text === '{') {
      throw new OttlParseError('map literals are not supported by Vigil', column);
    }
    return this.mathExpression();
  }

  private literal(value: OttlValue): ValueExpr {
    const token = this.next();
    return { kind: 'literal', value, column: token.column };
  }

  private list(): ValueExpr {
    const open = this.next();
    const items: ValueExpr[] = [];
    while (!this.isPunct(']')) {
      if (items.length > 0) this.expectPunct(',');
      items.push(this.value());
    }
    this.position += 1;
    return { kind: 'list', items, column: open.column };
  }

  private mathExpression(): ValueExpr {
    let left = this.addSubTerm();
    while (this.isMath('+') || this.isMath('-')) {
      const op = this.next();
      left = { kind: 'math', op: op.text as MathOp, left, right: this.addSubTerm(), column: op.column };
    }
    return left;
  }

  private addSubTerm(): ValueExpr {
    let left = this.mathValue();
    while (this.isMath('*') || this.isMath('/')) {
      const op = this.next();
      left = { kind: 'math', op: op.text as MathOp, left, right: this.mathValue(), column: op.column };
    }
    return left;
  }

  private mathValue(): ValueExpr {
    const token = this.peek();
    if (token.kind === 'math' && (token.text === '-' || token.text === '+')) {
      this.position += 1;
      const operand = this.mathValue();
      return token.text === '-' ? { kind: 'negate', operand, column: token.column } : operand;
    }
    if (token.kind === 'punct' && token.text === '(') {
      this.position += 1;
      const inner = this.mathExpression();
      this.expectPunct(')');
      return inner;
    }
    if (token.kind === 'int') return this.literal(parseInt64(token));
    if (token.kind === 'float') return this.literal(Number(token.text));
    if (this.isConverterStart()) return this.converter();
    if (token.kind === 'ident' && !KEYWORDS.has(token.text)) {
      if (this.peek(1).text === '(' && this.peek(1).kind === 'punct') {
        throw new OttlParseError(
          `converter names must start with an uppercase letter but got '${token.text}'`,
          token.column,
        );
      }
      return this.path();
    }
    throw this.unexpected(token, 'expected a value');
  }

  private path(): ValueExpr {
    const first = this.peek();
    const fields: PathField[] = [this.field()];
    while (this.isPunct('.')) {
      this.position += 1;
      fields.push(this.field());
    }
    return { kind: 'path', fields, column: first.column };
  }

  private field(): PathField {
    const token = this.next();
    if (token.kind !== 'ident' || KEYWORDS.has(token.text))
      throw this.unexpected(token, 'expected a path segment');
    if (!PATH_FIELD.test(token.text)) {
      throw new OttlParseError(
        `path segment "${token.text}" must be lowercase letters, digits and "_"`,
        token.column,
      );
    }
    return { name: token.text, keys: this.keys() };
  }

  private keys(): PathKey[] {
    const keys: PathKey[] = [];
    while (this.isPunct('[')) {
      this.position += 1;
      const token = this.next();
      if (token.kind === 'string') keys.push(token.text);
      else if (token.kind === 'int') keys.push(parseInt64(token));
      else throw this.unexpected(token, 'expected a string or integer key');
      this.expectPunct(']');
    }
    return keys;
  }

  private converter(): ValueExpr {
    const name = this.next();
    this.expectPunct('(');
    const args: ValueExpr[] = [];
    while (!this.isPunct(')')) {
      if (args.length > 0) this.expectPunct(',');
      if (this.peek().kind === 'ident' && this.peek(1).text === '=' && this.peek(1).kind === 'punct') {
        throw new OttlParseError('named arguments are not supported by Vigil', this.peek().column);
      }
      args.push(this.value());
    }
    this.position += 1;
    return { kind: 'call', name: name.text, args, keys: this.keys(), column: name.column };
  }

  private isConverterStart(): boolean {
    const token = this.peek();
    const after = this.peek(1);
    return (
      token.kind === 'ident' && /^[A-Z]/.test(token.text) && after.kind === 'punct' && after.text === '('
    );
  }

  private attempt<T>(parse: () => T): T | OttlParseError {
    try {
      return parse();
    } catch (error: unknown) {
      if (error instanceof OttlParseError) return error;
      throw error;
    }
  }

  private acceptWord(word: string): boolean {
    const token = this.peek();
    if (token.kind !== 'ident' || token.text !== word) return false;
    this.position += 1;
    return true;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private isMath(text: string): boolean {
    const token = this.peek();
    return token.kind === 'math' && token.text === text;
  }

  private expectPunct(text: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text) throw this.unexpected(token, `expected "${text}"`);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position += 1;
    return token;
  }

  private unexpected(token: Token, expectation: string): OttlParseError {
    const found = token.kind === 'end' ? 'end of condition' : `"${token.text}"`;
    return new OttlParseError(`unexpected ${found}: ${expectation}`, token.column);
  }
}

function furthest(a: OttlParseError, b: OttlParseError): OttlParseError {
  return b.column > a.column ? b : a;
}

function parseInt64(token: Token): bigint {
  const value = BigInt(token.text);
  if (value < INT64_MIN || value > INT64_MAX)
    throw new OttlParseError(`integer ${token.text} is out of range for int64`, token.column);
  return value;
}

function parseBytes(token: Token): Uint8Array {
  const hex = token.text.slice(2);
  if (hex.length % 2 !== 0) throw new OttlParseError('odd length hex string', token.column);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
