/**
 * The `{name="value",...}` label set shared by both exposition parsers, including Prometheus 3's
 * UTF-8 syntax: quoted label names (`{"label.x"="v"}`) and a quoted metric name standing alone
 * inside the braces (`{"my.metric", a="b"}`), as textparse parseLVals accepts.
 */
import { ExpositionParseError } from './exposition.ts';
import {
  CH_BRACE_CLOSE,
  CH_COMMA,
  CH_EQUALS,
  CH_QUOTE,
  CH_SPACE,
  CH_TAB,
  readQuoted,
  scanName,
} from './exposition-lexer.ts';

export interface LabelSetOptions {
  /** Text format: blanks and tabs may surround every token (promlex.l skips tWhitespace). */
  skipBlanks: boolean;
  /** `{a="b",}`: allowed by Prometheus, rejected by the OpenMetrics reference parser. */
  allowTrailingComma: boolean;
  /** Whether a quoted metric name may appear in the set (never for exemplars). */
  allowMetricName: boolean;
}

/** Where the label set ended and the metric name it carried, if any. */
export interface LabelSetResult {
  endIndex: number;
  metricName: string | undefined;
}

function skipBlanks(src: string, i: number, lineEnd: number, enabled: boolean): number {
  if (!enabled) return i;
  while (i < lineEnd) {
    const c = src.charCodeAt(i);
    if (c !== CH_SPACE && c !== CH_TAB) break;
    i++;
  }
  return i;
}

/** One `name` or `"name"` token: its value and end index. */
function readLabelNameToken(src: string, i: number, lineEnd: number, lineNumber: number): { name: string; quoted: boolean; endIndex: number } {
  if (src.charCodeAt(i) === CH_QUOTE) {
    const quoted = readQuoted(src, i, lineEnd, lineNumber);
    return { name: quoted.value, quoted: true, endIndex: quoted.endIndex };
  }
  const nameEnd = scanName(src, i, lineEnd, false);
  if (nameEnd === i) throw new ExpositionParseError(lineNumber, 'expected label name');
  return { name: src.slice(i, nameEnd), quoted: false, endIndex: nameEnd };
}

/**
 * Reads the label set whose `{` is at `braceIndex` into `labels`. Rejects a repeated label name
 * and `__name__` (Prometheus rejects duplicate label names at append time; naming the metric
 * twice is ambiguous).
 */
export function readLabelSet(
  src: string,
  braceIndex: number,
  lineEnd: number,
  lineNumber: number,
  labels: Map<string, string>,
  options: LabelSetOptions,
): LabelSetResult {
  let metricName: string | undefined;
  let i = skipBlanks(src, braceIndex + 1, lineEnd, options.skipBlanks);
  let afterComma = false;
  for (;;) {
    if (src.charCodeAt(i) === CH_BRACE_CLOSE && (!afterComma || options.allowTrailingComma)) {
      return { endIndex: i + 1, metricName };
    }
    const token = readLabelNameToken(src, i, lineEnd, lineNumber);
    i = skipBlanks(src, token.endIndex, lineEnd, options.skipBlanks);
    const next = src.charCodeAt(i);
    if (token.quoted && (next === CH_COMMA || next === CH_BRACE_CLOSE)) {
      if (!options.allowMetricName || metricName !== undefined) {
        throw new ExpositionParseError(lineNumber, 'unexpected metric name in label set');
      }
      metricName = token.name;
    } else {
      if (next !== CH_EQUALS) throw new ExpositionParseError(lineNumber, 'expected "=" after label name');
      i = skipBlanks(src, i + 1, lineEnd, options.skipBlanks);
      if (src.charCodeAt(i) !== CH_QUOTE) throw new ExpositionParseError(lineNumber, 'expected quoted label value');
      const quoted = readQuoted(src, i, lineEnd, lineNumber);
      if (token.name === '__name__' || labels.has(token.name)) {
        throw new ExpositionParseError(lineNumber, 'duplicate label name');
      }
      labels.set(token.name, quoted.value);
      i = skipBlanks(src, quoted.endIndex, lineEnd, options.skipBlanks);
    }
    const separator = src.charCodeAt(i);
    if (separator === CH_BRACE_CLOSE) return { endIndex: i + 1, metricName };
    if (separator !== CH_COMMA) throw new ExpositionParseError(lineNumber, 'expected "," or "}" in label set');
    i = skipBlanks(src, i + 1, lineEnd, options.skipBlanks);
    afterComma = true;
  }
}
