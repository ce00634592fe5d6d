import { PromQLError } from '../../query/promql/errors.ts';
import { compileMatcher, type LabelMatcher } from '../../query/promql/matchers.ts';
import { parseExpr } from '../../query/promql/parser.ts';
import { quoteGoString } from '../../query/promql/format-query.ts';
import { badData } from './prom-params.ts';

const EMPTY_MATCH_ERROR = 'match[] must contain at least one non-empty matcher';
const EMPTY_SELECTOR_PARSE_ERROR = 'vector selector must contain at least one non-empty matcher';

/**
 * `match[]` selectors (parseMatchersParam): each a series selector such as `up{job="api"}`, at
 * least one of whose matchers does not match the empty string. Parse errors are bare
 * (`1:4: parse error: ...`); callers decide whether to add `invalid parameter "match[]"`.
 */
export function parseMatchSelectors(texts: readonly string[]): LabelMatcher[][] {
  const selectors = texts.map(parseSeriesSelector);
  for (const matchers of selectors) {
    if (!matchers.some((matcher) => !matchesEmpty(matcher))) throw badData(EMPTY_MATCH_ERROR);
  }
  return selectors;
}

function matchesEmpty(matcher: LabelMatcher): boolean {
  try {
    return compileMatcher(matcher).matches('');
  } catch {
    // The parser validates regexes; this only guards against one it let through.
    throw badData(`invalid regular expression in matcher for label ${quoteGoString(matcher.name)}`);
  }
}

/**
 * parser.ParseMetricSelector: a plain vector selector, no offset or @. Unlike parseExpr it does
 * not check for an all-empty selector; parseMatchersParam does, with its own words.
 */
function parseSeriesSelector(text: string): LabelMatcher[] {
  let expr;
  try {
    expr = parseExpr(text);
  } catch (error: unknown) {
    if (error instanceof PromQLError && error.message.endsWith(EMPTY_SELECTOR_PARSE_ERROR))
      throw badData(EMPTY_MATCH_ERROR);
    throw error;
  }
  if (expr.kind !== 'vector_selector' || expr.offsetMs !== 0 || expr.at !== undefined)
    throw badData(`1:1: parse error: ${quoteGoString(text)} is not a series selector`);
  return expr.matchers;
}
