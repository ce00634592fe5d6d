import { PromQLEngine } from '../engine.ts';
import { formatLabels } from '../labels.ts';
import { MemorySeriesSource } from '../memory-series-source.ts';
import type { SeriesSource } from '../series-source.ts';
import {
  checkInstantEval,
  checkRangeEval,
  type ConformanceEngine,
  type EvalChecks,
  type EvalProblem,
} from './eval-runner.ts';
import { HistogramProbeSource, nhcbSeriesLabels } from './histogram-probe.ts';
import { describeQuery, formatExpected } from './result-format.ts';
import type { EvalCommand, LoadCommand } from './script-commands.ts';
import { parseTestScript } from './test-script.ts';

export type { ConformanceEngine } from './eval-runner.ts';

/** The outcome of one eval block (or of a block the parser could not read). */
export interface EvalOutcome {
  file: string;
  /** 1-based line of the `eval` command. */
  line: number;
  expr: string;
  status: 'pass' | 'fail' | 'skip';
  /** Empty for a pass; why it failed or was skipped otherwise. */
  reason: string;
  /** For failures: the query that showed it, and expected and got in test-script syntax. */
  details?: { query: string; expected: string[]; got: string[] };
}

export type EngineFactory = (source: SeriesSource) => ConformanceEngine;

export interface RunOptions extends Partial<EvalChecks> {
  /** Builds the engine under test; PromQLEngine with promqltest's settings by default. */
  engineFactory?: EngineFactory;
  /** Run only the eval on this line (loads and clears before it still run). */
  line?: number;
}

/**
 * The engine settings promqltest's NewTestEngine uses that Vigil's engine has: a 5m lookback
 * and a 1m step for subqueries without one (`@` and negative offsets are always on in Vigil).
 */
export const defaultEngineFactory: EngineFactory = (source) =>
  new PromQLEngine(source, { lookbackDeltaMs: 5 * 60_000, defaultSubqueryStepMs: 60_000 });

interface Storage {
  source: MemorySeriesSource;
  probe: HistogramProbeSource;
  engine: ConformanceEngine;
}

/**
 * Runs a test script against a fresh in-memory storage and a new engine, as promqltest's
 * runTest does, and returns one outcome per eval. Unlike upstream, a failing eval does not stop
 * the script. `clear` starts over with empty storage.
 *
 * @example
 * const outcomes = await runTestScript('functions.test', await readFile(path, 'utf8'));
 * const failed = outcomes.filter((outcome) => outcome.status === 'fail');
 */
export async function runTestScript(
  file: string,
  script: string,
  options: RunOptions = {},
): Promise<EvalOutcome[]> {
  const engineFactory = options.engineFactory ?? defaultEngineFactory;
  const checks: EvalChecks = {
    atModifierVariants: options.atModifierVariants ?? true,
    rangeMode: options.rangeMode ?? true,
  };
  let storage = newStorage(engineFactory);
  const outcomes: EvalOutcome[] = [];
  for (const command of parseTestScript(script)) {
    switch (command.kind) {
      case 'clear':
        storage = newStorage(engineFactory);
        break;
      case 'load':
        load(storage, command);
        break;
      case 'invalid':
        if (options.line === undefined || options.line === command.line) {
          outcomes.push({
            file,
            line: command.line,
            expr: command.text,
            status: 'fail',
            reason: `cannot parse block: ${command.message}`,
          });
        }
        break;
      case 'eval':
        if (options.line === undefined || options.line === command.line)
          outcomes.push(await runEval(file, command, storage, checks));
        break;
    }
  }
  return outcomes;
}

function newStorage(engineFactory: EngineFactory): Storage {
  const source = new MemorySeriesSource();
  const probe = new HistogramProbeSource(source);
  return { source, probe, engine: engineFactory(probe) };
}

/** Adds float samples (stale markers included) and records native histogram samples in the probe. */
function load(storage: Storage, command: LoadCommand): void {
  for (const series of command.series) {
    const nhcbLabels = command.withNhcb ? nhcbSeriesLabels(series.labels) : undefined;
    series.values.forEach((value, index) => {
      const timestampMs = index * command.intervalMs;
      if (value.kind === 'float') {
        storage.source.add(series.labels, timestampMs, value.value);
        if (nhcbLabels) storage.probe.addHistogramSample(nhcbLabels, timestampMs);
      } else if (value.kind === 'histogram') {
        storage.probe.addHistogramSample(series.labels, timestampMs);
      }
    });
  }
}

async function runEval(
  file: string,
  command: EvalCommand,
  storage: Storage,
  checks: EvalChecks,
): Promise<EvalOutcome> {
  const outcome = { file, line: command.line, expr: command.expr };
  if (command.nativeHistogram)
    return {
      ...outcome,
      status: 'skip',
      reason: 'native histogram: the expected result contains {{…}} values',
    };
  storage.probe.resetTouched();
  let problem: EvalProblem | undefined;
  if (command.query.type === 'range') problem = await checkRangeEval(command, storage.engine, command.query);
  else
    problem = await checkInstantEval(
      command,
      storage.engine,
      command.rangeVector?.endMs ?? command.query.timeMs,
      checks,
    );
  if (!problem) return { ...outcome, status: 'pass', reason: '' };
  const details = {
    query: problem.query || describeQuery(command.query),
    expected: formatExpected(command),
    got: problem.got,
  };
  const histogramSeries = storage.probe.touched;
  if (histogramSeries) {
    // Vigil stores floats only: a failure of a query that read native histogram samples is not
    // counted (a pass is, the float part being right). The reason keeps the failure visible.
    const name = histogramSeries.get('__name__') ?? formatLabels(histogramSeries);
    const reason = `native histogram: the query reads ${name}, loaded with native histogram samples; it failed with: ${problem.reason}`;
    return { ...outcome, status: 'skip', reason, details };
  }
  return { ...outcome, status: 'fail', reason: problem.reason, details };
}
