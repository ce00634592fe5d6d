import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  analyzeCollectorConfig,
  parseCollectorYaml,
  type Env,
} from '../config/collector/analyze-collector-config.ts';
import { readCollectorGraph } from '../config/collector/graph-config.ts';
import { formatProblem } from '../config/collector/problem.ts';
import { applyConfigObject, ConfigError } from '../config/load-config.ts';
import { defaultConfig, type VigilConfig } from '../config/vigil-config.ts';
import { validateGraphSettings } from '../pipeline/graph/validate-graph.ts';
import { CliError, type Command } from './command.ts';

const USAGE = `Usage: vigil validate-config FILE...

Checks a Vigil config file, which has the OpenTelemetry Collector's shape (receivers, processors,
exporters, connectors, extensions, service.pipelines, \${env:NAME} references) plus a vigil: section.
Prints FILE:LINE:COL for every problem. Errors stop Vigil from starting; notes say what Vigil will
not do with a valid config (components not implemented yet, unused components, service discovery
this host cannot run).

Exit status: 0 no errors (notes allowed), 1 a file has errors, 2 bad arguments.

Flags:
  -h, --help     show this help`;

/**
 * \`vigil validate-config FILE...\`: the file names are the positionals.
 *
 * @example
 * await validateConfigCommand.run({}, ['vigil.yaml']); // 0 when vigil.yaml would start
 */
export const validateConfigCommand: Command = {
  usage: USAGE,
  options: {},
  allowPositionals: true,
  run: async (_values, files) => {
    if (files.length === 0) throw new CliError('give a config file', 2);
    return validateConfigFiles(files, process.env);
  },
};

/**
 * Checks each file and prints `Checking FILE`, a `note:` line per note (stdout), an `error:` line
 * per error (stderr), then `SUCCESS`/`FAILED` with the counts. Resolves with the exit status.
 */
export async function validateConfigFiles(files: readonly string[], env: Env): Promise<number> {
  let failed = false;
  for (const file of files) {
    console.log(`Checking ${file}`);
    const { errors, notes } = await validateConfigFile(file, env);
    for (const note of notes) console.log(`  note: ${note}`);
    for (const error of errors) console.error(`  error: ${error}`);
    const counts = `${count(errors.length, 'error')}, ${count(notes.length, 'note')}`;
    console.log(errors.length > 0 ? `  FAILED: ${counts}` : `  SUCCESS: ${counts}`);
    failed ||= errors.length > 0;
  }
  return failed ? 1 : 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Formatted problems of one file: the Collector-shape analysis, then what serve's loader rejects. */
async function validateConfigFile(file: string, env: Env): Promise<{ errors: string[]; notes: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { errors: [`${file}: cannot read the config file (${reason})`], notes: [] };
  }
  const analysis = analyzeCollectorConfig(text, env);
  const errors = analysis.errors.map((problem) => formatProblem(problem, file));
  const notes = analysis.notes.map((problem) => formatProblem(problem, file));
  if (analysis.errors.length === 0) {
    const loaded = loadAsServeWould(text, file, env);
    if (typeof loaded === 'string') errors.push(loaded);
    else if (loaded.collector) {
      const settingsError = await validateGraphSettings(loaded.collector);
      if (settingsError !== undefined) errors.push(settingsError);
    }
  }
  return { errors, notes };
}

/**
 * Runs load-config.ts's reader (the settings \`vigil serve\` applies: endpoints, sizes, scrape
 * configs, the vigil section) on the env-expanded tree, as loadConfigFile does on the raw file,
 * and returns its ConfigError (already FILE:LINE:COL) if it has one, else the config.
 */
function loadAsServeWould(text: string, file: string, env: Env): string | VigilConfig {
  const { doc, lineCounter } = parseCollectorYaml(text, env);
  const root: unknown = doc.toJS() ?? {};
  try {
    const config = applyConfigObject(root, defaultConfig(), dirname(resolve(file)), (message, keyPath) => {
      const node = doc.getIn(keyPath, true) as { range?: [number, number, number] } | undefined;
      const where = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
      const at = where ? `:${where.line}:${where.col}` : '';
      return new ConfigError(`${file}${at}: ${keyPath.join('.')}: ${message}`);
    });
    config.collector = readCollectorGraph(doc, lineCounter, root, file);
    return config;
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}
