import type { VectorMatching } from './ast.ts';
import { newStepSeries, type StepSeries } from './eval-types.ts';
import { labelsKey } from './labels.ts';
import { indexBySignature, signatureFunction } from './signatures.ts';

/**
 * and / or / unless per step (engine.go VectorAnd, VectorOr, VectorUnless): elements keep their
 * labels and values; `or` adds right-hand elements whose signature no left-hand element has at
 * that step.
 */
export function setOperation(
  op: 'and' | 'or' | 'unless',
  lhs: readonly StepSeries[],
  rhs: readonly StepSeries[],
  matching: VectorMatching,
  steps: number,
): StepSeries[] {
  const signatureOf = signatureFunction(matching);
  const lhsSignatures = lhs.map((s) => signatureOf(s.labels));
  const rhsSignatures = rhs.map((s) => signatureOf(s.labels));
  if (op === 'or') return union(lhs, rhs, lhsSignatures, rhsSignatures, steps);
  const rhsBySignature = indexBySignature(rhsSignatures);
  const result: StepSeries[] = [];
  lhs.forEach((series, i) => {
    const partners = rhsBySignature.get(lhsSignatures[i] ?? '') ?? [];
    const out = newStepSeries(series.labels, steps);
    let any = false;
    for (let step = 0; step < steps; step++) {
      if (series.present[step] !== 1) continue;
      const matched = partners.some((j) => rhs[j]?.present[step] === 1);
      if (matched !== (op === 'and')) continue;
      out.present[step] = 1;
      out.values[step] = series.values[step] ?? 0;
      any = true;
    }
    if (any) result.push(out);
  });
  return result;
}

function union(
  lhs: readonly StepSeries[],
  rhs: readonly StepSeries[],
  lhsSignatures: string[],
  rhsSignatures: string[],
  steps: number,
): StepSeries[] {
  const lhsBySignature = indexBySignature(lhsSignatures);
  const result = new Map<string, StepSeries>();
  for (const series of lhs) addSteps(result, series, () => true, steps);
  rhs.forEach((series, j) => {
    const partners = lhsBySignature.get(rhsSignatures[j] ?? '') ?? [];
    addSteps(result, series, (step) => !partners.some((i) => lhs[i]?.present[step] === 1), steps);
  });
  return [...result.values()];
}

function addSteps(
  result: Map<string, StepSeries>,
  series: StepSeries,
  include: (step: number) => boolean,
  steps: number,
): void {
  const key = labelsKey(series.labels);
  let out = result.get(key);
  for (let step = 0; step < steps; step++) {
    if (series.present[step] !== 1 || !include(step)) continue;
    if (!out) {
      out = newStepSeries(series.labels, steps);
      result.set(key, out);
    }
    if (out.present[step] === 1) continue;
    out.present[step] = 1;
    out.values[step] = series.values[step] ?? 0;
  }
}
