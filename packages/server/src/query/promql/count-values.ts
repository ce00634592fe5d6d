import { PromQLError } from './errors.ts';
import { type EvalValue, type StepSeries } from './eval-types.ts';
import type { Evaluator } from './evaluator.ts';
import { StepCollector } from './function-call.ts';
import { formatGoFloat } from './go-format.ts';
import { labelsKey, withLabel, type Labels } from './labels.ts';
import { quoteGoString } from './format-query.ts';
import { isValidLabelName } from './literals.ts';
import type { Sample } from './values.ts';

/** count_values("label", v): per step, how many series of each group have each value. */
export function countValues(
  ev: Evaluator,
  series: readonly StepSeries[],
  label: string,
  groupLabels: (labels: Labels) => Labels,
): EvalValue {
  if (!isValidLabelName(label))
    throw new PromQLError('execution', `invalid label name ${quoteGoString(label)}`);
  const steps = ev.ctx.grid.count;
  const groups = series.map((s) => groupLabels(s.labels));
  const collector = new StepCollector(steps);
  for (let step = 0; step < steps; step++) {
    const counts = new Map<string, Sample>();
    series.forEach((s, i) => {
      if (s.present[step] !== 1) return;
      const labels = withLabel(groups[i] ?? s.labels, label, formatGoFloat(s.values[step] ?? 0));
      const key = labelsKey(labels);
      const sample = counts.get(key);
      if (sample) sample.value += 1;
      else counts.set(key, { labels, timestampMs: 0, value: 1 });
    });
    collector.add(step, [...counts.values()]);
  }
  return { type: 'vector', series: collector.series() };
}
