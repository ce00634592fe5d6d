import { parseSeriesDescriptor, SeriesSyntaxError, type SeriesDescriptor } from './series-descriptor.ts';

/** A malformed line of a test script; `lineIndex` is 0-based (the reported line is lineIndex + 1). */
export class ScriptSyntaxError extends Error {
  override readonly name = 'ScriptSyntaxError';
  constructor(
    message: string,
    readonly lineIndex: number,
  ) {
    super(message);
  }
}

/** promqltest's getLines: trimmed lines, comment lines emptied. */
export function scriptLines(script: string): string[] {
  return script.split('\n').map((line) => {
    const trimmed = line.trim();
    return trimmed.startsWith('#') ? '' : trimmed;
  });
}

/** Parses a series line (of a load or an eval block); syntax errors become script errors for that line. */
export function parseSeriesLine(text: string, lineIndex: number): SeriesDescriptor {
  try {
    return parseSeriesDescriptor(text);
  } catch (error) {
    if (error instanceof SeriesSyntaxError)
      throw new ScriptSyntaxError(`${error.message} (column ${error.column + 1})`, lineIndex);
    throw error;
  }
}

/** Index of the last line of the block that starts at `index` (the line before the next blank one). */
export function lastLineOfBlock(lines: readonly string[], index: number): number {
  let last = index;
  while (last + 1 < lines.length && lines[last + 1] !== '') last += 1;
  return last;
}
