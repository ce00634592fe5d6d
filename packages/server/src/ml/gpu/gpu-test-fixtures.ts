/**
 * Test fixtures of the GPU analytics: DCGM series held in memory behind the Store's selectSeries
 * (matchers applied with the model's own predicate), dcgm-exporter's labels, and a seeded PRNG.
 */
import {
  seriesMatcherPredicate,
  type PromSeriesSamples,
  type SeriesMatcher,
} from '../../model/prom-series.ts';
import type { DcgmSeriesSource } from './gpu-correlation-types.ts';

export const GPU_UUIDS: Readonly<Record<string, string>> = {
  '0': 'GPU-5fd4a1c2-8b1e-4f3a-9c51-0d1e2f3a4b5c',
  '1': 'GPU-a83c6e90-2d47-4b18-b6f2-7e9d0c1b2a3f',
};

/** The labels dcgm-exporter puts on a GPU's series (demo/src/dcgm-exporter.ts), plus the scrape's instance. */
export function dcgmLabels(metric: string, gpu: string, host = 'gpu-node-1'): Map<string, string> {
  return new Map([
    ['__name__', metric],
    ['gpu', gpu],
    ['UUID', GPU_UUIDS[gpu] ?? `GPU-${gpu}`],
    ['device', `nvidia${gpu}`],
    ['modelName', 'NVIDIA A100-SXM4-40GB'],
    ['Hostname', host],
    ['instance', 'dcgm-exporter:9400'],
  ]);
}

/** Series in memory, read as Store.selectSeries reads them: every matcher, both ends inclusive. */
export class MemoryDcgmSource implements DcgmSeriesSource {
  readonly series: PromSeriesSamples[] = [];
  readonly selections: { minTimeMs: number; maxTimeMs: number }[] = [];

  add(labels: Map<string, string>, timesMs: readonly number[], valueAt: (timeMs: number) => number): void {
    this.series.push({
      labels,
      timestampsMs: Float64Array.from(timesMs),
      values: Float64Array.from(timesMs, valueAt),
    });
  }

  selectSeries(
    matchers: readonly SeriesMatcher[],
    minTimeMs: number,
    maxTimeMs: number,
  ): Promise<PromSeriesSamples[]> {
    this.selections.push({ minTimeMs, maxTimeMs });
    const predicates = matchers.map((matcher) => ({
      name: matcher.name,
      test: seriesMatcherPredicate(matcher),
    }));
    const found: PromSeriesSamples[] = [];
    for (const series of this.series) {
      if (!predicates.every(({ name, test }) => test(series.labels.get(name) ?? ''))) continue;
      // Timestamps ascend, so the range is one slice; slice() copies NaN payloads (stale markers) bit for bit.
      const times = [...series.timestampsMs];
      const from = times.findIndex((timeMs) => timeMs >= minTimeMs);
      const to = times.findLastIndex((timeMs) => timeMs <= maxTimeMs) + 1;
      if (from < 0 || to <= from) continue;
      found.push({
        labels: series.labels,
        timestampsMs: series.timestampsMs.slice(from, to),
        values: series.values.slice(from, to),
      });
    }
    return Promise.resolve(found);
  }
}

/** Times fromMs, fromMs + everyMs, … while below toMs. */
export function timesBetween(fromMs: number, toMs: number, everyMs: number): number[] {
  const times: number[] = [];
  for (let timeMs = fromMs; timeMs < toMs; timeMs += everyMs) times.push(timeMs);
  return times;
}
