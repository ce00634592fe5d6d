import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTestScript, type EvalOutcome, type RunOptions } from './script-runner.ts';

/** Upstream promql/promqltest/testdata (v3.14.0), in the shared conformance data. */
export const CONFORMANCE_DIR = fileURLToPath(
  new URL('../../../../../../../shared/conformance/promql/', import.meta.url),
);

/**
 * The files a float-only engine is measured on (../shared/conformance/README.md); the rest test
 * native histograms or experimental features.
 */
export const CORE_FILES: readonly string[] = [
  'aggregators.test',
  'at_modifier.test',
  'collision.test',
  'functions.test',
  'histograms.test',
  'literals.test',
  'operators.test',
  'range_queries.test',
  'selectors.test',
  'staleness.test',
  'subquery.test',
  'trig_functions.test',
];

/** `functions`, `functions.test` or a path → the file name in CONFORMANCE_DIR. */
export function conformanceFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.endsWith('.test') ? base : `${base}.test`;
}

/** Reads and runs one upstream test file by name. */
export async function runConformanceFile(name: string, options: RunOptions = {}): Promise<EvalOutcome[]> {
  const file = conformanceFileName(name);
  const script = await readFile(join(CONFORMANCE_DIR, file), 'utf8');
  return runTestScript(file, script, options);
}

export interface FileSummary {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Pass counts of one file. Skipped evals (native histograms) are left out of the denominator:
 * `passed / (passed + failed)`.
 */
export function summarize(file: string, outcomes: readonly EvalOutcome[]): FileSummary {
  const count = (status: EvalOutcome['status']) =>
    outcomes.filter((outcome) => outcome.status === status).length;
  return { file, passed: count('pass'), failed: count('fail'), skipped: count('skip') };
}

/** `promql conformance functions.test: 412/431 pass (3 skipped)` */
export function formatSummary(summary: FileSummary): string {
  const skipped = summary.skipped > 0 ? ` (${summary.skipped} skipped: native histogram)` : '';
  return `promql conformance ${summary.file}: ${summary.passed}/${summary.passed + summary.failed} pass${skipped}`;
}
