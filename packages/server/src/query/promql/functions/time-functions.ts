import { EMPTY_LABELS } from '../labels.ts';
import type { Sample } from '../values.ts';
import { civilTime, type CivilTime } from './civil-time.ts';
import { defineFunction, derivedLabels } from './function-helpers.ts';
import type { PromFunction, StepContext, VectorFunction } from './function-types.ts';

/**
 * Time functions (promql/functions.go): time(), timestamp(), the UTC calendar functions, and the
 * experimental query-bound functions start(), end(), range(), step().
 */

/**
 * dateWrapper: with no argument, the field of the evaluation time (as `vector(time())`); with a
 * vector, the field of each value read as Unix seconds (truncated to an integer, as Go's int64
 * conversion does). Values Go cannot convert give NaN.
 */
function dateFunction(field: (time: CivilTime) => number): VectorFunction {
  const fieldOf = (seconds: number): number => {
    // `+ 0` turns -0 (from e.g. -0.5) into 0, as Go's integer conversion does.
    const time = civilTime(Math.trunc(seconds) + 0);
    return time ? field(time) : NaN;
  };
  return (args, ctx) => {
    const input = args[0];
    if (input?.type !== 'vector') {
      return [
        {
          labels: EMPTY_LABELS,
          timestampMs: ctx.timestampMs,
          value: fieldOf(Math.trunc(ctx.timestampMs / 1000)),
        },
      ];
    }
    return input.samples.map((sample) => ({
      labels: derivedLabels(sample.labels),
      timestampMs: ctx.timestampMs,
      value: fieldOf(sample.value),
    }));
  };
}

/**
 * timestamp(v): each sample's own timestamp in seconds. For a selector argument that is when the
 * sample was scraped; for other expressions it is the evaluation time.
 */
const timestamp: VectorFunction = (args, ctx) => {
  const input = args[0];
  if (input?.type !== 'vector') return [];
  return input.samples.map((sample: Sample) => ({
    labels: derivedLabels(sample.labels),
    timestampMs: ctx.timestampMs,
    value: sample.timestampMs / 1000,
  }));
};

function queryBounds(ctx: StepContext): { startMs: number; endMs: number; stepMs: number } {
  return ctx.query ?? { startMs: ctx.timestampMs, endMs: ctx.timestampMs, stepMs: 0 };
}

function scalarFunction(name: string, fn: (ctx: StepContext) => number): PromFunction {
  return defineFunction(name, {
    argTypes: [],
    returnType: 'scalar',
    impl: { kind: 'vector', fn: (_args, ctx) => fn(ctx) },
  });
}

function dateDefinition(name: string, field: (time: CivilTime) => number): PromFunction {
  return defineFunction(name, {
    argTypes: ['vector'],
    variadic: 1,
    impl: { kind: 'vector', fn: dateFunction(field) },
  });
}

/** time, timestamp, the calendar functions, start, end, range, step. */
export const TIME_FUNCTIONS: readonly PromFunction[] = [
  scalarFunction('time', (ctx) => ctx.timestampMs / 1000),
  defineFunction('timestamp', { argTypes: ['vector'], impl: { kind: 'vector', fn: timestamp } }),
  dateDefinition('year', (time) => time.year),
  dateDefinition('month', (time) => time.month),
  dateDefinition('day_of_month', (time) => time.day),
  dateDefinition('day_of_week', (time) => time.dayOfWeek),
  dateDefinition('day_of_year', (time) => time.dayOfYear),
  dateDefinition('days_in_month', (time) => time.daysInMonth),
  dateDefinition('hour', (time) => time.hour),
  dateDefinition('minute', (time) => time.minute),
  scalarFunction('start', (ctx) => queryBounds(ctx).startMs / 1000),
  scalarFunction('end', (ctx) => queryBounds(ctx).endMs / 1000),
  scalarFunction('range', (ctx) => (queryBounds(ctx).endMs - queryBounds(ctx).startMs) / 1000),
  scalarFunction('step', (ctx) => queryBounds(ctx).stepMs / 1000),
];
