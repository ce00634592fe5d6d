import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CORE_FILES, formatSummary, runConformanceFile, summarize } from './testing/conformance-files.ts';
import { KNOWN_FAILURES, type KnownFailure } from './testing/known-failures.ts';
import type { EvalOutcome } from './testing/script-runner.ts';

/**
 * Prometheus's own PromQL test scripts (promql/promqltest/testdata, v3.14.0) run against Vigil's
 * engine. PROMQL_TEST_FILE=functions (and PROMQL_TEST_LINE=123) narrow the run for debugging;
 * testing/run-conformance.ts prints each failure with expected and got.
 */
const onlyFile = process.env.PROMQL_TEST_FILE;
const onlyLine =
  process.env.PROMQL_TEST_LINE === undefined ? undefined : Number(process.env.PROMQL_TEST_LINE);
const files =
  onlyFile === undefined ? CORE_FILES : [onlyFile.endsWith('.test') ? onlyFile : `${onlyFile}.test`];

/**
 * The pass rate is passed / (passed + failed). Skipped evals are not in the denominator; an eval
 * is skipped only for native histograms, which Vigil's float engine does not store: its expected
 * result contains `{{…}}` values, or it failed after its query read series that the script loaded
 * with native histogram samples (`{{…}}` or load_with_nhcb). Every other eval counts, including
 * blocks the parser could not read.
 */
const MIN_PASS_RATE = 0.95;

const key = (entry: { file: string; line: number }): string => `${entry.file}:${entry.line}`;

describe('PromQL conformance (upstream promqltest scripts)', () => {
  const outcomes: EvalOutcome[] = [];

  before(async () => {
    for (const file of files) {
      const fileOutcomes = await runConformanceFile(file, { line: onlyLine });
      outcomes.push(...fileOutcomes);
      console.log(formatSummary(summarize(file, fileOutcomes)));
    }
    const total = summarize('total', outcomes);
    const scope = onlyFile === undefined ? 'total (core files):' : 'total (PROMQL_TEST_FILE/LINE):';
    console.log(formatSummary(total).replace('total:', scope));
  });

  test(`pass rate is at least ${MIN_PASS_RATE * 100}%`, () => {
    const { passed, failed } = summarize('total', outcomes);
    assert.ok(passed + failed > 0, 'no eval ran');
    const rate = passed / (passed + failed);
    assert.ok(
      rate >= MIN_PASS_RATE,
      `pass rate ${(rate * 100).toFixed(1)}% (${passed}/${passed + failed}) is below ${MIN_PASS_RATE * 100}%`,
    );
  });

  test('every failing eval is listed in testing/known-failures.ts', () => {
    const known = new Set(KNOWN_FAILURES.map(key));
    const unlisted = outcomes.filter((outcome) => outcome.status === 'fail' && !known.has(key(outcome)));
    const shown = unlisted
      .slice(0, 20)
      .map((outcome) => `${key(outcome)} ${outcome.expr}\n    ${outcome.reason}`);
    const more =
      unlisted.length > 20 ? `\n  … and ${unlisted.length - 20} more (run testing/run-conformance.ts)` : '';
    assert.equal(
      unlisted.length,
      0,
      `${unlisted.length} failing evals are not in known-failures.ts:\n  ${shown.join('\n  ')}${more}`,
    );
  });

  test('every entry of testing/known-failures.ts still fails', () => {
    const ran = new Map(outcomes.map((outcome) => [key(outcome), outcome]));
    const inScope = (entry: KnownFailure) =>
      files.includes(entry.file) && (onlyLine === undefined || entry.line === onlyLine);
    const stale = KNOWN_FAILURES.filter(inScope).filter((entry) => ran.get(key(entry))?.status !== 'fail');
    const shown = stale.map(
      (entry) => `${key(entry)} (${ran.get(key(entry))?.status ?? 'no eval on that line'})`,
    );
    assert.equal(
      stale.length,
      0,
      `known failures that no longer fail (remove them):\n  ${shown.join('\n  ')}`,
    );
  });
});
