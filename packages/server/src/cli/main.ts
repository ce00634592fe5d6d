#!/usr/bin/env node
/**
 * The `vigil` command line. Each command has `--help`; bad flags exit with status 2 and one clear line.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { cardinalityCommand } from './cardinality.ts';
import { checkRulesCommand } from './check-rules.ts';
import { CliError, type Command } from './command.ts';
import { demoCommand } from './demo.ts';
import { serveCommand } from './serve.ts';
import { silenceCommand } from './silence.ts';
import { validateConfigCommand } from './validate-config.ts';

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  demo: demoCommand,
  cardinality: cardinalityCommand,
  'check-rules': checkRulesCommand,
  silence: silenceCommand,
  'validate-config': validateConfigCommand,
};

const USAGE = `Usage: vigil <command> [flags]

Vigil: OpenTelemetry-native APM for ML services.

Commands:
  serve        Start Vigil: OTLP receivers (gRPC :4317, HTTP :4318), embedded store, query API (:16700)
  demo         Vigil plus a simulated multi-service ML platform with switchable failure scenarios
  cardinality  Which metrics and labels make a running Vigil's series (top metrics, growth drivers)
  check-rules  Check Prometheus rule files like 'promtool check rules' (file:line:col of each problem)
  silence      Add, query or expire alert silences of a running Vigil (like amtool silence)
  validate-config  Check a Collector-shaped Vigil config (file:line:col of errors; notes on what will not run)

Run 'vigil <command> --help' for a command's flags.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`vigil: unknown command '${name}'. Run 'vigil --help' for the list.`);
    return 2;
  }
  const options = {
    ...command.options,
    help: { type: 'boolean', short: 'h' },
  } satisfies ParseArgsConfig['options'];
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    const allowPositionals = command.allowPositionals === true;
    ({ values, positionals } = parseArgs({ args: rest, options, strict: true, allowPositionals }));
  } catch (error: unknown) {
    console.error(`vigil ${name}: ${(error as Error).message.split('\n')[0] ?? 'bad arguments'}`);
    console.error(`Run 'vigil ${name} --help' for usage.`);
    return 2;
  }
  if (values['help'] === true) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(values, positionals);
  } catch (error: unknown) {
    if (error instanceof CliError) {
      console.error(`vigil ${name}: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== 0) process.exitCode = code;
    },
    (error: unknown) => {
      console.error('vigil: unexpected error:', error);
      process.exitCode = 1;
    },
  );
}
