/**
 * Character-level pieces shared by the text 0.0.4 and OpenMetrics 1.0 parsers. Both parsers walk
 * the body once with an index; nothing here allocates beyond the strings it returns.
 * Grammar follows Prometheus model/textparse/promlex.l and openmetricslex.l.
 */
import { ExpositionParseError } from './exposition.ts';

export const CH_TAB = 9;
export const CH_NEWLINE = 10;
export const CH_SPACE = 32;
export const CH_QUOTE = 34;
export const CH_HASH = 35;
export const CH_PLUS = 43;
export const CH_COMMA = 44;
export const CH_MINUS = 45;
export const CH_DOT = 46;
export const CH_COLON = 58;
export const CH_EQUALS = 61;
export const CH_BACKSLASH = 92;
export const CH_UNDERSCORE = 95;
export const CH_BRACE_OPEN = 123;
export const CH_BRACE_CLOSE = 125;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `[a-zA-Z_]`, plus `:` for metric names (promlex.l `L` and `M`). */
function isNameStart(c: number, allowColon: boolean): boolean {
  return isLetter(c) || c === CH_UNDERSCORE || (allowColon && c === CH_COLON);
}

/**
 * End index of the legacy name starting at `start` (`[a-zA-Z_:][a-zA-Z0-9_:]*` for metric names,
 * no `:` for label names); `start` itself when there is none.
 */
export function scanName(src: string, start: number, end: number, allowColon: boolean): number {
  if (start >= end || !isNameStart(src.charCodeAt(start), allowColon)) return start;
  let i = start + 1;
  while (i < end) {
    const c = src.charCodeAt(i);
    if (!isNameStart(c, allowColon) && !isDigit(c)) break;
    i++;
  }
  return i;
}

/** Whether the whole string is a legacy metric name (used for quoted names in strict OpenMetrics). */
export function isLegacyMetricName(name: string): boolean {
  return name.length > 0 && scanName(name, 0, name.length, true) === name.length;
}

/** A quoted string's unescaped value and the index just past its closing quote. */
export interface QuotedString {
  value: string;
  endIndex: number;
}

/**
 * Reads `"..."` starting at the opening quote. Unescapes `\\`, `\"` and `\n`; any other escape is
 * kept as written, as Prometheus's lvalReplacer and the OpenMetrics reference parser both do.
 * The string may not cross a line end (`lineEnd`).
 */
export function readQuoted(src: string, quoteIndex: number, lineEnd: number, lineNumber: number): QuotedString {
  let i = quoteIndex + 1;
  let chunkStart = i;
  let value = '';
  while (i < lineEnd) {
    const c = src.charCodeAt(i);
    if (c === CH_QUOTE) return { value: value + src.slice(chunkStart, i), endIndex: i + 1 };
    if (c === CH_BACKSLASH && i + 1 < lineEnd) {
      const next = src.charCodeAt(i + 1);
      const replacement = next === CH_BACKSLASH ? '\\' : next === CH_QUOTE ? '"' : next === 110 ? '\n' : undefined;
      if (replacement !== undefined) {
        value += src.slice(chunkStart, i) + replacement;
        chunkStart = i + 2;
      }
      i += 2;
      continue;
    }
    i++;
  }
  throw new ExpositionParseError(lineNumber, 'unterminated quoted string');
}

/**
 * Unescapes HELP text. Text format: `\\` and `\n` (promparse helpReplacer); OpenMetrics also `\"`.
 * Other escapes stay as written.
 */
export function unescapeHelp(raw: string, allowQuoteEscape: boolean): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  let chunkStart = 0;
  for (let i = 0; i < raw.length - 1; i++) {
    if (raw.charCodeAt(i) !== CH_BACKSLASH) continue;
    const next = raw.charCodeAt(i + 1);
    let replacement: string | undefined;
    if (next === CH_BACKSLASH) replacement = '\\';
    else if (next === 110) replacement = '\n';
    else if (next === CH_QUOTE && allowQuoteEscape) replacement = '"';
    if (replacement !== undefined) {
      out += raw.slice(chunkStart, i) + replacement;
      chunkStart = i + 2;
    }
    i++;
  }
  return out + raw.slice(chunkStart);
}

function scanDigits(s: string, start: number): number {
  let i = start;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

function parseSpecialFloat(word: string, sign: number): number | undefined {
  const lower = word.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return sign === CH_MINUS ? -Infinity : Infinity;
  if (lower === 'nan') return NaN;
  return undefined;
}

/**
 * Parses a float the way Prometheus's textparse parseFloat does: Go's strconv.ParseFloat
 * decimal syntax plus case-insensitive Inf/Infinity/NaN, but no hex, `p` exponents or `_`
 * separators (textparse rejects "pP_"). Returns undefined when `token` is not a float.
 */
export function parseFloatToken(token: string): number | undefined {
  if (token.length === 0) return undefined;
  const sign = token.charCodeAt(0);
  let i = sign === CH_PLUS || sign === CH_MINUS ? 1 : 0;
  if (i < token.length && isLetter(token.charCodeAt(i))) return parseSpecialFloat(token.slice(i), sign);
  const intEnd = scanDigits(token, i);
  let digits = intEnd - i;
  i = intEnd;
  if (i < token.length && token.charCodeAt(i) === CH_DOT) {
    const fracEnd = scanDigits(token, i + 1);
    digits += fracEnd - i - 1;
    i = fracEnd;
  }
  if (digits === 0) return undefined;
  if (i < token.length && (token.charCodeAt(i) | 32) === 101) {
    i++;
    const c = token.charCodeAt(i);
    if (c === CH_PLUS || c === CH_MINUS) i++;
    const expEnd = scanDigits(token, i);
    if (expEnd === i) return undefined;
    i = expEnd;
  }
  return i === token.length ? Number(token) : undefined;
}

/** Parses `-?[0-9]+`, the text format's millisecond timestamp (promlex.l `sTimestamp`). */
export function parseIntegerToken(token: string): number | undefined {
  const start = token.charCodeAt(0) === CH_MINUS ? 1 : 0;
  if (token.length === start || scanDigits(token, start) !== token.length) return undefined;
  return Number(token);
}

/** Number of Unicode code points in `s` (what the OpenMetrics exemplar 128-character limit counts). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const prev = s.charCodeAt(i - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) n--;
    }
  }
  return n;
}
