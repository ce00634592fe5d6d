import { formatGoG, goQuote } from './go-text.ts';

/**
 * The texts of Prometheus's annotations (util/annotations) and evaluation errors that functions
 * raise. Annotation texts leave out the `PromQL warning: ` / `PromQL info: ` prefix, which the
 * Annotations sink adds by kind, and the query position, which Vigil does not report.
 */

/** Error of label_replace/label_join/histogram_quantiles when two outputs share a label set. */
export const DUPLICATE_LABELSET = 'vector cannot contain metrics with the same labelset';

/** Go's maybeAddMetricName: ` for metric name "x"` unless the name is empty. */
function forMetricName(metricName: string | undefined): string {
  return metricName ? ` for metric name ${goQuote(metricName)}` : '';
}

/** Warning: NewInvalidQuantileWarning, `got %g`. */
export function invalidQuantileWarning(quantile: number): string {
  return `quantile value should be between 0 and 1, got ${formatGoG(quantile)}`;
}

/** Warning: NewBadBucketLabelWarning, for a classic bucket without a parseable `le`. */
export function badBucketLabelWarning(metricName: string | undefined, le: string): string {
  return `bucket label "le" is missing or has a malformed value of ${goQuote(le)}${forMetricName(metricName)}`;
}

/** Info: NewPossibleNonCounterInfo, for rate()/increase() over a name without a counter suffix. */
export function possibleNonCounterInfo(metricName: string): string {
  return `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(metricName)}`;
}

/** Info: NewHistogramQuantileForcedMonotonicityInfo, without the position and sample summary. */
export function forcedMonotonicityInfo(metricName: string | undefined): string {
  return (
    'input to histogram_quantile needed to be fixed for monotonicity ' +
    '(see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)' +
    forMetricName(metricName)
  );
}
