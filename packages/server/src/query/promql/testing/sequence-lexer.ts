/**
 * Tokens of a series line's value part, as Prometheus's lexValueSequence (promql/parser/lex.go)
 * produces them: `+`, `-`, `x` and `_` are always operators, numbers are decimal only (hex is
 * disallowed in series descriptions because `0x5` means "0 repeated"), words are `stale`,
 * `Inf` or `NaN`, and `{{…}}` is a native histogram kept as raw text.
 */
export type SequenceToken =
  | { kind: 'space'; column: number }
  | { kind: 'add' | 'sub' | 'times' | 'blank'; column: number }
  | { kind: 'number'; text: string; column: number }
  | { kind: 'word'; text: string; column: number }
  | { kind: 'histogram'; text: string; column: number };

const OPERATORS: Readonly<Record<string, 'add' | 'sub' | 'times' | 'blank'>> = {
  '+': 'add',
  '-': 'sub',
  x: 'times',
  _: 'blank',
};

/** A malformed series line, with the 0-based column of the offending character. */
export class SeriesSyntaxError extends Error {
  override readonly name = 'SeriesSyntaxError';
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Splits the value part of a series line into tokens; consecutive whitespace is one space. */
export function tokenizeSequence(text: string): SequenceToken[] {
  const tokens: SequenceToken[] = [];
  let index = 0;
  while (index < text.length) {
    const token = nextToken(text, index);
    tokens.push(token.token);
    index = token.end;
  }
  return tokens;
}

function nextToken(text: string, column: number): { token: SequenceToken; end: number } {
  const char = text[column] ?? '';
  if (/\s/.test(char)) {
    let end = column + 1;
    while (/\s/.test(text[end] ?? '')) end += 1;
    return { token: { kind: 'space', column }, end };
  }
  if (char === '{' && text[column + 1] === '{') return histogramToken(text, column);
  const operator = OPERATORS[char];
  if (operator) return { token: { kind: operator, column }, end: column + 1 };
  if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(text[column + 1] ?? '')))
    return numberToken(text, column);
  if (/[A-Za-z]/.test(char)) {
    // lexKeywordOrIdentifier absorbs letters, digits, `_` and `:`.
    const word = /^[A-Za-z0-9_:]+/.exec(text.slice(column))?.[0] ?? char;
    return { token: { kind: 'word', text: word, column }, end: column + word.length };
  }
  throw new SeriesSyntaxError(`unexpected character in series sequence: ${JSON.stringify(char)}`, column);
}

/**
 * Decimal digits with `.`, `_` separators and an exponent (lex.go scanNumber without the hex
 * branch). The next character must not be alphanumeric unless it is the `x` of a repetition.
 */
function numberToken(text: string, column: number): { token: SequenceToken; end: number } {
  const match = /^(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9][0-9_]*)?/.exec(
    text.slice(column),
  );
  const number = match?.[0] ?? '';
  const end = column + number.length;
  const next = text[end] ?? '';
  if (number === '' || (next !== 'x' && /[A-Za-z0-9_.]/.test(next))) {
    const bad = /^[A-Za-z0-9_.]*/.exec(text.slice(column))?.[0] ?? '';
    throw new SeriesSyntaxError(`bad number syntax: ${JSON.stringify(bad)}`, column);
  }
  return { token: { kind: 'number', text: number, column }, end };
}

/** `{{ … }}` up to the closing braces; nested `{}` do not occur in the histogram syntax. */
function histogramToken(text: string, column: number): { token: SequenceToken; end: number } {
  const close = text.indexOf('}}', column + 2);
  if (close < 0) throw new SeriesSyntaxError('unterminated native histogram "{{"', column);
  return { token: { kind: 'histogram', text: text.slice(column, close + 2), column }, end: close + 2 };
}
