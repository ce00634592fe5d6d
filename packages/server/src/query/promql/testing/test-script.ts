import { labelsKey } from '../labels.ts';
import { parseDurationMs } from '../literals.ts';
import { parseEvalBlock } from './eval-block.ts';
import type { LoadCommand, LoadSeries, ScriptCommand } from './script-commands.ts';
import { lastLineOfBlock, parseSeriesLine, ScriptSyntaxError, scriptLines } from './script-lines.ts';

export type * from './script-commands.ts';
export { scriptLines };

/**
 * Parses a PromQL test script (the `.test` files of Prometheus's promql/promqltest) into
 * commands, following promqltest's test.parse. Lines are trimmed, `#` lines are blank, and a
 * blank line ends a block. Where upstream stops at the first malformed block, this parser
 * records an `invalid` command for it and carries on, so one bad block costs one result.
 *
 * @example
 * const commands = parseTestScript('load 1m\n  up 1 2 3\n\neval instant at 1m up\n  up 2\n');
 * // [{ kind: 'load', … }, { kind: 'eval', expr: 'up', query: { type: 'instant', timeMs: 60000 }, … }]
 */
export function parseTestScript(script: string): ScriptCommand[] {
  const lines = scriptLines(script);
  const commands: ScriptCommand[] = [];
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index] ?? '';
    if (text === '') continue;
    try {
      const parsed = parseCommand(lines, index);
      commands.push(parsed.command);
      index = parsed.lastIndex;
    } catch (error) {
      if (!(error instanceof ScriptSyntaxError)) throw error;
      const where = error.lineIndex === index ? '' : `line ${error.lineIndex + 1}: `;
      commands.push({ kind: 'invalid', line: index + 1, text, message: `${where}${error.message}` });
      index = lastLineOfBlock(lines, index);
    }
  }
  return commands;
}

function parseCommand(
  lines: readonly string[],
  index: number,
): { command: ScriptCommand; lastIndex: number } {
  const text = lines[index] ?? '';
  const word = (text.split(/[\t ]+/)[0] ?? '').toLowerCase();
  if (word === 'clear') return { command: { kind: 'clear', line: index + 1 }, lastIndex: index };
  if (word.startsWith('load')) return parseLoad(lines, index);
  if (word.startsWith('eval')) return parseEvalBlock(lines, index);
  throw new ScriptSyntaxError(`invalid command ${JSON.stringify(text)}`, index);
}

function parseLoad(lines: readonly string[], index: number): { command: LoadCommand; lastIndex: number } {
  const header = /^load(?:_(with_nhcb))?\s+(.+?)$/.exec(lines[index] ?? '');
  if (!header) throw new ScriptSyntaxError('invalid load command. (load[_with_nhcb] <step:duration>)', index);
  const step = header[2] ?? '';
  const intervalMs = parseDurationMs(step);
  if (intervalMs === undefined)
    throw new ScriptSyntaxError(`invalid step definition ${JSON.stringify(step)}`, index);
  const command: LoadCommand = {
    kind: 'load',
    line: index + 1,
    intervalMs,
    withNhcb: header[1] === 'with_nhcb',
    series: [],
    hasStartTimestamps: false,
  };
  const seriesByKey = new Map<string, LoadSeries>();
  let lastIndex = index;
  while (lastIndex + 1 < lines.length && lines[lastIndex + 1] !== '') {
    lastIndex += 1;
    const text = lines[lastIndex] ?? '';
    if (isStartTimestampLine(text)) {
      command.hasStartTimestamps = true;
      continue;
    }
    const series = parseSeriesLine(text, lastIndex);
    // promqltest's loadCmd.set keys series by label hash: a repeated label set replaces the earlier line.
    seriesByKey.set(labelsKey(series.labels), { line: lastIndex + 1, ...series });
  }
  command.series = [...seriesByKey.values()];
  return { command, lastIndex };
}

/** `metric{…}@st <offsets>` or `@st <offsets>` (promqltest isSTLine): start timestamps. */
function isStartTimestampLine(text: string): boolean {
  const firstWord = /^\S+(?=\s)/.exec(text)?.[0];
  return firstWord !== undefined && firstWord.endsWith('@st');
}
