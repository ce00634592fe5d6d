import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFrom } from './labels.ts';
import { MemorySeriesSource } from './memory-series-source.ts';

void test('select includes a sample exactly at maxTimeMs for Unix-ms timestamps (both bounds inclusive)', async () => {
  const source = new MemorySeriesSource();
  const t0Ms = 1_764_000_000_000;
  for (let i = 0; i < 5; i++) source.add(labelsFrom({ __name__: 'up' }), t0Ms + i * 15_000, i);
  const matchers = [{ name: '__name__', type: '=', value: 'up' }] as const;
  const [series] = await source.select(matchers, t0Ms + 15_000, t0Ms + 45_000);
  assert.deepEqual([...(series?.timestampsMs ?? [])], [t0Ms + 15_000, t0Ms + 30_000, t0Ms + 45_000]);
});
