/**
 * A latency SLI counts good events from the `_bucket` series whose `le` is the threshold. When no
 * bucket has that bound the good-event rate is empty, the error ratio is absent and the alerts can
 * never fire: status says so instead of showing "no data".
 */
import { PromQLError } from '../../query/promql/errors.ts';
import { formatPromFloat } from '../../model/prom-naming.ts';
import { bucketSelector, type SloQueryEngine } from './sli-queries.ts';
import type { LatencySli } from './slo-spec.ts';

/** Bucket bounds listed in the message at most. */
const MAX_LISTED_BOUNDS = 20;

/**
 * A problem description, or undefined when a bucket's `le` equals the threshold (compared as
 * numbers, so `1`, `1.0` and `1e+00` all count).
 *
 * @example
 * await latencyBucketProblem(engine, sli, nowMs);
 * // 'latency threshold 0.3 is not a bucket bound of ml_inference_latency_seconds (bounds: 0.1, 0.25, 0.5, +Inf); …'
 */
export async function latencyBucketProblem(
  engine: SloQueryEngine,
  sli: LatencySli,
  nowMs: number,
): Promise<string | undefined> {
  let bounds: number[];
  try {
    const { value } = await engine.instantQuery(`count by (le) (${bucketSelector(sli)})`, nowMs);
    bounds =
      value.type === 'vector' ? value.samples.map((sample) => parseBound(sample.labels.get('le'))) : [];
  } catch (error: unknown) {
    if (error instanceof PromQLError) return `latency bucket check: ${error.message}`;
    throw error;
  }
  if (bounds.length === 0) return `no ${sli.metric}_bucket series match the SLI (within the lookback)`;
  if (bounds.includes(sli.threshold)) return undefined;
  const listed = [...new Set(bounds)]
    .sort((a, b) => a - b)
    .slice(0, MAX_LISTED_BOUNDS)
    .map(formatPromFloat);
  return (
    `latency threshold ${formatPromFloat(sli.threshold)} is not a bucket bound of ${sli.metric} ` +
    `(bounds: ${listed.join(', ')}); the SLI has no good events until it is`
  );
}

function parseBound(le: string | undefined): number {
  if (le === undefined) return NaN;
  if (le === '+Inf' || le === 'Inf') return Infinity;
  return Number(le);
}
