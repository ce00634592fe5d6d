import type { BinaryExpr, VectorMatching } from './ast.ts';
import { applyOp, dropsMetricName } from './binary-ops.ts';
import { PromQLError } from './errors.ts';
import { newStepSeries, type StepSeries } from './eval-types.ts';
import type { Evaluator } from './evaluator.ts';
import { keepLabels, labelsKey, METRIC_NAME, type Labels } from './labels.ts';
import { goLabelsString, indexBySignature, signatureFunction } from './signatures.ts';

interface Sides {
  /** The "many" side (lhs, or rhs for group_right). */
  many: readonly StepSeries[];
  one: readonly StepSeries[];
  swapped: boolean;
}

/**
 * Arithmetic and comparison between two instant vectors (engine.go VectorBinop), for all steps.
 * Signatures and candidate partners are computed once per series; each step then only checks
 * which candidates are present, with the same errors as Prometheus for ambiguous matches.
 */
export function matchVectors(
  ev: Evaluator,
  expr: BinaryExpr,
  matching: VectorMatching,
  lhs: readonly StepSeries[],
  rhs: readonly StepSeries[],
): StepSeries[] {
  if (lhs.length === 0 || rhs.length === 0) return [];
  const sides: Sides =
    matching.card === 'one-to-many'
      ? { many: rhs, one: lhs, swapped: true }
      : { many: lhs, one: rhs, swapped: false };
  const signatureOf = signatureFunction(matching);
  const manySignatures = sides.many.map((s) => signatureOf(s.labels));
  const oneBySignature = indexBySignature(sides.one.map((s) => signatureOf(s.labels)));
  const steps = ev.ctx.grid.count;
  checkOneSideUnique(oneBySignature, sides, matching, steps);
  const output = new Map<string, StepSeries>();
  const resultLabelsCache = new Map<string, Labels>();
  const matchedAt = new Map<string, number>();
  const outputsAt = new Map<string, Set<string>>();
  for (let step = 0; step < steps; step++) {
    if ((step & 63) === 0) ev.checkDeadline();
    sides.many.forEach((series, i) => {
      if (series.present[step] !== 1) return;
      const signature = manySignatures[i] ?? '';
      const partner = presentPartner(oneBySignature.get(signature), sides.one, step);
      if (partner === undefined) return;
      const other = sides.one[partner] as StepSeries;
      const manyValue = series.values[step] ?? 0;
      const oneValue = other.values[step] ?? 0;
      let [value, keep] = sides.swapped
        ? applyOp(expr.op, oneValue, manyValue)
        : applyOp(expr.op, manyValue, oneValue);
      // Ambiguous one-to-one matches are an error even when a comparison filters them out.
      if (matching.card === 'one-to-one')
        checkUniqueMatch(matching, signature, series.labels, step, matchedAt, outputsAt);
      if (expr.returnBool) {
        value = keep ? 1 : 0;
        keep = true;
      }
      if (!keep) return;
      const cacheKey = `${i}:${partner}`;
      let labels = resultLabelsCache.get(cacheKey);
      if (!labels) {
        labels = resultLabels(series.labels, other.labels, expr, matching);
        resultLabelsCache.set(cacheKey, labels);
      }
      if (matching.card !== 'one-to-one')
        checkUniqueMatch(matching, signature, labels, step, matchedAt, outputsAt);
      addPoint(output, labels, step, value, steps);
    });
  }
  return [...output.values()];
}

function presentPartner(
  candidates: number[] | undefined,
  one: readonly StepSeries[],
  step: number,
): number | undefined {
  if (!candidates) return undefined;
  for (const j of candidates) if (one[j]?.present[step] === 1) return j;
  return undefined;
}

/** The "one" side must have at most one element per signature at each step. */
function checkOneSideUnique(
  oneBySignature: Map<string, number[]>,
  sides: Sides,
  matching: VectorMatching,
  steps: number,
): void {
  for (const candidates of oneBySignature.values()) {
    if (candidates.length < 2) continue;
    for (let step = 0; step < steps; step++) {
      const present = candidates.filter((j) => sides.one[j]?.present[step] === 1);
      if (present.length < 2) continue;
      const [first, second] = present.map((j) => sides.one[j]?.labels ?? new Map<string, string>());
      const matched = matching.on
        ? keepLabels(second as Labels, matching.matchingLabels)
        : (second as Labels);
      const side = sides.swapped ? 'left' : 'right';
      throw new PromQLError(
        'execution',
        `found duplicate series for the match group ${goLabelsString(matchLabels(matched, matching))} on the ${side} hand-side of the operation: ` +
          `[${goLabelsString(second as Labels)}, ${goLabelsString(first as Labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
  }
}

/** Labels.MatchLabels: the on-labels, or all but the ignored labels and the name. */
function matchLabels(labels: Labels, matching: VectorMatching): Labels {
  if (matching.on) return keepLabels(labels, matching.matchingLabels);
  const kept = new Map<string, string>();
  for (const [name, value] of labels)
    if (name !== METRIC_NAME && !matching.matchingLabels.includes(name)) kept.set(name, value);
  return kept;
}

function checkUniqueMatch(
  matching: VectorMatching,
  signature: string,
  labels: Labels,
  step: number,
  matchedAt: Map<string, number>,
  outputsAt: Map<string, Set<string>>,
): void {
  if (matching.card === 'one-to-one') {
    if (matchedAt.get(signature) === step)
      throw new PromQLError(
        'execution',
        'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
      );
    matchedAt.set(signature, step);
    return;
  }
  let inserted = outputsAt.get(signature);
  if (!inserted || matchedAt.get(signature) !== step) {
    inserted = new Set();
    outputsAt.set(signature, inserted);
    matchedAt.set(signature, step);
  }
  const key = labelsKey(labels);
  if (inserted.has(key))
    throw new PromQLError(
      'execution',
      'multiple matches for labels: grouping labels must ensure unique matches',
    );
  inserted.add(key);
}

/** engine.go resultMetric: which labels the output element carries. */
function resultLabels(many: Labels, one: Labels, expr: BinaryExpr, matching: VectorMatching): Labels {
  const labels = new Map(many);
  if (dropsMetricName(expr.op) || expr.returnBool) labels.delete(METRIC_NAME);
  if (matching.card === 'one-to-one') {
    if (matching.on) {
      for (const name of [...labels.keys()]) if (!matching.matchingLabels.includes(name)) labels.delete(name);
    } else {
      for (const name of matching.matchingLabels) labels.delete(name);
    }
  }
  for (const name of matching.include) {
    const value = one.get(name);
    if (value !== undefined && value !== '') labels.set(name, value);
    else labels.delete(name);
  }
  return labels;
}

function addPoint(
  output: Map<string, StepSeries>,
  labels: Labels,
  step: number,
  value: number,
  steps: number,
): void {
  const key = labelsKey(labels);
  let series = output.get(key);
  if (!series) {
    series = newStepSeries(labels, steps);
    output.set(key, series);
  }
  if (series.present[step] === 1)
    throw new PromQLError('execution', 'vector cannot contain metrics with the same labelset');
  series.present[step] = 1;
  series.values[step] = value;
}
