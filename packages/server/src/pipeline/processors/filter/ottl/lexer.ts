import { unquoteString } from '../../../../model/go-unquote.ts';
/**
 * The tokenizer of the OTTL condition subset. It follows the lexer rules of pkg/ottl/grammar.go
 * (`buildLexer`) in the Collector contrib repository: bytes `0x…`, floats, ints (a leading sign
 * belongs to the number only where a value may start), double-quoted strings with Go escapes,
 * `and`/`or`/`not`, comparison and math operators, and punctuation. Upstream splits identifiers into
 * Uppercase/Lowercase runs and reassembles them in the grammar; here one identifier token is
 * classified by the parser instead.
 */
import { OttlParseError } from './parse-error.ts';

export type TokenKind = 'bytes' | 'float' | 'int' | 'string' | 'ident' | 'compare' | 'math' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  /** The source text; for strings the unescaped value. */
  text: string;
  /** 1-based column of the token's first character, as participle reports positions. */
  column: number;
}

const BYTES = /0x[a-fA-F0-9]+/y;
const FLOAT = /[-+]?\d*\.\d+(?:[eE][-+]?\d+)?/y;
const INT = /[-+]?\d+/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const COMPARE = /==|!=|>=|<=|>|</y;
const WHITESPACE = /\s+/y;

/** Splits a condition into tokens; throws OttlParseError naming the column of a bad character. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const skipped = matchAt(WHITESPACE, source, index);
    if (skipped !== undefined) {
      index += skipped.length;
      continue;
    }
    const token = nextToken(source, index, tokens[tokens.length - 1]);
    tokens.push(token);
    index += token.kind === 'string' ? stringLength(source, index) : token.text.length;
  }
  tokens.push({ kind: 'end', text: '', column: source.length + 1 });
  return tokens;
}

function nextToken(source: string, index: number, previous: Token | undefined): Token {
  const column = index + 1;
  const char = source[index] ?? '';
  if (char === '"') return { kind: 'string', text: unquote(source, index), column };
  // A sign starts a number only where a value may start, so `a-1` is a subtraction.
  const signAllowed = !endsValue(previous);
  const numberStart = signAllowed || (char !== '-' && char !== '+');
  const bytes = matchAt(BYTES, source, index);
  if (bytes !== undefined) return { kind: 'bytes', text: bytes, column };
  if (numberStart) {
    const float = matchAt(FLOAT, source, index);
    if (float !== undefined) return { kind: 'float', text: float, column };
    const int = matchAt(INT, source, index);
    if (int !== undefined) return { kind: 'int', text: int, column };
  }
  const ident = matchAt(IDENT, source, index);
  if (ident !== undefined) return { kind: 'ident', text: ident, column };
  const compare = matchAt(COMPARE, source, index);
  if (compare !== undefined) return { kind: 'compare', text: compare, column };
  if ('+-*/'.includes(char)) return { kind: 'math', text: char, column };
  if ('()[]{},.:='.includes(char)) return { kind: 'punct', text: char, column };
  throw new OttlParseError(`invalid character ${JSON.stringify(char)}`, column);
}

function endsValue(token: Token | undefined): boolean {
  if (token === undefined) return false;
  if (token.kind === 'punct') return token.text === ')' || token.text === ']';
  return ['bytes', 'float', 'int', 'string', 'ident'].includes(token.kind) && !isOperatorWord(token.text);
}

function isOperatorWord(text: string): boolean {
  return text === 'and' || text === 'or' || text === 'not';
}

function matchAt(pattern: RegExp, source: string, index: number): string | undefined {
  pattern.lastIndex = index;
  return pattern.exec(source)?.[0];
}

/** Length of the quoted string starting at `start`, quotes included (`"(\\.|[^\\"])*"`). */
function stringLength(source: string, start: number): number {
  let index = start + 1;
  while (index < source.length) {
    const char = source[index];
    if (char === '\\') index += 2;
    else if (char === '"') return index - start + 1;
    else index += 1;
  }
  throw new OttlParseError('unterminated string', start + 1);
}

/** Go's strconv.Unquote for a double-quoted literal, which participle applies to OTTL strings. */
function unquote(source: string, start: number): string {
  const end = start + stringLength(source, start);
  const literal = source.slice(start, end);
  try {
    return unquoteString(literal);
  } catch {
    // Point at the offending backslash when it is a plainly unknown escape, else at the string.
    const unknown = /\\(?![abfnrtv\\"'xuU0-7])/.exec(literal);
    throw badEscape(start + (unknown?.index ?? 0));
  }
}

function badEscape(index: number): OttlParseError {
  return new OttlParseError('invalid escape sequence in string', index + 1);
}
