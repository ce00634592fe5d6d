/**
 * Go's strconv pieces that templates depend on: Quote (used by `%q` and parser messages), Unquote
 * (string and char literals), ParseInt/ParseUint with base 0 and ParseFloat (number literals and
 * Prometheus's string-to-number conversion). Semantics follow Go's strconv package.
 */

/** strconv.ErrSyntax / ErrRange as their messages. */
export type StrconvError = 'invalid syntax' | 'value out of range';

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(codePoint: number): boolean {
  return codePoint === 0x20 || PRINTABLE.test(String.fromCodePoint(codePoint));
}

const SIMPLE_ESCAPES: Readonly<Record<number, string>> = {
  0x07: '\\a',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
};

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/** strconv's appendEscapedRune. */
function escapeRune(codePoint: number, quote: string, asciiOnly: boolean): string {
  const char = String.fromCodePoint(codePoint);
  if (char === quote || char === '\\') return `\\${char}`;
  if (asciiOnly ? codePoint < 0x80 && isPrint(codePoint) : isPrint(codePoint)) return char;
  const simple = SIMPLE_ESCAPES[codePoint];
  if (simple !== undefined) return simple;
  if (codePoint < 0x20 || codePoint === 0x7f) return `\\x${hex(codePoint, 2)}`;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return '\\ufffd';
  return codePoint < 0x10000 ? `\\u${hex(codePoint, 4)}` : `\\U${hex(codePoint, 8)}`;
}

/** strconv.Quote (or QuoteToASCII): a double-quoted Go string literal. */
export function goQuote(text: string, asciiOnly = false): string {
  let out = '"';
  for (const char of text) out += escapeRune(char.codePointAt(0) ?? 0, '"', asciiOnly);
  return `${out}"`;
}

/** strconv.QuoteRune: a single-quoted Go character literal. */
export function goQuoteRune(codePoint: number, asciiOnly = false): string {
  const valid = codePoint >= 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
  return `'${escapeRune(valid ? codePoint : 0xfffd, "'", asciiOnly)}'`;
}

/** Result of strconv.UnquoteChar: the value, whether it was a UTF-8 rune, and the rest of the input. */
interface UnquotedChar {
  value: number;
  multibyte: boolean;
  tail: string;
}

const CHAR_ESCAPES: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
};
const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** strconv.UnquoteChar: decodes one (possibly escaped) character; undefined on ErrSyntax. */
export function unquoteChar(input: string, quote: string): UnquotedChar | undefined {
  const first = input.codePointAt(0);
  if (first === undefined) return undefined;
  const firstChar = String.fromCodePoint(first);
  if (firstChar === quote && (quote === "'" || quote === '"')) return undefined;
  if (first >= 0x80) return { value: first, multibyte: true, tail: input.slice(firstChar.length) };
  if (firstChar !== '\\') return { value: first, multibyte: false, tail: input.slice(1) };
  const escape = input[1];
  if (escape === undefined) return undefined;
  const rest = input.slice(2);
  const simple = CHAR_ESCAPES[escape];
  if (simple !== undefined) return { value: simple, multibyte: false, tail: rest };
  const hexCount = HEX_DIGITS[escape];
  if (hexCount !== undefined) return unquoteHex(rest, hexCount, escape !== 'x');
  if (escape >= '0' && escape <= '7') return unquoteOctal(escape + rest.slice(0, 2), rest.slice(2));
  if ((escape === "'" || escape === '"') && escape === quote)
    return { value: escape.charCodeAt(0), multibyte: false, tail: rest };
  return undefined;
}

function unquoteHex(rest: string, count: number, isRune: boolean): UnquotedChar | undefined {
  const digits = rest.slice(0, count);
  if (digits.length < count || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
  const value = Number.parseInt(digits, 16);
  if (isRune && (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))) return undefined;
  return { value, multibyte: isRune, tail: rest.slice(count) };
}

function unquoteOctal(digits: string, tail: string): UnquotedChar | undefined {
  if (!/^[0-7]{3}$/.test(digits)) return undefined;
  const value = Number.parseInt(digits, 8);
  return value > 255 ? undefined : { value, multibyte: false, tail };
}

const UTF8 = new TextEncoder();
const UTF8_DECODER = new TextDecoder('utf-8');

/**
 * strconv.Unquote for "…" and `…` literals; undefined on ErrSyntax. Go strings are bytes, so `\xNN`
 * escapes are raw bytes: sequences that form UTF-8 decode to their character, others to U+FFFD.
 */
export function goUnquote(literal: string): string | undefined {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) return undefined;
  const body = literal.slice(1, -1);
  if (quote === '`') return body.includes('`') ? undefined : body.replaceAll('\r', '');
  if (quote !== '"') return undefined;
  const bytes: number[] = [];
  let rest = body;
  while (rest.length > 0) {
    const char = unquoteChar(rest, '"');
    if (char === undefined || rest[0] === '\n') return undefined;
    if (char.value < 0x80 || !char.multibyte) bytes.push(char.value);
    else bytes.push(...UTF8.encode(String.fromCodePoint(char.value)));
    rest = char.tail;
  }
  return UTF8_DECODER.decode(new Uint8Array(bytes));
}

/** strconv's underscoreOK: underscores only between digits (a base prefix counts as a digit). */
function underscoreOK(text: string): boolean {
  let saw = '^';
  let body = text.replace(/^[+-]/, '');
  const prefixed = /^0[bBoOxX]/.test(body);
  const hexDigits = /^0[xX]/.test(body);
  if (prefixed) {
    body = body.slice(2);
    saw = '0';
  }
  for (const char of body) {
    if (/[0-9]/.test(char) || (hexDigits && /[a-fA-F]/.test(char))) saw = '0';
    else if (char === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_INT64 = (1n << 63n) - 1n;

/** strconv.ParseUint(text, 0, 64). */
export function parseGoUint(text: string): bigint | StrconvError {
  if (text === '' || /^[+-]/.test(text)) return 'invalid syntax';
  let base = 10;
  let digits = text;
  if (text[0] === '0') {
    const prefix = text.length >= 3 ? text[1]?.toLowerCase() : undefined;
    base = prefix === 'b' ? 2 : prefix === 'o' ? 8 : prefix === 'x' ? 16 : 8;
    digits = prefix === 'b' || prefix === 'o' || prefix === 'x' ? text.slice(2) : text.slice(1);
  }
  let value = 0n;
  for (const char of digits) {
    if (char === '_') continue;
    const digit = Number.parseInt(char, 36);
    if (Number.isNaN(digit) || digit >= base) return 'invalid syntax';
    value = value * BigInt(base) + BigInt(digit);
  }
  if (digits.includes('_') && !underscoreOK(text)) return 'invalid syntax';
  return value > MAX_UINT64 ? 'value out of range' : value;
}

/** strconv.ParseInt(text, 0, 64). */
export function parseGoInt(text: string): bigint | StrconvError {
  const negative = text.startsWith('-');
  const magnitude = parseGoUint(/^[+-]/.test(text) ? text.slice(1) : text);
  if (typeof magnitude === 'string') return magnitude;
  if (negative ? magnitude > MAX_INT64 + 1n : magnitude > MAX_INT64) return 'value out of range';
  return negative ? -magnitude : magnitude;
}

const DECIMAL_FLOAT = /^[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/;

/** strconv.ParseFloat(text, 64): the value, or the error Go reports (±Inf comes with 'value out of range'). */
export function parseGoFloat(text: string): number | StrconvError {
  const special = /^([+-]?)(inf|infinity)$/i.exec(text);
  if (special) return special[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (text.includes('_') && !underscoreOK(text)) return 'invalid syntax';
  const clean = text.replaceAll('_', '');
  let value: number;
  if (DECIMAL_FLOAT.test(text) && /[0-9]/.test(clean.replace(/[eE].*$/, ''))) value = Number(clean);
  else {
    const hexMatch = HEX_FLOAT.exec(clean);
    if (!hexMatch || `${hexMatch[2] ?? ''}${hexMatch[3] ?? ''}` === '') return 'invalid syntax';
    const mantissa = Number.parseInt(`${hexMatch[2] ?? ''}${hexMatch[3] ?? ''}`, 16);
    const exponent = Number(hexMatch[4]) - 4 * (hexMatch[3] ?? '').length;
    value = (hexMatch[1] === '-' ? -1 : 1) * mantissa * 2 ** exponent;
  }
  return Number.isFinite(value) ? value : 'value out of range';
}

/** The error strconv.ParseFloat returns, as Go prints it. */
export function parseFloatErrorMessage(text: string, error: StrconvError): string {
  return `strconv.ParseFloat: parsing ${goQuote(text)}: ${error}`;
}
