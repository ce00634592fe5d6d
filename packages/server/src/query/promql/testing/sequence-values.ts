import { STALE_NAN } from '../values.ts';
import { parseGoNumber } from './go-numbers.ts';
import { SeriesSyntaxError, type SequenceToken } from './sequence-lexer.ts';

/**
 * One point of a series line. A stale marker is a float whose value is STALE_NAN; a native
 * histogram (`{{…}}`) is kept as text, since Vigil's engine has floats only.
 */
export type SequenceValue =
  { kind: 'float'; value: number } | { kind: 'omitted' } | { kind: 'histogram'; text: string };

export const OMITTED: SequenceValue = { kind: 'omitted' };

/**
 * Expands value tokens into points, following generated_parser.y's `series_item` rules:
 * - `_` one missing point, `_xN` N missing points;
 * - `a` one point, `axN` N+1 points of a;
 * - `a+bxN` / `a-bxN` N+1 points a, a±b, … (accumulated by repeated addition, as upstream);
 * - `stale` a stale marker; `Inf`/`NaN` in any case; `{{…}}`, `{{…}}xN`, `{{…}}+{{…}}xN`.
 */
export function expandSequence(tokens: readonly SequenceToken[]): SequenceValue[] {
  const values: SequenceValue[] = [];
  for (const item of splitItems(tokens)) values.push(...expandItem(item));
  return values;
}

/** Items are separated by whitespace; an item never contains any. */
function splitItems(tokens: readonly SequenceToken[]): SequenceToken[][] {
  const items: SequenceToken[][] = [];
  let current: SequenceToken[] = [];
  for (const token of tokens) {
    if (token.kind !== 'space') {
      current.push(token);
      continue;
    }
    if (current.length > 0) items.push(current);
    current = [];
  }
  if (current.length > 0) items.push(current);
  return items;
}

class ItemReader {
  private index = 0;
  constructor(private readonly tokens: readonly SequenceToken[]) {}

  peek(): SequenceToken | undefined {
    return this.tokens[this.index];
  }

  next(): SequenceToken {
    const token = this.tokens[this.index];
    if (!token) throw new SeriesSyntaxError('unexpected end of series value', this.endColumn());
    this.index += 1;
    return token;
  }

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  endColumn(): number {
    const last = this.tokens[this.tokens.length - 1];
    return last ? last.column + 1 : 0;
  }
}

function expandItem(tokens: readonly SequenceToken[]): SequenceValue[] {
  const reader = new ItemReader(tokens);
  const first = reader.peek();
  let values: SequenceValue[];
  if (first?.kind === 'blank') values = expandBlank(reader);
  else if (first?.kind === 'histogram') values = expandHistogram(reader);
  else values = expandFloat(reader);
  if (!reader.atEnd()) throw unexpected(reader.next());
  return values;
}

function expandBlank(reader: ItemReader): SequenceValue[] {
  reader.next();
  if (reader.peek()?.kind !== 'times') return [OMITTED];
  reader.next();
  // `_xN` is N missing points, not N+1 (generated_parser.y: `i < $3`).
  return Array.from({ length: readRepetitions(reader) }, () => OMITTED);
}

function expandFloat(reader: ItemReader): SequenceValue[] {
  let value = readValue(reader);
  const next = reader.peek();
  if (next === undefined) return [{ kind: 'float', value }];
  let delta = 0;
  if (next.kind === 'add' || next.kind === 'sub') delta = readSignedNumber(reader);
  expectTimes(reader);
  const count = readRepetitions(reader) + 1;
  const values: SequenceValue[] = [];
  for (let i = 0; i < count; i++) {
    values.push({ kind: 'float', value });
    value += delta;
  }
  return values;
}

function expandHistogram(reader: ItemReader): SequenceValue[] {
  const start = reader.next();
  if (start.kind !== 'histogram') throw unexpected(start);
  const next = reader.peek();
  if (next === undefined) return [{ kind: 'histogram', text: start.text }];
  let increment = '';
  if (next.kind === 'add' || next.kind === 'sub') {
    reader.next();
    const step = reader.next();
    if (step.kind !== 'histogram') throw unexpected(step);
    increment = `${next.kind === 'add' ? '+' : '-'}${step.text}`;
  }
  expectTimes(reader);
  const count = readRepetitions(reader) + 1;
  return Array.from({ length: count }, (_, i) => ({
    kind: 'histogram',
    text: i === 0 || increment === '' ? start.text : `${start.text}${increment}*${i}`,
  }));
}

/** `series_value`: a number, a signed number, or the word `stale`. */
function readValue(reader: ItemReader): number {
  const token = reader.peek();
  if (token?.kind === 'add' || token?.kind === 'sub') return readSignedNumber(reader);
  if (token?.kind === 'word' && token.text === 'stale') {
    reader.next();
    return STALE_NAN;
  }
  return readNumber(reader);
}

function readSignedNumber(reader: ItemReader): number {
  const sign = reader.next();
  const value = readNumber(reader);
  return sign.kind === 'sub' ? -value : value;
}

/** A NUMBER token: digits, or the keywords `Inf` and `NaN` (lex.go's key table, any case). */
function readNumber(reader: ItemReader): number {
  const token = reader.next();
  const text = numberText(token);
  if (text === undefined) throw unexpected(token, 'number or "stale"');
  const value = parseGoNumber(text);
  if (value === undefined) throw new SeriesSyntaxError(`error parsing number: ${text}`, token.column);
  return value;
}

function numberText(token: SequenceToken): string | undefined {
  if (token.kind === 'number') return token.text;
  if (token.kind === 'word' && /^(inf|nan)$/i.test(token.text)) return token.text;
  return undefined;
}

function expectTimes(reader: ItemReader): void {
  const token = reader.next();
  if (token.kind !== 'times') throw unexpected(token, '"x"');
}

/** `uint`: strconv.ParseUint(text, 10, 64). */
function readRepetitions(reader: ItemReader): number {
  const token = reader.next();
  if (token.kind !== 'number' || !/^[0-9]+$/.test(token.text)) {
    throw new SeriesSyntaxError('invalid repetition in series values', token.column);
  }
  return Number(token.text);
}

function unexpected(token: SequenceToken, expected?: string): SeriesSyntaxError {
  const what = 'text' in token ? JSON.stringify(token.text) : describeOperator(token.kind);
  const suffix = expected === undefined ? '' : `, expected ${expected}`;
  return new SeriesSyntaxError(`unexpected ${what} in series values${suffix}`, token.column);
}

function describeOperator(kind: SequenceToken['kind']): string {
  const names: Record<SequenceToken['kind'], string> = {
    space: 'space',
    add: '"+"',
    sub: '"-"',
    times: '"x"',
    blank: '"_"',
    number: 'number',
    word: 'word',
    histogram: 'histogram',
  };
  return names[kind];
}
