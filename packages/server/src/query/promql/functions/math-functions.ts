import { defineFunction, derivedLabels, scalarArg, vectorArg } from './function-helpers.ts';
import type { ElementwiseFunction, PromFunction, VectorFunction } from './function-types.ts';
import { goLog10, goLog2 } from './go-math.ts';

/**
 * Per-sample arithmetic (promql/functions.go simpleFloatFunc and friends): every function here
 * drops the metric name, since its result is no longer the measured quantity.
 */

function elementwise(name: string, fn: (value: number) => number): PromFunction {
  return defineFunction(name, {
    argTypes: ['vector'],
    impl: { kind: 'elementwise', fn: (value) => fn(value) },
  });
}

/** sgn: -1, 0 or 1, keeping NaN (and the sign of zero). */
function sign(value: number): number {
  if (value < 0) return -1;
  if (value > 0) return 1;
  return value;
}

/**
 * round(v, to_nearest=1): ties round up. Prometheus multiplies by the inverse of to_nearest,
 * which it found to cause fewer float surprises than dividing by it.
 */
const round: ElementwiseFunction = (value, [toNearest = 1]) => {
  const inverse = 1 / toNearest;
  return Math.floor(value * inverse + 0.5) / inverse;
};

/** clamp(v, min, max): an empty result when max < min (functions.go clamp). */
const clamp: VectorFunction = (args, ctx) => {
  const min = scalarArg(args, 1);
  const max = scalarArg(args, 2);
  if (max < min) return [];
  return vectorArg(args, 0).map((sample) => ({
    labels: derivedLabels(sample.labels),
    timestampMs: ctx.timestampMs,
    value: Math.max(min, Math.min(max, sample.value)),
  }));
};

const UNARY: ReadonlyArray<readonly [string, (value: number) => number]> = [
  ['abs', Math.abs],
  ['ceil', Math.ceil],
  ['floor', Math.floor],
  ['exp', Math.exp],
  ['sqrt', Math.sqrt],
  ['ln', Math.log],
  ['log2', goLog2],
  ['log10', goLog10],
  ['sgn', sign],
  ['sin', Math.sin],
  ['cos', Math.cos],
  ['tan', Math.tan],
  ['asin', Math.asin],
  ['acos', Math.acos],
  ['atan', Math.atan],
  ['sinh', Math.sinh],
  ['cosh', Math.cosh],
  ['tanh', Math.tanh],
  ['asinh', Math.asinh],
  ['acosh', Math.acosh],
  ['atanh', Math.atanh],
  ['rad', (value) => (value * Math.PI) / 180],
  ['deg', (value) => (value * 180) / Math.PI],
];

function scalarOf(name: string, fn: (a: number, b: number) => number): PromFunction {
  return defineFunction(name, {
    argTypes: ['scalar', 'scalar'],
    returnType: 'scalar',
    impl: { kind: 'vector', fn: (args) => fn(scalarArg(args, 0), scalarArg(args, 1)) },
  });
}

/** Math functions, clamp*, round, pi, and the scalar min_of/max_of (NaN if either is NaN). */
export const MATH_FUNCTIONS: readonly PromFunction[] = [
  ...UNARY.map(([name, fn]) => elementwise(name, fn)),
  defineFunction('round', {
    argTypes: ['vector', 'scalar'],
    variadic: 1,
    impl: { kind: 'elementwise', fn: round },
  }),
  defineFunction('clamp', { argTypes: ['vector', 'scalar', 'scalar'], impl: { kind: 'vector', fn: clamp } }),
  defineFunction('clamp_min', {
    argTypes: ['vector', 'scalar'],
    impl: { kind: 'elementwise', fn: (value, [min = NaN]) => Math.max(min, Math.min(Infinity, value)) },
  }),
  defineFunction('clamp_max', {
    argTypes: ['vector', 'scalar'],
    impl: { kind: 'elementwise', fn: (value, [max = NaN]) => Math.max(-Infinity, Math.min(max, value)) },
  }),
  defineFunction('pi', { argTypes: [], returnType: 'scalar', impl: { kind: 'vector', fn: () => Math.PI } }),
  scalarOf('min_of', Math.min),
  scalarOf('max_of', Math.max),
];
