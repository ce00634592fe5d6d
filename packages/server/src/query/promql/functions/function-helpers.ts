import { dropMetricName, type Labels } from '../labels.ts';
import type { Sample } from '../values.ts';
import type { ArgType, FunctionArg, FunctionImpl, PromFunction } from './function-types.ts';

/**
 * Small helpers shared by the function definitions: building table entries and reading the
 * arguments the evaluator passes to `vector` functions.
 */

/** Options of {@link defineFunction}; defaults: no variadic args, vector result, name dropped. */
export interface FunctionSpec {
  argTypes: readonly ArgType[];
  variadic?: number;
  returnType?: 'vector' | 'scalar';
  keepsMetricName?: boolean;
  impl: FunctionImpl;
}

/** A table entry with Prometheus's defaults filled in. */
export function defineFunction(name: string, spec: FunctionSpec): PromFunction {
  return {
    name,
    argTypes: spec.argTypes,
    variadic: spec.variadic ?? 0,
    returnType: spec.returnType ?? 'vector',
    keepsMetricName: spec.keepsMetricName ?? false,
    impl: spec.impl,
  };
}

/**
 * Labels of a sample that a name-dropping function derives from its input. Prometheus drops the
 * metric name (and the type-and-unit metadata labels, schema.IsMetadataLabel) from such results.
 */
export function derivedLabels(labels: Labels): Labels {
  const withoutName = dropMetricName(labels);
  if (!withoutName.has('__type__') && !withoutName.has('__unit__')) return withoutName;
  const copy = new Map(withoutName);
  copy.delete('__type__');
  copy.delete('__unit__');
  return copy;
}

/** The samples of a vector argument (an empty vector if the argument has another type). */
export function vectorArg(args: readonly FunctionArg[], index: number): Sample[] {
  const arg = args[index];
  return arg?.type === 'vector' ? arg.samples : [];
}

/** The value of a scalar argument, or `fallback` when it is absent (optional arguments). */
export function scalarArg(args: readonly FunctionArg[], index: number, fallback = NaN): number {
  const arg = args[index];
  return arg?.type === 'scalar' ? arg.value : fallback;
}

/** The value of a string argument ('' when absent). */
export function stringArg(args: readonly FunctionArg[], index: number): string {
  const arg = args[index];
  return arg?.type === 'string' ? arg.value : '';
}
