import type { Labels } from '../labels.ts';
import type { SequenceValue } from './sequence-values.ts';

/**
 * The commands of a PromQL test script (upstream promql/promqltest/README.md). Line numbers are
 * 1-based, as promqltest reports them (`line %d`).
 */
export type ScriptCommand = LoadCommand | ClearCommand | EvalCommand | InvalidCommand;

/** `load <interval>` (or `load_with_nhcb`) and its series lines; time 0 is the Unix epoch. */
export interface LoadCommand {
  kind: 'load';
  line: number;
  intervalMs: number;
  /** Classic histogram series also become native histograms with custom buckets (NHCB). */
  withNhcb: boolean;
  /** One per distinct label set; a later line for the same labels replaces the earlier one. */
  series: LoadSeries[];
  /** Start-timestamp (`@st`) lines were present; Vigil ignores start timestamps. */
  hasStartTimestamps: boolean;
}

export interface LoadSeries {
  line: number;
  labels: Labels;
  values: SequenceValue[];
}

export interface ClearCommand {
  kind: 'clear';
  line: number;
}

/** A block the parser could not read; the runner reports it as a failure. */
export interface InvalidCommand {
  kind: 'invalid';
  line: number;
  text: string;
  message: string;
}

/** Evaluation times of a range query (also the grid of `expect range vector`). */
export interface TimeGrid {
  startMs: number;
  endMs: number;
  stepMs: number;
}

export type EvalQuery = { type: 'instant'; timeMs: number } | ({ type: 'range' } & TimeGrid);

/** How an expected error or annotation message is matched: any, exactly, or by regex. */
export type MessageMatcher =
  { kind: 'any' } | { kind: 'message'; message: string } | { kind: 'regex'; regex: RegExp };

export interface ExpectedSeries {
  labels: Labels;
  values: SequenceValue[];
  /** 1-based position among the block's lines, for `expect ordered` (promqltest's entry.pos). */
  position: number;
}

/** `eval instant …` / `eval range …` with its expectations. */
export interface EvalCommand {
  kind: 'eval';
  line: number;
  expr: string;
  query: EvalQuery;
  /** `expect fail` or the old `eval_fail`; every matcher must match the error message. */
  fail: { expected: boolean; matchers: MessageMatcher[] };
  warn: AnnotationExpectation;
  info: AnnotationExpectation;
  ordered: boolean;
  /** A bare number line: the result must be this scalar. */
  scalar: number | undefined;
  series: ExpectedSeries[];
  /** `expect string "…"`; a string result is compared with '' when there is none, as upstream. */
  string: string | undefined;
  /** `expect range vector from … to … step …`: an instant query returning a matrix on this grid. */
  rangeVector: TimeGrid | undefined;
  /** `expect string` and `expect range vector` evals are not re-run as range queries. */
  excludeFromRangeQuery: boolean;
  /** Expected values contain native histograms (`{{…}}`). */
  nativeHistogram: boolean;
}

/** `expect warn|info` lines (all must match, and every annotation must match one) or `no_…`. */
export interface AnnotationExpectation {
  /** Old `eval_warn`/`eval_info`: at least one annotation of the kind. */
  required: boolean;
  matchers: MessageMatcher[];
  forbidden: boolean;
}
