import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  generateDataset,
  LATENCY_BUCKETS_SECONDS,
  SERIES_PER_INSTANCE,
  unit,
  type Dataset,
  type GeneratedSeries,
} from './promql-data.ts';

const HOUR_MS = 3_600_000;
const START_MS = 1_700_000_100_000;

function dataset(targetSeries: number, rangeMs = HOUR_MS): Dataset {
  return generateDataset({ targetSeries, startMs: START_MS, rangeMs, stepMs: 15_000 });
}

function allSeries(data: Dataset): GeneratedSeries[] {
  return data.families.flatMap((family) => family.series);
}

/** Series of `small` with the given metric name. */
function named(name: string): GeneratedSeries[] {
  return allSeries(small).filter((series) => series.labels.__name__ === name);
}

const COUNTER_NAME = /_(total|bucket|count|sum)$/;

const small = dataset(3 * SERIES_PER_INSTANCE);

describe('generateDataset', () => {
  const sizes: [number, number][] = [
    [1, 1],
    [SERIES_PER_INSTANCE, 1],
    [10_000, 26],
  ];
  for (const [target, instances] of sizes) {
    test(`${target} target series → ${instances} instances`, () => {
      const data = dataset(target, 15_000);
      assert.equal(data.instanceCount, instances);
      assert.equal(data.seriesCount, instances * SERIES_PER_INSTANCE);
      assert.equal(allSeries(data).length, data.seriesCount);
    });
  }

  test('is deterministic', () => {
    const again = dataset(3 * SERIES_PER_INSTANCE);
    assert.deepEqual(allSeries(again), allSeries(small));
  });

  test('covers the range at every step, inclusive of both ends', () => {
    assert.equal(small.endMs, START_MS + HOUR_MS);
    const full = allSeries(small).filter((series) => series.startMs === START_MS);
    assert.ok(full.length > 0);
    for (const series of full) assert.equal(series.values.length, HOUR_MS / 15_000 + 1);
    const samples = allSeries(small).reduce((total, series) => total + series.values.length, 0);
    assert.equal(small.sampleCount, samples);
  });

  test('label sets are unique and every series is named', () => {
    const keys = allSeries(small).map((series) => JSON.stringify(Object.entries(series.labels).sort()));
    assert.equal(new Set(keys).size, keys.length);
    for (const series of allSeries(small)) assert.ok(series.labels.__name__);
  });

  test('the rollout version starts late, inside the last hour', () => {
    const data = dataset(SERIES_PER_INSTANCE, 2 * HOUR_MS);
    const v3 = allSeries(data).filter((series) => series.labels.model_version === 'v3');
    assert.ok(v3.length > 0);
    for (const series of v3) {
      assert.ok(series.startMs > data.endMs - HOUR_MS && series.startMs < data.endMs);
    }
  });

  test('counters only fall at their instance restart, at most once', () => {
    let resets = 0;
    const counters = allSeries(small).filter((s) => COUNTER_NAME.test(s.labels.__name__ ?? ''));
    for (const series of counters) {
      let falls = 0;
      for (let i = 1; i < series.values.length; i++) if (series.values[i]! < series.values[i - 1]!) falls++;
      assert.ok(falls <= 1, `${series.labels.__name__} falls ${falls} times`);
      // Instance index % 3 === 1 restarts (promql-data.ts instanceOf); the others never reset.
      if (falls === 1) assert.equal(series.labels.instance, 'ml-inference-1:8000');
      resets += falls;
    }
    assert.ok(resets > 0, 'rate() must see counter resets');
  });

  test('histogram buckets are cumulative in le and +Inf equals _count', () => {
    const byLabelSet = new Map<string, GeneratedSeries[]>();
    const allBuckets = named('ml_inference_latency_seconds_bucket');
    for (const series of allBuckets) {
      const key = labelsKeyWithout(series, ['__name__', 'le']);
      byLabelSet.set(key, [...(byLabelSet.get(key) ?? []), series]);
    }
    assert.equal(byLabelSet.size, 3 * 24);
    const counts = named('ml_inference_latency_seconds_count');
    for (const [key, buckets] of byLabelSet) {
      assert.deepEqual(
        buckets.map((b) => b.labels.le),
        [...LATENCY_BUCKETS_SECONDS.map(String), '+Inf'],
      );
      for (let step = 0; step < buckets[0]!.values.length; step++) {
        for (let i = 1; i < buckets.length; i++) {
          assert.ok(buckets[i]!.values[step]! >= buckets[i - 1]!.values[step]!);
        }
      }
      const count = counts.find((c) => labelsKeyWithout(c, ['__name__']) === key);
      assert.deepEqual(count?.values, buckets.at(-1)!.values);
    }
  });

  test('GPU temperatures have no ties at a step (topk order would be unspecified)', () => {
    const temps = allSeries(small).filter((s) => s.labels.__name__ === 'DCGM_FI_DEV_GPU_TEMP');
    for (let step = 0; step < temps[0]!.values.length; step++) {
      const values = temps.map((series) => series.values[step]);
      assert.equal(new Set(values).size, values.length);
    }
  });

  test('framebuffer used + free is the card total', () => {
    const used = allSeries(small).filter((s) => s.labels.__name__ === 'DCGM_FI_DEV_FB_USED');
    const free = allSeries(small).filter((s) => s.labels.__name__ === 'DCGM_FI_DEV_FB_FREE');
    used.forEach((series, i) => {
      series.values.forEach((mib, step) => assert.equal(mib + free[i]!.values[step]!, 81_559));
    });
  });
});

/** Identity of a series' label set leaving out the given names. */
function labelsKeyWithout(series: GeneratedSeries, excluded: string[]): string {
  return JSON.stringify(
    Object.entries(series.labels)
      .filter(([name]) => !excluded.includes(name))
      .sort(),
  );
}

test('unit() stays in [0, 1) and spreads', () => {
  const values = Array.from({ length: 10_000 }, (_, i) => unit(i, 42));
  assert.ok(values.every((u) => u >= 0 && u < 1));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
});
