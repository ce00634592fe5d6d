import type { AttributeValue } from '../../../../model/attributes.ts';
import type { Span } from '../../../../model/span.ts';
import { Decision } from '../decision.ts';

/** Tests one attribute value (undefined when the key is absent). */
export type ValueTest = (value: AttributeValue | undefined) => boolean;

/**
 * Sampled when the attribute `key` passes `test` on any span or on any span's resource, as the
 * Collector's hasResourceOrSpanWithCondition (internal/sampling/util.go). Resources are shared by
 * reference between the spans of a batch, so each distinct resource is tested once in a row.
 */
export function resourceOrSpanMatches(spans: readonly Span[], key: string, test: ValueTest): boolean {
  let lastResourceAttributes: unknown;
  for (const span of spans) {
    const resourceAttributes = span.resource.attributes;
    if (resourceAttributes !== lastResourceAttributes) {
      lastResourceAttributes = resourceAttributes;
      if (test(resourceAttributes[key])) return true;
    }
    if (test(span.attributes[key])) return true;
  }
  return false;
}

/**
 * The `invert_match` form (upstream invertHasResourceOrSpanWithCondition): InvertNotSampled as soon
 * as any resource or span has a matching value, else InvertSampled, so a trace without the key at
 * all is sampled.
 */
export function invertedMatch(spans: readonly Span[], key: string, test: ValueTest): Decision {
  return resourceOrSpanMatches(spans, key, test) ? Decision.InvertNotSampled : Decision.InvertSampled;
}

/** Sampled/NotSampled, or the inverted pair when `invertMatch` is set. */
export function attributeDecision(
  spans: readonly Span[],
  key: string,
  test: ValueTest,
  invertMatch: boolean,
): Decision {
  if (invertMatch) return invertedMatch(spans, key, test);
  return resourceOrSpanMatches(spans, key, test) ? Decision.Sampled : Decision.NotSampled;
}
