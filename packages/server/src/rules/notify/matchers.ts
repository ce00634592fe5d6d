/**
 * Alertmanager label matchers (pkg/labels): the `a="b"`, `a=~"x"` syntax of routes, inhibit rules,
 * silences and API filters, parsed as Alertmanager 0.25's ParseMatchers does.
 */
import { compilePromRegex, seriesMatcherPredicate } from '../../model/prom-series.ts';
import type { LabelSet } from './label-set.ts';

export type MatchType = '=' | '!=' | '=~' | '!~';

/** One matcher; regexes are anchored at both ends, as Alertmanager's NewMatcher anchors them. */
export interface Matcher {
  name: string;
  type: MatchType;
  value: string;
}

/** A matcher with its predicate built once. */
export interface CompiledMatcher extends Matcher {
  matches(value: string): boolean;
}

/** A malformed matcher; the message quotes the matcher as Alertmanager's errors do. */
export class MatcherError extends Error {
  override readonly name = 'MatcherError';
}

// '=~' before '=' so that '=' does not consume the '=' of '=~' (pkg/labels/parse.go).
const MATCHER_RE = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/;

/**
 * Parses a comma-separated matcher list: optional braces, commas inside quotes kept, a trailing
 * comma tolerated, values quoted or bare (ParseMatchers in pkg/labels/parse.go).
 *
 * @example
 * parseMatchers('{alertname="HighLatency", severity=~"page|critical"}');
 */
export function parseMatchers(text: string): CompiledMatcher[] {
  let body = text.startsWith('{') ? text.slice(1) : text;
  if (body.endsWith('}')) body = body.slice(0, -1);
  const tokens: string[] = [];
  let token = '';
  let insideQuotes = false;
  let escaped = false;
  for (const char of body) {
    if (char === ',' && !insideQuotes) {
      tokens.push(token);
      token = '';
      continue;
    }
    if (char === '"') {
      if (!escaped) insideQuotes = !insideQuotes;
      else escaped = false;
    } else if (char === '\\') escaped = !escaped;
    else escaped = false;
    token += char;
  }
  if (token.trim() !== '') tokens.push(token.trim());
  return tokens.map(parseMatcher);
}

/** One matcher, e.g. `severity!="info"` or `job=api` (ParseMatcher in pkg/labels/parse.go). */
export function parseMatcher(text: string): CompiledMatcher {
  const match = MATCHER_RE.exec(text);
  if (!match) throw new MatcherError(`bad matcher format: ${text}`);
  const [, name = '', type = '=', rawValue = ''] = match;
  return compileMatcher({ name, type: type as MatchType, value: unescapeValue(rawValue) });
}

function unescapeValue(quotedOrBare: string): string {
  let raw = quotedOrBare;
  let expectTrailingQuote = false;
  if (raw.startsWith('"')) {
    raw = raw.slice(1);
    expectTrailingQuote = true;
  }
  let value = '';
  let escaped = false;
  const chars = [...raw];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] ?? '';
    if (escaped) {
      escaped = false;
      // OpenMetrics escapes; a spurious escape keeps its backslash.
      value += char === 'n' ? '\n' : char === '"' || char === '\\' ? char : `\\${char}`;
    } else if (char === '\\') {
      if (i < chars.length - 1) escaped = true;
      else value += '\\';
    } else if (char === '"') {
      if (!expectTrailingQuote || i < chars.length - 1)
        throw new MatcherError(`matcher value contains unescaped double quote: ${quotedOrBare}`);
      expectTrailingQuote = false;
    } else value += char;
  }
  if (expectTrailingQuote)
    throw new MatcherError(`matcher value contains unescaped double quote: ${quotedOrBare}`);
  return value;
}

/** Builds the predicate; throws MatcherError for a regex that does not compile. */
export function compileMatcher(matcher: Matcher): CompiledMatcher {
  if (matcher.type === '=~' || matcher.type === '!~') {
    try {
      compilePromRegex(matcher.value);
    } catch {
      throw new MatcherError(`invalid regular expression in matcher ${matcherString(matcher)}`);
    }
  }
  return { ...matcher, matches: seriesMatcherPredicate(matcher) };
}

/** Whether every matcher matches; an absent label matches as '' (Matchers.Matches). */
export function matchesAll(matchers: readonly CompiledMatcher[], labels: LabelSet): boolean {
  return matchers.every((matcher) =>
    matcher.matches(Object.hasOwn(labels, matcher.name) ? (labels[matcher.name] ?? '') : ''),
  );
}

/** Matcher.String(): `name="value"` with OpenMetrics escaping. */
export function matcherString(matcher: Matcher): string {
  const escaped = matcher.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `${matcher.name}${matcher.type}"${escaped}"`;
}

/** Matchers.String(): `{a="1",b=~"2"}`, as route keys spell a route's matchers. */
export function matchersString(matchers: readonly Matcher[]): string {
  return `{${matchers.map(matcherString).join(',')}}`;
}

/** MatchType's numeric order in pkg/labels (MatchEqual, MatchNotEqual, MatchRegexp, MatchNotRegexp). */
const TYPE_ORDER: Readonly<Record<MatchType, number>> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };

/** Sorts by name, then value, then type, as Alertmanager's Matchers.Less does. */
export function sortMatchers<M extends Matcher>(matchers: M[]): M[] {
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return matchers.sort(
    (a, b) => order(a.name, b.name) || order(a.value, b.value) || TYPE_ORDER[a.type] - TYPE_ORDER[b.type],
  );
}
