import { formatLabels, labelsKey, type Labels } from '../labels.ts';
import type { PromValue, RangeSeries, Sample } from '../values.ts';
import { formatNumber, formatRangeSeries, formatSequence } from './result-format.ts';
import type { EvalCommand, ExpectedSeries, TimeGrid } from './script-commands.ts';

/** promqltest's defaultEpsilon: relative error allowed for sample values. */
const EPSILON = 1e-6;
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * util/almost.Equal: true when a and b differ by less than their sum times epsilon; NaN equals
 * NaN (stale markers included, as upstream does not tell them apart).
 */
export function almostEqual(a: number, b: number, epsilon = EPSILON): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/**
 * Compares a query result with an eval block's expectations as promqltest's compareResult does:
 * series order is ignored unless `expect ordered`, range results are compared point by point on
 * the grid (`_` is a step without a point), and a matrix must be sorted by labels.
 * Returns the first mismatch, or undefined when the result is as expected.
 *
 * `grid` places the expected values of a matrix result: the range query's steps, the `expect
 * range vector` grid, or for a plain instant query a grid that holds no points at all.
 */
export function compareResult(command: EvalCommand, value: PromValue, grid: TimeGrid): string | undefined {
  switch (value.type) {
    case 'matrix':
      return compareMatrix(command, value.series, grid);
    case 'vector':
      return compareVector(command, value.samples);
    case 'scalar':
      if (command.scalar === undefined)
        return `expected vector or matrix result, but got scalar ${formatNumber(value.value)}`;
      if (!almostEqual(command.scalar, value.value))
        return `expected scalar ${formatNumber(command.scalar)} but got ${formatNumber(value.value)}`;
      return undefined;
    case 'string':
      return (command.string ?? '') === value.value
        ? undefined
        : `expected string ${JSON.stringify(command.string ?? '')} but got ${JSON.stringify(value.value)}`;
  }
}

function compareMatrix(
  command: EvalCommand,
  series: readonly RangeSeries[],
  grid: TimeGrid,
): string | undefined {
  if (command.ordered) return 'expected ordered result, but query returned a matrix';
  if (command.scalar !== undefined)
    return `expected scalar result, but got matrix with ${series.length} series`;
  const unsorted = checkMatrixSorted(series);
  if (unsorted !== undefined) return unsorted;
  const expectedByKey = new Map(command.series.map((expected) => [labelsKey(expected.labels), expected]));
  const seen = new Set<string>();
  for (const actual of series) {
    const key = labelsKey(actual.labels);
    const expected = expectedByKey.get(key);
    if (!expected)
      return `unexpected metric ${formatLabels(actual.labels)} in result, has ${formatRangeSeries(actual, grid)}`;
    seen.add(key);
    const mismatch = compareRangeSeries(expected, actual, grid);
    if (mismatch !== undefined) return mismatch;
  }
  return missingSeries(command.series, seen);
}

function compareRangeSeries(
  expected: ExpectedSeries,
  actual: RangeSeries,
  grid: TimeGrid,
): string | undefined {
  const name = formatLabels(expected.labels);
  const points: { timestampMs: number; value: number }[] = [];
  for (const [index, value] of expected.values.entries()) {
    const timestampMs = grid.startMs + index * grid.stepMs;
    if (timestampMs > grid.endMs)
      return `expected ${expected.values.length} points for ${name}, but query time range cannot return this many points`;
    if (value.kind === 'float') points.push({ timestampMs, value: value.value });
  }
  const got = () => `result has ${formatRangeSeries(actual, grid)}`;
  if (points.length !== actual.values.length)
    return `expected ${points.length} float points for ${name}, but got ${actual.values.length} (${got()})`;
  for (const [index, point] of points.entries()) {
    const timestampMs = actual.timestampsMs[index] ?? NaN;
    const value = actual.values[index] ?? NaN;
    if (timestampMs !== point.timestampMs) {
      return `expected float value at index ${index} for ${name} to have timestamp ${point.timestampMs}, but it had timestamp ${timestampMs} (${got()})`;
    }
    if (!almostEqual(value, point.value)) {
      return `expected float value at index ${index} (t=${timestampMs}) for ${name} to be ${formatNumber(point.value)}, but got ${formatNumber(value)} (${got()})`;
    }
  }
  return undefined;
}

function compareVector(command: EvalCommand, samples: readonly Sample[]): string | undefined {
  if (command.scalar !== undefined)
    return `expected scalar result, but got vector with ${samples.length} samples`;
  const expectedByKey = new Map(command.series.map((expected) => [labelsKey(expected.labels), expected]));
  const seen = new Set<string>();
  for (const [index, sample] of samples.entries()) {
    const key = labelsKey(sample.labels);
    const expected = expectedByKey.get(key);
    const name = formatLabels(sample.labels);
    if (!expected) return `unexpected metric ${name} in result, has value ${formatNumber(sample.value)}`;
    if (command.ordered && expected.position !== index + 1) {
      return `expected metric ${name} with ${formatSequence(expected.values)} at position ${expected.position} but was at ${index + 1}`;
    }
    const first = expected.values[0];
    if (first === undefined) return `expected metric ${name} has no expected value`;
    // An omitted expected value compares as 0, since upstream reads SequenceValue.Value regardless.
    const expectedValue = first.kind === 'float' ? first.value : 0;
    if (!almostEqual(expectedValue, sample.value))
      return `expected ${formatNumber(expectedValue)} for ${name} but got ${formatNumber(sample.value)}`;
    seen.add(key);
  }
  return missingSeries(command.series, seen);
}

function missingSeries(expected: readonly ExpectedSeries[], seen: ReadonlySet<string>): string | undefined {
  const missing = expected.find((series) => !seen.has(labelsKey(series.labels)));
  return missing
    ? `expected metric ${formatLabels(missing.labels)} with ${formatSequence(missing.values)} not found`
    : undefined;
}

/** assertMatrixSorted: range results are always ordered by labels (labels.Compare). */
export function checkMatrixSorted(series: readonly RangeSeries[]): string | undefined {
  for (let index = 1; index < series.length; index++) {
    const previous = series[index - 1]?.labels ?? new Map<string, string>();
    const current = series[index]?.labels ?? new Map<string, string>();
    if (compareLabelSets(previous, current) > 0) {
      return `matrix results should always be sorted by labels, but matrix is not sorted: series at index ${index} with labels ${formatLabels(current)} sorts before series at index ${index - 1} with labels ${formatLabels(previous)}`;
    }
  }
  return undefined;
}

/** labels.Compare: pairwise by sorted name then value, then the shorter set first. */
export function compareLabelSets(a: Labels, b: Labels): number {
  const namesA = [...a.keys()].sort();
  const namesB = [...b.keys()].sort();
  for (let index = 0; index < Math.min(namesA.length, namesB.length); index++) {
    const nameA = namesA[index] ?? '';
    const nameB = namesB[index] ?? '';
    if (nameA !== nameB) return nameA < nameB ? -1 : 1;
    const valueA = a.get(nameA) ?? '';
    const valueB = b.get(nameB) ?? '';
    if (valueA !== valueB) return valueA < valueB ? -1 : 1;
  }
  return namesA.length - namesB.length;
}
