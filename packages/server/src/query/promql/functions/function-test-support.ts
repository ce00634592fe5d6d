import assert from 'node:assert/strict';
import type { Expr } from '../ast.ts';
import { labelsFrom } from '../labels.ts';
import type { Sample } from '../values.ts';
import { getFunction } from './function-table.ts';
import type { FunctionArg, QueryBounds, RangeWindow, StepContext } from './function-types.ts';

/**
 * Helpers for the function unit tests: series written in promqltest's `load` notation, the
 * window a range selector would give, and a step context that records annotations.
 */

/** A series as parallel arrays, like the evaluator's range input. */
export interface TestSeries {
  timestampsMs: number[];
  values: number[];
}

/**
 * Expands promqltest load notation (`0+10x10`, `1 _ NaN`, `5-2x3`, `_x2`, `7x2`) sampled every
 * `intervalMs` from 0, leaving out `_` gaps.
 */
export function loadSeries(intervalMs: number, notation: string): TestSeries {
  const series: TestSeries = { timestampsMs: [], values: [] };
  let index = 0;
  for (const token of notation.trim().split(/\s+/)) {
    for (const value of expandToken(token)) {
      if (value !== undefined) {
        series.timestampsMs.push(index * intervalMs);
        series.values.push(value);
      }
      index++;
    }
  }
  return series;
}

function expandToken(token: string): (number | undefined)[] {
  const repeat = /^(.+?)(?:([+-])(.+?))?x(\d+)$/.exec(token);
  if (!repeat) return [token === '_' ? undefined : Number(token.replace(/Inf$/, 'Infinity'))];
  const [, startText = '', sign, stepText = '0', countText = '0'] = repeat;
  if (startText === '_') return Array.from({ length: Number(countText) }, () => undefined);
  const start = Number(startText);
  const step = sign === '-' ? -Number(stepText) : Number(stepText);
  return Array.from({ length: Number(countText) + 1 }, (_, i) => start + i * step);
}

/** The window `series[rangeMs]` at evaluation time `evalMs` (offset applied): (end - range, end]. */
export function windowAt(
  series: TestSeries,
  evalMs: number,
  rangeMs: number,
  offsetMs = 0,
  metricName?: string,
): RangeWindow {
  const rangeEndMs = evalMs - offsetMs;
  const rangeStartMs = rangeEndMs - rangeMs;
  const first = series.timestampsMs.findIndex((t) => t > rangeStartMs);
  const afterEnd = series.timestampsMs.findIndex((t) => t > rangeEndMs);
  const end = afterEnd === -1 ? series.timestampsMs.length : afterEnd;
  return { ...series, first: first === -1 ? end : first, end, rangeStartMs, rangeEndMs, metricName };
}

/** A step context whose annotations land in `warnings` and `infos`. */
export interface RecordingContext extends StepContext {
  warnings: string[];
  infos: string[];
}

export function recordingContext(
  timestampMs = 0,
  argExprs: readonly Expr[] = [],
  query?: QueryBounds,
): RecordingContext {
  const warnings: string[] = [];
  const infos: string[] = [];
  return {
    timestampMs,
    argExprs,
    query,
    warnings,
    infos,
    annotations: { warn: (message) => warnings.push(message), info: (message) => infos.push(message) },
  };
}

/** Calls a range function from the table; undefined for an empty window, as the evaluator skips those. */
export function callRange(
  name: string,
  window: RangeWindow,
  scalarArgs: readonly number[] = [],
  ctx: StepContext = recordingContext(),
): number | undefined {
  const fn = getFunction(name);
  assert.ok(fn?.impl.kind === 'range', `${name} is a range function`);
  if (window.end <= window.first) return undefined;
  return fn.impl.fn(window, scalarArgs, ctx);
}

/** Calls an elementwise function from the table on one value. */
export function callElementwise(
  name: string,
  value: number,
  scalarArgs: readonly number[] = [],
  ctx: StepContext = recordingContext(),
): number {
  const fn = getFunction(name);
  assert.ok(fn?.impl.kind === 'elementwise', `${name} is an elementwise function`);
  return fn.impl.fn(value, scalarArgs, ctx);
}

/** Calls a `vector` function from the table. */
export function callVector(
  name: string,
  args: readonly FunctionArg[],
  ctx: StepContext = recordingContext(),
): Sample[] | number {
  const fn = getFunction(name);
  assert.ok(fn?.impl.kind === 'vector', `${name} is a vector function`);
  return fn.impl.fn(args, ctx);
}

/** Like {@link callVector} for functions that return a vector. */
export function callVectorSamples(
  name: string,
  args: readonly FunctionArg[],
  ctx: StepContext = recordingContext(),
): Sample[] {
  const result = callVector(name, args, ctx);
  assert.ok(Array.isArray(result), `${name} returned a vector`);
  return result;
}

export function sample(labels: Readonly<Record<string, string>>, value: number, timestampMs = 0): Sample {
  return { labels: labelsFrom(labels), timestampMs, value };
}

export function vectorOf(...samples: Sample[]): FunctionArg {
  return { type: 'vector', samples };
}

export function scalarOf(value: number): FunctionArg {
  return { type: 'scalar', value };
}

export function stringOf(value: string): FunctionArg {
  return { type: 'string', value };
}

/** Result labels as plain records, for deepEqual. */
export function labelRecords(samples: readonly Sample[]): Record<string, string>[] {
  return samples.map((s) => Object.fromEntries([...s.labels].sort(([a], [b]) => (a < b ? -1 : 1))));
}

/**
 * Equality with promqltest's tolerance (relative 1e-6, util/almost.Equal); NaN equals NaN and
 * infinities must match exactly.
 */
export function assertClose(actual: number | undefined, expected: number, message?: string): void {
  assert.ok(actual !== undefined, message ?? 'expected a value');
  if (Number.isNaN(expected) || !Number.isFinite(expected) || expected === 0) {
    assert.ok(
      Object.is(actual, expected) || actual === expected || (expected === 0 && Math.abs(actual) < 1e-300),
      `${message ?? ''} ${actual} != ${expected}`,
    );
    return;
  }
  const relative =
    Math.abs(actual - expected) / Math.min(Math.abs(actual) + Math.abs(expected), Number.MAX_VALUE);
  assert.ok(relative < 1e-6, `${message ?? ''} ${actual} != ${expected}`);
}

export const MINUTE_MS = 60_000;
export const SECOND_MS = 1000;
