import { formatLabels } from '../labels.ts';
import { formatDuration } from '../format-query.ts';
import { isStaleNaN, type PromValue, type RangeSeries } from '../values.ts';
import type { EvalCommand, EvalQuery, TimeGrid } from './script-commands.ts';
import type { SequenceValue } from './sequence-values.ts';

/**
 * Results and expectations written in test-script syntax (`metric{a="b"} 1 _ 3`), so a failure
 * shows expected and got lines that read like the block itself and can be pasted into it.
 */

/** A value as a test script writes it: `Inf`, `-Inf`, `NaN`, `stale`, or the shortest decimal. */
export function formatNumber(value: number): string {
  if (isStaleNaN(value)) return 'stale';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Inf';
  if (value === -Infinity) return '-Inf';
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

export function formatSequence(values: readonly SequenceValue[]): string {
  if (values.length === 0) return '(no values)';
  return values
    .map((value) =>
      value.kind === 'float' ? formatNumber(value.value) : value.kind === 'omitted' ? '_' : value.text,
    )
    .join(' ');
}

/** `0s`, `1m30s`, or `-10m` (offsets from the epoch, as the script writes times). */
export function formatTimeMs(timeMs: number): string {
  return timeMs < 0 ? `-${formatDuration(-timeMs)}` : formatDuration(timeMs);
}

export function describeQuery(query: EvalQuery): string {
  if (query.type === 'instant') return `instant at ${formatTimeMs(query.timeMs)}`;
  return `range from ${formatTimeMs(query.startMs)} to ${formatTimeMs(query.endMs)} step ${formatDuration(query.stepMs)}`;
}

/** The block's expectations, one line each. */
export function formatExpected(command: EvalCommand): string[] {
  const lines: string[] = [];
  if (command.fail.expected) lines.push('an error');
  if (command.scalar !== undefined) lines.push(`scalar ${formatNumber(command.scalar)}`);
  if (command.string !== undefined) lines.push(`string ${JSON.stringify(command.string)}`);
  if (command.rangeVector) lines.push(`range vector ${describeGrid(command.rangeVector)}`);
  for (const series of command.series)
    lines.push(`${formatLabels(series.labels)} ${formatSequence(series.values)}`);
  if (lines.length === 0) lines.push('(empty result)');
  return lines;
}

/** A result, one line per series; matrix values are laid on the grid with `_` for empty steps. */
export function formatResult(value: PromValue, grid: TimeGrid): string[] {
  switch (value.type) {
    case 'scalar':
      return [`scalar ${formatNumber(value.value)}`];
    case 'string':
      return [`string ${JSON.stringify(value.value)}`];
    case 'vector':
      return value.samples.length === 0
        ? ['(empty vector)']
        : value.samples.map((sample) => `${formatLabels(sample.labels)} ${formatNumber(sample.value)}`);
    case 'matrix':
      return value.series.length === 0
        ? ['(empty matrix)']
        : value.series.map((series) => `${formatLabels(series.labels)} ${formatRangeSeries(series, grid)}`);
  }
}

/**
 * A series' points on the grid (`1 _ 3`); points off the grid, or any points when the grid has
 * no steps (an instant query returning a matrix), are listed as `value@time`.
 */
export function formatRangeSeries(series: RangeSeries, grid: TimeGrid): string {
  if (series.values.length === 0) return '(no points)';
  const onGrid: string[] = [];
  const offGrid: string[] = [];
  const stepCount = grid.stepMs > 0 ? Math.floor((grid.endMs - grid.startMs) / grid.stepMs) + 1 : 0;
  const byStep = new Map<number, number>();
  series.timestampsMs.forEach((timestampMs, index) => {
    const value = series.values[index] ?? NaN;
    const step = grid.stepMs > 0 ? (timestampMs - grid.startMs) / grid.stepMs : -1;
    if (Number.isInteger(step) && step >= 0 && step < stepCount) byStep.set(step, value);
    else offGrid.push(`${formatNumber(value)}@${formatTimeMs(timestampMs)}`);
  });
  const lastStep = Math.max(-1, ...byStep.keys());
  for (let step = 0; step <= lastStep; step++) {
    const value = byStep.get(step);
    onGrid.push(value === undefined ? '_' : formatNumber(value));
  }
  const offGridText = offGrid.length > 0 ? `[points off the grid: ${offGrid.join(' ')}]` : '';
  return [onGrid.join(' '), offGridText].filter((part) => part !== '').join(' ');
}

function describeGrid(grid: TimeGrid): string {
  return `from ${formatTimeMs(grid.startMs)} to ${formatTimeMs(grid.endMs)} step ${formatDuration(grid.stepMs)}`;
}
