import { DuckDBInstance } from '@duckdb/node-api';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readChunkRows } from './chunk-rows.ts';
import { compactHead } from './compaction.ts';
import { CHUNK_WINDOW_MS, windowStart } from './compaction-window.ts';
import { HeadSamples } from './head.ts';

const STEP_MS = 60_000;

test('compaction moves one window of every series into blocks, in batches, and trims only that window', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const writer = await instance.connect();
  try {
    await writer.run(`CREATE TABLE prom_blocks (
      ref UINTEGER, min_t BIGINT, max_t BIGINT, n UINTEGER, last_v DOUBLE, data BLOB)`);
    const head = new HeadSamples();
    // More series than one batch, each with samples in two windows.
    const seriesCount = 2_345;
    const fromMs = windowStart(1_764_000_000_000);
    const toMs = fromMs + CHUNK_WINDOW_MS;
    const steps = (2 * CHUNK_WINDOW_MS) / STEP_MS;
    for (let step = 0; step < steps; step++)
      for (let ref = 0; ref < seriesCount; ref++)
        head.append(ref, fromMs + step * STEP_MS + ref, ref + step * 0.5);
    const total = head.sampleCount;

    const moved = await compactHead(writer, head, fromMs, toMs);

    const perSeries = steps / 2;
    assert.equal(moved, seriesCount * perSeries);
    assert.equal(head.sampleCount, total - moved);
    assert.equal(head.oldestMs, toMs);
    const rows = await readChunkRows(writer, 'SELECT ref, n, data FROM prom_blocks ORDER BY ref');
    const refs: number[] = [];
    for (const chunk of rows)
      for (let row = 0; row < chunk.count; row++) {
        const ref = chunk.refs[row]!;
        refs.push(ref);
        const start = chunk.starts[row]!;
        assert.equal(chunk.lengths[row], perSeries, `ref ${ref}`);
        for (let i = 0; i < perSeries; i++) {
          assert.equal(chunk.timestampsMs[start + i], fromMs + i * STEP_MS + ref);
          assert.equal(chunk.values[start + i], ref + i * 0.5);
        }
      }
    assert.deepEqual(
      refs,
      Array.from({ length: seriesCount }, (_, ref) => ref),
    );
  } finally {
    writer.closeSync();
    instance.closeSync();
  }
});
