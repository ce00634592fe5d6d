import type {
  AggregateExpr,
  AtModifier,
  BinaryExpr,
  Expr,
  SubqueryExpr,
  VectorMatching,
  VectorSelector,
} from './ast.ts';
import { formatGoFloat } from './go-format.ts';
import { METRIC_NAME } from './labels.ts';
import type { LabelMatcher } from './matchers.ts';
import { isLegacyLabelName, isLegacyMetricName } from '../../model/prom-names.ts';

/**
 * PromQL text from a syntax tree, as Prometheus prints it: {@link formatExpr} is the one-line
 * `Expr.String()` of promql/parser/printer.go, {@link prettifyExpr} the multi-line
 * `parser.Prettify` of promql/parser/prettier.go that /api/v1/format_query answers with.
 */

/** Prettify splits a node over several lines once its one-line form is longer than this (bytes). */
const MAX_CHARACTERS_PER_LINE = 100;
const INDENT = '  ';
const PARAM_AGGREGATORS = new Set(['topk', 'bottomk', 'quantile', 'count_values', 'limitk', 'limit_ratio']);

/**
 * The one-line text of an expression (Prometheus `Expr.String()`): normalized spacing, label
 * matchers sorted, durations in Prometheus units, `@` times in seconds with three decimals.
 *
 * @example
 * formatExpr(parseExpr('sum(rate(x{a="b"}[300s]))by(job)')); // 'sum by (job) (rate(x{a="b"}[5m]))'
 */
export function formatExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'number':
      return formatGoFloat(expr.value);
    case 'string':
      return quoteGoString(expr.value);
    case 'vector_selector':
      return formatVectorSelector(expr) + atSuffix(expr.at) + offsetSuffix(expr.offsetMs);
    case 'matrix_selector': {
      const selector = expr.selector;
      return `${formatVectorSelector(selector)}[${formatDuration(expr.rangeMs)}]${atSuffix(selector.at)}${offsetSuffix(selector.offsetMs)}`;
    }
    case 'subquery':
      return formatExpr(expr.expr) + subquerySuffix(expr);
    case 'call':
      return `${expr.name}(${expr.args.map(formatExpr).join(', ')})`;
    case 'aggregate':
      return `${aggregateHead(expr)}(${expr.param && PARAM_AGGREGATORS.has(expr.op) ? `${formatExpr(expr.param)}, ` : ''}${formatExpr(expr.expr)})`;
    case 'binary':
      return `${formatExpr(expr.lhs)} ${binaryOperator(expr)} ${formatExpr(expr.rhs)}`;
    case 'unary':
      return expr.op + formatExpr(expr.expr);
    case 'paren':
      return `(${formatExpr(expr.expr)})`;
  }
}

/**
 * The text /api/v1/format_query returns (Prometheus `parser.Prettify`): a node whose one-line
 * form fits in 100 bytes stays on one line; longer ones put their children on their own lines,
 * indented two spaces per level.
 *
 * @example
 * prettifyExpr(parseExpr('a + b')); // 'a + b'
 */
export function prettifyExpr(expr: Expr): string {
  return pretty(expr, 0);
}

/** Prometheus's `Pretty(level)` methods, node by node (promql/parser/prettier.go). */
function pretty(expr: Expr, level: number): string {
  const indent = INDENT.repeat(level);
  const oneLine = formatExpr(expr);
  const fits = Buffer.byteLength(oneLine) <= MAX_CHARACTERS_PER_LINE;
  switch (expr.kind) {
    case 'aggregate': {
      if (fits) return indent + oneLine;
      const param = expr.param && PARAM_AGGREGATORS.has(expr.op) ? `${pretty(expr.param, level + 1)},\n` : '';
      return `${indent}${aggregateHead(expr)}(\n${param}${pretty(expr.expr, level + 1)}\n${indent})`;
    }
    case 'binary':
      if (fits) return indent + oneLine;
      return `${pretty(expr.lhs, level + 1)}\n${indent}${binaryOperator(expr)}\n${pretty(expr.rhs, level + 1)}`;
    case 'call':
      if (fits) return indent + oneLine;
      return `${indent}${expr.name}(\n${expr.args.map((arg) => pretty(arg, level + 1)).join(',\n')}\n${indent})`;
    case 'paren':
      if (fits) return indent + oneLine;
      return `${indent}(\n${pretty(expr.expr, level + 1)}\n${indent})`;
    case 'subquery':
      // As upstream: an unsplit subquery is not indented (SubqueryExpr.Pretty returns String()).
      if (fits) return oneLine;
      return pretty(expr.expr, level) + subquerySuffix(expr);
    case 'unary':
      return `${indent}${expr.op}${pretty(expr.expr, level).trim()}`;
    case 'number':
    case 'string':
    case 'vector_selector':
    case 'matrix_selector':
      return indent + oneLine;
  }
}

/** `[5m:1m] @ 100.000 offset 1h` (SubqueryExpr.getSubqueryTimeSuffix). */
function subquerySuffix(expr: SubqueryExpr): string {
  const step = expr.stepMs === 0 ? '' : formatDuration(expr.stepMs);
  return `[${formatDuration(expr.rangeMs)}:${step}]${atSuffix(expr.at)}${offsetSuffix(expr.offsetMs)}`;
}

/** `sum`, `sum by (job) `, `sum without (instance) ` (AggregateExpr.writeAggOpStr). */
function aggregateHead(expr: AggregateExpr): string {
  if (expr.without) return `${expr.op} without (${formatLabelList(expr.grouping)}) `;
  if (expr.grouping.length > 0) return `${expr.op} by (${formatLabelList(expr.grouping)}) `;
  return expr.op;
}

/** The operator with `bool` and its vector matching (BinaryExpr.getMatchingStr). */
function binaryOperator(expr: BinaryExpr): string {
  return expr.op + (expr.returnBool ? ' bool' : '') + matchingText(expr.matching);
}

function matchingText(matching: VectorMatching | undefined): string {
  if (!matching) return '';
  const grouped = matching.card === 'many-to-one' || matching.card === 'one-to-many';
  let text = '';
  if (matching.matchingLabels.length > 0 || matching.on || grouped)
    text += ` ${matching.on ? 'on' : 'ignoring'} (${formatLabelList(matching.matchingLabels)})`;
  if (grouped)
    text += ` group_${matching.card === 'many-to-one' ? 'left' : 'right'} (${formatLabelList(matching.include)})`;
  return text;
}

/**
 * `name{a="b",c=~"d"}`. The `__name__` matcher is folded into the name when it is an equality
 * with a name Prometheus's lexer reads unquoted; other names stay a quoted matcher (UTF-8 names).
 */
function formatVectorSelector(selector: VectorSelector): string {
  const name = selector.name !== undefined && isLegacyMetricName(selector.name) ? selector.name : '';
  const matchers = selector.matchers
    .filter((m) => !(name !== '' && m.name === METRIC_NAME && m.type === '=' && m.value === name))
    .map(formatMatcher)
    .sort(compareBytes);
  return matchers.length === 0 ? name : `${name}{${matchers.join(',')}}`;
}

/** labels.Matcher.String(): the name quoted only when it is not a plain identifier. */
function formatMatcher(matcher: LabelMatcher): string {
  const name = isLegacyLabelName(matcher.name) ? matcher.name : quoteGoString(matcher.name);
  return `${name}${matcher.type}${quoteGoString(matcher.value)}`;
}

function formatLabelList(names: readonly string[]): string {
  return names.map((name) => (isLegacyLabelName(name) ? name : quoteGoString(name))).join(', ');
}

function atSuffix(at: AtModifier | undefined): string {
  if (at === undefined) return '';
  if (at === 'start' || at === 'end') return ` @ ${at}()`;
  return ` @ ${(at.timestampMs / 1000).toFixed(3)}`;
}

function offsetSuffix(offsetMs: number): string {
  if (offsetMs > 0) return ` offset ${formatDuration(offsetMs)}`;
  if (offsetMs < 0) return ` offset -${formatDuration(-offsetMs)}`;
  return '';
}

const DURATION_UNITS: readonly { unit: string; ms: number; onlyWhenExact: boolean }[] = [
  // Years and weeks only when they divide evenly: "90d" reads better than "12w6d".
  { unit: 'y', ms: 365 * 86_400_000, onlyWhenExact: true },
  { unit: 'w', ms: 7 * 86_400_000, onlyWhenExact: true },
  { unit: 'd', ms: 86_400_000, onlyWhenExact: false },
  { unit: 'h', ms: 3_600_000, onlyWhenExact: false },
  { unit: 'm', ms: 60_000, onlyWhenExact: false },
  { unit: 's', ms: 1000, onlyWhenExact: false },
  { unit: 'ms', ms: 1, onlyWhenExact: false },
];

/**
 * A non-negative duration as Prometheus prints it (prometheus/common model.Duration.String):
 * `5m`, `1h30m`, `90d`, `2w`, `1y`, `0s`. Sub-millisecond parts are dropped.
 */
export function formatDuration(durationMs: number): string {
  let remainingMs = Math.trunc(durationMs);
  if (remainingMs === 0) return '0s';
  let text = '';
  for (const { unit, ms, onlyWhenExact } of DURATION_UNITS) {
    if (onlyWhenExact && remainingMs % ms !== 0) continue;
    const count = Math.floor(remainingMs / ms);
    if (count > 0) {
      text += `${count}${unit}`;
      remainingMs -= count * ms;
    }
  }
  return text;
}

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/**
 * Go's strconv.Quote: double quotes; `\a \b \f \n \r \t \v \\ \"`; other control characters as
 * `\xNN` (below U+0080) or `\uNNNN`; printable Unicode kept as is.
 */
export function quoteGoString(text: string): string {
  let quoted = '"';
  for (const char of text) {
    const escaped = GO_ESCAPES[char];
    if (escaped !== undefined) {
      quoted += escaped;
      continue;
    }
    const codePoint = char.codePointAt(0) ?? 0;
    if (codePoint < 0x20 || codePoint === 0x7f) quoted += `\\x${codePoint.toString(16).padStart(2, '0')}`;
    else if (isGoUnprintable(codePoint)) quoted += goUnicodeEscape(codePoint);
    else quoted += char;
  }
  return `${quoted}"`;
}

/** Go's unicode.IsPrint is false for controls, format, surrogate, private-use and unassigned code points and every space but U+0020. */
const GO_UNPRINTABLE = /^[\p{C}\p{Z}]$/u;

function isGoUnprintable(codePoint: number): boolean {
  return codePoint !== 0x20 && GO_UNPRINTABLE.test(String.fromCodePoint(codePoint));
}

function goUnicodeEscape(codePoint: number): string {
  // Invalid UTF-8 bytes from string literals are lone surrogates U+DC80–U+DCFF (literals.ts).
  if (codePoint >= 0xdc80 && codePoint <= 0xdcff) return `\\x${(codePoint - 0xdc00).toString(16)}`;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return '\\ufffd';
  return codePoint > 0xffff
    ? `\\U${codePoint.toString(16).padStart(8, '0')}`
    : `\\u${codePoint.toString(16).padStart(4, '0')}`;
}

/** Go's sort.Strings order: by UTF-8 bytes, which is code point order. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
