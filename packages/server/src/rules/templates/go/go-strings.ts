/**
 * strings.ToUpper, strings.ToLower and strings.Title. Go maps case rune by rune with Unicode's
 * simple mappings; JS's toUpperCase uses full mappings ("ß" → "SS") and context (final sigma),
 * so each code point is mapped alone and multi-character results are not used.
 */

/** Go's special cases where the simple mapping is one rune but JS's full mapping is longer. */
const SIMPLE_LOWER: Readonly<Record<string, string>> = { İ: 'i' };

function mapRune(char: string, map: (c: string) => string): string {
  const special = map === lower ? SIMPLE_LOWER[char] : undefined;
  if (special !== undefined) return special;
  const mapped = map(char);
  return [...mapped].length === 1 ? mapped : char;
}

function upper(c: string): string {
  return c.toUpperCase();
}

function lower(c: string): string {
  return c.toLowerCase();
}

export function goToUpper(text: string): string {
  let out = '';
  for (const char of text) out += mapRune(char, upper);
  return out;
}

export function goToLower(text: string): string {
  let out = '';
  for (const char of text) out += mapRune(char, lower);
  return out;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;
const SPACE = /^\s$/u;

/** strings.Title's isSeparator: ASCII non-alphanumerics (except '_') and Unicode spaces. */
function isSeparator(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code <= 0x7f) return !/[0-9a-zA-Z_]/.test(char);
  if (LETTER_OR_DIGIT.test(char)) return false;
  return SPACE.test(char);
}

/** strings.Title: upper-cases the first letter of each word. */
export function goTitle(text: string): string {
  let out = '';
  let previous = ' ';
  for (const char of text) {
    out += isSeparator(previous) ? mapRune(char, upper) : char;
    previous = char;
  }
  return out;
}
