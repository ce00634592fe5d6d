import type { Expr, FunctionCall } from './ast.ts';
import { PromQLError } from './errors.ts';
import { newStepSeries, stepTimeMs, type EvalValue, type StepSeries } from './eval-types.ts';
import type { Evaluator, MatrixInput } from './evaluator.ts';
import { upperBound } from './evaluator.ts';
import type {
  ElementwiseFunction,
  FunctionArg,
  PromFunction,
  RangeFunction,
  RangeWindow,
  StepContext,
  VectorFunction,
} from './functions/function-types.ts';
import { getFunction } from './functions/function-table.ts';
import { absentLabels } from './functions/vector-functions.ts';
import { dropMetricName, labelsKey, METRIC_NAME, type Labels } from './labels.ts';
import { mergeSameLabels } from './series-merge.ts';
import type { Sample } from './values.ts';

/** Evaluates a function call at every step, dispatching on how the function is implemented. */
export async function evalCall(ev: Evaluator, call: FunctionCall): Promise<EvalValue> {
  const fn = getFunction(call.name);
  if (!fn) throw new PromQLError('bad_data', `unknown function with name "${call.name}"`);
  if (fn.name === 'absent_over_time') return absentOverTime(ev, call);
  switch (fn.impl.kind) {
    case 'range':
      return evalRange(ev, call, fn, fn.impl.matrixArg, fn.impl.fn);
    case 'elementwise':
      return evalElementwise(ev, call, fn, fn.impl.fn);
    case 'vector':
      return evalPerStep(ev, call, fn, fn.impl.fn);
  }
}

function stepContext(ev: Evaluator, call: FunctionCall): StepContext {
  const { queryStartMs, queryEndMs, queryStepMs } = ev.ctx;
  return {
    timestampMs: 0,
    annotations: ev.ctx.annotations,
    argExprs: call.args,
    query: { startMs: queryStartMs, endMs: queryEndMs, stepMs: queryStepMs },
  };
}

/** Scalar arguments as one array of per-step values each. */
async function scalarArgs(ev: Evaluator, args: readonly Expr[]): Promise<Float64Array[]> {
  const values: Float64Array[] = [];
  for (const arg of args) {
    const value = await ev.eval(arg);
    if (value.type !== 'scalar') throw new PromQLError('execution', 'expected a scalar argument');
    values.push(value.values);
  }
  return values;
}

function argsAt(scalars: readonly Float64Array[], step: number, into: number[]): number[] {
  if (into.length !== scalars.length) into.length = scalars.length;
  for (let i = 0; i < scalars.length; i++) into[i] = scalars[i]?.[step] ?? NaN;
  return into;
}

function outputLabels(labels: Labels, fn: PromFunction): Labels {
  return fn.keepsMetricName ? labels : dropMetricName(labels);
}

async function evalRange(
  ev: Evaluator,
  call: FunctionCall,
  fn: PromFunction,
  matrixArg: number,
  range: RangeFunction,
): Promise<EvalValue> {
  const matrixExpr = call.args[matrixArg];
  if (!matrixExpr) throw new PromQLError('bad_data', `missing range vector argument to ${fn.name}`);
  const matrix = await ev.evalMatrix(matrixExpr);
  const scalars = await scalarArgs(
    ev,
    call.args.filter((_, index) => index !== matrixArg),
  );
  const { grid } = ev.ctx;
  const ctx = stepContext(ev, call);
  const argValues: number[] = [];
  const result: StepSeries[] = [];
  for (const series of matrix.series) {
    ev.checkDeadline();
    const out = newStepSeries(outputLabels(series.labels, fn), grid.count);
    const window: RangeWindow = {
      timestampsMs: series.timestampsMs,
      values: series.values,
      first: 0,
      end: 0,
      rangeStartMs: -Infinity,
      rangeEndMs: -Infinity,
      metricName: series.labels.get(METRIC_NAME),
    };
    let any = false;
    for (let step = 0; step < grid.count; step++) {
      if (!moveWindow(window, matrix, step)) continue;
      ctx.timestampMs = stepTimeMs(grid, step);
      const value = range(window, argsAt(scalars, step, argValues), ctx);
      if (value === undefined) continue;
      out.values[step] = value;
      out.present[step] = 1;
      any = true;
    }
    if (any) result.push(out);
  }
  return { type: 'vector', series: mergeSameLabels(result) };
}

/**
 * Positions the window for a step; false when it holds no sample. Window ends never decrease
 * from one step to the next, so both bounds only move forward from where the last step left them.
 */
function moveWindow(window: RangeWindow, matrix: MatrixInput, step: number): boolean {
  const endMs = matrix.windowEndMs(step);
  const timestamps = window.timestampsMs;
  const startMs = endMs - matrix.rangeMs;
  if (endMs < window.rangeEndMs) {
    window.first = upperBound(timestamps as Float64Array, startMs);
    window.end = upperBound(timestamps as Float64Array, endMs);
  } else {
    let { first, end } = window;
    const length = timestamps.length;
    while (first < length && (timestamps[first] ?? 0) <= startMs) first++;
    if (end < first) end = first;
    while (end < length && (timestamps[end] ?? 0) <= endMs) end++;
    window.first = first;
    window.end = end;
  }
  window.rangeEndMs = endMs;
  window.rangeStartMs = startMs;
  return window.end > window.first;
}

async function evalElementwise(
  ev: Evaluator,
  call: FunctionCall,
  fn: PromFunction,
  apply: ElementwiseFunction,
): Promise<EvalValue> {
  const [vectorArg, ...rest] = call.args;
  if (!vectorArg) throw new PromQLError('bad_data', `missing argument to ${fn.name}`);
  const input = await ev.eval(vectorArg);
  if (input.type !== 'vector')
    throw new PromQLError('execution', `expected an instant vector argument to ${fn.name}`);
  const scalars = await scalarArgs(ev, rest);
  const { grid } = ev.ctx;
  const ctx = stepContext(ev, call);
  const argValues: number[] = [];
  const result = input.series.map((series) => {
    const out: StepSeries = {
      labels: outputLabels(series.labels, fn),
      values: new Float64Array(grid.count),
      present: series.present,
    };
    for (let step = 0; step < grid.count; step++) {
      if (series.present[step] !== 1) continue;
      ctx.timestampMs = stepTimeMs(grid, step);
      out.values[step] = apply(series.values[step] ?? 0, argsAt(scalars, step, argValues), ctx);
    }
    return out;
  });
  return { type: 'vector', series: mergeSameLabels(result) };
}

/** The general path: call the function with whole vectors, one step at a time. */
async function evalPerStep(
  ev: Evaluator,
  call: FunctionCall,
  fn: PromFunction,
  apply: VectorFunction,
): Promise<EvalValue> {
  const args: EvalValue[] = [];
  for (const arg of call.args) args.push(await ev.eval(arg));
  const { grid } = ev.ctx;
  const ctx = stepContext(ev, call);
  const collector = new StepCollector(grid.count);
  const scalar = new Float64Array(grid.count);
  for (let step = 0; step < grid.count; step++) {
    if ((step & 63) === 0) ev.checkDeadline();
    ctx.timestampMs = stepTimeMs(grid, step);
    const output = apply(
      args.map((arg) => argAt(arg, step, ctx.timestampMs)),
      ctx,
    );
    if (typeof output === 'number') scalar[step] = output;
    else collector.add(step, output);
  }
  if (fn.returnType === 'scalar') return { type: 'scalar', values: scalar };
  return { type: 'vector', series: collector.series() };
}

function argAt(value: EvalValue, step: number, timestampMs: number): FunctionArg {
  if (value.type === 'scalar') return { type: 'scalar', value: value.values[step] ?? NaN };
  if (value.type === 'string') return { type: 'string', value: value.value };
  return { type: 'vector', samples: samplesAt(value.series, step, timestampMs) };
}

/** The instant vector of one step; selector samples keep their own timestamps (for timestamp()). */
export function samplesAt(series: readonly StepSeries[], step: number, timestampMs: number): Sample[] {
  const samples: Sample[] = [];
  for (const s of series) {
    if (s.present[step] !== 1) continue;
    const sampleMs = s.sampleTimesMs?.[step] ?? timestampMs;
    samples.push({ labels: s.labels, timestampMs: sampleMs, value: s.values[step] ?? 0 });
  }
  return samples;
}

/** Gathers per-step vectors into series, rejecting two samples with equal labels in one step. */
export class StepCollector {
  private readonly byKey = new Map<string, StepSeries>();
  constructor(private readonly stepCount: number) {}

  add(step: number, samples: readonly Sample[]): void {
    for (const sample of samples) {
      const key = labelsKey(sample.labels);
      let series = this.byKey.get(key);
      if (!series) {
        series = newStepSeries(sample.labels, this.stepCount);
        this.byKey.set(key, series);
      }
      if (series.present[step] === 1)
        throw new PromQLError('execution', 'vector cannot contain metrics with the same labelset');
      series.present[step] = 1;
      series.values[step] = sample.value;
    }
  }

  series(): StepSeries[] {
    return [...this.byKey.values()];
  }
}

/** absent_over_time: 1 at steps where no series has a sample in the window, labelled as absent() does. */
async function absentOverTime(ev: Evaluator, call: FunctionCall): Promise<EvalValue> {
  const matrixExpr = call.args[0];
  if (!matrixExpr) throw new PromQLError('bad_data', 'missing argument to absent_over_time');
  const matrix = await ev.evalMatrix(matrixExpr);
  const { grid } = ev.ctx;
  const out = newStepSeries(absentLabels(matrixExpr), grid.count);
  for (let step = 0; step < grid.count; step++) {
    const endMs = matrix.windowEndMs(step);
    const has = matrix.series.some(
      (s) => upperBound(s.timestampsMs, endMs) > upperBound(s.timestampsMs, endMs - matrix.rangeMs),
    );
    if (!has) {
      out.values[step] = 1;
      out.present[step] = 1;
    }
  }
  return { type: 'vector', series: out.present.includes(1) ? [out] : [] };
}
