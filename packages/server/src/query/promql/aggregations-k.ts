import type { AggregateExpr } from './ast.ts';
import { assignGroups } from './aggregations.ts';
import { PromQLError } from './errors.ts';
import { newStepSeries, type EvalValue, type StepSeries } from './eval-types.ts';
import type { Evaluator } from './evaluator.ts';
import { formatGoG } from './functions/go-text.ts';
import { labelsKey, type Labels } from './labels.ts';

const MAX_INT64 = 9223372036854775807;

/**
 * topk, bottomk, limitk and limit_ratio: per step and group, which input series pass through
 * (with their own labels). For an instant query the output is ordered as Prometheus orders it:
 * groups in order of first appearance, topk descending, bottomk ascending.
 */
export function selectK(
  ev: Evaluator,
  expr: AggregateExpr,
  series: readonly StepSeries[],
  param: Float64Array,
  groupLabels: (labels: Labels) => Labels,
): EvalValue {
  validateParam(expr.op, param);
  const steps = ev.ctx.grid.count;
  const groups = assignGroups(series, groupLabels);
  const members: number[][] = groups.labels.map(() => []);
  series.forEach((_, i) => members[groups.indexOfSeries[i] ?? 0]?.push(i));
  const outputs = new Map<number, StepSeries>();
  const instantOrder: number[] = [];
  const present: number[] = [];
  for (let step = 0; step < steps; step++) {
    const f = param[step] ?? NaN;
    for (const indexes of members) {
      present.length = 0;
      for (const i of indexes) if (series[i]?.present[step] === 1) present.push(i);
      const chosen = choose(expr.op, present, series, step, f);
      for (const i of chosen) {
        const input = series[i];
        if (!input) continue;
        let out = outputs.get(i);
        if (!out) {
          out = newStepSeries(input.labels, steps);
          outputs.set(i, out);
        }
        out.present[step] = 1;
        out.values[step] = input.values[step] ?? 0;
        if (steps === 1) instantOrder.push(i);
      }
    }
  }
  const order = steps === 1 ? instantOrder : [...outputs.keys()];
  return {
    type: 'vector',
    series: order.map((i) => outputs.get(i)).filter((s): s is StepSeries => s !== undefined),
  };
}

function validateParam(op: AggregateExpr['op'], param: Float64Array): void {
  for (const f of param) {
    if (Number.isNaN(f))
      throw new PromQLError(
        'execution',
        op === 'limit_ratio' ? 'Ratio value is NaN' : 'Parameter value is NaN',
      );
    if (op === 'limit_ratio') continue;
    if (f <= -MAX_INT64) throw new PromQLError('execution', `Scalar value ${formatGoG(f)} underflows int64`);
    if (f >= MAX_INT64) throw new PromQLError('execution', `Scalar value ${formatGoG(f)} overflows int64`);
  }
}

function choose(
  op: AggregateExpr['op'],
  present: number[],
  series: readonly StepSeries[],
  step: number,
  f: number,
): number[] {
  if (present.length === 0) return [];
  if (op === 'limit_ratio') return present.filter((i) => ratioSampled(series[i]?.labels, f));
  const k = Math.min(Math.trunc(f), present.length);
  if (k < 1) return [];
  if (op === 'limitk') return present.slice(0, k);
  return topIndexes(op === 'topk' ? -1 : 1, k, present, series, step);
}

/**
 * The k best series at a step, best first: a bounded insertion sort, O(n·k) for the small k
 * dashboards use instead of sorting every series. NaN sorts after every number for both topk and
 * bottomk (upstream heaps evict it first); ties keep input order.
 */
function topIndexes(
  direction: number,
  k: number,
  present: readonly number[],
  series: readonly StepSeries[],
  step: number,
): number[] {
  const chosen: number[] = [];
  const chosenValues: number[] = [];
  for (const i of present) {
    const value = series[i]?.values[step] ?? NaN;
    let at = chosen.length;
    while (at > 0 && before(direction, value, chosenValues[at - 1] ?? NaN)) at--;
    if (at >= k) continue;
    chosen.splice(at, 0, i);
    chosenValues.splice(at, 0, value);
    if (chosen.length > k) {
      chosen.pop();
      chosenValues.pop();
    }
  }
  return chosen;
}

/** Whether `a` ranks strictly before `b` (direction -1: larger first, 1: smaller first). */
function before(direction: number, a: number, b: number): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return direction < 0 ? a > b : a < b;
}

/**
 * limit_ratio keeps a series when a deterministic offset derived from its labels falls within the
 * ratio (negative ratios select the complement). Upstream hashes with xxhash; any stable uniform
 * hash gives the documented guarantees (r and -(1-r) partition the input).
 */
function ratioSampled(labels: Labels | undefined, ratio: number): boolean {
  const r = Math.max(-1, Math.min(1, ratio));
  const offset = labels ? hashOffset(labelsKey(labels)) : 0;
  return (r >= 0 && offset < r) || (r < 0 && offset >= 1 + r);
}

function hashOffset(text: string): number {
  // FNV-1a 32-bit, normalised to [0, 1).
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x100000000;
}
