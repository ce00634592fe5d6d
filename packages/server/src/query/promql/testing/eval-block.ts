import { labelsKey } from '../labels.ts';
import { parseDurationMs, unquoteString } from '../literals.ts';
import { parseGoNumber } from './go-numbers.ts';
import type { EvalCommand, EvalQuery, ExpectedSeries, MessageMatcher, TimeGrid } from './script-commands.ts';
import { parseSeriesLine, ScriptSyntaxError } from './script-lines.ts';

// promqltest's header patterns (test.go patEvalInstant / patEvalRange / patExpect / patExpectRange).
const EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const EVAL_RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const EXPECT_RANGE_VECTOR = /^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$/;
const RANGE_VECTOR_PREFIX = 'expect range vector';
const STRING_PREFIX = 'expect string';

/**
 * Parses an `eval` line and its expectation lines (promqltest's parseEval). A bare number or an
 * `expected_fail_message`/`expected_fail_regexp` line ends the block, as upstream.
 */
export function parseEvalBlock(
  lines: readonly string[],
  index: number,
): { command: EvalCommand; lastIndex: number } {
  const command = parseEvalHeader(lines[index] ?? '', index);
  // expected_fail_message/expected_fail_regexp belong to the old eval_fail form only.
  const oldFailForm = command.fail.expected;
  let lastIndex = index;
  let position = 1;
  while (lastIndex + 1 < lines.length && lines[lastIndex + 1] !== '') {
    lastIndex += 1;
    const ends = parseExpectationLine(command, lines[lastIndex] ?? '', lastIndex, position, oldFailForm);
    if (ends === 'ends-block') break;
    // `expect fail|warn|…` lines do not count as positions for `expect ordered` (upstream's j--).
    if (ends !== 'annotation') position += 1;
  }
  return { command, lastIndex };
}

function parseEvalHeader(text: string, index: number): EvalCommand {
  const instant = EVAL_INSTANT.exec(text);
  const range = EVAL_RANGE.exec(text);
  let command: EvalCommand;
  if (instant) command = emptyEvalCommand(index + 1, instant[3] ?? '', instantQuery(instant[2], index));
  else if (range)
    command = emptyEvalCommand(
      index + 1,
      range[5] ?? '',
      rangeQuery(range[2] ?? '', range[3] ?? '', range[4] ?? '', index),
    );
  else {
    throw new ScriptSyntaxError(
      "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn] range from <from> to <to> step <step> <query>'",
      index,
    );
  }
  switch ((instant ?? range)?.[1]) {
    case 'fail':
      command.fail.expected = true;
      break;
    case 'warn':
      command.warn.required = true;
      break;
    case 'info':
      command.info.required = true;
      break;
    case 'ordered':
      command.ordered = true;
      break;
  }
  return command;
}

function emptyEvalCommand(line: number, expr: string, query: EvalQuery): EvalCommand {
  return {
    kind: 'eval',
    line,
    expr,
    query,
    fail: { expected: false, matchers: [] },
    warn: { required: false, matchers: [], forbidden: false },
    info: { required: false, matchers: [], forbidden: false },
    ordered: false,
    scalar: undefined,
    series: [],
    string: undefined,
    rangeVector: undefined,
    excludeFromRangeQuery: false,
    nativeHistogram: false,
  };
}

/** Upstream requires `at`; a missing `at` is read as time 0 here (no upstream file omits it). */
function instantQuery(at: string | undefined, index: number): EvalQuery {
  if (at === undefined) return { type: 'instant', timeMs: 0 };
  const timeMs = parseDurationMs(at);
  if (timeMs === undefined)
    throw new ScriptSyntaxError(`invalid timestamp definition ${JSON.stringify(at)}`, index);
  return { type: 'instant', timeMs };
}

function rangeQuery(from: string, to: string, step: string, index: number): EvalQuery {
  return { type: 'range', ...parseGrid(from, to, step, index) };
}

/** promqltest's parseDurations: start and end are offsets from the epoch, end >= start. */
function parseGrid(from: string, to: string, step: string, index: number): TimeGrid {
  const startMs = parseDurationMs(from);
  if (startMs === undefined)
    throw new ScriptSyntaxError(`invalid start timestamp definition ${JSON.stringify(from)}`, index);
  const endMs = parseDurationMs(to);
  if (endMs === undefined)
    throw new ScriptSyntaxError(`invalid end timestamp definition ${JSON.stringify(to)}`, index);
  if (endMs < startMs)
    throw new ScriptSyntaxError(
      `invalid test definition, end timestamp (${to}) is before start timestamp (${from})`,
      index,
    );
  const stepMs = parseDurationMs(step);
  if (stepMs === undefined)
    throw new ScriptSyntaxError(`invalid step definition ${JSON.stringify(step)}`, index);
  return { startMs, endMs, stepMs };
}

type LineKind = 'ends-block' | 'annotation' | 'counted';

/** One line after the `eval` header, in upstream's order of checks. */
function parseExpectationLine(
  command: EvalCommand,
  text: string,
  index: number,
  position: number,
  oldFailForm: boolean,
): LineKind {
  if (oldFailForm && text.startsWith('expected_fail_message')) {
    command.fail.matchers.push({
      kind: 'message',
      message: text.slice('expected_fail_message'.length).trim(),
    });
    return 'ends-block';
  }
  if (oldFailForm && text.startsWith('expected_fail_regexp')) {
    command.fail.matchers.push({
      kind: 'regex',
      regex: compileRegex(text.slice('expected_fail_regexp'.length).trim(), index),
    });
    return 'ends-block';
  }
  if (text.startsWith(RANGE_VECTOR_PREFIX)) {
    command.rangeVector = parseRangeVector(text, index);
    command.excludeFromRangeQuery = true;
    return 'counted';
  }
  if (text.startsWith(STRING_PREFIX)) {
    command.string = parseStringLiteral(text, index);
    command.excludeFromRangeQuery = true;
    return 'counted';
  }
  // A metric named `expect` can still be written as `expect{}`.
  if (text.split(' ')[0] === 'expect') {
    parseExpect(command, text, index);
    return 'annotation';
  }
  const scalar = parseGoNumber(text);
  if (scalar !== undefined) {
    command.scalar = scalar;
    return 'ends-block';
  }
  addExpectedSeries(command, text, index, position);
  return 'counted';
}

function parseRangeVector(text: string, index: number): TimeGrid {
  const parts = EXPECT_RANGE_VECTOR.exec(text);
  if (!parts) throw new ScriptSyntaxError(`invalid range vector definition ${JSON.stringify(text)}`, index);
  return parseGrid(parts[1] ?? '', parts[2] ?? '', parts[3] ?? '', index);
}

/** `expect string "…"`: one Go-quoted literal ("…", '…' or `…`) after a single space. */
function parseStringLiteral(text: string, index: number): string {
  const literal = text.startsWith(`${STRING_PREFIX} `) ? text.slice(STRING_PREFIX.length + 1) : '';
  if (literal === '')
    throw new ScriptSyntaxError(
      'expected string literal not valid - a quoted string literal is required',
      index,
    );
  const quote = literal[0] ?? '';
  const wellFormed = literal.length >= 2 && ['"', "'", '`'].includes(quote) && literal.endsWith(quote);
  try {
    if (wellFormed) return unquoteString(literal);
  } catch {
    // Reported below.
  }
  throw new ScriptSyntaxError(
    'expected string literal not valid - check that the string is correctly quoted',
    index,
  );
}

function parseExpect(command: EvalCommand, text: string, index: number): void {
  const parts = EXPECT.exec(text.trim());
  if (!parts)
    throw new ScriptSyntaxError(
      'invalid expect statement, must match `expect <type> <match_type>: <string>` format',
      index,
    );
  const type = parts[1] ?? '';
  const pattern = (parts[3] ?? '').trim();
  const matcher: MessageMatcher =
    parts[2] === 'msg'
      ? { kind: 'message', message: pattern }
      : parts[2] === 'regex'
        ? { kind: 'regex', regex: compileRegex(pattern, index) }
        : { kind: 'any' };
  if (type === 'ordered') command.ordered = true;
  else if (type === 'fail') {
    if (command.fail.expected && command.fail.matchers.length > 0)
      throw new ScriptSyntaxError('invalid expect lines, multiple expect fail lines are not allowed', index);
    command.fail.expected = true;
    command.fail.matchers.push(matcher);
  } else if (type === 'warn') command.warn.matchers.push(matcher);
  else if (type === 'info') command.info.matchers.push(matcher);
  else if (type === 'no_warn') command.warn.forbidden = true;
  else command.info.forbidden = true;
  if (command.warn.forbidden && command.warn.matchers.length > 0)
    throw new ScriptSyntaxError('invalid expect lines, warn and no_warn cannot be used together', index);
  if (command.info.forbidden && command.info.matchers.length > 0)
    throw new ScriptSyntaxError('invalid expect lines, info and no_info cannot be used together', index);
}

function compileRegex(pattern: string, index: number): RegExp {
  try {
    // Go's RE2 syntax; JavaScript's non-unicode mode is the closer fit for escapes like `\\-`.
    return new RegExp(pattern);
  } catch {
    throw new ScriptSyntaxError(`invalid regex ${pattern}`, index);
  }
}

function addExpectedSeries(command: EvalCommand, text: string, index: number, position: number): void {
  const { labels, values } = parseSeriesLine(text, index);
  if (values.length > 1 && command.query.type === 'instant' && command.rangeVector === undefined) {
    throw new ScriptSyntaxError(
      "expecting multiple values in instant evaluation not allowed. consider using 'expect range vector' directive to enable a range vector result for an instant query",
      index,
    );
  }
  if (values.some((value) => value.kind === 'histogram')) command.nativeHistogram = true;
  // Upstream keys expected series by label hash: a repeated label set replaces the earlier line.
  const key = labelsKey(labels);
  const series: ExpectedSeries = { labels, values, position };
  const existing = command.series.findIndex((other) => labelsKey(other.labels) === key);
  if (existing >= 0) command.series[existing] = series;
  else command.series.push(series);
}
