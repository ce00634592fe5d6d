/**
 * Result equality for the PromQL benchmark: parses /api/v1/query_range JSON (validated, never cast)
 * into series keyed by label set, and compares two results: same label sets, same timestamps, values
 * equal within a relative tolerance with NaN equal to NaN.
 */

/** One series of a range-query result. */
export interface MatrixSeries {
  /** Canonical `{a="x", b="y"}` text, names sorted: equal label sets give equal text. */
  labelsText: string;
  timestampsMs: number[];
  values: number[];
}

/** A range-query result: series by `labelsText`. */
export type Matrix = Map<string, MatrixSeries>;

export interface Tolerance {
  relative: number;
  /**
   * Differences below this count as equal whatever the magnitude: a difference of two near-equal rates
   * (the burn-rate numerator) may be 0 in one engine and 1e-16 in another, depending only on the order
   * floats were summed in.
   */
  absolute: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { relative: 1e-6, absolute: 1e-9 };

export interface MatrixDiff {
  equal: boolean;
  /** Human-readable differences, at most `MAX_REPORTED` of them. */
  differences: string[];
  /** Every difference found, including unreported ones. */
  differenceCount: number;
  comparedSamples: number;
}

const MAX_REPORTED = 5;

/**
 * Parses a Prometheus API response body of a range query. Throws on `status: "error"` (with the
 * API's errorType) and on anything that is not a matrix.
 *
 * @example
 * const matrix = parseRangeResponse(JSON.parse(bodyText));
 */
export function parseRangeResponse(body: unknown): Matrix {
  const status = field(body, 'status');
  if (status !== 'success') {
    throw new Error(`query failed: ${String(field(body, 'errorType'))}: ${String(field(body, 'error'))}`);
  }
  const data = field(body, 'data');
  if (field(data, 'resultType') !== 'matrix') throw new Error('range query result is not a matrix');
  const result = field(data, 'result');
  if (!Array.isArray(result)) throw new Error('data.result is not an array');
  const matrix: Matrix = new Map();
  for (const element of result as unknown[]) {
    const series = parseSeries(element);
    if (matrix.has(series.labelsText)) throw new Error(`duplicate series ${series.labelsText}`);
    matrix.set(series.labelsText, series);
  }
  return matrix;
}

/**
 * Compares `actual` against `expected` (the reference engine's result).
 *
 * @example
 * const diff = compareMatrices(prometheusMatrix, vigilMatrix);
 * if (!diff.equal) console.log(diff.differences.join('\n'));
 */
export function compareMatrices(expected: Matrix, actual: Matrix, tolerance = DEFAULT_TOLERANCE): MatrixDiff {
  const differences: string[] = [];
  let comparedSamples = 0;
  for (const [key, want] of expected) {
    const got = actual.get(key);
    if (!got) {
      differences.push(`missing series ${key}`);
      continue;
    }
    comparedSamples += Math.min(want.values.length, got.values.length);
    const difference = seriesDifference(want, got, tolerance);
    if (difference) differences.push(`${key}: ${difference}`);
  }
  for (const key of actual.keys()) {
    if (!expected.has(key)) differences.push(`unexpected series ${key}`);
  }
  return {
    equal: differences.length === 0,
    differences: differences.slice(0, MAX_REPORTED),
    differenceCount: differences.length,
    comparedSamples,
  };
}

/** True when both are NaN, or they differ by at most the relative or the absolute tolerance. */
export function valuesEqual(a: number, b: number, tolerance = DEFAULT_TOLERANCE): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  // Past here an infinity differs from anything: its relative tolerance would be infinite too.
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const difference = Math.abs(a - b);
  const magnitude = Math.max(Math.abs(a), Math.abs(b));
  return difference <= tolerance.absolute || difference <= tolerance.relative * magnitude;
}

/** Prometheus writes sample values as strings: decimal text, "NaN", "+Inf" or "-Inf" (jsonutil). */
export function parseSampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) {
    throw new Error(`not a sample value: ${JSON.stringify(text)}`);
  }
  return value;
}

/** `{a="x", b="y"}` with names sorted by byte value, as Prometheus orders labels. */
export function canonicalLabelsText(labels: Iterable<[string, string]>): string {
  const sorted = [...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${sorted.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(', ')}}`;
}

function seriesDifference(want: MatrixSeries, got: MatrixSeries, tolerance: Tolerance): string | undefined {
  const length = Math.max(want.timestampsMs.length, got.timestampsMs.length);
  for (let i = 0; i < length; i++) {
    const wantTime = want.timestampsMs[i];
    const gotTime = got.timestampsMs[i];
    if (wantTime !== gotTime) {
      const counts = `${got.timestampsMs.length} vs ${want.timestampsMs.length} samples`;
      return `sample ${i}: timestamp ${String(gotTime)} ms, expected ${String(wantTime)} ms (${counts})`;
    }
    const wantValue = want.values[i] ?? NaN;
    const gotValue = got.values[i] ?? NaN;
    if (!valuesEqual(wantValue, gotValue, tolerance)) {
      return `at ${wantTime} ms: value ${gotValue}, expected ${wantValue}`;
    }
  }
  return undefined;
}

function parseSeries(element: unknown): MatrixSeries {
  const metric = field(element, 'metric');
  if (typeof metric !== 'object' || metric === null) throw new Error('series without a metric object');
  const labels: [string, string][] = [];
  for (const [name, value] of Object.entries(metric)) {
    if (typeof value !== 'string') throw new Error(`label ${name} is not a string`);
    labels.push([name, value]);
  }
  const labelsText = canonicalLabelsText(labels);
  const points = field(element, 'values');
  if (!Array.isArray(points)) throw new Error(`series ${labelsText} has no values array`);
  const timestampsMs: number[] = [];
  const values: number[] = [];
  for (const point of points as unknown[]) {
    const [seconds, text]: unknown[] = Array.isArray(point) ? (point as unknown[]) : [];
    if (typeof seconds !== 'number' || typeof text !== 'string') {
      throw new Error(`series ${labelsText}: a point is not [seconds, "value"]`);
    }
    // Seconds with millisecond decimals: round away the binary fraction error of e.g. 1.001.
    timestampsMs.push(Math.round(seconds * 1000));
    values.push(parseSampleValue(text));
  }
  return { labelsText, timestampsMs, values };
}

/** `object[name]` of a parsed JSON value, undefined when it is not an object. */
function field(object: unknown, name: string): unknown {
  if (typeof object !== 'object' || object === null) return undefined;
  // Reading a property as unknown is always sound; callers check what they get.
  return (object as Readonly<Record<string, unknown>>)[name];
}
