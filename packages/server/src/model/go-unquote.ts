/**
 * Go's strconv.Unquote, which PromQL's lexer, promtool test files and OTTL (through participle) apply
 * to string literals: one port shared by every Go-syntax string Vigil parses.
 */
/** Go's one-character escapes (`\n`, `\t`, …) and what they stand for. */
export const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** Go strconv.Unquote for "…", '…' and `…` strings; throws SyntaxError on a bad escape. */
export function unquoteString(quoted: string): string {
  const quote = quoted[0];
  const body = quoted.slice(1, -1);
  if (quote === '`') return body;
  let result = '';
  const bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length > 0) result += decodeBytes(bytes);
    bytes.length = 0;
  };
  for (let i = 0; i < body.length; i++) {
    const char = body[i] ?? '';
    if (char !== '\\') {
      flushBytes();
      result += char;
      continue;
    }
    const next = body[i + 1] ?? '';
    if (next in SIMPLE_ESCAPES) {
      flushBytes();
      result += SIMPLE_ESCAPES[next] ?? '';
      i += 1;
    } else if (next === 'x' || /[0-7]/.test(next)) {
      // \xNN and \NNN are single bytes: consecutive ones may form one UTF-8 character.
      const length = next === 'x' ? 2 : 3;
      const digits = next === 'x' ? body.slice(i + 2, i + 4) : body.slice(i + 1, i + 4);
      const byte = parseInt(digits, next === 'x' ? 16 : 8);
      if (digits.length !== length || Number.isNaN(byte) || byte > 255)
        throw new SyntaxError('invalid escape sequence');
      bytes.push(byte);
      i += next === 'x' ? 3 : 3;
    } else if (next === 'u' || next === 'U') {
      flushBytes();
      const length = next === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + length);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length)
        throw new SyntaxError('invalid escape sequence');
      result += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + length;
    } else {
      throw new SyntaxError('invalid escape sequence');
    }
  }
  flushBytes();
  return result;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes from \x and octal escapes. Invalid UTF-8 cannot live in a JS string, so each byte of an
 * invalid sequence becomes the lone surrogate U+DC00+byte (Python's "surrogateescape"): label
 * validation can then reject it and messages can print it back as \xNN, as Go does.
 */
function decodeBytes(bytes: readonly number[]): string {
  try {
    return strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    return bytes.map((byte) => String.fromCharCode(byte < 0x80 ? byte : 0xdc00 + byte)).join('');
  }
}
