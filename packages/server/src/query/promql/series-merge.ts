import { PromQLError } from './errors.ts';
import type { StepSeries } from './eval-types.ts';
import { labelsKey } from './labels.ts';

/**
 * Folds series that ended up with the same labels (e.g. after a function dropped `__name__`) into
 * one. Two of them holding a value at the same step is the error Prometheus raises in rangeEval:
 * "vector cannot contain metrics with the same labelset".
 */
export function mergeSameLabels(series: StepSeries[]): StepSeries[] {
  if (series.length < 2) return series;
  const byKey = new Map<string, StepSeries>();
  let merged = false;
  for (const current of series) {
    const key = labelsKey(current.labels);
    const existing = byKey.get(key);
    if (!existing) {
      byKey.set(key, current);
      continue;
    }
    merged = true;
    byKey.set(key, mergeInto(existing, current));
  }
  return merged ? [...byKey.values()] : series;
}

function mergeInto(target: StepSeries, other: StepSeries): StepSeries {
  const result: StepSeries = {
    labels: target.labels,
    values: Float64Array.from(target.values),
    present: Uint8Array.from(target.present),
  };
  for (let step = 0; step < other.present.length; step++) {
    if (other.present[step] !== 1) continue;
    if (result.present[step] === 1)
      throw new PromQLError('execution', 'vector cannot contain metrics with the same labelset');
    result.present[step] = 1;
    result.values[step] = other.values[step] ?? 0;
  }
  return result;
}
