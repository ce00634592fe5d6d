import { readFile } from 'node:fs/promises';
import { formatRuleFileError, parseRuleFile, type ParsedRuleFile } from '../rules/rulefmt/parse-rule-file.ts';
import { CliError, type Command } from './command.ts';

const USAGE = `Usage: vigil check-rules [--lint-fatal] [--lint all|none] FILE...

Checks Prometheus rule files as \`promtool check rules\` does: strict YAML fields, valid PromQL,
metric and label names, templates, with the line and column of every problem. Lint findings
(duplicate rules, alerting rules without a runbook_url annotation) are reported but do not fail
the check unless --lint-fatal is given.

Exit status (as promtool's): 0 all files valid, 1 a file is invalid, 3 lint findings with
--lint-fatal, 2 bad arguments.

Flags:
  --lint-fatal   make lint findings fatal (exit 3)
  --lint MODE    all (default) or none
  -h, --help     show this help`;

/** promtool's exit codes (cmd/promtool/main.go successExitCode, failureExitCode, lintErrExitCode). */
const EXIT_SUCCESS = 0;
const EXIT_FAILURE = 1;
const EXIT_LINT = 3;

export interface CheckRulesOptions {
  lintFatal: boolean;
  lint: boolean;
}

/**
 * `vigil check-rules FILE...`: the file names are the positionals.
 *
 * @example
 * await checkRulesCommand.run({ 'lint-fatal': true }, ['rules.yml']);
 */
export const checkRulesCommand: Command = {
  usage: USAGE,
  options: { 'lint-fatal': { type: 'boolean' }, lint: { type: 'string' } },
  allowPositionals: true,
  run: async (values, files) => {
    if (files.length === 0) throw new CliError('give at least one rule file', 2);
    const lint = typeof values['lint'] === 'string' ? values['lint'] : 'all';
    if (lint !== 'all' && lint !== 'none') throw new CliError("--lint must be 'all' or 'none'", 2);
    const options = { lintFatal: values['lint-fatal'] === true, lint: lint === 'all' };
    return checkRuleFiles(files, options);
  },
};

/**
 * Checks each file and prints promtool's report: `Checking FILE`, then `  SUCCESS: N rules found`
 * or `  FAILED:` and one `FILE:LINE:COL: message` per problem. Like promtool, a file with only
 * lint findings prints `  FAILED:` and `lint error ...` lines yet passes unless lint is fatal.
 * Reports go to stdout, problems to stderr, as promtool writes them.
 */
export async function checkRuleFiles(files: readonly string[], options: CheckRulesOptions): Promise<number> {
  let failed = false;
  let linted = false;
  for (const file of files) {
    console.log(`Checking ${file}`);
    const result = await checkFile(file);
    const warnings = options.lint ? result.warnings : [];
    if (result.errors.length > 0) {
      failed = true;
      console.error('  FAILED:');
      for (const error of result.errors) console.error(formatRuleFileError(error));
    } else if (warnings.length > 0) {
      linted = true;
      console.error('  FAILED:');
      for (const warning of warnings) console.error(`lint error ${formatRuleFileError(warning)}`);
    } else {
      const count = result.groups.reduce((total, group) => total + group.rules.length, 0);
      console.log(`  SUCCESS: ${count} rules found`);
    }
    console.log('');
  }
  if (failed) return EXIT_FAILURE;
  return linted && options.lintFatal ? EXIT_LINT : EXIT_SUCCESS;
}

async function checkFile(file: string): Promise<ParsedRuleFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    const message = `cannot read the rule file (${reason})`;
    return { groups: [], errors: [{ file, line: 0, column: 0, message }], warnings: [] };
  }
  return parseRuleFile(text, file);
}
