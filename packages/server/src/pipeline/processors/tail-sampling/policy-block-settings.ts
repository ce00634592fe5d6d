import { re2SearchRegExp } from '../../../model/re2-regex.ts';
import { StatusCode } from '../../../model/span.ts';
import { SettingsError } from '../../graph/component.ts';
import { SettingsReader } from '../../graph/settings-reader.ts';
import type { PolicyEvaluator } from './decision.ts';
import {
  BooleanAttributePolicy,
  NumericAttributePolicy,
  StringAttributePolicy,
} from './policies/attribute-policies.ts';
import { ProbabilisticPolicy } from './policies/probabilistic-policy.ts';
import { RateLimitingPolicy } from './policies/rate-limiting-policy.ts';
import {
  LatencyPolicy,
  SpanCountPolicy,
  StatusCodePolicy,
  TraceStatePolicy,
} from './policies/trace-policies.ts';

/**
 * Parsers for the leaf policy types' blocks (`latency: {threshold_ms: 500}` …), with the field names
 * and defaults of upstream config.go. Each returns the evaluator; the dispatch by `type` is in
 * policy-settings.ts.
 */
export const LEAF_POLICY_PARSERS: Readonly<Record<string, (block: SettingsReader) => PolicyEvaluator>> = {
  latency: (block) => {
    block.allowOnly(['threshold_ms', 'upper_threshold_ms']);
    return new LatencyPolicy(int64(block, 'threshold_ms'), int64(block, 'upper_threshold_ms'));
  },
  status_code: (block) => {
    block.allowOnly(['status_codes']);
    return new StatusCodePolicy(statusCodes(block));
  },
  probabilistic: (block) => {
    block.allowOnly(['hash_salt', 'sampling_percentage']);
    return new ProbabilisticPolicy(block.string('hash_salt', ''), block.number('sampling_percentage', 0));
  },
  string_attribute: (block) => {
    block.allowOnly(['key', 'values', 'enabled_regex_matching', 'cache_max_size', 'invert_match']);
    const enabledRegexMatching = block.boolean('enabled_regex_matching', false);
    const values = block.strings('values');
    if (enabledRegexMatching) values.forEach((pattern, index) => checkRegex(block, pattern, index));
    return new StringAttributePolicy({
      key: block.string('key', ''),
      values,
      enabledRegexMatching,
      cacheMaxSize: int64(block, 'cache_max_size'),
      invertMatch: block.boolean('invert_match', false),
    });
  },
  numeric_attribute: (block) => {
    block.allowOnly(['key', 'min_value', 'max_value', 'invert_match']);
    // Upstream turns a bound of 0 into "no bound" (NewNumericAttributeFilter gets nil pointers).
    const minValue = block.number('min_value', 0);
    const maxValue = block.number('max_value', 0);
    if (minValue === 0 && maxValue === 0) {
      throw block.error('at least one of min_value or max_value must be set (and non-zero)');
    }
    return new NumericAttributePolicy({
      key: block.string('key', ''),
      minValue: minValue === 0 ? undefined : minValue,
      maxValue: maxValue === 0 ? undefined : maxValue,
      invertMatch: block.boolean('invert_match', false),
    });
  },
  boolean_attribute: (block) => {
    block.allowOnly(['key', 'value', 'invert_match']);
    return new BooleanAttributePolicy({
      key: block.string('key', ''),
      value: block.boolean('value', false),
      invertMatch: block.boolean('invert_match', false),
    });
  },
  rate_limiting: (block) => {
    block.allowOnly(['spans_per_second']);
    return new RateLimitingPolicy(int64(block, 'spans_per_second'));
  },
  span_count: (block) => {
    block.allowOnly(['min_spans', 'max_spans']);
    return new SpanCountPolicy(int64(block, 'min_spans'), int64(block, 'max_spans'));
  },
  trace_state: (block) => {
    block.allowOnly(['key', 'values']);
    return new TraceStatePolicy(block.string('key', ''), block.strings('values'));
  },
};

const STATUS_CODES: Readonly<Record<string, StatusCode>> = {
  OK: StatusCode.OK,
  ERROR: StatusCode.ERROR,
  UNSET: StatusCode.UNSET,
};

/** Upstream NewStatusCodeFilter: at least one, each OK, ERROR or UNSET, in those words. */
function statusCodes(block: SettingsReader): StatusCode[] {
  const names = block.strings('status_codes');
  if (names.length === 0) throw block.error('expected at least one status code to filter on', 'status_codes');
  return names.map((name, index) => {
    const code = STATUS_CODES[name];
    if (code === undefined) {
      const message = `unknown status code "${name}", supported: OK, ERROR, UNSET`;
      throw new SettingsError(message, [...block.at('status_codes'), index]);
    }
    return code;
  });
}

function checkRegex(block: SettingsReader, pattern: string, index: number): void {
  try {
    re2SearchRegExp(pattern);
  } catch {
    // Upstream regexp.MustCompile panics at start; Vigil says where instead.
    throw new SettingsError(`invalid regular expression "${pattern}"`, [...block.keyPath, 'values', index]);
  }
}

/**
 * An int64 field: a number, truncated as the Collector's decoder truncates floats into int fields,
 * or a string of digits with `_` separators (`100_000`, which YAML 1.1 reads as a number).
 */
export function int64(block: SettingsReader, key: string, fallback = 0): number {
  const raw = block.raw(key);
  if (typeof raw === 'string' && /^[+-]?\d[\d_]*$/.test(raw)) return Number(raw.replaceAll('_', ''));
  return Math.trunc(block.number(key, fallback));
}

/** An empty block for a policy written without one (`type: latency` and no `latency:` mapping). */
export function blockOf(policy: SettingsReader, key: string): SettingsReader {
  return policy.child(key) ?? SettingsReader.of(undefined, policy.at(key));
}
