import type { ParseArgsConfig } from 'node:util';

/** One `vigil` sub-command: its flags (node:util parseArgs), help text and action. */
export interface Command {
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Takes arguments besides flags (`vigil check-rules FILE...`, `vigil silence add a=b`). */
  allowPositionals?: boolean;
  /** Resolves with the process exit code; a long-running command resolves when it stops. */
  run(values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

/** A user-facing failure: printed as one line, exits with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
