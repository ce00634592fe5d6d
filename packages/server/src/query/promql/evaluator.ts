import type { AtModifier, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from './ast.ts';
import { evalAggregate } from './aggregations.ts';
import { evalBinary } from './binary-ops.ts';
import { PromQLError } from './errors.ts';
import {
  newStepSeries,
  stepTimeMs,
  type EvalContext,
  type EvalValue,
  type StepGrid,
  type StepSeries,
} from './eval-types.ts';
import { evalCall } from './function-call.ts';
import { compareLabels, dropMetricName, type Labels } from './labels.ts';
import { mergeSameLabels as mergeChecked } from './series-merge.ts';
import type { StoredSeries } from './series-source.ts';
import { isStaleNaN } from './values.ts';

/** A range vector as functions read it: stale markers removed, and where each step's window ends. */
export interface MatrixInput {
  series: MatrixSeries[];
  rangeMs: number;
  /** The (inclusive) end of the window at each step; the window is (end - rangeMs, end]. */
  windowEndMs(step: number): number;
}

export interface MatrixSeries {
  labels: Labels;
  timestampsMs: Float64Array;
  values: Float64Array;
}

/**
 * Evaluates a syntax tree over a step grid, Prometheus's engine semantics: instant selectors look
 * back `lookbackDeltaMs` for the latest non-stale sample, range windows are left-open,
 * `offset` shifts and `@` pins the evaluation time, subqueries evaluate on their own aligned grid.
 */
export class Evaluator {
  constructor(readonly ctx: EvalContext) {}

  async eval(expr: Expr): Promise<EvalValue> {
    this.checkDeadline();
    switch (expr.kind) {
      case 'number':
        return { type: 'scalar', values: new Float64Array(this.ctx.grid.count).fill(expr.value) };
      case 'string':
        return { type: 'string', value: expr.value };
      case 'paren':
        return this.eval(expr.expr);
      case 'unary':
        return this.unary(await this.eval(expr.expr), expr.op);
      case 'vector_selector':
        return { type: 'vector', series: await this.selectInstant(expr) };
      case 'call':
        return evalCall(this, expr);
      case 'aggregate':
        return evalAggregate(this, expr);
      case 'binary':
        return evalBinary(this, expr);
      case 'matrix_selector':
      case 'subquery':
        throw new PromQLError(
          'execution',
          'cannot evaluate a range vector at each step; wrap it in a function',
        );
    }
  }

  /** A matrix argument: a range selector or a subquery. */
  async evalMatrix(expr: Expr): Promise<MatrixInput> {
    if (expr.kind === 'paren') return this.evalMatrix(expr.expr);
    if (expr.kind === 'matrix_selector') return this.selectRange(expr);
    if (expr.kind === 'subquery') return this.subquery(expr);
    throw new PromQLError('execution', `expected a range vector, got ${expr.kind}`);
  }

  checkDeadline(): void {
    if (performance.now() > this.ctx.limits.deadlineMs)
      throw new PromQLError('timeout', 'query timed out in expression evaluation');
  }

  countSamples(count: number): void {
    this.ctx.limits.samplesLoaded += count;
    if (this.ctx.limits.samplesLoaded > this.ctx.limits.maxSamples)
      throw new PromQLError(
        'execution',
        'query processing would load too many samples into memory in query execution',
      );
  }

  private countSeries(count: number): void {
    const { limits } = this.ctx;
    limits.seriesLoaded += count;
    if (limits.seriesLoaded > limits.maxSeries)
      throw new PromQLError(
        'execution',
        `query processing would load too many series into memory (limit: ${limits.maxSeries} series)`,
      );
  }

  /** The time a selector reads at for a step: `@` pins it, `offset` shifts it back. */
  readTimeMs(at: AtModifier | undefined, offsetMs: number, step: number): number {
    return this.atTimeMs(at, step) - offsetMs;
  }

  private atTimeMs(at: AtModifier | undefined, step: number): number {
    if (at === undefined) return stepTimeMs(this.ctx.grid, step);
    if (at === 'start') return this.ctx.queryStartMs;
    if (at === 'end') return this.ctx.queryEndMs;
    return at.timestampMs;
  }

  private unary(value: EvalValue, op: '+' | '-'): EvalValue {
    if (op === '+' || value.type === 'string') return value;
    if (value.type === 'scalar') return { type: 'scalar', values: value.values.map((v) => -v) };
    const series = value.series.map((s) => ({
      labels: dropMetricName(s.labels),
      values: s.values.map((v) => -v),
      present: s.present,
    }));
    return { type: 'vector', series: mergeChecked(series) };
  }

  private async fetch(
    selector: VectorSelector,
    minTimeMs: number,
    maxTimeMs: number,
  ): Promise<StoredSeries[]> {
    const stored = await this.ctx.source.select(selector.matchers, minTimeMs, maxTimeMs);
    this.countSeries(stored.length);
    this.countSamples(stored.reduce((total, s) => total + s.timestampsMs.length, 0));
    // Storage order is not defined; Prometheus's is label order, which limitk and ties depend on.
    return stored.sort((a, b) => compareLabels(a.labels, b.labels));
  }

  private async selectInstant(selector: VectorSelector): Promise<StepSeries[]> {
    const { grid, lookbackDeltaMs } = this.ctx;
    const first = this.readTimeMs(selector.at, selector.offsetMs, 0);
    const last = this.readTimeMs(selector.at, selector.offsetMs, grid.count - 1);
    const stored = await this.fetch(selector, first - lookbackDeltaMs, last);
    const result: StepSeries[] = [];
    for (const series of stored) {
      const out = this.lookback(series, selector, grid);
      if (out) result.push(out);
    }
    return result;
  }

  /** Per step, the latest sample in (t - lookback, t], unless it is a stale marker. */
  private lookback(series: StoredSeries, selector: VectorSelector, grid: StepGrid): StepSeries | undefined {
    const out = newStepSeries(series.labels, grid.count);
    const sampleTimesMs = new Float64Array(grid.count);
    const { timestampsMs, values } = series;
    let next = 0;
    let any = false;
    for (let step = 0; step < grid.count; step++) {
      const readMs = this.readTimeMs(selector.at, selector.offsetMs, step);
      while (next < timestampsMs.length && (timestampsMs[next] ?? 0) <= readMs) next++;
      const index = next - 1;
      if (index < 0) continue;
      const sampleMs = timestampsMs[index] ?? 0;
      const value = values[index] ?? 0;
      if (sampleMs <= readMs - this.ctx.lookbackDeltaMs || isStaleNaN(value)) continue;
      out.values[step] = value;
      out.present[step] = 1;
      sampleTimesMs[step] = sampleMs;
      any = true;
    }
    if (!any) return undefined;
    out.sampleTimesMs = sampleTimesMs;
    return out;
  }

  private async selectRange(expr: MatrixSelector): Promise<MatrixInput> {
    const { selector, rangeMs } = expr;
    const windowEndMs = (step: number): number => this.readTimeMs(selector.at, selector.offsetMs, step);
    const first = windowEndMs(0);
    const last = windowEndMs(this.ctx.grid.count - 1);
    const stored = await this.fetch(selector, first - rangeMs, last);
    return { series: stored.map(withoutStaleMarkers), rangeMs, windowEndMs };
  }

  /**
   * Evaluates the inner expression on the subquery's own grid: steps at absolute multiples of the
   * subquery step (Prometheus aligns them so results do not depend on the query start), from the
   * earliest window start to the latest window end.
   */
  private async subquery(expr: SubqueryExpr): Promise<MatrixInput> {
    const stepMs = expr.stepMs > 0 ? expr.stepMs : this.ctx.defaultSubqueryStepMs;
    const windowEndMs = (step: number): number => this.readTimeMs(expr.at, expr.offsetMs, step);
    const earliest = windowEndMs(0) - expr.rangeMs;
    const latest = windowEndMs(this.ctx.grid.count - 1);
    const startMs = Math.ceil(earliest / stepMs) * stepMs;
    const count = startMs > latest ? 0 : Math.floor((latest - startMs) / stepMs) + 1;
    const innerGrid = { startMs, stepMs, count };
    if (count === 0) return { series: [], rangeMs: expr.rangeMs, windowEndMs };
    const inner = new Evaluator({ ...this.ctx, grid: innerGrid });
    const value = await inner.eval(expr.expr);
    const series = value.type === 'vector' ? value.series.map((s) => toMatrixSeries(s, innerGrid)) : [];
    return { series, rangeMs: expr.rangeMs, windowEndMs };
  }
}

function withoutStaleMarkers(series: StoredSeries): MatrixSeries {
  let stale = 0;
  for (const value of series.values) if (isStaleNaN(value)) stale++;
  if (stale === 0) return series;
  const timestampsMs = new Float64Array(series.values.length - stale);
  const values = new Float64Array(timestampsMs.length);
  let out = 0;
  series.values.forEach((value, index) => {
    if (isStaleNaN(value)) return;
    timestampsMs[out] = series.timestampsMs[index] ?? 0;
    values[out++] = value;
  });
  return { labels: series.labels, timestampsMs, values };
}

/** The present steps of a series as samples at the grid's times. */
export function toMatrixSeries(series: StepSeries, grid: StepGrid): MatrixSeries {
  let count = 0;
  for (const flag of series.present) count += flag;
  const timestampsMs = new Float64Array(count);
  const values = new Float64Array(count);
  let out = 0;
  for (let step = 0; step < grid.count; step++) {
    if (series.present[step] !== 1) continue;
    timestampsMs[out] = stepTimeMs(grid, step);
    values[out++] = series.values[step] ?? 0;
  }
  return { labels: series.labels, timestampsMs, values };
}

/** Indexes [first, end) of the samples in the window (endMs - rangeMs, endMs]. */
export function windowBounds(timestampsMs: Float64Array, endMs: number, rangeMs: number): [number, number] {
  return [upperBound(timestampsMs, endMs - rangeMs), upperBound(timestampsMs, endMs)];
}

/** First index whose timestamp is > timeMs. */
export function upperBound(timestampsMs: Float64Array, timeMs: number): number {
  let low = 0;
  let high = timestampsMs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((timestampsMs[mid] ?? 0) <= timeMs) low = mid + 1;
    else high = mid;
  }
  return low;
}
