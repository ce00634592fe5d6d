import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PromSeriesSamples } from '../../../model/prom-series.ts';
import { openDuckDbStore } from '../duckdb-store.ts';

function series(metric: string, labels: Record<string, string>, count = 3): PromSeriesSamples {
  return {
    labels: new Map([['__name__', metric], ...Object.entries(labels)]),
    timestampsMs: Float64Array.from({ length: count }, (_, i) => 1_760_000_000_000 + i * 15_000),
    values: Float64Array.from({ length: count }, (_, i) => i),
  };
}

test('series limits refuse new series past them, count what they refused, and keep existing series writable', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-cardinality-'));
  const store = await openDuckDbStore({
    path: join(dir, 'vigil.duckdb'),
    seriesLimits: { maxSeries: 5, maxSeriesPerMetric: 3 },
  });
  try {
    const users = ['u1', 'u2', 'u3', 'u4'].map((user) => series('requests_total', { user_id: user }));
    const first = await store.writeSamples(users);
    assert.deepEqual(first, { samplesWritten: 9, samplesRejected: 0, samplesRejectedBySeriesLimit: 3 });
    const gpus = ['0', '1', '2'].map((gpu) => series('gpu_util', { gpu }));
    const second = await store.writeSamples(gpus);
    assert.deepEqual(second, { samplesWritten: 6, samplesRejected: 0, samplesRejectedBySeriesLimit: 3 });
    // A series that exists keeps receiving samples at the limit.
    const later = series('requests_total', { user_id: 'u1' }, 5);
    const third = await store.writeSamples([later]);
    assert.equal(third.samplesWritten, 2);
    assert.equal(
      (await store.selectSeries([{ name: '__name__', type: '=~', value: '.+' }], 0, Infinity)).length,
      5,
    );
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('the cardinality report names the metric and the label that drive series growth', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-cardinality-'));
  const store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb') });
  try {
    const perUser = Array.from({ length: 20 }, (_, i) =>
      series('ml_predictions_total', { user_id: `u${i}`, model: 'fraud' }),
    );
    await store.writeSamples([...perUser, series('up', { job: 'api' }), series('up', { job: 'web' })]);
    const status = await store.cardinality(2);
    assert.equal(status.headStats.numSeries, 22);
    assert.deepEqual(status.seriesCountByMetricName, [
      { name: 'ml_predictions_total', value: 20 },
      { name: 'up', value: 2 },
    ]);
    assert.deepEqual(status.labelValueCountByLabelName[0], { name: 'user_id', value: 20 });
    assert.deepEqual(status.seriesCountByLabelValuePair.slice(0, 2), [
      { name: '__name__=ml_predictions_total', value: 20 },
      { name: 'model=fraud', value: 20 },
    ]);
    assert.deepEqual(status.growthDrivers[0], {
      metric: 'ml_predictions_total',
      series: 20,
      label: 'user_id',
      distinctValues: 20,
    });
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
