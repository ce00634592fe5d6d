import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** A `rule_files` pattern Go's filepath.Match would refuse ("syntax error in pattern"). */
export class GlobPatternError extends Error {
  override readonly name = 'GlobPatternError';
}

const GLOB_META = /[*?[\\]/;

/**
 * The files a pattern names, as Go's filepath.Glob finds them (Prometheus expands `rule_files`
 * with it): `*` and `?` match within one path segment (a leading dot too), `[a-z]`/`[^a-z]` are
 * classes, `\` escapes; there is no `**`. Matches are sorted per directory; a pattern without
 * meta characters names itself when it exists; no match is an empty list, not an error.
 *
 * @example
 * await globFiles('/etc/vigil/rules/*.yml'); // ['/etc/vigil/rules/a.yml', '/etc/vigil/rules/b.yml']
 */
export async function globFiles(pattern: string): Promise<string[]> {
  if (!GLOB_META.test(pattern)) return (await exists(pattern)) ? [pattern] : [];
  const dir = path.dirname(pattern);
  const matcher = segmentMatcher(path.basename(pattern));
  const dirs = GLOB_META.test(dir) ? await globFiles(dir) : [dir];
  const matches: string[] = [];
  for (const candidate of dirs) {
    const names = await listDirectory(candidate);
    for (const name of names.sort()) if (matcher.test(name)) matches.push(path.join(candidate, name));
  }
  return matches;
}

/** filepath.Match for one segment, as a RegExp; throws GlobPatternError on a malformed class. */
export function segmentMatcher(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] ?? '';
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '\\') {
      i++;
      if (i >= segment.length) throw new GlobPatternError('syntax error in pattern');
      source += escapeRegExp(segment[i] ?? '');
    } else if (char === '[') {
      const end = classEnd(segment, i);
      source += classSource(segment.slice(i + 1, end));
      i = end;
    } else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, 'u');
}

function classEnd(segment: string, start: number): number {
  let i = start + 1;
  if (segment[i] === '^') i++;
  // Go's filepath.Match refuses an empty class `[]`; a `]` right after `[` is not a literal there.
  if (segment[i] === ']') throw new GlobPatternError('syntax error in pattern');
  for (; i < segment.length; i++) {
    if (segment[i] === '\\') i++;
    else if (segment[i] === ']') return i;
  }
  throw new GlobPatternError('syntax error in pattern');
}

function classSource(body: string): string {
  const negated = body.startsWith('^');
  const members = (negated ? body.slice(1) : body).replace(/\\(.)/gu, '$1');
  const escaped = [...members].map((char) => (char === '-' ? '-' : escapeRegExp(char))).join('');
  return `[${negated ? '^/' : ''}${escaped}]`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');
}

async function listDirectory(dir: string): Promise<string[]> {
  try {
    if (!(await stat(dir)).isDirectory()) return [];
    return await readdir(dir);
  } catch {
    // filepath.Glob ignores I/O errors such as an unreadable directory.
    return [];
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}
