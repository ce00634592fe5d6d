import { labelsKey, METRIC_NAME } from '../../query/promql/labels.ts';
import type { Sample } from '../../query/promql/values.ts';
import type { OutputSample } from './alert-state-machine.ts';
import type { CompiledRule } from './rule-runtime.ts';

export const DUPLICATE_SERIES_ERROR =
  'vector contains metrics with the same labelset after applying rule labels';

/**
 * A recording rule's result as it is stored (RecordingRule.Eval): each sample renamed to the
 * rule's `record` name with the rule's labels set over its own (an empty value removes the
 * label). Two samples ending with the same labels, or more than `limit` of them, fail the rule.
 *
 * @example
 * // record: job:up:sum, labels: {team: infra}; sample {job="api"} 3 → job:up:sum{job="api",team="infra"} 3
 */
export function recordingOutput(
  rule: CompiledRule,
  samples: readonly Sample[],
  limit: number,
): OutputSample[] {
  const output: OutputSample[] = [];
  const seen = new Set<string>();
  for (const sample of samples) {
    const labels = new Map(sample.labels);
    labels.set(METRIC_NAME, rule.name);
    for (const [name, value] of Object.entries(rule.labels)) {
      if (value === '') labels.delete(name);
      else labels.set(name, value);
    }
    const key = labelsKey(labels);
    if (seen.has(key)) throw new Error(DUPLICATE_SERIES_ERROR);
    seen.add(key);
    output.push({ labels, value: sample.value });
  }
  if (limit > 0 && output.length > limit)
    throw new Error(`exceeded limit of ${limit} with ${output.length} series`);
  return output;
}
