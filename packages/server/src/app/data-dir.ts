import { accessSync, constants, mkdirSync, statSync } from 'node:fs';

/** Creates the data directory if needed and checks it is a writable directory, with a readable error. */
export function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error: unknown) {
    throw new Error(`data directory ${dir} cannot be created (${codeOf(error)})`);
  }
  if (!statSync(dir).isDirectory()) throw new Error(`data directory ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK | constants.R_OK);
  } catch (error: unknown) {
    throw new Error(`data directory ${dir} is not writable (${codeOf(error)})`);
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}
