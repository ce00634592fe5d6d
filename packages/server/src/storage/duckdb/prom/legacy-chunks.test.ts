import { DuckDBInstance } from '@duckdb/node-api';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDuckDbStore } from '../duckdb-store.ts';

void test('a data dir with the old list chunks opens with them moved into encoded blocks', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-legacy-chunks-'));
  const path = join(dir, 'vigil.duckdb');
  try {
    const t0Ms = 1_764_000_000_000;
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE prom_series (
      ref UINTEGER, series_hash UBIGINT, name VARCHAR, labels MAP(VARCHAR, VARCHAR))`);
    await connection.run(
      `CREATE TABLE prom_chunks (ref UINTEGER, min_t BIGINT, max_t BIGINT, dts INTEGER[], vs DOUBLE[])`,
    );
    await connection.run(`INSERT INTO prom_series VALUES
      (0, 1, 'up', MAP {'__name__': 'up', 'job': 'a'}), (1, 2, 'up', MAP {'__name__': 'up', 'job': 'b'})`);
    await connection.run(`INSERT INTO prom_chunks VALUES
      (0, ${t0Ms}, ${t0Ms + 30_000}, [0, 15000, 15000], [1, 0.5, 'NaN'::DOUBLE]),
      (1, ${t0Ms}, ${t0Ms + 15_000}, [0, 15000], [7, 8])`);
    connection.closeSync();
    instance.closeSync();

    const store = await openDuckDbStore({ path });
    try {
      const series = await store.selectSeries(
        [{ name: '__name__', type: '=', value: 'up' }],
        t0Ms,
        t0Ms + 60_000,
      );
      assert.deepEqual(
        series.map((s) => [s.labels.get('job'), [...s.timestampsMs].map((t) => t - t0Ms), [...s.values]]),
        [
          ['a', [0, 15_000, 30_000], [1, 0.5, NaN]],
          ['b', [0, 15_000], [7, 8]],
        ],
      );
      assert.equal((await store.stats()).promSamples, 5);
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
