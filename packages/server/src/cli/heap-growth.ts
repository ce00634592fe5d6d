import { setFlagsFromString } from 'node:v8';

/**
 * V8 grows a heap after each full collection to a multiple of what survived (up to 4×), which for
 * a server that allocates as much as remote write does leaves much of its RSS as garbage awaiting
 * the next collection. `vigil serve --heap-growth 20` caps that factor at 1.2, the knob Go servers
 * have in GOGC. Measured (bench/remote-write-compare.bench.ts, docs/adr/0003-prometheus-series.md):
 * RSS per active series 14–15 → 8.7 KB at 10k series and 3.8 → 2.8 KB at 100k, for 10–25 % more
 * CPU per sample. The default keeps V8's own growing: remote-write throughput comes first.
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 0;

/** Parses `--heap-growth`: a whole percent from 1 to 300, or 0 for V8's own growing. */
export function parseHeapGrowthPercent(text: string | undefined): number {
  if (text === undefined) return DEFAULT_HEAP_GROWTH_PERCENT;
  const percent = text.trim() === '' ? NaN : Number(text);
  if (!Number.isInteger(percent) || percent < 0 || percent > 300)
    throw new RangeError(`--heap-growth must be a whole percent from 0 to 300, got '${text}'`);
  return percent;
}

/**
 * Applies the growth to this process's heaps. Call before the store's worker starts: its heap is
 * set up when it is created. V8 reads this flag each time it sizes a heap after a collection.
 */
export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
