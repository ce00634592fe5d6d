import { valueTypeOf, type Expr } from './ast.ts';
import { PromQLError } from './errors.ts';
import type { EvalValue, StepGrid } from './eval-types.ts';
import { Evaluator, toMatrixSeries, windowBounds } from './evaluator.ts';
import type { Annotations } from './functions/function-types.ts';
import { compareLabels, EMPTY_LABELS } from './labels.ts';
import { parseExpr } from './parser.ts';
import type { SeriesSource } from './series-source.ts';
import type { PromValue } from './values.ts';

export interface EngineOptions {
  /** How far back an instant selector looks for the latest sample (Prometheus default 5m). */
  lookbackDeltaMs: number;
  /** Subquery step when none is given ([5m:] ), Prometheus's default evaluation interval 1m. */
  defaultSubqueryStepMs: number;
  /** Query timeout; exceeded → PromQLError('timeout', 'query timed out in …'). */
  timeoutMs: number;
  /** Maximum samples held in memory at once (Prometheus --query.max-samples, 50M). */
  maxSamples: number;
  /** Maximum series all selectors of one query may load (Mimir's max_fetched_series_per_query). */
  maxSeries: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  lookbackDeltaMs: 5 * 60_000,
  defaultSubqueryStepMs: 60_000,
  timeoutMs: 2 * 60_000,
  maxSamples: 50_000_000,
  maxSeries: 500_000,
};

export interface QueryResult {
  /** Instant query: any type. Range query: always a matrix. */
  value: PromValue;
  warnings: string[];
  infos: string[];
}

/**
 * Evaluates PromQL over a {@link SeriesSource} exactly as Prometheus's engine does.
 * Throws PromQLError (bad_data for parse errors, execution/timeout for evaluation).
 *
 * @example
 * const engine = new PromQLEngine(source);
 * const { value } = await engine.instantQuery('sum by (job) (rate(http_requests_total[5m]))', Date.now());
 */
export class PromQLEngine {
  readonly options: EngineOptions;
  constructor(
    private readonly source: SeriesSource,
    options: Partial<EngineOptions> = {},
  ) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  }

  instantQuery(query: string, timeMs: number): Promise<QueryResult> {
    return this.run(query, timeMs, timeMs, 1, true);
  }

  /** Steps start, start+step, … up to and including end. */
  rangeQuery(query: string, startMs: number, endMs: number, stepMs: number): Promise<QueryResult> {
    if (!(stepMs > 0))
      return Promise.reject(
        new PromQLError(
          'bad_data',
          'zero or negative query resolution step widths are not accepted. Try a positive integer',
        ),
      );
    if (endMs < startMs)
      return Promise.reject(new PromQLError('bad_data', 'end timestamp must not be before start time'));
    return this.run(query, startMs, endMs, stepMs, false);
  }

  private async run(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    instant: boolean,
  ): Promise<QueryResult> {
    const expr = parseExpr(query);
    const type = valueTypeOf(expr);
    if (!instant && (type === 'matrix' || type === 'string'))
      throw new PromQLError(
        'bad_data',
        `invalid expression type "${type === 'matrix' ? 'range vector' : 'string'}" for range query, must be Scalar or instant Vector`,
      );
    const annotations = new AnnotationSet();
    if (!instant && callsAny(expr, SORT_FUNCTIONS))
      annotations.warn('sort is ineffective for range queries since results are always ordered by labels');
    const grid = { startMs, stepMs, count: Math.floor((endMs - startMs) / stepMs) + 1 };
    const evaluator = new Evaluator({
      grid,
      source: this.source,
      lookbackDeltaMs: this.options.lookbackDeltaMs,
      defaultSubqueryStepMs: this.options.defaultSubqueryStepMs,
      queryStartMs: startMs,
      queryEndMs: endMs,
      queryStepMs: instant ? 0 : stepMs,
      annotations,
      limits: {
        deadlineMs: performance.now() + this.options.timeoutMs,
        timeoutMs: this.options.timeoutMs,
        maxSamples: this.options.maxSamples,
        samplesLoaded: 0,
        maxSeries: this.options.maxSeries,
        seriesLoaded: 0,
      },
    });
    const value =
      instant && type === 'matrix'
        ? await instantMatrix(evaluator, expr, startMs)
        : toPromValue(await evaluator.eval(expr), grid, instant);
    return { value, warnings: annotations.warnings(), infos: annotations.infos() };
  }
}

const SORT_FUNCTIONS = new Set(['sort', 'sort_desc', 'sort_by_label', 'sort_by_label_desc']);

function callsAny(expr: Expr, names: ReadonlySet<string>): boolean {
  switch (expr.kind) {
    case 'call':
      return names.has(expr.name) || expr.args.some((arg) => callsAny(arg, names));
    case 'aggregate':
      return callsAny(expr.expr, names) || (expr.param !== undefined && callsAny(expr.param, names));
    case 'binary':
      return callsAny(expr.lhs, names) || callsAny(expr.rhs, names);
    case 'unary':
    case 'paren':
    case 'subquery':
      return callsAny(expr.expr, names);
    default:
      return false;
  }
}

/** Warnings and infos, each reported once, with Prometheus's prefixes. */
class AnnotationSet implements Annotations {
  private readonly warningSet = new Set<string>();
  private readonly infoSet = new Set<string>();
  warn(message: string): void {
    this.warningSet.add(`PromQL warning: ${message}`);
  }
  info(message: string): void {
    this.infoSet.add(`PromQL info: ${message}`);
  }
  warnings(): string[] {
    return [...this.warningSet];
  }
  infos(): string[] {
    return [...this.infoSet];
  }
}

function toPromValue(value: EvalValue, grid: StepGrid, instant: boolean): PromValue {
  if (value.type === 'string') return { type: 'string', timestampMs: grid.startMs, value: value.value };
  if (instant) {
    if (value.type === 'scalar')
      return { type: 'scalar', timestampMs: grid.startMs, value: value.values[0] ?? NaN };
    const samples = value.series
      .filter((s) => s.present[0] === 1)
      .map((s) => ({ labels: s.labels, timestampMs: grid.startMs, value: s.values[0] ?? 0 }));
    return { type: 'vector', samples };
  }
  const series =
    value.type === 'scalar'
      ? [{ labels: EMPTY_LABELS, values: value.values, present: new Uint8Array(grid.count).fill(1) }]
      : value.series;
  const matrix = series
    .map((s) => toMatrixSeries(s, grid))
    .filter((s) => s.timestampsMs.length > 0)
    .map((s) => ({ labels: s.labels, timestampsMs: [...s.timestampsMs], values: [...s.values] }));
  matrix.sort((a, b) => compareLabels(a.labels, b.labels));
  return { type: 'matrix', series: matrix };
}

/** An instant query of a range selector or subquery returns the raw window (Prometheus allows it). */
async function instantMatrix(evaluator: Evaluator, expr: Expr, timeMs: number): Promise<PromValue> {
  const matrix = await evaluator.evalMatrix(expr);
  const endMs = matrix.windowEndMs(0);
  const series = matrix.series
    .map((s) => {
      const [first, end] = windowBounds(s.timestampsMs, endMs, matrix.rangeMs);
      return {
        labels: s.labels,
        timestampsMs: [...s.timestampsMs.subarray(first, end)],
        values: [...s.values.subarray(first, end)],
      };
    })
    .filter((s) => s.timestampsMs.length > 0);
  void timeMs;
  return { type: 'matrix', series };
}
