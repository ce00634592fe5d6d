import { POSIX_CLASSES } from '../../../model/re2-regex.ts';
import { goQuote } from './go-strconv.ts';

/**
 * Go (RE2) regular expressions on JS RegExp, for Prometheus's `match` and `reReplaceAll`: the
 * pattern is translated (named groups, leading flags, `\z`, POSIX classes, `.` not matching only
 * `\n`, punctuation escapes), Perl-only syntax is rejected as Go rejects it, and replacement
 * follows Regexp.ReplaceAllString (`$1`, `${name}`, `$$`; empty matches right after a match skipped).
 */

export class GoRegexpError extends Error {
  override name = 'GoRegexpError';
}

const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

/** regexp/syntax.Error: "error parsing regexp: CODE: `EXPR`". */
function parseError(expr: string, code: string): GoRegexpError {
  return new GoRegexpError(`error parsing regexp: ${code}: \`${expr}\``);
}

/** Go's wording for what JS reports when a translated pattern does not compile. */
function goSyntaxCode(jsMessage: string): string {
  const detail = jsMessage.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
  if (detail.startsWith('Unterminated group')) return 'missing closing )';
  if (detail.startsWith("Unmatched ')'")) return 'unexpected )';
  if (detail.startsWith('Nothing to repeat')) return 'missing argument to repetition operator';
  if (detail.includes('numbers out of order')) return 'invalid repeat count';
  return detail;
}

/** Translates one escape sequence starting at `i` (the backslash). */
function translateEscape(pattern: string, i: number): [string, number] {
  const next = pattern[i + 1] ?? '';
  if (next === '') throw parseError('', 'trailing backslash at end of expression');
  if (next === 'z') return ['(?![\\s\\S])', 2];
  if (next === 'A') return ['^', 2];
  if (next === 'p' || next === 'P') {
    if (pattern[i + 2] === '{')
      return [pattern.slice(i, pattern.indexOf('}', i) + 1), pattern.indexOf('}', i) + 1 - i];
    return [`\\${next}{${pattern[i + 2] ?? ''}}`, 3];
  }
  const octal = /^[0-7]{1,3}/.exec(pattern.slice(i + 1))?.[0];
  if (octal !== undefined && (octal.length > 1 || octal === '0')) {
    return [`\\u{${Number.parseInt(octal, 8).toString(16)}}`, 1 + octal.length];
  }
  if (/[1-9]/.test(next)) throw parseError(`\\${next}`, 'invalid escape sequence');
  if (/[A-Za-z0-9]/.test(next) || JS_SYNTAX.has(next) || next.charCodeAt(0) >= 0x80) return [`\\${next}`, 2];
  if (next === '-' || /[!-~]/.test(next))
    return [`\\x${next.charCodeAt(0).toString(16).padStart(2, '0')}`, 2];
  throw parseError(`\\${next}`, 'invalid escape sequence');
}

/** Translates a character class starting at `i` ('['); POSIX classes become ranges. */
function translateClass(pattern: string, start: number): [string, number] {
  let out = '[';
  let i = start + 1;
  if (pattern[i] === '^') {
    out += '^';
    i++;
  }
  if (pattern[i] === ']') {
    out += '\\]';
    i++;
  }
  let afterClassEscape = false;
  while (i < pattern.length && pattern[i] !== ']') {
    // Go reads '-' after a class escape or before ']' literally; JS's unicode mode rejects it.
    if (pattern[i] === '-' && (afterClassEscape || pattern[i + 1] === ']')) {
      out += '\\x2d';
      i++;
      afterClassEscape = false;
      continue;
    }
    afterClassEscape = pattern[i] === '\\' && /[dDsSwWpP]/.test(pattern[i + 1] ?? '');
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
    if (posix) {
      const ranges = POSIX_CLASSES[posix[2] ?? ''];
      if (ranges === undefined || posix[1] === '^')
        throw parseError(posix[0], 'invalid character class range');
      out += ranges;
      i += posix[0].length;
    } else if (pattern[i] === '\\') {
      const [escaped, length] = translateEscape(pattern, i);
      out += escaped;
      i += length;
    } else {
      out += pattern[i] === '[' ? '\\[' : pattern[i];
      i++;
    }
  }
  if (i >= pattern.length) throw parseError(pattern.slice(start), 'missing closing ]');
  return [`${out}]`, i + 1 - start];
}

/** Translates a `(` group opener at `i`. */
function translateGroup(pattern: string, i: number): [string, number] {
  const rest = pattern.slice(i);
  const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(rest);
  if (named) return [`(?<${named[1] ?? ''}>`, named[0].length];
  if (rest.startsWith('(?:')) return ['(?:', 3];
  if (rest.startsWith('(?')) throw parseError(rest.slice(0, 3), 'invalid or unsupported Perl syntax');
  return ['(', 1];
}

/** `{n}`, `{n,}`, `{n,m}` repeat; any other '{' is a literal in Go (and an error in JS's unicode mode). */
function repeatOrLiteral(pattern: string, i: number): [string, number] {
  const repeat = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
  return repeat ? [repeat[0], repeat[0].length] : ['\\{', 1];
}

/** A Go pattern as a JS RegExp (global, unicode). Throws GoRegexpError with Go-like text. */
export function compileGoRegexp(pattern: string): RegExp {
  let body = pattern;
  const flags = { dotAll: false, ignoreCase: false, multiline: false };
  const leading = /^\(\?([imsU]+)\)/.exec(body);
  if (leading) {
    const letters = leading[1] ?? '';
    if (letters.includes('U')) throw parseError('(?U', 'invalid or unsupported Perl syntax');
    flags.ignoreCase = letters.includes('i');
    flags.multiline = letters.includes('m');
    flags.dotAll = letters.includes('s');
    body = body.slice(leading[0].length);
  }
  let out = '';
  for (let i = 0; i < body.length;) {
    const char = body[i] ?? '';
    let piece: [string, number];
    if (char === '\\') piece = translateEscape(body, i);
    else if (char === '[') piece = translateClass(body, i);
    else if (char === '(') piece = translateGroup(body, i);
    else if (char === '.') piece = [flags.dotAll ? '[\\s\\S]' : '[^\\n]', 1];
    else if (char === '{') piece = repeatOrLiteral(body, i);
    else if (char === '}' || char === ']') piece = [`\\${char}`, 1];
    else piece = [char, 1];
    out += piece[0];
    i += piece[1];
  }
  try {
    return new RegExp(out, `gu${flags.ignoreCase ? 'i' : ''}${flags.multiline ? 'm' : ''}`);
  } catch (error: unknown) {
    throw parseError(pattern, goSyntaxCode(error instanceof Error ? error.message : String(error)));
  }
}

/** regexp.MustCompile's panic text, which text/template reports as the call's error. */
export function mustCompileGoRegexp(pattern: string): RegExp {
  try {
    return compileGoRegexp(pattern);
  } catch (error: unknown) {
    const quoted = /^[^`\x00-\x08\x0a-\x1f\x7f]*$/.test(pattern) ? `\`${pattern}\`` : goQuote(pattern);
    throw new GoRegexpError(
      `regexp: Compile(${quoted}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Go's Regexp.Expand template: $1, ${1}, $name, ${name}; $$ is a dollar; a bad name is literal. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(
    /\$(\$|\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/gu,
    (whole, _all, braced?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = braced ?? bare ?? '';
      const isNumber =
        /^[0-9]+$/.test(name) && !(name.length > 1 && name.startsWith('0')) && name.length <= 8;
      if (isNumber) return match[Number(name)] ?? '';
      return match.groups?.[name] ?? '';
    },
  );
}

/** Regexp.ReplaceAllString. */
export function replaceAllGo(re: RegExp, source: string, template: string): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= source.length) {
    re.lastIndex = searchPos;
    const match = re.exec(source);
    if (match === null) break;
    const start = match.index;
    const end = start + match[0].length;
    out += source.slice(lastMatchEnd, start);
    // No replacement for an empty match right after another match.
    if (end > lastMatchEnd || start === 0) out += expand(template, match);
    lastMatchEnd = end;
    const width = (source.codePointAt(searchPos) ?? 0) > 0xffff ? 2 : 1;
    searchPos = searchPos + width > end ? searchPos + width : end;
  }
  return out + source.slice(lastMatchEnd);
}

/** regexp.MatchString: an unanchored match anywhere. */
export function matchGo(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  return re.test(text);
}
