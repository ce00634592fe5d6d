import type { QueryResult } from '../engine.ts';
import { PromQLError } from '../errors.ts';
import type { PromValue, RangeSeries, Sample } from '../values.ts';
import { atModifierVariants, type InstantVariant } from './at-modifier-variants.ts';
import { checkAnnotations, checkExpectedFailure } from './expectation-checks.ts';
import { checkMatrixSorted, compareResult } from './result-compare.ts';
import { formatResult, formatTimeMs } from './result-format.ts';
import type { EvalCommand, TimeGrid } from './script-commands.ts';

/** What the runner needs of an engine: PromQLEngine's query methods. */
export interface ConformanceEngine {
  instantQuery(query: string, timeMs: number): Promise<QueryResult>;
  rangeQuery(query: string, startMs: number, endMs: number, stepMs: number): Promise<QueryResult>;
}

export interface EvalChecks {
  /** Re-run instant evals with `@` pinned at other times (promqltest's atModifierTestCases). */
  atModifierVariants: boolean;
  /** Re-run instant evals as a range query around the eval time (promqltest's range mode). */
  rangeMode: boolean;
}

/** Why an eval failed: the reason, the query that showed it, and the result it returned. */
export interface EvalProblem {
  reason: string;
  query: string;
  got: string[];
}

const MINUTE_MS = 60_000;
// promqltest's reQueryContextFuncs: these resolve differently in a range query.
const QUERY_CONTEXT_FUNCTIONS = /(start|end|range|step)\(\)/;

type QueryOutcome = { result: QueryResult } | { error: string };

/** Runs a query; a PromQLError is the query failing, any other exception an engine bug. */
async function runQuery(run: () => Promise<QueryResult>): Promise<QueryOutcome | EvalProblem> {
  try {
    return { result: await run() };
  } catch (error) {
    if (error instanceof PromQLError) return { error: error.message };
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return {
      reason: `engine threw a non-PromQL error: ${detail.split('\n').slice(0, 3).join(' | ')}`,
      query: '',
      got: [],
    };
  }
}

/** promqltest's execRangeEval. */
export async function checkRangeEval(
  command: EvalCommand,
  engine: ConformanceEngine,
  grid: TimeGrid,
): Promise<EvalProblem | undefined> {
  const query = `range query from ${formatTimeMs(grid.startMs)} to ${formatTimeMs(grid.endMs)} step ${formatTimeMs(grid.stepMs)}`;
  const outcome = await runQuery(() =>
    engine.rangeQuery(command.expr, grid.startMs, grid.endMs, grid.stepMs),
  );
  return checkOutcome(command, outcome, grid, query);
}

/** promqltest's execInstantEval: the plain instant query, then its @-modifier variants. */
export async function checkInstantEval(
  command: EvalCommand,
  engine: ConformanceEngine,
  evalTimeMs: number,
  checks: EvalChecks,
): Promise<EvalProblem | undefined> {
  const plain = await checkInstantQuery(
    command,
    engine,
    { expr: command.expr, timeMs: evalTimeMs },
    checks,
    'instant query',
  );
  if (plain || !checks.atModifierVariants) return plain;
  for (const variant of atModifierVariants(command.expr, evalTimeMs)) {
    const problem = await checkInstantQuery(command, engine, variant, checks, '@-modifier variant');
    if (problem) return problem;
  }
  return undefined;
}

async function checkInstantQuery(
  command: EvalCommand,
  engine: ConformanceEngine,
  variant: InstantVariant,
  checks: EvalChecks,
  what: string,
): Promise<EvalProblem | undefined> {
  const query = `${what} at ${formatTimeMs(variant.timeMs)}${variant.expr === command.expr ? '' : `: ${variant.expr}`}`;
  // For a plain instant query no expected point fits the grid: expected values must be single.
  const grid = command.rangeVector ?? { startMs: variant.timeMs, endMs: -Infinity, stepMs: 0 };
  const outcome = await runQuery(() => engine.instantQuery(variant.expr, variant.timeMs));
  const problem = checkOutcome(command, outcome, grid, query);
  if (problem || 'error' in outcome || 'reason' in outcome || command.fail.expected) return problem;
  if (!checks.rangeMode || command.excludeFromRangeQuery || QUERY_CONTEXT_FUNCTIONS.test(variant.expr))
    return undefined;
  return checkRangeMode(command, engine, variant, outcome.result.value);
}

/** The shared part: expected failure, annotations, then the value. */
function checkOutcome(
  command: EvalCommand,
  outcome: QueryOutcome | EvalProblem,
  grid: TimeGrid,
  query: string,
): EvalProblem | undefined {
  if ('reason' in outcome) return { ...outcome, query };
  const problem = (reason: string, got: string[] = []): EvalProblem => ({ reason, query, got });
  if ('error' in outcome) {
    if (!command.fail.expected)
      return problem(`error evaluating query: ${outcome.error}`, [`error: ${outcome.error}`]);
    const mismatch = checkExpectedFailure(command, outcome.error);
    return mismatch === undefined ? undefined : problem(mismatch, [`error: ${outcome.error}`]);
  }
  const { value, warnings, infos } = outcome.result;
  const got = [
    ...formatResult(value, grid),
    ...warnings.map((w) => `warning: ${w}`),
    ...infos.map((i) => `info: ${i}`),
  ];
  if (command.fail.expected) return problem('expected error evaluating query but got none', got);
  const annotationProblem = checkAnnotations(command, warnings, infos);
  if (annotationProblem !== undefined) return problem(annotationProblem, got);
  const mismatch = compareResult(command, value, grid);
  return mismatch === undefined ? undefined : problem(mismatch, got);
}

/**
 * The instant query must give the same answer as the middle step of a range query from t-1m to
 * t+1m (step 1m). Skipped for `expect ordered`, since range results are sorted by labels.
 */
async function checkRangeMode(
  command: EvalCommand,
  engine: ConformanceEngine,
  variant: InstantVariant,
  instantValue: PromValue,
): Promise<EvalProblem | undefined> {
  const timeMs = variant.timeMs;
  const query = `range mode (from ${formatTimeMs(timeMs - MINUTE_MS)} to ${formatTimeMs(timeMs + MINUTE_MS)} step 1m, compared at ${formatTimeMs(timeMs)})${variant.expr === command.expr ? '' : `: ${variant.expr}`}`;
  const outcome = await runQuery(() =>
    engine.rangeQuery(variant.expr, timeMs - MINUTE_MS, timeMs + MINUTE_MS, MINUTE_MS),
  );
  if ('reason' in outcome) return { ...outcome, query };
  if ('error' in outcome)
    return {
      reason: `error evaluating query in range mode: ${outcome.error}`,
      query,
      got: [`error: ${outcome.error}`],
    };
  if (command.ordered) return undefined;
  const grid = { startMs: timeMs - MINUTE_MS, endMs: timeMs + MINUTE_MS, stepMs: MINUTE_MS };
  const got = formatResult(outcome.result.value, grid);
  if (outcome.result.value.type !== 'matrix')
    return { reason: `range query returned a ${outcome.result.value.type}, not a matrix`, query, got };
  const unsorted = checkMatrixSorted(outcome.result.value.series);
  if (unsorted !== undefined) return { reason: `range mode: ${unsorted}`, query, got };
  const atEvalTime = valueAt(outcome.result.value.series, timeMs, instantValue.type === 'scalar');
  if (!atEvalTime)
    return { reason: 'range mode returned no sample for the scalar at the eval time', query, got };
  const mismatch = compareResult(command, atEvalTime, { startMs: timeMs, endMs: -Infinity, stepMs: 0 });
  return mismatch === undefined ? undefined : { reason: `range mode: ${mismatch}`, query, got };
}

/**
 * The points of a range result at one time, as a vector; an instant scalar comes back from a
 * range query as one series without labels, and is read back as a scalar (undefined if absent).
 */
function valueAt(series: readonly RangeSeries[], timeMs: number, scalar: boolean): PromValue | undefined {
  const samples: Sample[] = [];
  for (const one of series) {
    const index = one.timestampsMs.indexOf(timeMs);
    if (index >= 0)
      samples.push({ labels: one.labels, timestampMs: timeMs, value: one.values[index] ?? NaN });
  }
  if (!scalar) return { type: 'vector', samples };
  const first = samples[0];
  return first ? { type: 'scalar', timestampMs: timeMs, value: first.value } : undefined;
}
