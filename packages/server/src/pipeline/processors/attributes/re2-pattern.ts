import { re2ToJs } from '../../../model/re2-regex.ts';

/**
 * Compiles a Collector (Go RE2) pattern once, at config time. Go's `MatchString` searches (it is not
 * anchored), so the result is used with `test`/`exec` as written. The `u` flag makes `.` and classes
 * work on code points, as Go's regexp works on runes.
 *
 * @throws SyntaxError when the pattern is not valid.
 */
export function compileRe2Pattern(pattern: string): RegExp {
  return new RegExp(re2ToJs(pattern), 'u');
}

/** How many capturing groups a compiled pattern has (named or not). */
export function captureGroupCount(regex: RegExp): number {
  // An alternation with the empty pattern always matches "", and the match array has one slot per group.
  const probe = new RegExp(`${regex.source}|`, regex.flags).exec('');
  return probe ? probe.length - 1 : 0;
}
