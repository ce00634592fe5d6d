import { METRIC_NAME, type Labels } from '../labels.ts';
import { unquoteString } from '../literals.ts';
import { SeriesSyntaxError, tokenizeSequence } from './sequence-lexer.ts';
import { expandSequence, type SequenceValue } from './sequence-values.ts';

/**
 * A series line of a PromQL test script: `metric{a="b"} 1+2x3 _ stale`. Prometheus parses these
 * with its PromQL parser in series-description mode (parser.ParseSeriesDesc: the `metric` and
 * `series_values` rules of generated_parser.y, lex.go's lexValueSequence); this is a small
 * dedicated parser for the same syntax.
 */
export { SeriesSyntaxError };

export interface SeriesDescriptor {
  /** Empty label values are left out: in Prometheus an empty value is an absent label. */
  labels: Labels;
  values: SequenceValue[];
}

/**
 * Parses one series line (already trimmed).
 *
 * @example
 * parseSeriesDescriptor('up{job="api"} 0+1x2 _ stale');
 * // labels {__name__: 'up', job: 'api'}, values 0 1 2 _ stale
 */
export function parseSeriesDescriptor(line: string): SeriesDescriptor {
  const cursor = { text: line, index: 0 };
  const labels = parseMetric(cursor);
  const rest = line.slice(cursor.index);
  // series_description: metric series_values, and series_values starts with a SPACE token.
  if (rest !== '' && !/^\s/.test(rest))
    throw new SeriesSyntaxError(`unexpected ${JSON.stringify(rest[0])} after the metric`, cursor.index);
  try {
    return { labels, values: expandSequence(tokenizeSequence(rest)) };
  } catch (error) {
    throw asSyntaxError(error, cursor.index);
  }
}

function asSyntaxError(error: unknown, offset: number): SeriesSyntaxError {
  if (error instanceof SeriesSyntaxError) return new SeriesSyntaxError(error.message, error.column + offset);
  return new SeriesSyntaxError(error instanceof Error ? error.message : String(error), offset);
}

interface Cursor {
  text: string;
  index: number;
}

/** `metric_identifier label_set | label_set` (generated_parser.y `metric`). */
function parseMetric(cursor: Cursor): Labels {
  const labels = new Map<string, string>();
  const name = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(cursor.text)?.[0];
  if (name !== undefined) cursor.index = name.length;
  if (cursor.text[cursor.index] === '{') parseLabelSet(cursor, labels);
  else if (name === undefined) throw new SeriesSyntaxError('expected a metric name or "{"', 0);
  // The identifier outside the braces wins over a __name__ inside them (labels.Builder.Set).
  if (name !== undefined) labels.set(METRIC_NAME, name);
  for (const [key, value] of labels) if (value === '') labels.delete(key);
  return labels;
}

/** `{ item, item, }` where an item is `name="v"`, `"quoted name"="v"` or `"metric name"`. */
function parseLabelSet(cursor: Cursor, labels: Map<string, string>): void {
  cursor.index += 1;
  skipSpaces(cursor);
  while (cursor.text[cursor.index] !== '}') {
    parseLabelSetItem(cursor, labels);
    skipSpaces(cursor);
    const next = cursor.text[cursor.index];
    if (next === ',') {
      cursor.index += 1;
      skipSpaces(cursor);
    } else if (next !== '}') {
      throw new SeriesSyntaxError(
        `unexpected ${describe(next)} in label set, expected "," or "}"`,
        cursor.index,
      );
    }
  }
  cursor.index += 1;
}

function parseLabelSetItem(cursor: Cursor, labels: Map<string, string>): void {
  const quoted = isQuote(cursor.text[cursor.index]);
  const name = quoted ? readString(cursor) : readIdentifier(cursor);
  skipSpaces(cursor);
  if (quoted && cursor.text[cursor.index] !== '=') {
    labels.set(METRIC_NAME, name);
    return;
  }
  if (cursor.text[cursor.index] !== '=' || cursor.text[cursor.index + 1] === '~') {
    throw new SeriesSyntaxError(
      `unexpected ${describe(cursor.text[cursor.index])} in label set, expected "="`,
      cursor.index,
    );
  }
  cursor.index += 1;
  skipSpaces(cursor);
  if (!isQuote(cursor.text[cursor.index]))
    throw new SeriesSyntaxError('expected a quoted label value', cursor.index);
  labels.set(name, readString(cursor));
}

function readIdentifier(cursor: Cursor): string {
  // Inside braces the lexer reads plain identifiers (lexIdentifier): no colons.
  const identifier = /^[A-Za-z_][A-Za-z0-9_]*/.exec(cursor.text.slice(cursor.index))?.[0];
  if (identifier === undefined)
    throw new SeriesSyntaxError(
      `unexpected ${describe(cursor.text[cursor.index])} in label set`,
      cursor.index,
    );
  cursor.index += identifier.length;
  return identifier;
}

/** A "…", '…' or `…` string, unquoted as Prometheus's lexer and strutil.Unquote do. */
function readString(cursor: Cursor): string {
  const start = cursor.index;
  const quote = cursor.text[start] ?? '';
  let index = start + 1;
  while (index < cursor.text.length && cursor.text[index] !== quote) {
    index += quote !== '`' && cursor.text[index] === '\\' ? 2 : 1;
  }
  if (index >= cursor.text.length) throw new SeriesSyntaxError('unterminated quoted string', start);
  cursor.index = index + 1;
  const quoted = cursor.text.slice(start, cursor.index);
  try {
    return unquoteString(quoted);
  } catch {
    throw new SeriesSyntaxError(`invalid string ${quoted}`, start);
  }
}

function skipSpaces(cursor: Cursor): void {
  while (/\s/.test(cursor.text[cursor.index] ?? '')) cursor.index += 1;
}

function isQuote(char: string | undefined): boolean {
  return char === '"' || char === "'" || char === '`';
}

function describe(char: string | undefined): string {
  return char === undefined ? 'end of line' : JSON.stringify(char);
}
