import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  CONFORMANCE_DIR,
  CORE_FILES,
  conformanceFileName,
  formatSummary,
  runConformanceFile,
  summarize,
} from './conformance-files.ts';
import { KNOWN_FAILURES } from './known-failures.ts';
import type { EvalOutcome } from './script-runner.ts';

const USAGE = `Runs Prometheus's PromQL test scripts (../shared/conformance/promql) against Vigil's engine
and prints each failing eval with its query, expected and got.

Usage: node --import tsx packages/server/src/query/promql/testing/run-conformance.ts [options] [file[:line] ...]

  file[:line]      a test file (functions, functions.test or a path), optionally only the eval
                   on that line; default: the core files
  --all            every .test file, not only the core ones
  --grep TEXT      only evals whose expression contains TEXT
  --new            only failures not listed in known-failures.ts
  --passes         also list passing evals
  --skips          also list skipped evals (native histograms)
  --summary        only the pass counts
  --emit-known     print known-failures.ts entries for the failures
  --json           print the outcomes as JSON
  --no-variants    do not re-run instant evals with @ pinned (upstream does)
  --no-range-mode  do not re-run instant evals as range queries (upstream does)
  -h, --help

Exit status: 0 when every failure is listed in known-failures.ts, 1 otherwise, 2 on bad usage.`;

const OPTIONS = {
  all: { type: 'boolean' },
  grep: { type: 'string' },
  new: { type: 'boolean' },
  passes: { type: 'boolean' },
  skips: { type: 'boolean' },
  summary: { type: 'boolean' },
  'emit-known': { type: 'boolean' },
  json: { type: 'boolean' },
  'no-variants': { type: 'boolean' },
  'no-range-mode': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Target {
  file: string;
  line: number | undefined;
}

const knownKeys = new Map(KNOWN_FAILURES.map((entry) => [`${entry.file}:${entry.line}`, entry]));
const isKnown = (outcome: EvalOutcome): boolean => knownKeys.has(`${outcome.file}:${outcome.line}`);

function parseTargets(positionals: readonly string[], all: boolean): Target[] {
  if (positionals.length === 0) {
    const files = all
      ? readdirSync(CONFORMANCE_DIR)
          .filter((name) => name.endsWith('.test'))
          .sort()
      : CORE_FILES;
    return files.map((file) => ({ file, line: undefined }));
  }
  return positionals.map((argument) => {
    const match = /^(.*?)(?::(\d+))?$/.exec(argument);
    return {
      file: conformanceFileName(match?.[1] ?? argument),
      line: match?.[2] === undefined ? undefined : Number(match[2]),
    };
  });
}

function printOutcome(outcome: EvalOutcome): void {
  const tag = outcome.status === 'fail' && isKnown(outcome) ? ' [known]' : '';
  console.log(`${outcome.status.toUpperCase()} ${outcome.file}:${outcome.line}${tag}  ${outcome.expr}`);
  if (outcome.status === 'pass') return;
  const details = outcome.details;
  if (details) console.log(`  query:    ${details.query}`);
  console.log(`  reason:   ${outcome.reason}`);
  if (!details) return;
  printLines('expected:', details.expected);
  printLines('got:     ', details.got.length > 0 ? details.got : ['(nothing)']);
  console.log('');
}

function printLines(label: string, lines: readonly string[]): void {
  lines.forEach((line, index) => console.log(`  ${index === 0 ? label : ' '.repeat(label.length)} ${line}`));
}

function shouldPrint(
  outcome: EvalOutcome,
  values: { new?: boolean; passes?: boolean; skips?: boolean },
): boolean {
  if (outcome.status === 'pass') return values.passes === true;
  if (outcome.status === 'skip') return values.skips === true;
  return !(values.new === true && isKnown(outcome));
}

function emitKnown(outcomes: readonly EvalOutcome[]): void {
  for (const outcome of outcomes.filter((candidate) => candidate.status === 'fail')) {
    const reason = (
      knownKeys.get(`${outcome.file}:${outcome.line}`)?.reason ?? `TODO: ${outcome.reason}`
    ).slice(0, 200);
    console.log(
      `  { file: ${quote(outcome.file)}, line: ${outcome.line}, reason: ${quote(reason)} }, // ${outcome.expr.slice(0, 80)}`,
    );
  }
}

/** A single-quoted TypeScript string literal, as the code style writes them. */
function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ options: OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    console.log(USAGE);
    return 0;
  }
  const options = {
    atModifierVariants: values['no-variants'] !== true,
    rangeMode: values['no-range-mode'] !== true,
  };
  const outcomes: EvalOutcome[] = [];
  const summaries: string[] = [];
  for (const target of parseTargets(positionals, values.all === true)) {
    let fileOutcomes = await runConformanceFile(target.file, { ...options, line: target.line });
    if (values.grep !== undefined)
      fileOutcomes = fileOutcomes.filter((outcome) => outcome.expr.includes(values.grep ?? ''));
    outcomes.push(...fileOutcomes);
    summaries.push(formatSummary(summarize(target.file, fileOutcomes)));
    const printable =
      values.summary === true || values.json === true || values['emit-known'] === true ? [] : fileOutcomes;
    for (const outcome of printable) if (shouldPrint(outcome, values)) printOutcome(outcome);
  }
  if (values.json === true) console.log(JSON.stringify(outcomes, null, 2));
  if (values['emit-known'] === true) emitKnown(outcomes);
  return printTotals(outcomes, summaries);
}

/** Per-file counts, the total, and how the failures compare with known-failures.ts. */
function printTotals(outcomes: readonly EvalOutcome[], summaries: readonly string[]): number {
  const log = (line: string) => console.error(line);
  summaries.forEach(log);
  if (summaries.length > 1) log(formatSummary(summarize('total', outcomes)));
  const failures = outcomes.filter((outcome) => outcome.status === 'fail');
  const unlisted = failures.filter((outcome) => !isKnown(outcome));
  const ranKeys = new Map(outcomes.map((outcome) => [`${outcome.file}:${outcome.line}`, outcome.status]));
  const fixed = KNOWN_FAILURES.filter((entry) => {
    const status = ranKeys.get(`${entry.file}:${entry.line}`);
    return status !== undefined && status !== 'fail';
  });
  log(
    `${failures.length} failing, ${unlisted.length} not in known-failures.ts, ${fixed.length} known failures now pass`,
  );
  for (const entry of fixed) log(`  now passes (remove from known-failures.ts): ${entry.file}:${entry.line}`);
  return unlisted.length > 0 ? 1 : 0;
}

process.exitCode = await main();
