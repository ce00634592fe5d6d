import type { Expr } from '../ast.ts';
import type { Sample, ValueType } from '../values.ts';

/**
 * How the evaluator calls PromQL functions. Every function is described by a {@link PromFunction}
 * in function-table.ts; the parser checks arguments against it, the evaluator calls `impl` once
 * per evaluation step.
 */
export type ArgType = Exclude<ValueType, never>;

/** Warnings and infos attached to a query result, as Prometheus's annotations. */
export interface Annotations {
  warn(message: string): void;
  info(message: string): void;
}

export interface StepContext {
  /** The evaluation time of this step. */
  timestampMs: number;
  annotations: Annotations;
  /** The call's argument expressions (absent() derives labels from a selector's matchers). */
  argExprs: readonly Expr[];
  /**
   * The outermost query's bounds, for start(), end(), range() and step() (Prometheus folds these
   * into literals before evaluation). Instant queries: startMs = endMs, stepMs 0. When absent,
   * those functions treat the query as instant at `timestampMs`.
   */
  query?: QueryBounds;
}

/** Start, end and step of the query as the user sent it (not of an enclosing subquery). */
export interface QueryBounds {
  startMs: number;
  endMs: number;
  stepMs: number;
}

/**
 * The samples of one series that fall in a range function's window at one step: indexes
 * [first, end) of the series' arrays. Range selectors are left-open since Prometheus 3:
 * the window is (rangeStartMs, rangeEndMs].
 */
export interface RangeWindow {
  timestampsMs: ArrayLike<number>;
  values: ArrayLike<number>;
  first: number;
  end: number;
  rangeStartMs: number;
  rangeEndMs: number;
  /** `__name__` of the series, for annotations such as "metric might not be a counter". */
  metricName: string | undefined;
}

/** A function of a range vector: one output value per series and step, or undefined for none. */
export type RangeFunction = (window: RangeWindow, scalarArgs: readonly number[], ctx: StepContext) => number | undefined;

export type FunctionArg =
  | { type: 'vector'; samples: Sample[] }
  | { type: 'scalar'; value: number }
  | { type: 'string'; value: string };

/**
 * A function of instant vectors, scalars and strings, evaluated per step. Returns a vector (its
 * samples' timestamps set to ctx.timestampMs) or, for scalar-returning functions, a number.
 */
export type VectorFunction = (args: readonly FunctionArg[], ctx: StepContext) => Sample[] | number;

/** Applied to each sample value of the first (vector) argument; scalars are the other args. */
export type ElementwiseFunction = (value: number, scalarArgs: readonly number[], ctx: StepContext) => number;

export type FunctionImpl =
  /** The argument at `matrixArg` is a range vector; the other args are scalars. */
  | { kind: 'range'; matrixArg: number; fn: RangeFunction }
  | { kind: 'vector'; fn: VectorFunction }
  | { kind: 'elementwise'; fn: ElementwiseFunction };

export interface PromFunction {
  name: string;
  /**
   * Argument types. As Prometheus's parser checks them: with `variadic` 0 exactly these; otherwise
   * at least `argTypes.length - 1` and at most `argTypes.length - 1 + variadic` (-1: no maximum),
   * arguments past the list taking the last type.
   */
  argTypes: readonly ArgType[];
  variadic: number;
  returnType: 'vector' | 'scalar';
  /** Whether the output keeps `__name__` (most functions drop it; e.g. last_over_time keeps it). */
  keepsMetricName: boolean;
  impl: FunctionImpl;
}
