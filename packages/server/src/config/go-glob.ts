/**
 * Go's filepath.Glob, as Prometheus expands `rule_files` and Alertmanager its `templates:`:
 * `*` and `?` match within one path segment (a leading dot too), `[a-z]` / `[^a-z]` are classes,
 * `\\` escapes; there is no `**`. Matches are sorted per directory; a pattern without meta
 * characters names itself when it exists; no match is an empty list, not an error.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';

/** A pattern Go's filepath.Match refuses ("syntax error in pattern", path.ErrBadPattern). */
export class GlobPatternError extends Error {
  override readonly name = 'GlobPatternError';
}

const BAD_PATTERN = 'syntax error in pattern';

function hasMeta(path: string): boolean {
  return /[*?[\\]/.test(path);
}

/** One glob segment (path.Match syntax: *, ?, [class], [^class], \\x) as an anchored RegExp. */
export function segmentRegExp(pattern: string): RegExp {
  const chars = [...pattern];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] ?? '';
    if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else if (char === '[') {
      const end = classEnd(chars, i + 1);
      out += classRegExp(chars.slice(i + 1, end));
      i = end;
    } else {
      const [literal, next] = escapedChar(chars, i);
      out += literal;
      i = next - 1;
    }
  }
  return new RegExp(`^${out}$`, 'u');
}

/** A literal character (or `\\x` escape) at i as a RegExp atom, and the index after it. */
function escapedChar(chars: readonly string[], i: number): [string, number] {
  let char = chars[i] ?? '';
  let next = i + 1;
  if (char === '\\') {
    if (next >= chars.length) throw new GlobPatternError(BAD_PATTERN);
    char = chars[next] ?? '';
    next++;
  }
  return [`\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`, next];
}

/** Index of the first unescaped `]` from `start`; none is a bad pattern. */
function classEnd(chars: readonly string[], start: number): number {
  for (let i = start; i < chars.length; i++) {
    if (chars[i] === ']') return i;
    if (chars[i] === '\\') i++;
  }
  throw new GlobPatternError(BAD_PATTERN);
}

/** A class body: `^`? then `lo` or `lo-hi` items; an unescaped '-' or empty item is a bad pattern (getEsc). */
function classRegExp(body: readonly string[]): string {
  const negated = body[0] === '^';
  let i = negated ? 1 : 0;
  if (i >= body.length) throw new GlobPatternError(BAD_PATTERN);
  let out = '';
  while (i < body.length) {
    if (body[i] === '-') throw new GlobPatternError(BAD_PATTERN);
    const [lo, afterLo] = escapedChar(body, i);
    i = afterLo;
    if (body[i] !== '-') {
      out += lo;
      continue;
    }
    if (i + 1 >= body.length || body[i + 1] === '-') throw new GlobPatternError(BAD_PATTERN);
    const [hi, afterHi] = escapedChar(body, i + 1);
    i = afterHi;
    // Go matches nothing for a reversed range; a JS RegExp would not compile it.
    if (codePointOf(lo) <= codePointOf(hi)) out += `${lo}-${hi}`;
  }
  if (out === '') return negated ? '[^/]' : '[]';
  return negated ? `[^/${out}]` : `[${out}]`;
}

function codePointOf(atom: string): number {
  return parseInt(/\{([0-9a-f]+)\}/.exec(atom)?.[1] ?? '0', 16);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * filepath.Glob: matches in each directory sorted by name; I/O errors just mean no match.
 *
 * @example
 * globFiles('/etc/vigil/rules/*.yml'); // ['/etc/vigil/rules/a.yml', '/etc/vigil/rules/b.yml']
 */
export function globFiles(pattern: string): string[] {
  // Glob checks the whole pattern's syntax first (Match(pattern, "")).
  for (const segment of pattern.split(sep)) segmentRegExp(segment);
  if (!hasMeta(pattern)) {
    try {
      lstatSync(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const dir = dirname(pattern);
  const dirs = hasMeta(dir) && dir !== pattern ? globFiles(dir) : [dir];
  const matcher = segmentRegExp(basename(pattern));
  return dirs.flatMap((d) => {
    if (!isDirectory(d)) return [];
    return readdirSync(d)
      .sort()
      .filter((name) => matcher.test(name))
      .map((name) => join(d, name));
  });
}
