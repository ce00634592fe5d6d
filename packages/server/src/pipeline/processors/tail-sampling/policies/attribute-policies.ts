import type { AttributeValue } from '../../../../model/attributes.ts';
import { re2SearchRegExp } from '../../../../model/re2-regex.ts';
import type { Decision, PolicyEvaluator, TraceUnderDecision } from '../decision.ts';
import { LruCache } from '../lru-cache.ts';
import { attributeDecision, type ValueTest } from './trace-condition.ts';

/** Upstream's defaultCacheSize for matched regex results (internal/sampling/string_tag_filter.go). */
export const DEFAULT_REGEX_CACHE_SIZE = 128;

export interface StringAttributeOptions {
  key: string;
  values: readonly string[];
  enabledRegexMatching: boolean;
  cacheMaxSize: number;
  invertMatch: boolean;
}

/**
 * `string_attribute`: a string value of `key` on a span or its resource equals one of `values`, or
 * with `enabled_regex_matching` matches one of them as an RE2 regex. Like Go's MatchString the
 * regexes are not anchored (upstream's comment says "anchored", its code does not anchor), so write
 * `^…$` to match whole values. Non-string values never match, as upstream's `Str()` reads them as "".
 */
export class StringAttributePolicy implements PolicyEvaluator {
  readonly adjustedCount = 1;
  private readonly test: ValueTest;

  constructor(private readonly options: StringAttributeOptions) {
    const matches = options.enabledRegexMatching
      ? regexMatcher(options.values, options.cacheMaxSize)
      : exactMatcher(options.values);
    this.test = (value) => typeof value === 'string' && matches(value);
  }

  evaluate(trace: TraceUnderDecision): Decision {
    return attributeDecision(trace.spans, this.options.key, this.test, this.options.invertMatch);
  }
}

function exactMatcher(values: readonly string[]): (value: string) => boolean {
  // Upstream skips empty strings when building its value set.
  const set = new Set(values.filter((v) => v !== ''));
  return (value) => set.has(value);
}

function regexMatcher(patterns: readonly string[], cacheMaxSize: number): (value: string) => boolean {
  const regexes = patterns.map(re2SearchRegExp);
  const cache = new LruCache<string, boolean>(cacheMaxSize > 0 ? cacheMaxSize : DEFAULT_REGEX_CACHE_SIZE);
  return (value) => {
    const cached = cache.get(value);
    if (cached !== undefined) return cached;
    const matched = regexes.some((regex) => regex.test(value));
    cache.set(value, matched);
    return matched;
  };
}

export interface NumericAttributeOptions {
  key: string;
  /** Undefined: no lower bound (upstream: a min_value of 0 or absent means math.MinInt64). */
  minValue: number | undefined;
  /** Undefined: no upper bound (upstream: a max_value of 0 or absent means math.MaxInt64). */
  maxValue: number | undefined;
  invertMatch: boolean;
}

/**
 * `numeric_attribute`: a numeric value of `key` lies in [min_value, max_value] (inclusive).
 * Vigil compares int and double attributes by value and accepts fractional bounds; upstream reads
 * every value with pdata `Int()` (a double reads as 0) and decodes the bounds as int64, so
 * `max_value: 0.6` on a double score only works in Vigil (docs/tail-sampling.md).
 */
export class NumericAttributePolicy implements PolicyEvaluator {
  readonly adjustedCount = 1;
  private readonly test: ValueTest;

  constructor(private readonly options: NumericAttributeOptions) {
    const min = options.minValue ?? -Infinity;
    const max = options.maxValue ?? Infinity;
    this.test = (value) => {
      const number = numericValue(value);
      return number !== undefined && number >= min && number <= max;
    };
  }

  evaluate(trace: TraceUnderDecision): Decision {
    return attributeDecision(trace.spans, this.options.key, this.test, this.options.invertMatch);
  }
}

function numericValue(value: AttributeValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

export interface BooleanAttributeOptions {
  key: string;
  value: boolean;
  invertMatch: boolean;
}

/** `boolean_attribute`: a boolean value of `key` equals `value` on a span or its resource. */
export class BooleanAttributePolicy implements PolicyEvaluator {
  readonly adjustedCount = 1;
  private readonly test: ValueTest;

  constructor(private readonly options: BooleanAttributeOptions) {
    this.test = (value) => typeof value === 'boolean' && value === options.value;
  }

  evaluate(trace: TraceUnderDecision): Decision {
    return attributeDecision(trace.spans, this.options.key, this.test, this.options.invertMatch);
  }
}
