import type { AggregateExpr } from './ast.ts';
import { PromQLError } from './errors.ts';
import { newStepSeries, type EvalValue, type StepSeries } from './eval-types.ts';
import type { Evaluator } from './evaluator.ts';
import { labelsKey, METRIC_NAME, removeLabels, keepLabels, type Labels } from './labels.ts';
import { selectK } from './aggregations-k.ts';
import { countValues } from './count-values.ts';
import { formatGoG } from './functions/go-text.ts';
import { kahanAdd as addKahan, type KahanState } from './functions/kahan-sum.ts';
import { quantile } from './functions/quantile.ts';

/**
 * Aggregation operators, computed for all steps at once: each input series is assigned its
 * output group once (labels are fixed over steps), then values fold per step as Prometheus's
 * evaluator.aggregation does (Kahan sums, Welford variance, NaN-aware min/max).
 */
export async function evalAggregate(ev: Evaluator, expr: AggregateExpr): Promise<EvalValue> {
  const input = await ev.eval(expr.expr);
  if (input.type !== 'vector') throw new PromQLError('execution', 'expected an instant vector to aggregate');
  const param = expr.param ? await ev.eval(expr.param) : undefined;
  const groupLabels = groupLabeller(expr);
  switch (expr.op) {
    case 'topk':
    case 'bottomk':
    case 'limitk':
    case 'limit_ratio':
      return selectK(ev, expr, input.series, scalarParam(param), groupLabels);
    case 'count_values':
      if (param?.type !== 'string') throw new PromQLError('execution', 'count_values needs a label name');
      return countValues(ev, input.series, param.value, groupLabels);
    default:
      return reduce(ev, expr, input.series, param?.type === 'scalar' ? param.values : undefined, groupLabels);
  }
}

function scalarParam(param: EvalValue | undefined): Float64Array {
  if (param?.type !== 'scalar') throw new PromQLError('execution', 'expected a scalar parameter');
  return param.values;
}

/** The output labels of a series' group: `by` keeps the listed labels, `without` drops them and the name. */
export function groupLabeller(expr: AggregateExpr): (labels: Labels) => Labels {
  if (!expr.without) {
    const names = [...expr.grouping].sort();
    return (labels) => keepLabels(labels, names);
  }
  const excluded = new Set([...expr.grouping, METRIC_NAME]);
  return (labels) => removeLabels(labels, excluded);
}

export interface Groups {
  /** Group index of each input series. */
  indexOfSeries: Int32Array;
  labels: Labels[];
}

export function assignGroups(series: readonly StepSeries[], groupLabels: (labels: Labels) => Labels): Groups {
  const indexOfSeries = new Int32Array(series.length);
  const indexByKey = new Map<string, number>();
  const labels: Labels[] = [];
  series.forEach((s, i) => {
    const group = groupLabels(s.labels);
    const key = labelsKey(group);
    let index = indexByKey.get(key);
    if (index === undefined) {
      index = labels.length;
      indexByKey.set(key, index);
      labels.push(group);
    }
    indexOfSeries[i] = index;
  });
  return { indexOfSeries, labels };
}

/** Per group and step accumulators, one Float64Array per quantity (group-major). */
interface Accumulators {
  value: Float64Array;
  mean: Float64Array;
  kahan: Float64Array;
  count: Float64Array;
  incremental: Uint8Array;
}

function reduce(
  ev: Evaluator,
  expr: AggregateExpr,
  series: readonly StepSeries[],
  quantileParam: Float64Array | undefined,
  groupLabels: (labels: Labels) => Labels,
): EvalValue {
  const steps = ev.ctx.grid.count;
  const groups = assignGroups(series, groupLabels);
  if (expr.op === 'quantile')
    return quantileAggregate(ev, series, groups, quantileParam ?? new Float64Array(steps));
  const cells = groups.labels.length * steps;
  const acc: Accumulators = {
    value: new Float64Array(cells),
    mean: new Float64Array(cells),
    kahan: new Float64Array(cells),
    count: new Float64Array(cells),
    incremental: new Uint8Array(cells),
  };
  series.forEach((s, i) => {
    const base = (groups.indexOfSeries[i] ?? 0) * steps;
    for (let step = 0; step < steps; step++) {
      if (s.present[step] === 1) accumulate(expr.op, acc, base + step, s.values[step] ?? 0);
    }
  });
  const result: StepSeries[] = groups.labels.map((labels, g) => {
    const out = newStepSeries(labels, steps);
    for (let step = 0; step < steps; step++) {
      const cell = g * steps + step;
      if ((acc.count[cell] ?? 0) === 0) continue;
      out.present[step] = 1;
      out.values[step] = finish(expr.op, acc, cell);
    }
    return out;
  });
  return { type: 'vector', series: result };
}

function accumulate(op: AggregateExpr['op'], acc: Accumulators, cell: number, f: number): void {
  const seen = (acc.count[cell] ?? 0) > 0;
  acc.count[cell] = (acc.count[cell] ?? 0) + 1;
  const count = acc.count[cell] ?? 1;
  if (!seen) {
    acc.value[cell] =
      op === 'group' ? 1 : op === 'stddev' || op === 'stdvar' ? (Number.isFinite(f) ? 0 : NaN) : f;
    acc.mean[cell] = f;
    return;
  }
  switch (op) {
    case 'sum':
      kahanAdd(acc.value, acc.kahan, cell, f);
      return;
    case 'avg':
      return accumulateAvg(acc, cell, f, count);
    case 'max':
      if ((acc.value[cell] ?? 0) < f || Number.isNaN(acc.value[cell])) acc.value[cell] = f;
      return;
    case 'min':
      if ((acc.value[cell] ?? 0) > f || Number.isNaN(acc.value[cell])) acc.value[cell] = f;
      return;
    case 'stddev':
    case 'stdvar': {
      const delta = f - (acc.mean[cell] ?? 0);
      acc.mean[cell] = (acc.mean[cell] ?? 0) + delta / count;
      acc.value[cell] = (acc.value[cell] ?? 0) + delta * (f - (acc.mean[cell] ?? 0));
      return;
    }
    default:
      return; // count and group need only the count.
  }
}

/**
 * Mean as Prometheus computes it: a Kahan sum divided at the end while the sum stays finite,
 * switching to an incremental mean once it would overflow.
 */
function accumulateAvg(acc: Accumulators, cell: number, f: number, count: number): void {
  if (acc.incremental[cell] !== 1) {
    scratch.sum = acc.value[cell] ?? 0;
    scratch.compensation = acc.kahan[cell] ?? 0;
    addKahan(scratch, f);
    if (Number.isFinite(scratch.sum) || Number.isNaN(scratch.sum)) {
      acc.value[cell] = scratch.sum;
      acc.kahan[cell] = scratch.compensation;
      return;
    }
    acc.incremental[cell] = 1;
    acc.mean[cell] = (acc.value[cell] ?? 0) / (count - 1);
    acc.kahan[cell] = (acc.kahan[cell] ?? 0) / (count - 1);
  }
  const q = (count - 1) / count;
  scratch.sum = q * (acc.mean[cell] ?? 0);
  scratch.compensation = q * (acc.kahan[cell] ?? 0);
  addKahan(scratch, f / count);
  acc.mean[cell] = scratch.sum;
  acc.kahan[cell] = scratch.compensation;
}

function finish(op: AggregateExpr['op'], acc: Accumulators, cell: number): number {
  const count = acc.count[cell] ?? 1;
  const value = acc.value[cell] ?? 0;
  switch (op) {
    case 'sum':
      return value + (acc.kahan[cell] ?? 0);
    case 'avg':
      if (count === 1) return acc.mean[cell] ?? 0;
      if (acc.incremental[cell] === 1) return (acc.mean[cell] ?? 0) + (acc.kahan[cell] ?? 0);
      return value / count + (acc.kahan[cell] ?? 0) / count;
    case 'count':
      return count;
    case 'stdvar':
      return value / count;
    case 'stddev':
      return Math.sqrt(value / count);
    default:
      return value;
  }
}

/** One Kahan step on a cell's (sum, compensation) pair, through the shared kahanAdd. */
const scratch: KahanState = { sum: 0, compensation: 0 };

function kahanAdd(values: Float64Array, kahan: Float64Array, cell: number, f: number): void {
  scratch.sum = values[cell] ?? 0;
  scratch.compensation = kahan[cell] ?? 0;
  addKahan(scratch, f);
  values[cell] = scratch.sum;
  kahan[cell] = scratch.compensation;
}

function quantileAggregate(
  ev: Evaluator,
  series: readonly StepSeries[],
  groups: Groups,
  q: Float64Array,
): EvalValue {
  const steps = ev.ctx.grid.count;
  const members: number[][] = groups.labels.map(() => []);
  series.forEach((_, i) => members[groups.indexOfSeries[i] ?? 0]?.push(i));
  for (let step = 0; step < steps; step++) {
    const phi = q[step] ?? NaN;
    if (!(phi >= 0 && phi <= 1))
      ev.ctx.annotations.warn(`quantile value should be between 0 and 1, got ${formatGoG(phi)}`);
  }
  const result = groups.labels.map((labels, g) => {
    const out = newStepSeries(labels, steps);
    const indexes = members[g] ?? [];
    for (let step = 0; step < steps; step++) {
      const values: number[] = [];
      for (const i of indexes) {
        const s = series[i];
        if (s?.present[step] === 1) values.push(s.values[step] ?? 0);
      }
      if (values.length === 0) continue;
      out.present[step] = 1;
      out.values[step] = quantile(q[step] ?? NaN, values);
    }
    return out;
  });
  return { type: 'vector', series: result.filter((s) => s.present.includes(1)) };
}
