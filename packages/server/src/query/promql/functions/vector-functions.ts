import type { Expr } from '../ast.ts';
import { compareLabels, EMPTY_LABELS, METRIC_NAME, withLabel, type Labels } from '../labels.ts';
import type { Sample } from '../values.ts';
import { defineFunction, scalarArg, stringArg, vectorArg } from './function-helpers.ts';
import type { PromFunction, VectorFunction } from './function-types.ts';
import { naturalLess } from './natural-sort.ts';

/** vector, scalar, absent and the sort functions (promql/functions.go). */

/** vector(s): a single sample without labels. */
const vector: VectorFunction = (args, ctx) => [
  { labels: EMPTY_LABELS, timestampMs: ctx.timestampMs, value: scalarArg(args, 0) },
];

/** scalar(v): the value of a single-element vector, NaN for zero or several elements. */
const scalar: VectorFunction = (args) => {
  const samples = vectorArg(args, 0);
  return samples.length === 1 ? (samples[0]?.value ?? NaN) : NaN;
};

/**
 * absent(v): nothing if `v` has elements, else 1 labelled from the argument's equality matchers
 * (createLabelsForAbsentFunction): a label matched by `=` once and by nothing else is kept,
 * `__name__` never is. Other arguments (aggregations, functions…) give no labels.
 */
const absent: VectorFunction = (args, ctx) => {
  if (vectorArg(args, 0).length > 0) return [];
  const argExpr = ctx.argExprs[0];
  return [{ labels: argExpr ? absentLabels(argExpr) : EMPTY_LABELS, timestampMs: ctx.timestampMs, value: 1 }];
};

/** The labels absent() and absent_over_time() report for an argument expression. */
export function absentLabels(argExpr: Expr): Labels {
  const matchers = selectorMatchers(argExpr);
  let labels: Labels = EMPTY_LABELS;
  const seen = new Set<string>();
  for (const matcher of matchers) {
    if (matcher.name === METRIC_NAME) continue;
    if (matcher.type === '=' && !seen.has(matcher.name)) {
      labels = withLabel(labels, matcher.name, matcher.value);
      seen.add(matcher.name);
    } else {
      // A second matcher on the label: historic behaviour drops it (`x{job="a",job="b"}`).
      labels = withLabel(labels, matcher.name, '');
    }
  }
  return labels;
}

function selectorMatchers(expr: Expr): Extract<Expr, { kind: 'vector_selector' }>['matchers'] {
  // The engine strips parentheses from call arguments before calling the function.
  if (expr.kind === 'paren') return selectorMatchers(expr.expr);
  if (expr.kind === 'vector_selector') return expr.matchers;
  if (expr.kind === 'matrix_selector') return expr.selector.matchers;
  return [];
}

/**
 * sort/sort_desc: by value, NaN last. Go's sort.Sort runs insertion sort on small inputs, which
 * keeps equal values in input order and reverses the order of NaNs; both are reproduced.
 */
function sortByValue(descending: boolean): VectorFunction {
  return (args, ctx) => {
    const samples = vectorArg(args, 0).map((sample) => ({ ...sample, timestampMs: ctx.timestampMs }));
    const numbers = samples.filter((sample) => !Number.isNaN(sample.value));
    const nans = samples.filter((sample) => Number.isNaN(sample.value)).reverse();
    numbers.sort((a, b) => (descending ? b.value - a.value : a.value - b.value) || 0);
    return [...numbers, ...nans];
  };
}

/** sort_by_label(_desc)(v, label...): natural order of the labels' values, then all labels. */
function sortByLabel(descending: boolean): VectorFunction {
  return (args, ctx) => {
    const names = args.slice(1).map((_, index) => stringArg(args, index + 1));
    const direction = descending ? -1 : 1;
    const compare = (a: Sample, b: Sample): number => {
      for (const name of names) {
        const valueA = a.labels.get(name) ?? '';
        const valueB = b.labels.get(name) ?? '';
        if (valueA !== valueB) return naturalLess(valueA, valueB) ? -direction : direction;
      }
      // labels.Compare: a total order, so the result does not depend on the sort algorithm.
      return direction * compareLabels(a.labels, b.labels);
    };
    return vectorArg(args, 0)
      .map((sample) => ({ ...sample, timestampMs: ctx.timestampMs }))
      .sort(compare);
  };
}

function sortFunction(name: string, fn: VectorFunction, variadic = 0): PromFunction {
  const argTypes = variadic === 0 ? (['vector'] as const) : (['vector', 'string'] as const);
  return defineFunction(name, { argTypes, variadic, keepsMetricName: true, impl: { kind: 'vector', fn } });
}

/** vector, scalar, absent, sort, sort_desc, sort_by_label, sort_by_label_desc. */
export const VECTOR_FUNCTIONS: readonly PromFunction[] = [
  defineFunction('vector', { argTypes: ['scalar'], impl: { kind: 'vector', fn: vector } }),
  defineFunction('scalar', {
    argTypes: ['vector'],
    returnType: 'scalar',
    impl: { kind: 'vector', fn: scalar },
  }),
  defineFunction('absent', { argTypes: ['vector'], impl: { kind: 'vector', fn: absent } }),
  sortFunction('sort', sortByValue(false)),
  sortFunction('sort_desc', sortByValue(true)),
  sortFunction('sort_by_label', sortByLabel(false), -1),
  sortFunction('sort_by_label_desc', sortByLabel(true), -1),
];
