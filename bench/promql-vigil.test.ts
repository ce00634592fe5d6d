/**
 * The benchmark's Vigil loader against a real in-process Vigil: every generated sample goes in through
 * Store.writeSamples and comes back bit for bit through Store.selectSeries.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateDataset, SERIES_PER_INSTANCE } from './promql-data.ts';
import { loadVigil, startBenchVigil, toPromSeries } from './promql-vigil.ts';

test('toPromSeries puts every sample on the grid', () => {
  const values = new Float64Array([1, 0, 1]);
  const series = { labels: { __name__: 'up', job: 'a' }, startMs: 60_000, values };
  const prom = toPromSeries(series, 15_000);
  assert.deepEqual(
    [...prom.labels],
    [
      ['__name__', 'up'],
      ['job', 'a'],
    ],
  );
  assert.deepEqual([...prom.timestampsMs], [60_000, 75_000, 90_000]);
  assert.equal(prom.values, series.values);
});

test('loadVigil stores every sample of the dataset', async () => {
  const workDir = mkdtempSync(join(tmpdir(), 'vigil-promql-vigil-test-'));
  const vigil = await startBenchVigil(workDir);
  try {
    const endMs = Math.floor(Date.now() / 15_000) * 15_000;
    const dataset = generateDataset({
      targetSeries: SERIES_PER_INSTANCE,
      startMs: endMs - 1_800_000,
      rangeMs: 1_800_000,
      stepMs: 15_000,
    });
    await loadVigil(vigil.store, dataset);
    const family = dataset.families.find((f) => f.name === 'ml_predictions');
    assert.ok(family);
    const stored = await vigil.store.selectSeries(
      [{ name: '__name__', type: '=', value: 'ml_predictions_total' }],
      dataset.startMs,
      dataset.endMs,
    );
    assert.equal(stored.length, family.series.length);
    const byLabels = new Map(stored.map((series) => [JSON.stringify([...series.labels].sort()), series]));
    for (const series of family.series) {
      const got = byLabels.get(JSON.stringify(Object.entries(series.labels).sort()));
      assert.ok(got, `missing ${JSON.stringify(series.labels)}`);
      assert.deepEqual([...got.values], [...series.values]);
      assert.deepEqual([...got.timestampsMs], [...toPromSeries(series, dataset.stepMs).timestampsMs]);
    }
  } finally {
    await vigil.close();
    rmSync(workDir, { recursive: true, force: true });
  }
});
