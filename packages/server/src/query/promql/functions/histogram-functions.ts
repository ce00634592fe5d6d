import { PromQLError } from '../errors.ts';
import { labelsKey, METRIC_NAME, removeLabels, withLabel, type Labels } from '../labels.ts';
import type { Sample } from '../values.ts';
import {
  badBucketLabelWarning,
  DUPLICATE_LABELSET,
  forcedMonotonicityInfo,
  invalidQuantileWarning,
} from './annotation-messages.ts';
import { defineFunction, derivedLabels, scalarArg, stringArg, vectorArg } from './function-helpers.ts';
import type { PromFunction, StepContext, VectorFunction } from './function-types.ts';
import { formatOpenMetricsFloat, parseGoFloat } from './go-text.ts';
import { bucketFraction, bucketQuantile, type Bucket } from './quantile.ts';

/**
 * Histogram functions over classic histograms: series of cumulative bucket counts with an `le`
 * label. Vigil stores no native histograms, so the functions that read only native ones
 * (histogram_count, _sum, _avg, _stddev, _stdvar) return empty vectors, as Prometheus does for
 * float input.
 */

const BUCKET_LABEL = 'le';
const EXCLUDED_FROM_GROUP = new Set([BUCKET_LABEL]);

/** One classic histogram: its labels without `le`, and its buckets. */
interface ClassicHistogram {
  labels: Labels;
  buckets: Bucket[];
}

// A bucket series has the same labels at every step: derive its histogram's labels once.
const identityCache = new WeakMap<Labels, { labels: Labels; key: string }>();

function histogramIdentity(bucketLabels: Labels): { labels: Labels; key: string } {
  let identity = identityCache.get(bucketLabels);
  if (!identity) {
    const labels = removeLabels(bucketLabels, EXCLUDED_FROM_GROUP);
    identity = { labels, key: labelsKey(labels) };
    identityCache.set(bucketLabels, identity);
  }
  return identity;
}

/**
 * Groups bucket samples into histograms by all labels but `le` (the metric name included, so
 * `a_bucket` and `b_bucket` stay apart), warning about samples whose `le` is not a float.
 */
function groupBuckets(samples: readonly Sample[], ctx: StepContext): ClassicHistogram[] {
  const byKey = new Map<string, ClassicHistogram>();
  for (const sample of samples) {
    const le = sample.labels.get(BUCKET_LABEL) ?? '';
    const upperBound = parseGoFloat(le);
    if (upperBound === undefined) {
      ctx.annotations.warn(badBucketLabelWarning(sample.labels.get(METRIC_NAME), le));
      continue;
    }
    const { labels, key } = histogramIdentity(sample.labels);
    let histogram = byKey.get(key);
    if (!histogram) {
      histogram = { labels, buckets: [] };
      byKey.set(key, histogram);
    }
    histogram.buckets.push({ upperBound, count: sample.value });
  }
  return [...byKey.values()];
}

/**
 * One histogram's quantile. The monotonicity info names the metric: Prometheus does so when the
 * name is still known (delayed name removal, as in its conformance tests).
 */
function histogramQuantile(q: number, histogram: ClassicHistogram, ctx: StepContext): number {
  // bucketQuantile sorts and merges in place; later quantiles of the same histogram need the input.
  const result = bucketQuantile(
    q,
    histogram.buckets.map((bucket) => ({ ...bucket })),
  );
  if (result.forcedMonotonic) ctx.annotations.info(forcedMonotonicityInfo(histogram.labels.get(METRIC_NAME)));
  return result.quantile;
}

function warnIfInvalidQuantile(q: number, ctx: StepContext): void {
  if (!(q >= 0 && q <= 1)) ctx.annotations.warn(invalidQuantileWarning(q));
}

/** histogram_quantile(q, buckets): the q-quantile of each classic histogram. */
const histogramQuantileFunction: VectorFunction = (args, ctx) => {
  const q = scalarArg(args, 0);
  warnIfInvalidQuantile(q, ctx);
  return groupBuckets(vectorArg(args, 1), ctx).map((histogram) => ({
    labels: derivedLabels(histogram.labels),
    timestampMs: ctx.timestampMs,
    value: histogramQuantile(q, histogram, ctx),
  }));
};

/**
 * histogram_quantiles(buckets, label, q...) (experimental): one result per quantile and
 * histogram, the quantile in `label` (formatted as OpenMetrics does: `0.0`, `0.5`, `1.0`).
 */
const histogramQuantilesFunction: VectorFunction = (args, ctx) => {
  const label = stringArg(args, 1);
  const quantiles = args.slice(2).map((_, index) => scalarArg(args, index + 2));
  for (const q of quantiles) warnIfInvalidQuantile(q, ctx);
  const histograms = groupBuckets(vectorArg(args, 0), ctx);
  const seen = new Set<string>();
  const out: Sample[] = [];
  for (const q of quantiles) {
    for (const histogram of histograms) {
      const labels = withLabel(derivedLabels(histogram.labels), label, formatOpenMetricsFloat(q));
      const key = labelsKey(labels);
      if (seen.has(key)) throw new PromQLError('execution', DUPLICATE_LABELSET);
      seen.add(key);
      out.push({ labels, timestampMs: ctx.timestampMs, value: histogramQuantile(q, histogram, ctx) });
    }
  }
  return out;
};

/** histogram_fraction(lower, upper, buckets): the share of observations in [lower, upper]. */
const histogramFractionFunction: VectorFunction = (args, ctx) => {
  const lower = scalarArg(args, 0);
  const upper = scalarArg(args, 1);
  return groupBuckets(vectorArg(args, 2), ctx).map((histogram) => ({
    labels: derivedLabels(histogram.labels),
    timestampMs: ctx.timestampMs,
    value: bucketFraction(lower, upper, histogram.buckets),
  }));
};

/** The native-histogram-only functions: float samples are skipped, so the result is empty. */
function nativeOnly(name: string): PromFunction {
  return defineFunction(name, { argTypes: ['vector'], impl: { kind: 'vector', fn: () => [] } });
}

/** histogram_quantile, histogram_quantiles, histogram_fraction and the native-only functions. */
export const HISTOGRAM_FUNCTIONS: readonly PromFunction[] = [
  defineFunction('histogram_quantile', {
    argTypes: ['scalar', 'vector'],
    impl: { kind: 'vector', fn: histogramQuantileFunction },
  }),
  defineFunction('histogram_quantiles', {
    argTypes: ['vector', 'string', 'scalar', 'scalar'],
    variadic: 9,
    impl: { kind: 'vector', fn: histogramQuantilesFunction },
  }),
  defineFunction('histogram_fraction', {
    argTypes: ['scalar', 'scalar', 'vector'],
    impl: { kind: 'vector', fn: histogramFractionFunction },
  }),
  ...['histogram_count', 'histogram_sum', 'histogram_avg', 'histogram_stddev', 'histogram_stdvar'].map(
    nativeOnly,
  ),
];
