import type { PromLabels } from './prom-series.ts';

/**
 * Label sets that are reused as the same object by later writes (the remote-write decoder's
 * cache hands out one object per series). Storage may key per-series work by their identity
 * (storage/duckdb/prom/wire-ids.ts); label Maps built per write must not be marked, or such
 * identity caches would grow without bound.
 */
const interned = new WeakSet<PromLabels>();

export function markInterned(labels: PromLabels): void {
  interned.add(labels);
}

export function isInterned(labels: PromLabels): boolean {
  return interned.has(labels);
}
