import { PromQLError } from '../errors.ts';
import { labelsKey, withLabel } from '../labels.ts';
import { displayString, isValidLabelName } from '../literals.ts';
import { compilePromRegex } from '../matchers.ts';
import type { Sample } from '../values.ts';
import { DUPLICATE_LABELSET } from './annotation-messages.ts';
import { defineFunction, stringArg, vectorArg } from './function-helpers.ts';
import type { FunctionArg, PromFunction, VectorFunction } from './function-types.ts';
import { expandTemplate } from './go-regexp-expand.ts';

/**
 * label_replace and label_join (promql/functions.go evalLabelReplace/evalLabelJoin). Both keep
 * the metric name, set the destination label (removing it when the new value is empty), and
 * fail the query when two results share a label set.
 */

/** Prometheus compiles `^(?s:regex)$`, the same RE2 dialect and anchoring as selector matchers. */
function compileReplaceRegex(pattern: string): RegExp {
  try {
    return compilePromRegex(pattern);
  } catch {
    throw new PromQLError('execution', `invalid regular expression in label_replace(): ${pattern}`);
  }
}

/** Each output keeps everything of its input sample (also fields the evaluator may add). */
function relabelled(
  samples: readonly Sample[],
  timestampMs: number,
  relabel: (sample: Sample) => Sample['labels'],
): Sample[] {
  const seen = new Set<string>();
  return samples.map((sample) => {
    const labels = relabel(sample);
    const key = labelsKey(labels);
    if (seen.has(key)) throw new PromQLError('execution', DUPLICATE_LABELSET);
    seen.add(key);
    return { ...sample, labels, timestampMs };
  });
}

/**
 * label_replace(v, dst, replacement, src, regex): where the fully anchored regex matches the
 * value of `src` (missing labels read as ''), sets `dst` to the expanded replacement.
 */
const labelReplace: VectorFunction = (args, ctx) => {
  const dst = stringArg(args, 1);
  const replacement = stringArg(args, 2);
  const src = stringArg(args, 3);
  // Arguments are validated before any sample is looked at, so errors do not depend on the data.
  const regex = compileReplaceRegex(stringArg(args, 4));
  if (!isValidLabelName(dst))
    throw new PromQLError('execution', `invalid destination label name in label_replace(): ${displayString(dst)}`);
  return relabelled(vectorArg(args, 0), ctx.timestampMs, ({ labels }) => {
    const match = regex.exec(labels.get(src) ?? '');
    return match ? withLabel(labels, dst, expandTemplate(replacement, match)) : labels;
  });
};

/** label_join(v, dst, separator, src...): `dst` = the `src` values joined ('' for missing ones). */
const labelJoin: VectorFunction = (args: readonly FunctionArg[], ctx) => {
  const dst = stringArg(args, 1);
  const separator = stringArg(args, 2);
  const sources = args.slice(3).map((_, index) => stringArg(args, index + 3));
  for (const source of sources) {
    if (!isValidLabelName(source))
      throw new PromQLError('execution', `invalid source label name in label_join(): ${displayString(source)}`);
  }
  if (!isValidLabelName(dst))
    throw new PromQLError('execution', `invalid destination label name in label_join(): ${displayString(dst)}`);
  return relabelled(vectorArg(args, 0), ctx.timestampMs, ({ labels }) =>
    withLabel(labels, dst, sources.map((source) => labels.get(source) ?? '').join(separator)),
  );
};

/** label_replace, label_join. */
export const LABEL_FUNCTIONS: readonly PromFunction[] = [
  defineFunction('label_replace', {
    argTypes: ['vector', 'string', 'string', 'string', 'string'],
    keepsMetricName: true,
    impl: { kind: 'vector', fn: labelReplace },
  }),
  defineFunction('label_join', {
    argTypes: ['vector', 'string', 'string', 'string'],
    variadic: -1,
    keepsMetricName: true,
    impl: { kind: 'vector', fn: labelJoin },
  }),
];
