import type { Labels } from './labels.ts';
import { compilePromRegex, seriesMatcherPredicate } from '../../model/prom-series.ts';

export type MatchType = '=' | '!=' | '=~' | '!~';

/** A label matcher of a selector; regexes are anchored at both ends as Prometheus does. */
export interface LabelMatcher {
  name: string;
  type: MatchType;
  value: string;
}

/** A matcher with its regex compiled once per query. */
export interface CompiledMatcher extends LabelMatcher {
  matches(value: string): boolean;
}

/** The store's matcher predicate (model/prom-series.ts), so both layers match alike. */
export function compileMatcher(matcher: LabelMatcher): CompiledMatcher {
  return { ...matcher, matches: seriesMatcherPredicate(matcher) };
}

export { compilePromRegex };

/** Whether a series' labels satisfy every matcher; a missing label matches as the empty string. */
export function matchesAll(labels: Labels, matchers: readonly CompiledMatcher[]): boolean {
  for (const matcher of matchers) {
    if (!matcher.matches(labels.get(matcher.name) ?? '')) return false;
  }
  return true;
}
