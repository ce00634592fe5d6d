import type { SeriesSelectors } from '../../store.ts';
import type { FlatLabels, SeriesIndex } from './series-index.ts';
import { labelValue } from './series-index.ts';

/**
 * The Prometheus API's metadata reads (/series, /labels, /label/…/values) from the in-memory
 * index alone: a series is "in the range" when its first..last sample time overlaps it, which is
 * finer than Prometheus's per-block answer and needs no disk read.
 */

/** Refs of series matching any selector (every series when there are none) with samples in the range. */
function matchingRefs(
  index: SeriesIndex,
  selectors: SeriesSelectors,
  minMs: number,
  maxMs: number,
): number[] {
  const refs = new Set<number>();
  const lists =
    selectors.length > 0 ? selectors.map((matchers) => index.resolve(matchers)) : [index.allRefs()];
  for (const list of lists) for (const ref of list) if (index.overlaps(ref, minMs, maxMs)) refs.add(ref);
  return [...refs];
}

/** Prometheus labels.Compare on flat sorted labels: name, then value, pair by pair. */
function compareLabels(a: FlatLabels, b: FlatLabels): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function sortedLimited(values: Iterable<string>, limit: number): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, Math.max(0, limit));
}

export function findSeries(
  index: SeriesIndex,
  selectors: SeriesSelectors,
  minMs: number,
  maxMs: number,
  limit: number,
): string[][] {
  const labels = matchingRefs(index, selectors, minMs, maxMs).map((ref) => index.labelsOf(ref) ?? []);
  return labels
    .sort(compareLabels)
    .slice(0, Math.max(0, limit))
    .map((flat) => [...flat]);
}

export function labelNames(
  index: SeriesIndex,
  selectors: SeriesSelectors,
  minMs: number,
  maxMs: number,
  limit: number,
): string[] {
  const names = new Set<string>();
  for (const ref of matchingRefs(index, selectors, minMs, maxMs)) {
    const labels = index.labelsOf(ref) ?? [];
    for (let i = 0; i < labels.length; i += 2) names.add(labels[i] ?? '');
  }
  return sortedLimited(names, limit);
}

export function labelValues(
  index: SeriesIndex,
  name: string,
  selectors: SeriesSelectors,
  minMs: number,
  maxMs: number,
  limit: number,
): string[] {
  const values = new Set<string>();
  for (const ref of matchingRefs(index, selectors, minMs, maxMs)) {
    const value = labelValue(index.labelsOf(ref) ?? [], name);
    if (value !== '') values.add(value);
  }
  return sortedLimited(values, limit);
}
