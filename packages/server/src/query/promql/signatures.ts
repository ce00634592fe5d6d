import type { VectorMatching } from './ast.ts';
import { labelsKeyOf, labelsKeyWithout, METRIC_NAME, type Labels } from './labels.ts';

/**
 * The match signature of a series: its values of the `on(...)` labels, or all labels but the
 * `ignoring(...)` ones and the metric name (engine.go signatureFunc).
 */
export function signatureFunction(matching: VectorMatching): (labels: Labels) => string {
  if (matching.on) {
    const names = [...matching.matchingLabels].sort();
    return (labels) => labelsKeyOf(labels, names);
  }
  const excluded = new Set([...matching.matchingLabels, METRIC_NAME]);
  return (labels) => labelsKeyWithout(labels, excluded);
}

/** Series indexes grouped by signature. */
export function indexBySignature(signatures: readonly string[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  signatures.forEach((signature, i) => {
    const group = index.get(signature);
    if (group) group.push(i);
    else index.set(signature, [i]);
  });
  return index;
}

/** Go's labels.Labels.String(): `{__name__="x", a="b"}`. */
export function goLabelsString(labels: Labels): string {
  const parts = [...labels.keys()].sort().map((name) => `${name}=${JSON.stringify(labels.get(name))}`);
  return `{${parts.join(', ')}}`;
}
