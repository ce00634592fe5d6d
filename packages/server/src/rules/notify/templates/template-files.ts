/**
 * The `templates:` list of alertmanager.yml: file globs (relative ones against the config file's
 * directory, as config.resolveFilepaths joins them), matched with Go's filepath.Glob and parsed
 * at config load, so a broken template file is a config error that names the file.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { ConfigNode } from '../config-reader.ts';
import { NotificationTemplates, type TemplateSource } from './notification-templates.ts';

/** path.ErrBadPattern. */
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
    if (next >= chars.length) throw new Error(BAD_PATTERN);
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
  throw new Error(BAD_PATTERN);
}

/** A class body: `^`? then `lo` or `lo-hi` items; an unescaped '-' or empty item is a bad pattern (getEsc). */
function classRegExp(body: readonly string[]): string {
  const negated = body[0] === '^';
  let i = negated ? 1 : 0;
  if (i >= body.length) throw new Error(BAD_PATTERN);
  let out = '';
  while (i < body.length) {
    if (body[i] === '-') throw new Error(BAD_PATTERN);
    const [lo, afterLo] = escapedChar(body, i);
    i = afterLo;
    if (body[i] !== '-') {
      out += lo;
      continue;
    }
    if (i + 1 >= body.length || body[i + 1] === '-') throw new Error(BAD_PATTERN);
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

/** filepath.Glob: matches in each directory sorted by name; I/O errors just mean no match. */
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

/**
 * Reads the files the globs match, in order, and loads them over Alertmanager's defaults.
 * Throws Error with the file and Go's parse message ("team.tmpl: template: team.tmpl:3: …").
 */
export function loadTemplateFiles(globs: readonly string[], baseDir: string): NotificationTemplates {
  const sources: TemplateSource[] = [];
  for (const glob of globs) {
    const pattern = isAbsolute(glob) ? glob : resolve(baseDir, glob);
    let paths: string[];
    try {
      paths = globFiles(pattern);
    } catch (error: unknown) {
      throw new Error(`${glob}: ${(error as Error).message}`);
    }
    for (const path of paths) sources.push({ name: basename(path), text: readTemplateFile(path) });
  }
  try {
    return NotificationTemplates.load(sources);
  } catch (error: unknown) {
    const name = /^template: ([^:]*):/.exec((error as Error).message)?.[1];
    throw new Error(`${name ?? 'template file'}: ${(error as Error).message}`);
  }
}

function readTemplateFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error: unknown) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/**
 * The `templates:` field of a notification config at `configFile`; errors become config errors
 * at that field's line.
 */
export function parseTemplatesField(node: ConfigNode | undefined, configFile: string): NotificationTemplates {
  const globs = node?.strings() ?? [];
  if (globs.length === 0) return NotificationTemplates.defaults();
  try {
    return loadTemplateFiles(globs, dirname(configFile));
  } catch (error: unknown) {
    throw node?.error((error as Error).message) ?? error;
  }
}
